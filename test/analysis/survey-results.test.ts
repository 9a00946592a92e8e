import { crossTabulate } from '../../server/analysis/cross-tab';
import type { CrossCount } from '../../server/analysis/results.repository';
import { crossLabels, crossTable, resultTable, SUPPRESSED, withUnanswered } from '../../server/analysis/result-tables';
import { hiddenCells } from '../../server/analysis/suppression';
import { askedOfEveryone, meanOf, medianOf, summarize, unanswered } from '../../server/analysis/survey-results';
import { loadCatalog } from '../../server/surveys/survey-catalog';
import type { QuestionKind, QuestionOf } from '../../server/surveys/survey-definition';
import { createI18n } from '../../server/platform/i18n/i18n';
import { FIXTURE_SURVEYS } from '../helpers/test-app';

const survey = loadCatalog(FIXTURE_SURVEYS).find('tum-soru-tipleri')!;
function question<K extends QuestionKind>(id: string, kind: K): QuestionOf<K> {
  const found = survey.sections.flatMap((s) => s.questions).find((q) => q.id === id);
  if (found?.kind !== kind) throw new Error(`fixture has no ${kind} ${id}`);
  return found as QuestionOf<K>;
}
const words = { t: createI18n().translators.tr, text: (value: { tr: string }) => value.tr };

describe('meanOf and medianOf', () => {
  it('work on frequency tables', () => {
    expect(meanOf([{ value: 1, count: 3 }, { value: 5, count: 1 }])).toBe(2);
    expect(medianOf([{ value: 1, count: 3 }, { value: 5, count: 1 }])).toBe(1);
    expect(medianOf([{ value: 2, count: 2 }, { value: 4, count: 2 }])).toBe(3);
    expect(medianOf([{ value: 10, count: 1 }, { value: 0, count: 2 }])).toBe(0);
    expect(meanOf([])).toBeNull();
    expect(medianOf([{ value: 3, count: 0 }])).toBeNull();
  });
});

describe('hiddenCells', () => {
  it('hides 1–4, and a second count wherever one hidden count could be worked back from a total', () => {
    expect(hiddenCells([[6, 3, 0, 12]], { rowTotals: true, columnTotals: false }).cells).toEqual([[true, true, false, false]]);
    expect(hiddenCells([[6, 3, 0, 12]], { rowTotals: false, columnTotals: false }).cells).toEqual([[false, true, false, false]]);
    // Two small ones protect each other; nothing more is needed.
    expect(hiddenCells([[2, 3, 9]], { rowTotals: true, columnTotals: false }).cells).toEqual([[true, true, false]]);
    // One small count with nothing else to hide: the total must go.
    expect(hiddenCells([[4, 0]], { rowTotals: true, columnTotals: false }).rowTotals).toEqual([true]);
  });

  it('works across rows and columns until no hidden count stands alone', () => {
    const counts = [
      [10, 2, 8],
      [7, 9, 6],
      [12, 11, 15],
    ];
    const hidden = hiddenCells(counts, { rowTotals: true, columnTotals: true });
    const flat = hidden.cells.flat().filter(Boolean).length;
    expect(flat).toBeGreaterThanOrEqual(4);
    for (const row of hidden.cells) expect(row.filter(Boolean).length).not.toBe(1);
    for (let c = 0; c < 3; c++) expect(hidden.cells.map((row) => row[c]).filter(Boolean).length).not.toBe(1);
  });
});

describe('result tables in a breakdown', () => {
  const choice = (counts: Record<string, number>, n: number) =>
    summarize(
      question('renk', 'single_choice'),
      Object.entries(counts).map(([optionId, count]) => ({ questionId: 'renk', optionId, value: null, rank: null, notApplicable: false, count })),
      n,
    );

  it('hide a small count with its share, and a second count so the first cannot be worked out from n', () => {
    const table = resultTable(choice({ kirmizi: 6, mavi: 4 }, 10), words, true);
    expect(table.rows).toEqual([
      ['Kırmızı', SUPPRESSED, null],
      ['Mavi', SUPPRESSED, null],
      ['Diğer (belirtiniz)', 0, 0],
    ]);
    expect(table.stats[0]!.value).toBe(10);
    const open = resultTable(choice({ kirmizi: 6, mavi: 4 }, 10), words, false);
    expect(open.rows[1]).toEqual(['Mavi', 4, 40]);
  });

  it('show nothing but "<5" for a question fewer than five answered', () => {
    const table = resultTable(choice({ kirmizi: 3, mavi: 1 }, 4), words, true);
    expect(table.stats[0]!.value).toBe(SUPPRESSED);
    expect(table.rows.map((row) => row.slice(1))).toEqual([
      [SUPPRESSED, null],
      [SUPPRESSED, null],
      [0, null],
    ]);
  });

  it('hide a likert share resting on 1–4 people, its partner, and a satisfaction rate built on them', () => {
    const likert = summarize(
      question('memnuniyet', 'likert_matrix'),
      [
        { value: 5, count: 3 },
        { value: 4, count: 10 },
        { value: 3, count: 7 },
      ].map((p) => ({ questionId: 'memnuniyet', optionId: 'temizlik', value: p.value, rank: null, notApplicable: false, count: p.count })),
      20,
    );
    const row = resultTable(likert, words, true).rows[0]!;
    // n, 1..5 shares, Bilgim yok, mean, satisfaction rate.
    expect(row).toEqual(['Temizlik', 20, 0, 0, null, 50, null, 0, 3.8, null]);
  });

  it('hide the score and rank of a ranking item whose counts are hidden', () => {
    const ranking = summarize(
      question('oncelik', 'ranking'),
      [
        { optionId: 'temizlik', rank: 1, count: 3 },
        { optionId: 'temizlik', rank: 2, count: 4 },
        { optionId: 'parklar', rank: 1, count: 9 },
        { optionId: 'parklar', rank: 2, count: 8 },
      ].map((c) => ({ questionId: 'oncelik', value: null, notApplicable: false, ...c })),
      10,
    );
    const rows = resultTable(ranking, words, true).rows;
    expect(rows.find((r) => r[0] === 'Temizlik')).toEqual(['Temizlik', 7, 70, SUPPRESSED, null, null]);
    expect(rows.find((r) => r[0] === 'Parklar')).toEqual(['Parklar', 17, 170, 9, 26, 1]);
  });
});

