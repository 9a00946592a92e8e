// What a section page says, built without HTTP from the fixture survey with its texts changed.
import { createI18n } from '../../server/platform/i18n/i18n';
import { loadCatalog } from '../../server/surveys/survey-catalog';
import type { Question, Survey } from '../../server/surveys/survey-definition';
import { evaluate, type QuestionError } from '../../server/surveys/survey-flow';
import { buildSectionPage } from '../../server/surveys/survey-page';
import { FIXTURE_SURVEYS } from '../helpers/test-app';

const fixture = loadCatalog(FIXTURE_SURVEYS).find('tum-soru-tipleri')!;
const { translators } = createI18n();

/** The fixture with some questions changed (by id). */
function withQuestions(changes: Record<string, Partial<Question>>): Survey {
  return {
    ...fixture,
    sections: fixture.sections.map((section) => ({
      ...section,
      questions: section.questions.map((q) => (changes[q.id] ? ({ ...q, ...changes[q.id] } as Question) : q)),
    })),
  };
}

function page(survey: Survey, sectionIndex: number, errors: QuestionError[], language: 'tr' | 'en' = 'tr') {
  return buildSectionPage({
    survey,
    sectionIndex,
    evaluation: evaluate(survey, {}),
    values: {},
    errors,
    language,
    t: translators[language],
    formatDate: (isoDate) => isoDate,
  });
}

describe('buildSectionPage', () => {
  describe('the error summary, which reads "question: message"', () => {
    it.each([
      ['Yaşı:', 'Yaşı'],
      ['Lütfen yaşınızı yazınız.', 'Lütfen yaşınızı yazınız'],
      ['Kaç yaşındasınız?', 'Kaç yaşındasınız'],
      ['Yaşınız …', 'Yaşınız'],
      ['Yaşınız', 'Yaşınız'],
    ])('leads with %j as %j, so no punctuation doubles', (text, label) => {
      const survey = withQuestions({ yas: { text: { tr: text } } });
      const built = page(survey, 2, [{ questionId: 'yas', code: 'too_large', field: 'yas', params: { max: 110 } }]);
      expect(built.errors).toEqual([{ questionId: 'yas', label, message: 'Değer en fazla 110 olabilir.', href: '#f-yas' }]);
    });
  });

  describe('the hint of a number question', () => {
    const hint = (min: number | undefined, max: number | undefined, language: 'tr' | 'en' = 'tr') =>
      page(withQuestions({ yas: { min, max } as Partial<Question> }), 2, [], language).questions.find((view) => view.question.id === 'yas')!.rangeHint;

    it('names both ends when there are two', () => {
      expect(hint(18, 110)).toBe('İzin verilen aralık: 18 – 110');
      expect(hint(18, 110, 'en')).toBe('Allowed range: 18 – 110');
    });
    it('says "at least" or "at most" when there is one end only, never a dangling dash', () => {
      expect(hint(0, undefined)).toBe('İzin verilen değer: en az 0');
      expect(hint(undefined, 110)).toBe('İzin verilen değer: en fazla 110');
      expect(hint(0, undefined, 'en')).toBe('Allowed value: at least 0');
      expect(hint(undefined, 110, 'en')).toBe('Allowed value: at most 110');
    });
    it('is absent without ends, and writes decimals the reader\'s way', () => {
      expect(hint(undefined, undefined)).toBeUndefined();
      expect(hint(0.5, 2.5)).toBe('İzin verilen aralık: 0,5 – 2,5');
      expect(hint(0.5, 2.5, 'en')).toBe('Allowed range: 0.5 – 2.5');
    });
  });
});
