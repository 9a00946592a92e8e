// Who must answer a required question: people answering online, not a clerk copying a paper or
// face-to-face questionnaire, who keeps a blank as a blank; invalid values are refused for both.
import { channelRequiresAnswers, surveyForChannel } from '../../server/surveys/answer-requirement';
import { RESPONSE_CHANNELS } from '../../server/surveys/response.table';
import { loadCatalog } from '../../server/surveys/survey-catalog';
import { allQuestions, type Question } from '../../server/surveys/survey-definition';
import { evaluate } from '../../server/surveys/survey-flow';
import { BUNDLED_SURVEYS } from '../helpers/test-app';

const survey = loadCatalog(BUNDLED_SURVEYS).find('vatandas-anketi')!;
const profile = { yas_grubu: 'yas_25_34', egitim: 'lise', mahalle: 'ataturk', ikamet_suresi: 'yil_6_10' };

describe('channelRequiresAnswers', () => {
  it('asks answers of online respondents only', () => {
    expect(Object.fromEntries(RESPONSE_CHANNELS.map((channel) => [channel, channelRequiresAnswers(channel)]))).toEqual({
      online: true,
      paper: false,
      face_to_face: false,
    });
  });
});

describe('surveyForChannel', () => {
  it('leaves the survey untouched online', () => {
    expect(surveyForChannel(survey, 'online')).toBe(survey);
  });

  it.each(['paper', 'face_to_face'] as const)('makes every question optional for %s entry, keeping ids, options and hash', (channel) => {
    const entered = surveyForChannel(survey, channel);
    expect(allQuestions(survey).some((q) => q.required)).toBe(true);
    expect(allQuestions(entered).filter((q) => q.required)).toEqual([]);
    expect(entered.hash).toBe(survey.hash);
    const asDefined = (q: Question) => ({ ...q, required: true, ...(q.kind === 'ranking' ? { minRanked: 0 } : {}) });
    expect(allQuestions(entered).map(asDefined)).toEqual(allQuestions(survey).map(asDefined));
    // The definition itself is not changed.
    expect(allQuestions(survey).find((q) => q.id === 'cinsiyet')!.required).toBe(true);
  });

  describe('when "Cinsiyetiniz" is left blank', () => {
    const fields = { ...profile };
    it('is "Bu soruyu yanıtlayın" online', () => {
      const errors = evaluate(surveyForChannel(survey, 'online'), fields).errors.get(0) ?? [];
      expect(errors).toEqual([{ questionId: 'cinsiyet', code: 'required', field: 'cinsiyet' }]);
    });
    it('is no answer on paper: no error, nothing stored for it', () => {
      const evaluation = evaluate(surveyForChannel(survey, 'paper'), fields);
      expect(evaluation.errors.get(0)).toBeUndefined();
      expect(evaluation.answers.has('cinsiyet')).toBe(false);
      expect(evaluation.answers.get('yas_grubu')).toEqual({ kind: 'single_choice', optionId: 'yas_25_34' });
    });
  });

  it('keeps a paper matrix with blank rows as the rows answered, where online every row is asked', () => {
    const matrix = allQuestions(survey).find((q) => q.id === 'hizmet_memnuniyeti')!;
    if (matrix.kind !== 'likert_matrix') throw new Error('matrix expected');
    const [first, second] = matrix.rows;
    const fields = { ...profile, cinsiyet: 'kadin', [`hizmet_memnuniyeti.${first!.id}`]: '4' };
    expect(evaluate(surveyForChannel(survey, 'online'), fields).errors.get(1)).toEqual([
      { questionId: 'hizmet_memnuniyeti', code: 'rows_required', field: `hizmet_memnuniyeti.${second!.id}` },
    ]);
    const paper = evaluate(surveyForChannel(survey, 'paper'), fields);
    expect(paper.errors.get(1)).toBeUndefined();
    expect(paper.answers.get('hizmet_memnuniyeti')).toEqual({ kind: 'likert_matrix', rows: { [first!.id]: 4 } });
  });

  it('takes a ranking with fewer places filled on paper, where online every place is asked', () => {
    const ranking = allQuestions(survey).find((q) => q.id === 'oncelikli_alanlar')!;
    if (ranking.kind !== 'ranking') throw new Error('ranking expected');
    const fields = { 'oncelikli_alanlar.1': ranking.items[2]!.id };
    expect(evaluate(surveyForChannel(survey, 'online'), fields).errors.get(2)).toEqual([
      { questionId: 'oncelikli_alanlar', code: 'too_few_ranks', field: 'oncelikli_alanlar.2', params: { min: ranking.rankCount } },
    ]);
    const paper = evaluate(surveyForChannel(survey, 'paper'), fields);
    expect(paper.errors.get(2)).toBeUndefined();
    expect(paper.answers.get('oncelikli_alanlar')).toEqual({ kind: 'ranking', itemIds: [ranking.items[2]!.id] });
    // A gap or the same item twice is still no answer.
    expect(evaluate(surveyForChannel(survey, 'paper'), { 'oncelikli_alanlar.2': ranking.items[0]!.id }).errors.get(2)?.[0]?.code).toBe('missing_rank');
  });

  it('drops a minimum of ticks on paper but keeps the maximum', () => {
    const question = { ...allQuestions(survey).find((q) => q.id === 'iletisim_kanallari')! } as Question;
    if (question.kind !== 'multiple_choice') throw new Error('multiple choice expected');
    const withMinimum: typeof survey = { ...survey, sections: [{ ...survey.sections[3]!, questions: [{ ...question, minSelections: 2, maxSelections: 3 }] }] };
    const one = { iletisim_kanallari: question.options[0]!.id };
    const four = { iletisim_kanallari: question.options.slice(0, 4).map((o) => o.id) };
    expect(evaluate(surveyForChannel(withMinimum, 'online'), one).errors.get(0)?.[0]?.code).toBe('too_few_choices');
    expect(evaluate(surveyForChannel(withMinimum, 'paper'), one).errors.get(0)).toBeUndefined();
    expect(evaluate(surveyForChannel(withMinimum, 'paper'), four).errors.get(0)?.[0]?.code).toBe('too_many_choices');
  });

  it('still refuses an unknown option or a value out of range on paper', () => {
    const paper = surveyForChannel(survey, 'paper');
    expect(evaluate(paper, { ...profile, cinsiyet: 'zzz' }).errors.get(0)).toEqual([{ questionId: 'cinsiyet', code: 'invalid_option', field: 'cinsiyet' }]);
    expect(evaluate(paper, { genel_memnuniyet: '11' }).errors.get(1)).toEqual([
      { questionId: 'genel_memnuniyet', code: 'invalid_option', field: 'genel_memnuniyet' },
    ]);
  });
});
