// Reading and checking a codebook file, without HTTP: headers, areas, GZFT kinds, and what an import does.
import ExcelJS from 'exceljs';
import { checkCodebook, codebookVocabulary, exportRows, keywordList, planImport, readCodebookFile, UnreadableFile } from '../../../server/analysis/coding/codebook-io';
import type { Theme } from '../../../server/analysis/coding';

const AREAS = [
  { id: 'temizlik_atik', name: { tr: 'Temizlik ve atık yönetimi', en: 'Cleaning and waste management' } },
  { id: 'yol_altyapi', name: { tr: 'Yol, kaldırım ve altyapı', en: 'Roads, pavements and infrastructure' } },
];
const LABELS: Record<string, Record<string, string>> = {
  tr: {
    'coding:codebook_io.columns.theme': 'Tema',
    'coding:codebook_io.columns.area_id': 'Faaliyet alanı kodu',
    'coding:codebook_io.columns.area': 'Faaliyet alanı',
    'coding:codebook_io.columns.swot_kind': 'GZFT türü',
    'coding:codebook_io.columns.keywords': 'Anahtar sözcükler',
    'coding:swot.strength': 'Güçlü yön',
    'coding:swot.weakness': 'Zayıf yön',
    'coding:swot.opportunity': 'Fırsat',
    'coding:swot.threat': 'Tehdit',
  },
  en: {
    'coding:codebook_io.columns.theme': 'Theme',
    'coding:codebook_io.columns.area_id': 'Activity area id',
    'coding:codebook_io.columns.area': 'Activity area',
    'coding:codebook_io.columns.swot_kind': 'SWOT kind',
    'coding:codebook_io.columns.keywords': 'Keywords',
    'coding:swot.strength': 'Strength',
    'coding:swot.weakness': 'Weakness',
    'coding:swot.opportunity': 'Opportunity',
    'coding:swot.threat': 'Threat',
  },
};
const vocabulary = codebookVocabulary((key, language) => LABELS[language]![key] ?? key, AREAS);
const theme = (id: number, name: string, rest: Partial<Theme> = {}): Theme => ({ id, surveySlug: 's', name, areaId: null, swotKind: null, keywords: [], rule: null, ...rest });