describe('crossTabulate', () => {
  it('gives counts, row percentages and means per group, "Bilgim yok" apart, and a total row', () => {
    const count = (group: string, value: number | null, notApplicable: boolean, n: number): CrossCount => ({ group, optionId: 'temizlik', value, notApplicable, count: n });
    const counts = [count('merkez', 5, false, 6), count('merkez', 4, false, 2), count('merkez', null, true, 2), count('cami', 1, false, 5), count('cami', 3, false, 5)];
    const tab = crossTabulate(question('mahalle', 'select'), question('memnuniyet', 'likert_matrix'), counts, new Map([['merkez', 10], ['cami', 10]]));
    const merkez = tab.rows.find((r) => r.group === 'merkez')!;
    expect(merkez).toMatchObject({ n: 8, notApplicable: 2, mean: 4.75 });
    expect(merkez.cells.map((c) => [c.key, c.count, c.percent])).toEqual([
      ['1', 0, 0],
      ['2', 0, 0],
      ['3', 0, 0],
      ['4', 2, 25],
      ['5', 6, 75],
    ]);
    expect(tab.rows.find((r) => r.group === 'istasyon')).toMatchObject({ n: 0, mean: null });
    expect(tab).toMatchObject({ scale: true, partition: true, numeric: false });
    expect(tab.rows.at(-1)).toMatchObject({ group: 'total', n: 18, notApplicable: 2 });
    expect(tab.rows.at(-1)!.mean).toBeCloseTo((5 * 6 + 4 * 2 + 1 * 5 + 3 * 5) / 18, 10);

    const table = crossTable(tab, crossLabels(question('mahalle', 'select'), question('memnuniyet', 'likert_matrix'), words), words);
    const line = (label: string) => table.rows.find((r) => r[0] === label)!;
    // Merkez: "4" has 2 answers and "Bilgim yok" 2: both hidden, they protect each other.
    expect(line('Merkez')).toEqual(['Merkez', 8, 0, 0, 0, 0, 0, 0, SUPPRESSED, null, 6, 75, SUPPRESSED, 4.75]);
    // Cami has 5 + 5 and nothing small: shown in full.
    expect(line('Cami')).toEqual(['Cami', 10, 5, 50, 0, 0, 5, 50, 0, 0, 0, 0, 0, 2]);
    // Istasyon has nobody: nothing to hide, nothing to show.
    expect(line('İstasyon')).toEqual(['İstasyon', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, null]);
    // The total row would give Merkez's hidden counts away (total minus Cami): hidden there too.
    const total = line('Toplam');
    expect(total[1]).toBe(18);
    expect(total.slice(8, 10)).toEqual([SUPPRESSED, null]);
    expect(total[12]).toBe(SUPPRESSED);
  });
});

describe('unanswered ("Yanıtsız")', () => {
  it('is the counted responses that left a question blank; a conditional question’s count is over all of them, and says so', () => {
    expect(unanswered(survey, 'renk', 50, 40)).toEqual({ count: 10, overAll: false });
    expect(unanswered(survey, 'renk', 50, 50)).toEqual({ count: 0, overAll: false });
    expect(unanswered(survey, 'evcil_adi', 50, 12)).toEqual({ count: 38, overAll: true });
    // A question in a section shown under a condition is conditional too.
    expect(askedOfEveryone(survey, 'renk_nedeni')).toBe(false);
    expect(askedOfEveryone(survey, 'yas')).toBe(true);
    expect(askedOfEveryone(survey, 'metro_yorum')).toBe(false);
  });

  it('stands beside n in the table, shares staying over n; hidden when small in a breakdown', () => {
    const renk = question('renk', 'single_choice');
    const counts = [
      { questionId: 'renk', optionId: renk.options[0]!.id, value: null, rank: null, notApplicable: false, count: 30 },
      { questionId: 'renk', optionId: renk.options[1]!.id, value: null, rank: null, notApplicable: false, count: 10 },
    ];
    const table = withUnanswered(resultTable(summarize(renk, counts, 40), words, false), unanswered(survey, 'renk', 50, 40), words, false);
    expect(table.stats.slice(0, 2)).toEqual([
      { label: 'Yanıtlayan (n)', value: 40, type: 'count' },
      { label: 'Yanıtsız', value: 10, type: 'count' },
    ]);
    expect(table.rows[0]!.slice(1)).toEqual([30, 75]);
    expect(table.note).toBeUndefined();
    const small = withUnanswered(resultTable(summarize(renk, counts, 40), words, true), { count: 3, overAll: true }, words, true);
    expect(small.stats[1]).toEqual({ label: 'Yanıtsız', value: SUPPRESSED, type: 'count' });
    expect(small.note).toContain('Koşullu soru');
  });
});
