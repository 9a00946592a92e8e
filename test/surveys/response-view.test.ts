// A stored response in words, as the back office, the receipt page and the receipt e-mail show it.
import { describeResponse } from '../../server/surveys/response-view';
import { loadCatalog } from '../../server/surveys/survey-catalog';
import type { AnswerRow } from '../../server/surveys/survey-answers';
import { BUNDLED_SURVEYS } from '../helpers/test-app';

const survey = loadCatalog(BUNDLED_SURVEYS).find('vatandas-anketi')!;
const row = (question_id: string, option_id: string, value: number | null, text: string | null = null): AnswerRow => ({
  question_id,
  option_id,
  value,
  text,
  rank: null,
  not_applicable: 0,
});

describe('describeResponse', () => {
  it('joins a statement and its answer without doubled punctuation, and keeps "Diğer" with its text', () => {
    const lines = describeResponse(
      survey,
      [row('ilce_degerlendirmesi', 'yasamaktan_memnunum', 4), row('iletisim_kanallari', 'other', null, 'WhatsApp hattı')],
      (value) => value.tr,
      { other: 'Diğer', notApplicable: 'Bilgim yok', formatDate: (date) => date },
    );
    expect(lines.map((line) => line.answer)).toEqual([['Diğer: WhatsApp hattı'], ['İlçemizde yaşamaktan memnunum: 4 – Katılıyorum']]);
  });

  it('shows a clerk’s "Diğer" tick with no words as plain "Diğer"', () => {
    const lines = describeResponse(survey, [row('iletisim_kanallari', 'other', null)], (value) => value.tr, {
      other: 'Diğer',
      notApplicable: 'Bilgim yok',
      formatDate: (date) => date,
    });
    expect(lines.map((line) => line.answer)).toEqual([['Diğer']]);
  });
});
