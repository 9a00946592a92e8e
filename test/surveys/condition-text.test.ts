// What a section page says and hands the page script about a condition combined with all/any:
// one sentence (pages work without JavaScript), and for the script the condition with the
// comparisons on earlier pages already decided (it sees only this page's answers).
import { createI18n } from '../../server/platform/i18n/i18n';
import { loadCatalog } from '../../server/surveys/survey-catalog';
import type { Condition, Question, Survey } from '../../server/surveys/survey-definition';
import { evaluate } from '../../server/surveys/survey-flow';
import { buildSectionPage } from '../../server/surveys/survey-page';
import type { FormFields } from '../../server/surveys/survey-answers';
import { FIXTURE_SURVEYS } from '../helpers/test-app';

const fixture = loadCatalog(FIXTURE_SURVEYS).find('tum-soru-tipleri')!;
const { translators } = createI18n();

function withCondition(id: string, showWhen: Condition): Survey {
  return {
    ...fixture,
    sections: fixture.sections.map((section) => ({
      ...section,
      questions: section.questions.map((q) => (q.id === id ? ({ ...q, showWhen } as Question) : q)),
    })),
  };
}

function viewOf(survey: Survey, sectionIndex: number, id: string, values: FormFields = {}, language: 'tr' | 'en' = 'tr') {
  const built = buildSectionPage({
    survey,
    sectionIndex,
    evaluation: evaluate(survey, values),
    values,
    errors: [],
    language,
    t: translators[language],
    formatDate: (isoDate) => isoDate,
  });
  return built.questions.find((view) => view.question.id === id);
}

const nested: Condition = {
  all: [{ question: 'evcil', equals: 'evet' }, { any: [{ question: 'renk', equals: 'kirmizi' }, { question: 'ulasim', includes: 'metro' }] }],
};

describe('a combined condition on the same page', () => {
  it('reads as one sentence, nested parts in parentheses, in both languages', () => {
    const survey = withCondition('evcil_adi', nested);
    expect(viewOf(survey, 0, 'evcil_adi')!.condition).toBe(
      'Yalnızca “Evcil hayvanınız var mı?” sorusuna “Evet” yanıtını verdiyseniz ve (“En sevdiğiniz renk” sorusuna “Kırmızı” yanıtını verdiyseniz ya da “Ulaşım araçlarınız” sorusunda “Metro” seçeneğini işaretlediyseniz) yanıtlayın.',
    );
    expect(viewOf(survey, 0, 'evcil_adi', {}, 'en')!.condition).toBe(
      'Answer only if you answered “Yes” to “Do you have a pet?” and (you answered “Red” to “Your favourite colour” or you ticked “Metro” in “How you travel”).',
    );
    expect(JSON.parse(viewOf(survey, 0, 'evcil_adi')!.showWhen!)).toEqual(nested);
  });

  it('reads a combination of one comparison as that comparison', () => {
    const sentence = 'Yalnızca “Evcil hayvanınız var mı?” sorusuna “Evet” yanıtını verdiyseniz yanıtlayın.';
    expect(viewOf(withCondition('evcil_adi', { all: [{ any: [{ question: 'evcil', equals: 'evet' }] }] }), 0, 'evcil_adi')!.condition).toBe(sentence);
    expect(viewOf(fixture, 0, 'evcil_adi')!.condition).toBe(sentence);
  });
});

describe('a condition mixing this page and earlier pages', () => {
  // Section 3 (kosullu) holds renk_nedeni, which depends on renk (section 0); a choice question is
  // added there so that the condition of the next one reads both pages.
  const mixed: Condition = { any: [{ question: 'renk', equals: 'mavi' }, { question: 'burada', equals: 'evet' }] };
  const survey: Survey = {
    ...fixture,
    sections: fixture.sections.map((section, index) =>
      index !== 3
        ? section
        : {
            ...section,
            questions: [
              ...section.questions,
              { kind: 'single_choice', id: 'burada', text: { tr: 'Burada mı?' }, required: false, other: false, options: [{ id: 'evet', label: { tr: 'Evet' } }, { id: 'hayir', label: { tr: 'Hayır' } }] },
              { kind: 'short_text', id: 'karisik', text: { tr: 'Karışık' }, required: false, maxLength: 200, showWhen: mixed },
            ] as Question[],
          },
    ),
  };

  it("hands the script the earlier page's comparison decided, and this page's as it is", () => {
    const blue = viewOf(survey, 3, 'karisik', { renk: 'mavi' })!;
    expect(JSON.parse(blue.showWhen!)).toEqual({ any: [{ holds: true }, { question: 'burada', equals: 'evet' }] });
    const red = viewOf(survey, 3, 'karisik', { renk: 'kirmizi' })!;
    expect(JSON.parse(red.showWhen!)).toEqual({ any: [{ holds: false }, { question: 'burada', equals: 'evet' }] });
    expect(red.condition).toContain('“Burada mı?” sorusuna “Evet” yanıtını verdiyseniz');
  });
});
