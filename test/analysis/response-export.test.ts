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

describe('a banded number and "Diğer" on a drop-down and a ranking', () => {
  const columns = exportColumns(survey, words);
  const [labels] = exportHeader(columns);
  const ids = columns.questions.map((c) => c.id);
  const value = (question_id: string, value: number): AnswerRow => ({ ...row(question_id, null), value });
  const ranked = (option_id: string, rank: number, text: string | null = null): AnswerRow => ({ ...row('hizmet_sirasi', option_id, text), rank });
  const cellsOf = (answers: AnswerRow[]) => {
    const cells = exportRow(columns, { id: 1, submittedAt: '2026-06-10T07:00:00.000Z', channel: 'online', language: 'tr', answers });
    return (label: string) => cells[labels!.indexOf(label)];
  };

  it('gives the band its own column after the value, and the texts their <question>.other_text columns', () => {
    expect(ids.slice(ids.indexOf('yas_grubu'), ids.indexOf('yas_grubu') + 2)).toEqual(['yas_grubu', 'yas_grubu.band']);
    expect(ids.filter((id) => id.startsWith('calisma_yeri'))).toEqual(['calisma_yeri', 'calisma_yeri.other_text']);
    expect(ids.filter((id) => id.startsWith('hizmet_sirasi'))).toEqual([
      'hizmet_sirasi.park', 'hizmet_sirasi.kutuphane', 'hizmet_sirasi.spor', 'hizmet_sirasi.other', 'hizmet_sirasi.other_text',
    ]);
  });

  it('fills them: the band worked out from the value, "outside_bands" for none, the ranks and the texts', () => {
    const cell = cellsOf([value('yas_grubu', 33), row('calisma_yeri', 'other', 'Kooperatif'), ranked('other', 1, 'Pazar yeri'), ranked('spor', 2)]);
    expect([cell('Kaç yaşındasınız?'), cell('Kaç yaşındasınız? – Aralık')]).toEqual([33, 'y30_49']);
    expect([cell('Nerede çalışıyorsunuz?'), cell('Nerede çalışıyorsunuz? – Diğer (açıklama)')]).toEqual(['other', 'Kooperatif']);
    expect(cell('En çok kullandığınız iki hizmet – Diğer')).toBe(1);
    expect(cell('En çok kullandığınız iki hizmet – Spor tesisleri')).toBe(2);
    expect(cell('En çok kullandığınız iki hizmet – Diğer (açıklama)')).toBe('Pazar yeri');
    expect(cellsOf([value('yas_grubu', 12)])('Kaç yaşındasınız? – Aralık')).toBe('outside_bands');
    expect(cellsOf([])('Kaç yaşındasınız? – Aralık')).toBeNull();
  });

  it('describes the band codes in the codebook', () => {
    expect(codebookRows(columns, survey).find((r) => r[0] === 'yas_grubu.band')).toEqual([
      'yas_grubu.band', 'yas_grubu', 'Kaç yaşındasınız? – Aralık', 'number',
      'y18_29 = 18–29; y30_49 = 30–49; y50 = 50 ve üzeri; outside_bands = Aralıkların dışında',
    ]);
  });
});