describe('checkCodebook', () => {
  it('reads Turkish headers in any order, areas by id or name and GZFT kinds by label or id', () => {
    const { rows, missingColumns } = checkCodebook(
      [
        ['Anahtar sözcükler', 'GZFT türü', 'Faaliyet alanı', 'Tema'],
        ['çöp, konteyner, ÇÖP', 'zayif yon', 'temizlik ve atik yonetimi', ' Çöp   toplama '],
        ['', 'opportunity', 'YOL, KALDIRIM VE ALTYAPI', 'Kaldırımlar'],
        ['', '', '', ''],
        ['', '', '', 'Sade tema'],
      ],
      vocabulary,
      [],
    );

    expect(missingColumns).toEqual([]);
    expect(rows).toEqual([
      { line: 2, name: 'Çöp toplama', problems: [], action: 'create', input: { name: 'Çöp toplama', areaId: 'temizlik_atik', swotKind: 'weakness', keywords: ['çöp', 'konteyner'], rule: null } },
      { line: 3, name: 'Kaldırımlar', problems: [], action: 'create', input: { name: 'Kaldırımlar', areaId: 'yol_altyapi', swotKind: 'opportunity', keywords: [], rule: null } },
      { line: 5, name: 'Sade tema', problems: [], action: 'create', input: { name: 'Sade tema', areaId: null, swotKind: null, keywords: [], rule: null } },
    ]);
  });

  it('takes the area id before the area name, and reads English headers', () => {
    const { rows } = checkCodebook([['Theme', 'Activity area id', 'Activity area', 'SWOT kind'], ['Waste', 'TEMIZLIK_ATIK', 'Something else', 'Threat']], vocabulary, []);
    expect(rows[0]!.input).toEqual({ name: 'Waste', areaId: 'temizlik_atik', swotKind: 'threat', keywords: [], rule: null });
  });

  it('lists each row’s problems and gives no input for those rows', () => {
    const { rows } = checkCodebook(
      [
        ['Tema', 'Faaliyet alanı kodu', 'Faaliyet alanı', 'GZFT türü', 'Anahtar sözcükler'],
        ['', '', '', '', 'çöp'],
        ['x'.repeat(121), '', '', '', ''],
        ['Parklar', 'uzay', '', '', ''],
        ['PARKLAR', '', '', '', ''],
        ['Yollar', '', 'Ay yüzeyi', 'risk', 'a'.repeat(501)],
      ],
      vocabulary,
      [],
    );
    expect(rows.map((row) => [row.line, row.problems, row.input])).toEqual([
      [2, [{ key: 'name_missing' }], undefined],
      [3, [{ key: 'name_too_long' }], undefined],
      [4, [{ key: 'area', value: 'uzay' }], undefined],
      [5, [{ key: 'duplicate', value: 'PARKLAR' }], undefined],
      [6, [{ key: 'area', value: 'Ay yüzeyi' }, { key: 'swot', value: 'risk' }, { key: 'keywords_too_long' }], undefined],
    ]);
  });

  it('says the theme column is missing when no header names it', () => {
    expect(checkCodebook([['Ad soyad?', 'GZFT'], ['x', 'Fırsat']], { ...vocabulary, headers: { ...vocabulary.headers, theme: ['Tema'] } }, []).missingColumns).toEqual(['theme']);
    expect(checkCodebook([], vocabulary, []).missingColumns).toEqual(['theme']);
  });

  it('takes off the apostrophe the CSV export puts before a formula-like text', () => {
    const { rows } = checkCodebook([['Tema', 'Anahtar sözcükler'], ["'=1+1", "'-ses"]], vocabulary, []);
    expect(rows[0]!.input).toEqual({ name: '=1+1', areaId: null, swotKind: null, keywords: ['-ses'], rule: null });
  });

  it('marks rows that update a same-named theme, or change nothing', () => {
    const existing = [theme(7, 'Çöp toplama', { areaId: 'temizlik_atik', keywords: ['çöp'] }), theme(8, 'İmar')];
    const { rows } = checkCodebook([['Tema', 'Faaliyet alanı kodu', 'Anahtar sözcükler'], ['çöp toplama', 'temizlik_atik', 'çöp'], ['Çöp toplama', 'temizlik_atik', 'çöp'], ['imar', '', ''], ['İMAR', '', '']], vocabulary, existing);
    // Only the exact spelling is unchanged; a new spelling of the name is an update (it renames).
    expect(rows.map((row) => row.action ?? row.problems[0]!.key)).toEqual(['update', 'duplicate', 'update', 'duplicate']);
  });

  it('keeps a same-named theme’s area, kind and keywords when the file lacks their columns, but clears them for empty cells', () => {
    const existing = [theme(7, 'Parklar', { areaId: 'temizlik_atik', swotKind: 'strength', keywords: ['park'] })];
    expect(checkCodebook([['Tema'], ['Parklar']], vocabulary, existing).rows[0]).toEqual(
      expect.objectContaining({ action: 'unchanged', input: { name: 'Parklar', areaId: 'temizlik_atik', swotKind: 'strength', keywords: ['park'], rule: null } }),
    );
    expect(checkCodebook([['Tema', 'Faaliyet alanı', 'GZFT türü', 'Anahtar sözcükler'], ['Parklar', '', '', '']], vocabulary, existing).rows[0]).toEqual(
      expect.objectContaining({ action: 'update', input: { name: 'Parklar', areaId: null, swotKind: null, keywords: [], rule: null } }),
    );
  });

  it('refuses more than 1000 rows on every row', () => {
    const cells = [['Tema'], ...Array.from({ length: 1001 }, (_, i) => [`Tema ${i}`])];
    const { rows } = checkCodebook(cells, vocabulary, []);
    expect(rows).toHaveLength(1000);
    expect(rows.every((row) => row.input === undefined && row.problems[0]!.key === 'too_many')).toBe(true);
  });
});

describe('planImport', () => {
  it('creates new names, updates same-named themes (Turkish folding) and leaves equal ones', () => {
    const existing = [theme(1, 'İmar ve Çevre', { swotKind: 'threat' }), theme(2, 'Parklar', { keywords: ['park'] })];
    expect(
      planImport(
        [
          { name: 'imar ve cevre', areaId: null, swotKind: 'threat', keywords: [], rule: null },
          { name: 'Parklar', areaId: null, swotKind: null, keywords: ['park'], rule: null },
          { name: 'Ulaşım', areaId: null, swotKind: null, keywords: [], rule: null },
        ],
        existing,
      ).map((step) => [step.action, step.themeId]),
    ).toEqual([
      ['update', 1],
      ['unchanged', 2],
      ['create', undefined],
    ]);
  });
});

