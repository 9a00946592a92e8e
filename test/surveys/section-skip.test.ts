// Conditions combined with all/any, sections shown only when a condition holds, and sections left
// with nothing to ask (every question hidden, or answered beforehand from the register): the flow
// skips them going forward and back, counts progress without them, and does not ask their questions.
import type { Answer } from '../../server/surveys/survey-answers';
import type { Question, Survey } from '../../server/surveys/survey-definition';
import {
  conditionHolds,
  evaluate,
  planSectionPost,
  questionsToRender,
  resumeSection,
  sectionToShow,
  visibleSections,
} from '../../server/surveys/survey-flow';

const choice = (id: string, options: string[], extra: Partial<Question> = {}): Question =>
  ({ kind: 'single_choice', id, text: { tr: id }, required: true, other: false, options: options.map((o) => ({ id: o, label: { tr: o } })), ...extra }) as Question;
const text = (id: string, extra: Partial<Question> = {}): Question =>
  ({ kind: 'short_text', id, text: { tr: id }, required: true, maxLength: 200, ...extra }) as Question;

/**
 * 0 giris: tur (institution type), ulke
 * 1 sadece_tur: tur_aciklama, shown only when ulke=tr and (tur=kamu or tur=stk)
 * 2 kamu: shown when tur=kamu (section condition)
 * 3 son: always
 */
const survey: Survey = {
  slug: 'atlama',
  title: { tr: 'Atlama' },
  intro: { tr: 'Giriş' },
  audience: 'institution',
  opensAt: '2026-01-01T00:00:00+03:00',
  closesAt: '2026-12-31T00:00:00+03:00',
  anonymous: true,
  oneResponsePerBrowser: true,
  hash: 'x'.repeat(64),
  sections: [
    { id: 'giris', title: { tr: 'Giriş' }, questions: [choice('tur', ['kamu', 'stk', 'diger']), choice('ulke', ['tr', 'yabanci'])] },
    {
      id: 'kosullu_soru',
      title: { tr: 'Koşullu soru' },
      questions: [
        text('tur_aciklama', {
          showWhen: { all: [{ question: 'ulke', equals: 'tr' }, { any: [{ question: 'tur', equals: 'kamu' }, { question: 'tur', equals: 'stk' }] }] },
        }),
      ],
    },
    { id: 'kamu', title: { tr: 'Kamu' }, showWhen: { question: 'tur', equals: 'kamu' }, questions: [text('kamu_birim')] },
    { id: 'son', title: { tr: 'Son' }, questions: [text('son_soz')] },
  ],
};

describe('conditionHolds with all and any', () => {
  const answers = (entries: Record<string, string | string[]>) =>
    new Map<string, Answer>(
      Object.entries(entries).map(([id, value]) => [
        id,
        Array.isArray(value) ? { kind: 'multiple_choice', optionIds: value } : { kind: 'single_choice', optionId: value },
      ]),
    );
  const condition = {
    any: [
      { all: [{ question: 'a', equals: 'x' }, { question: 'm', includes: 'k' }] },
      { all: [{ question: 'b', notEquals: 'y' }, { any: [{ question: 'a', anyOf: ['z'] }, { question: 'm', includes: 'l' }] }] },
    ],
  };

  it('holds when every part of an "all" holds, or any part of an "any", at any depth', () => {
    expect(conditionHolds(condition, answers({ a: 'x', m: ['k'] }))).toBe(true);
    expect(conditionHolds(condition, answers({ a: 'x', m: ['l'] }))).toBe(false);
    expect(conditionHolds(condition, answers({ a: 'x', b: 'w', m: ['l'] }))).toBe(true);
    expect(conditionHolds(condition, answers({ a: 'z', b: 'w', m: [] }))).toBe(true);
    expect(conditionHolds(condition, answers({ a: 'z', b: 'y', m: ['k', 'l'] }))).toBe(false);
  });

  it('does not hold on unanswered parts, even notEquals inside an "any"', () => {
    expect(conditionHolds({ any: [{ question: 'b', notEquals: 'y' }] }, answers({}))).toBe(false);
    expect(conditionHolds({ all: [{ question: 'a', equals: 'x' }, { question: 'b', notEquals: 'y' }] }, answers({ a: 'x' }))).toBe(false);
  });
});

