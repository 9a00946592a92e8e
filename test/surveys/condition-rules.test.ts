// Rules on conditions combined with all/any, on sections' showWhen and on the institution type's
// registerMap: a survey file breaking them is refused at load with the JSON path of the problem.
import fs from 'node:fs';
import path from 'node:path';
import { DefinitionError, loadCatalog, type DefinitionProblem } from '../../server/surveys/survey-catalog';
import { FIXTURE_SURVEYS, tempDir } from '../helpers/test-app';

const choice = (id: string, options: string[], extra: Record<string, unknown> = {}) => ({
  kind: 'single_choice',
  id,
  text: { tr: id },
  options: options.map((o) => ({ id: o, label: { tr: o } })),
  ...extra,
});

function baseSurvey(): Record<string, any> {
  return {
    slug: 'deneme',
    title: { tr: 'Deneme' },
    intro: { tr: 'Giriş' },
    audience: 'institution',
    opensAt: '2026-01-01T00:00:00+03:00',
    closesAt: '2026-12-31T00:00:00+03:00',
    sections: [
      {
        id: 'bir',
        title: { tr: 'Bir' },
        questions: [
          choice('tur', ['kamu', 'stk', 'diger'], { role: 'profile.institution_type' }),
          choice('evet_hayir', ['evet', 'hayir']),
          { kind: 'multiple_choice', id: 'konular', text: { tr: 'Konular' }, options: [{ id: 'su', label: { tr: 'Su' } }, { id: 'yol', label: { tr: 'Yol' } }] },
          { kind: 'short_text', id: 'neden', text: { tr: 'Neden?' } },
        ],
      },
      { id: 'iki', title: { tr: 'İki' }, questions: [{ kind: 'long_text', id: 'ayrinti', text: { tr: 'Ayrıntı' } }] },
    ],
  };
}

function problemsOf(change: (survey: Record<string, any>) => void): DefinitionProblem[] {
  const survey = baseSurvey();
  change(survey);
  const dir = tempDir('paydas-cond-');
  fs.copyFileSync(path.join(FIXTURE_SURVEYS, 'municipality.json'), path.join(dir, 'municipality.json'));
  fs.writeFileSync(path.join(dir, 'deneme.json'), JSON.stringify(survey));
  try {
    loadCatalog(dir);
    return [];
  } catch (error) {
    if (error instanceof DefinitionError) return error.problems;
    throw error;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const nested = {
  all: [{ question: 'evet_hayir', equals: 'evet' }, { any: [{ question: 'konular', includes: 'su' }, { question: 'tur', anyOf: ['kamu', 'stk'] }] }],
};

describe('conditions combined with all and any', () => {
  it('are accepted on questions and sections when every comparison names an earlier question and its options', () => {
    expect(
      problemsOf((s) => {
        s.sections[0].questions[3].showWhen = nested;
        s.sections[1].showWhen = { any: [nested, { question: 'tur', notEquals: 'diger' }] };
        s.sections[0].questions[0].registerMap = { kamu: 'kamu', stk: 'stk', diger: 'diger' };
      }),
    ).toEqual([]);
  });

  it.each([
    ['an empty "all"', (s: any) => (s.sections[0].questions[3].showWhen = { all: [] }), '$.sections[0].questions[3].showWhen.all', />=1/],
    ['"all" beside a comparison', (s: any) => (s.sections[0].questions[3].showWhen = { all: [nested], question: 'tur', equals: 'kamu' }), '$.sections[0].questions[3].showWhen', /./],
    [
      'a nested comparison with a later question',
      (s: any) => (s.sections[0].questions[1].showWhen = { all: [{ question: 'tur', equals: 'kamu' }, { any: [{ question: 'konular', includes: 'su' }] }] }),
      '$.sections[0].questions[1].showWhen.all[1].any[0].question',
      /earlier question/,
    ],
    [
      'a nested comparison with a value that is not an option',
      (s: any) => (s.sections[0].questions[3].showWhen = { any: [{ question: 'tur', equals: 'kamu' }, { all: [{ question: 'evet_hayir', equals: 'belki' }] }] }),
      '$.sections[0].questions[3].showWhen.any[1].all[0]',
      /"belki" is not an option of question "evet_hayir"/,
    ],
    [
      'a nested "includes" on a single choice',
      (s: any) => (s.sections[0].questions[3].showWhen = { all: [{ question: 'evet_hayir', includes: 'evet' }] }),
      '$.sections[0].questions[3].showWhen.all[0]',
      /only on multiple_choice/,
    ],
    [
      "a section's condition on one of its own questions",
      (s: any) => (s.sections[1].showWhen = { question: 'ayrinti', equals: 'x' }),
      '$.sections[1].showWhen.question',
      /earlier question/,
    ],
    [
      "a section's condition on an option that does not exist",
      (s: any) => (s.sections[1].showWhen = { any: [{ question: 'tur', equals: 'universite' }] }),
      '$.sections[1].showWhen.any[0]',
      /"universite" is not an option/,
    ],
  ])('are refused for %s', (_name, change, at, message) => {
    expect(problemsOf(change)).toEqual(expect.arrayContaining([expect.objectContaining({ path: at, message: expect.stringMatching(message) })]));
  });
});

describe('registerMap', () => {
  it.each([
    [
      'a group that is not in the register',
      (s: any) => (s.sections[0].questions[0].registerMap = { belediye: 'kamu' }),
      '$.sections[0].questions[0].registerMap',
      /./,
    ],
    [
      'an option the question does not have',
      (s: any) => (s.sections[0].questions[0].registerMap = { kamu: 'kamu', universite: 'universite' }),
      '$.sections[0].questions[0].registerMap.universite',
      /"universite" is not an option of question "tur"/,
    ],
    [
      'a question that is not the institution type',
      (s: any) => (s.sections[0].questions[1].registerMap = { kamu: 'evet' }),
      '$.sections[0].questions[1].registerMap',
      /institution type/,
    ],
  ])('is refused for %s', (_name, change, at, message) => {
    const problems = problemsOf(change);
    expect(problems.find((p) => p.path.startsWith(at))?.message).toMatch(message);
  });
});