describe('keywordList', () => {
  it('splits at commas, trims, drops empties and Turkish-folded repeats', () => {
    expect(keywordList(' çöp, konteyner,, ÇÖP ,cop,  çöp   kutusu ')).toEqual(['çöp', 'konteyner', 'çöp kutusu']);
  });
});

describe('exportRows', () => {
  it('writes name, area id and name, GZFT label and keywords', () => {
    const rows = exportRows([theme(1, 'Çöp', { areaId: 'temizlik_atik', swotKind: 'weakness', keywords: ['çöp', 'konteyner'] }), theme(2, 'Boş')], {
      area: (id) => `alan:${id}`,
      swot: (kind) => `gzft:${kind}`,
    });
    expect(rows).toEqual([
      ['Çöp', 'temizlik_atik', 'alan:temizlik_atik', 'gzft:weakness', 'çöp, konteyner', ''],
      ['Boş', '', '', '', '', ''],
    ]);
  });
});

describe('readCodebookFile', () => {
  it('finds the delimiter from the header and reads UTF-8 with a BOM', async () => {
    const csv = Buffer.from('\uFEFFTema;Anahtar sözcükler\r\n"Yol, kaldırım";"yol, asfalt"\r\n', 'utf8');
    expect(await readCodebookFile(csv, vocabulary)).toEqual([
      ['Tema', 'Anahtar sözcükler'],
      ['Yol, kaldırım', 'yol, asfalt'],
    ]);
  });

  it('reads Windows-1254 text as Turkish Excel saves it', async () => {
    // "Tema,Şık" in Windows-1254: Ş is 0xDE, ı is 0xFD.
    const bytes = Buffer.from([0x54, 0x65, 0x6d, 0x61, 0x0d, 0x0a, 0xde, 0xfd, 0x6b, 0x0d, 0x0a]);
    expect(await readCodebookFile(bytes, vocabulary)).toEqual([['Tema'], ['Şık']]);
  });

  it('reads the first sheet of an XLSX', async () => {
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('Kod defteri');
    sheet.addRow(['Tema', 'GZFT türü']);
    sheet.addRow(['Parklar', 'Fırsat']);
    const content = Buffer.from(await book.xlsx.writeBuffer());
    expect(await readCodebookFile(content, vocabulary)).toEqual([
      ['Tema', 'GZFT türü'],
      ['Parklar', 'Fırsat'],
    ]);
  });

  it('refuses a broken XLSX and a binary file as unreadable', async () => {
    await expect(readCodebookFile(Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]), vocabulary)).rejects.toBeInstanceOf(UnreadableFile);
    await expect(readCodebookFile(Buffer.from([0x00, 0x01, 0x02, 0x00]), vocabulary)).rejects.toBeInstanceOf(UnreadableFile);
  });
});

describe('the search rule column', () => {
  it('is exported, read back, kept when absent from the file, and refused when it does not parse', () => {
    const withRule = theme(1, 'Çöp', { keywords: ['çöp'], rule: 'çöp -park' });
    const [row] = exportRows([withRule], { area: (id) => id, swot: (kind) => kind });
    expect(row!.at(-1)).toBe('çöp -park');
    const header = ['Tema', 'Anahtar sözcükler', 'Arama kuralı'];
    const read = checkCodebook([header, ['Çöp', 'çöp', '"toplu taşıma" otobüs*'], ['Parklar', '', '"kapanmamış']], vocabulary, []);
    expect(read.rows[0]!.input).toMatchObject({ name: 'Çöp', rule: '"toplu taşıma" otobüs*' });
    expect(read.rows[1]!.problems).toEqual([{ key: 'rule', value: '"kapanmamış' }]);
    // A file without the column leaves a same-named theme's rule as it is; an equal rule is no change.
    const keep = checkCodebook([['Tema', 'Anahtar sözcükler'], ['Çöp', 'çöp']], vocabulary, [withRule]);
    expect(keep.rows[0]).toMatchObject({ action: 'unchanged', input: { rule: 'çöp -park' } });
  });
});