describe('a section shown only when its condition holds', () => {
  it("is skipped when it does not hold: its questions are not asked and their posted values are ignored", () => {
    const evaluation = evaluate(survey, { tur: 'diger', ulke: 'tr', kamu_birim: 'gizli' });
    expect(visibleSections(survey, evaluation)).toEqual([0, 3]);
    expect(evaluation.visible.has('kamu_birim')).toBe(false);
    expect(evaluation.answers.has('kamu_birim')).toBe(false);
    expect(evaluation.errors.has(2)).toBe(false);
  });

  it('is shown, and required, when it holds', () => {
    const evaluation = evaluate(survey, { tur: 'kamu', ulke: 'tr', tur_aciklama: 'a' });
    expect(visibleSections(survey, evaluation)).toEqual([0, 1, 2, 3]);
    expect(evaluation.errors.get(2)?.map((e) => e.questionId)).toEqual(['kamu_birim']);
  });

  it('is gone past with "next" and with "back", and a request for it leads to the next shown section', () => {
    const next = planSectionPost(survey, 0, {}, { tur: 'diger', ulke: 'tr' }, 'next');
    expect(next).toMatchObject({ kind: 'save', goTo: 3 });
    const saved = next.kind === 'save' ? next.fields : {};
    expect(planSectionPost(survey, 3, saved, {}, 'back')).toMatchObject({ kind: 'save', goTo: 0 });
    expect(sectionToShow(survey, evaluate(survey, saved), 2)).toBe(3);
    expect(sectionToShow(survey, evaluate(survey, saved), 1)).toBe(3);
  });

  it('completes without the hidden sections, whose stale answers are not stored', () => {
    const saved = { tur: 'kamu', ulke: 'tr', tur_aciklama: 'x', kamu_birim: 'Fen İşleri' };
    // The person goes back and changes the type: the kamu section and its answer drop out.
    const changed = planSectionPost(survey, 0, saved, { tur: 'diger', ulke: 'yabanci' }, 'next');
    expect(changed).toMatchObject({ kind: 'save', goTo: 3 });
    const done = planSectionPost(survey, 3, changed.kind === 'save' ? changed.fields : {}, { son_soz: 'Teşekkürler' }, 'next');
    expect(done.kind).toBe('complete');
    if (done.kind !== 'complete') return;
    expect([...done.answers.keys()].sort()).toEqual(['son_soz', 'tur', 'ulke']);
  });
});

describe('a section with no question left to show', () => {
  it('is skipped when combined conditions hide all its questions, forward and back', () => {
    const fields = { tur: 'stk', ulke: 'yabanci' };
    expect(visibleSections(survey, evaluate(survey, fields))).toEqual([0, 3]);
    expect(planSectionPost(survey, 0, {}, fields, 'next')).toMatchObject({ kind: 'save', goTo: 3 });
    expect(planSectionPost(survey, 3, fields, {}, 'back')).toMatchObject({ kind: 'save', goTo: 0 });
    // With ulke=tr the same section is shown.
    expect(planSectionPost(survey, 0, {}, { tur: 'stk', ulke: 'tr' }, 'next')).toMatchObject({ kind: 'save', goTo: 1 });
  });

  it('is skipped when the register answers all its questions, which still count as answered', () => {
    const prefilledOnly: Survey = {
      ...survey,
      sections: [{ id: 'tur_bolumu', title: { tr: 'Tür' }, questions: [choice('tur', ['kamu', 'stk'])] }, ...survey.sections.slice(3)],
    };
    const fixed = { tur: 'kamu' };
    const evaluation = evaluate(prefilledOnly, fixed, Object.keys(fixed));
    expect(visibleSections(prefilledOnly, evaluation)).toEqual([1]);
    expect(evaluation.answers.get('tur')).toEqual({ kind: 'single_choice', optionId: 'kamu' });
    expect(sectionToShow(prefilledOnly, evaluation, 0)).toBe(1);
    expect(resumeSection(prefilledOnly, {}, fixed)).toBe(1);
    // "Back" from the first shown section leads to the intro, not to the empty one.
    expect(planSectionPost(prefilledOnly, 1, {}, {}, 'back', fixed)).toMatchObject({ kind: 'save', goTo: null });
    // The known answer is stored although its section is never posted.
    const done = planSectionPost(prefilledOnly, 1, {}, { son_soz: 'Tamam' }, 'next', fixed);
    expect(done.kind).toBe('complete');
    if (done.kind === 'complete') expect(done.answers.get('tur')).toEqual({ kind: 'single_choice', optionId: 'kamu' });
    // Without the register's answer the section is asked.
    expect(visibleSections(prefilledOnly, evaluate(prefilledOnly, {}))).toEqual([0, 1]);
  });

  it('renders a question whose combined condition reads an answer on the same page', () => {
    const samePage: Survey = {
      ...survey,
      sections: [{ ...survey.sections[0]!, questions: [...survey.sections[0]!.questions, ...survey.sections[1]!.questions] }, ...survey.sections.slice(2)],
    };
    expect(questionsToRender(samePage, 0, evaluate(samePage, {})).map((q) => q.id)).toEqual(['tur', 'ulke', 'tur_aciklama']);
  });
});
