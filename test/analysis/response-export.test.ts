// The raw responses' columns, built without HTTP: what each column is called and holds.
import { codebookRows, exportColumns, exportHeader, exportRow, type ExportWords } from '../../server/analysis/response-export';
import { loadCatalog } from '../../server/surveys/survey-catalog';
import type { AnswerRow } from '../../server/surveys/survey-answers';
import { FIXTURE_SURVEYS } from '../helpers/test-app';

const survey = loadCatalog(FIXTURE_SURVEYS).find('tum-soru-tipleri')!;
const words: ExportWords = {
  text: (value) => value.tr,
  fixed: { id: 'Yanıt no', submittedAt: 'Gönderilme zamanı', channel: 'Kanal', language: 'Dil' },
  chosen: '1 = seçildi',
  rank: 'sıra',
  notApplicable: 'Bilgim yok',
  other: 'Diğer',
  otherText: 'Diğer (açıklama)',
  otherTextCodes: '“Diğer” seçildiğinde yazılan metin',
  band: 'Aralık',
  outsideBands: 'Aralıkların dışında',
};
const row = (question_id: string, option_id: string | null, text: string | null = null): AnswerRow => ({
  question_id,
  option_id,
  value: null,
  text,
  rank: null,
  not_applicable: 0,
});

describe('exportColumns', () => {
  const columns = exportColumns(survey, words);
  const column = (id: string) => columns.questions.find((c) => c.id === id);

  describe('for "Diğer (belirtiniz)"', () => {
    it('gives the tick and the text their own ids and labels, for multiple and single choice', () => {
      expect([column('ulasim.other')?.label, column('ulasim.other_text')?.label]).toEqual([
        'Ulaşım araçlarınız – Diğer',
        'Ulaşım araçlarınız – Diğer (açıklama)',
      ]);
      expect(column('renk.other')).toBeUndefined();
      expect(column('renk.other_text')?.label).toBe('En sevdiğiniz renk – Diğer (açıklama)');
      const ids = [...columns.fixed, ...columns.questions].map((c) => c.id);
      expect(new Set(ids).size).toBe(ids.length);
    });

    it('puts the tick and the text in their own cells', () => {
      const cells = exportRow(columns, {
        id: 7,
        submittedAt: '2026-06-10T07:00:00.000Z',
        channel: 'online',
        language: 'tr',
        answers: [row('renk', 'other', 'Yeşil'), row('ulasim', 'metro'), row('ulasim', 'other', 'Vapur')],
      });
      const [labels] = exportHeader(columns);
      const cell = (label: string) => cells[labels!.indexOf(label)];
      expect(cell('En sevdiğiniz renk')).toBe('other');
      expect(cell('En sevdiğiniz renk – Diğer (açıklama)')).toBe('Yeşil');
      expect(cell('Ulaşım araçlarınız – Diğer')).toBe(1);
      expect(cell('Ulaşım araçlarınız – Diğer (açıklama)')).toBe('Vapur');
      expect(cell('Ulaşım araçlarınız – Otobüs')).toBe(0);
    });

    it('describes both in the codebook', () => {
      const codebook = codebookRows(columns, survey);
      expect(codebook.find((r) => r[0] === 'ulasim.other')).toEqual(['ulasim.other', 'ulasim', 'Ulaşım araçlarınız – Diğer', 'multiple_choice', '1 = seçildi']);
      expect(codebook.find((r) => r[0] === 'ulasim.other_text')).toEqual([
        'ulasim.other_text', 'ulasim', 'Ulaşım araçlarınız – Diğer (açıklama)', 'multiple_choice', '“Diğer” seçildiğinde yazılan metin',
      ]);
      expect(codebook.find((r) => r[0] === 'renk.other_text')?.[4]).toBe('“Diğer” seçildiğinde yazılan metin');
    });
  });
});

describe('exportHeader', () => {
  it('is one row of labels in the reader\'s language; the ids are in the codebook', () => {
    const columns = exportColumns(survey, words);
    const header = exportHeader(columns);
    expect(header).toHaveLength(1);
    expect(header[0]!.slice(0, 5)).toEqual(['Yanıt no', 'Gönderilme zamanı', 'Kanal', 'Dil', 'En sevdiğiniz renk']);
    expect(codebookRows(columns, survey).map((r) => r[2])).toEqual(header[0]);
  });
});
