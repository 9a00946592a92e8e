import { loadCatalog } from '../../server/surveys/survey-catalog';
import {
  conditionHolds,
  evaluate,
  firstIncompleteSection,
  questionsToRender,
  surveyStatus,
  visibleSections,
} from '../../server/surveys/survey-flow';
import { FIXTURE_SURVEYS } from '../helpers/test-app';

const survey = loadCatalog(FIXTURE_SURVEYS).find('tum-soru-tipleri')!;

const completeFirstSection = { renk: 'mavi', ulasim: 'otobus', mahalle: 'merkez', evcil: 'hayir' };
const completeScales = {
  'memnuniyet.temizlik': '4',
  'memnuniyet.parklar': 'na',
  'memnuniyet.yollar': '2',
  puan: '7',
  'oncelik.1': 'yollar',
  'oncelik.2': 'parklar',
};

describe('conditionHolds', () => {
  const choice = { kind: 'single_choice' as const, optionId: 'evet' };
  const multi = { kind: 'multiple_choice' as const, optionIds: ['metro', 'otobus'] };

  it('compares equals, notEquals, includes and anyOf against the answer', () => {
    expect(conditionHolds({ question: 'q', equals: 'evet' }, choice)).toBe(true);
    expect(conditionHolds({ question: 'q', equals: 'hayir' }, choice)).toBe(false);
    expect(conditionHolds({ question: 'q', notEquals: 'hayir' }, choice)).toBe(true);
    expect(conditionHolds({ question: 'q', notEquals: 'evet' }, choice)).toBe(false);
    expect(conditionHolds({ question: 'q', includes: 'metro' }, multi)).toBe(true);
    expect(conditionHolds({ question: 'q', includes: 'bisiklet' }, multi)).toBe(false);
    expect(conditionHolds({ question: 'q', anyOf: ['hayir', 'evet'] }, choice)).toBe(true);
    expect(conditionHolds({ question: 'q', anyOf: ['hayir'] }, choice)).toBe(false);
  });

  it('never holds on an unanswered question, whatever the operator', () => {
    expect(conditionHolds({ question: 'q', notEquals: 'evet' }, undefined)).toBe(false);
    expect(conditionHolds({ question: 'q', equals: 'evet' }, undefined)).toBe(false);
  });
});

describe('evaluate', () => {
  describe('when a condition on the same page does not hold', () => {
    it('hides the question, so it is not required and its posted value is ignored', () => {
      const evaluation = evaluate(survey, { ...completeFirstSection, evcil_adi: 'Pamuk' });
      expect(evaluation.visible.has('evcil_adi')).toBe(false);
      expect(evaluation.answers.has('evcil_adi')).toBe(false);
      expect(evaluation.errors.get(0)).toBeUndefined();
    });
  });

  describe('when a condition on the same page holds', () => {
    it('requires the dependent question', () => {
      const evaluation = evaluate(survey, { ...completeFirstSection, evcil: 'evet' });
      expect(evaluation.errors.get(0)).toEqual([{ questionId: 'evcil_adi', code: 'required', field: 'evcil_adi' }]);
    });
  });

  it('requires a question whose condition on an earlier page holds', () => {
    const evaluation = evaluate(survey, { ...completeFirstSection, ulasim: ['metro'], ...completeScales, yas: '40' });
    expect(evaluation.visible.has('metro_yorum')).toBe(true);
    expect(evaluation.errors.get(2)).toEqual([{ questionId: 'metro_yorum', code: 'required', field: 'metro_yorum' }]);
  });

  it('skips a section whose questions are all hidden, and counts progress without it', () => {
    const blue = evaluate(survey, completeFirstSection);
    expect(visibleSections(survey, blue)).toEqual([0, 1, 2]);
    const red = evaluate(survey, { ...completeFirstSection, renk: 'kirmizi' });
    expect(visibleSections(survey, red)).toEqual([0, 1, 2, 3]);
  });

  it('treats an invalid controlling answer as unanswered', () => {
    const evaluation = evaluate(survey, { ...completeFirstSection, evcil: 'belki' });
    expect(evaluation.visible.has('evcil_adi')).toBe(false);
    expect(evaluation.errors.get(0)?.map((e) => e.code)).toEqual(['invalid_option']);
  });
});

describe('firstIncompleteSection', () => {
  it('is the first visible section with a missing required answer, and undefined when all are done', () => {
    expect(firstIncompleteSection(survey, evaluate(survey, {}))).toBe(0);
    expect(firstIncompleteSection(survey, evaluate(survey, completeFirstSection))).toBe(1);
    expect(firstIncompleteSection(survey, evaluate(survey, { ...completeFirstSection, ...completeScales, yas: '40' }))).toBe(
      undefined,
    );
  });
});

describe('questionsToRender', () => {
  it('shows a question that depends on the same page even before it is answered', () => {
    const ids = questionsToRender(survey, 0, evaluate(survey, {})).map((q) => q.id);
    expect(ids).toEqual(['renk', 'ulasim', 'mahalle', 'evcil', 'evcil_adi']);
  });
  it('leaves out a question whose condition on an earlier page does not hold', () => {
    const ids = questionsToRender(survey, 2, evaluate(survey, completeFirstSection)).map((q) => q.id);
    expect(ids).toEqual(['gorus', 'yas', 'tutar', 'tarih']);
  });
});

describe('surveyStatus', () => {
  it('is scheduled before opensAt, open until closesAt, closed from then on', () => {
    expect(surveyStatus(survey, new Date('2025-12-31T20:59:59Z'))).toBe('scheduled');
    expect(surveyStatus(survey, new Date('2025-12-31T21:00:00Z'))).toBe('open');
    expect(surveyStatus(survey, new Date('2026-12-31T20:58:59Z'))).toBe('open');
    expect(surveyStatus(survey, new Date('2026-12-31T20:59:00Z'))).toBe('closed');
  });
});
