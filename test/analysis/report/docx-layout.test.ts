// The DOCX's layout rules as pure functions: text widths in Calibri's metrics, columns that never
// break a word, landscape only when the words do not fit upright, and pages grouped by orientation.
import {
  distributeWidths,
  figureSize,
  longestWordWidth,
  minimumWidths,
  planColumns,
  planSections,
  tableHeight,
  textWidth,
  type TableFonts,
} from '../../../server/analysis/report/docx-layout';

const FONTS: TableFonts = { header: { size: 8, bold: true }, body: { size: 8 }, padding: 144 };
const PAGE = { portrait: 9638, landscape: 14570 };

describe('textWidth', () => {
  it('measures Calibri: "182" is three digit widths, bold is wider, Turkish letters are known', () => {
    // A Calibri digit is 0.507 em: at 8 pt, 3 × 0.507 × 8 pt × 20 twips.
    expect(textWidth('182', { size: 8 })).toBeCloseTo(3 * 0.507 * 8 * 20, 5);
    expect(textWidth('Kayıtlı', { size: 8, bold: true })).toBeGreaterThan(textWidth('Kayıtlı', { size: 8 }));
    // ı is as narrow as i, not an unknown glyph's width.
    expect(textWidth('ı', { size: 10 })).toBe(textWidth('i', { size: 10 }));
  });

  it('the longest word is the widest of the words, not the text', () => {
    expect(longestWordWidth('Sayım (kafa sayısı)', { size: 8 })).toBe(textWidth('sayısı)', { size: 8 }));
  });
});

describe('column widths', () => {
  const meetings = [
    { header: 'Buluşma', cells: ['Cumhuriyet ve Atatürk Mahalleleri Buluşması', 'Esentepe ve Yıldıztepe Buluşması', 'Toplam'] },
    { header: 'Kayıtlı', cells: ['26', '18', '70'] },
    { header: 'Sayım (kafa sayısı)', cells: ['64', '41', '182'] },
    { header: 'En çok dile getirilen üç konu', cells: ['Yol, kaldırım ve altyapı; Temizlik ve atık yönetimi; Ulaşım ve trafik düzenlemesi', 'Afet'] },
  ];

  it('a column is at least as wide as its longest header word in bold and its longest cell word', () => {
    const minimum = minimumWidths(meetings, FONTS, PAGE.portrait);
    expect(minimum[1]).toBeGreaterThanOrEqual(textWidth('Kayıtlı', FONTS.header) + FONTS.padding);
    expect(minimum[2]).toBeGreaterThanOrEqual(textWidth('sayısı)', FONTS.header) + FONTS.padding);
    expect(minimum[0]).toBeGreaterThanOrEqual(textWidth('Mahalleleri', FONTS.body) + FONTS.padding);
  });

  it('share the page: every column gets its minimum, the text columns take the most, the sum is the page', () => {
    const plan = planColumns(meetings, FONTS, PAGE);
    const minimum = minimumWidths(meetings, FONTS, PAGE.portrait);
    expect(plan.landscape).toBe(false);
    expect(plan.widths.reduce((a, b) => a + b, 0)).toBe(PAGE.portrait);
    plan.widths.forEach((w, i) => expect(w).toBeGreaterThanOrEqual(minimum[i]!));
    expect(plan.widths[3]).toBeGreaterThan(plan.widths[1]! * 3);
    expect(plan.widths[0]).toBeGreaterThan(plan.widths[2]!);
  });

  it('go landscape only when the words do not fit upright, not for a count of columns', () => {
    const numbered = [{ header: 'Paydaş', cells: ['Yeşilvadi Kadın Girişimi Üretim ve İşletme Kooperatifi'] }, ...Array.from({ length: 16 }, (_, i) => ({ header: String(i + 1), cells: ['X'] }))];
    expect(planColumns(numbered, FONTS, PAGE).landscape).toBe(false);
    const named = [{ header: 'Paydaş', cells: ['Kooperatif'] }, ...Array.from({ length: 16 }, () => ({ header: 'Belediyecilik', cells: ['X'] }))];
    const plan = planColumns(named, FONTS, PAGE);
    expect(plan.minimum).toBeGreaterThan(PAGE.portrait);
    expect(plan.landscape).toBe(true);
    expect(plan.widths.reduce((a, b) => a + b, 0)).toBe(PAGE.landscape);
  });

  it('distributeWidths gives the spare room to what columns still want, then in proportion', () => {
    expect(distributeWidths([100, 100], [300, 100], 400)).toEqual([300, 100]);
    expect(distributeWidths([100, 100], [300, 100], 300)).toEqual([200, 100]);
    expect(distributeWidths([100, 100], [100, 100], 400)).toEqual([200, 200]);
    // Narrower than the minimum: shrunk in proportion, still the page's width.
    expect(distributeWidths([300, 100], [300, 100], 200)).toEqual([150, 50]);
  });
});

describe('tableHeight', () => {
  it('counts the lines a long cell wraps to', () => {
    const one = tableHeight([{ header: 'A', cells: ['kısa'] }], [2000], FONTS);
    const wrapped = tableHeight([{ header: 'A', cells: ['uzun '.repeat(80)] }], [2000], FONTS);
    expect(wrapped).toBeGreaterThan(one * 4);
  });
});

describe('planSections', () => {
  it('groups consecutive landscape tables in one section, their headings with them', () => {
    const plan = planSections([{ landscape: null }, { landscape: false }, { landscape: null }, { landscape: true }, { landscape: true }, { landscape: null }, { landscape: false }]);
    expect(plan.landscape).toEqual([false, true, false]);
    expect(plan.section).toEqual([0, 0, 1, 1, 1, 2, 2]);
  });

  it('one orientation is one section', () => {
    expect(planSections([{ landscape: null }, { landscape: false }, { landscape: false }])).toEqual({ section: [0, 0, 0], landscape: [false] });
  });
});

describe('figureSize', () => {
  it('fills the text width unless that makes the figure taller than its share of the page', () => {
    expect(figureSize({ width: 1200, height: 600 }, { width: 9638, height: 14570 })).toEqual({ width: 9638, height: 4819 });
    const tall = figureSize({ width: 1200, height: 1200 }, { width: 9638, height: 14570 }, 0.5);
    expect(tall).toEqual({ width: 7285, height: 7285 });
  });
});
