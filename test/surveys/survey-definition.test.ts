import fs from 'node:fs';
import path from 'node:path';
import { DefinitionError, loadCatalog, type DefinitionProblem } from '../../server/surveys/survey-catalog';
import { allQuestions, QUESTION_KINDS } from '../../server/surveys/survey-definition';
import { surveyJsonSchema } from '../../server/surveys/survey-json-schema';
import { BUNDLED_SURVEYS, FIXTURE_SURVEYS, tempDir } from '../helpers/test-app';

function baseSurvey(): Record<string, any> {
  return {
    slug: 'deneme',
    title: { tr: 'Deneme' },
    intro: { tr: 'Giriş' },
    audience: 'citizen',
    opensAt: '2026-01-01T00:00:00+03:00',
    closesAt: '2026-12-31T00:00:00+03:00',
    sections: [
      {
        id: 'bir',
        title: { tr: 'Bir' },
        questions: [
          {
            kind: 'single_choice',
            id: 'evet_hayir',
            text: { tr: 'Evet mi?' },
            options: [
              { id: 'evet', label: { tr: 'Evet' } },
              { id: 'hayir', label: { tr: 'Hayır' } },
            ],
          },
          { kind: 'short_text', id: 'neden', text: { tr: 'Neden?' } },
        ],
      },
    ],
  };
}

/** Loads a folder holding the fixture municipality and the given survey files. */
function problemsOf(files: Record<string, unknown>): DefinitionProblem[] {
  const dir = tempDir('paydas-def-');
  fs.copyFileSync(path.join(FIXTURE_SURVEYS, 'municipality.json'), path.join(dir, 'municipality.json'));
  for (const [name, content] of Object.entries(files)) {
    fs.writeFileSync(path.join(dir, name), typeof content === 'string' ? content : JSON.stringify(content));
  }
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

function mutated(change: (survey: Record<string, any>) => void): DefinitionProblem[] {
  const survey = baseSurvey();
  change(survey);
  return problemsOf({ 'deneme.json': survey });
}

describe('bundled surveys', () => {
  const catalog = loadCatalog(BUNDLED_SURVEYS);

  it('all validate, including vatandas-anketi and kurum-gorus-formu', () => {
    expect(catalog.surveys.map((s) => s.slug)).toEqual(expect.arrayContaining(['vatandas-anketi', 'kurum-gorus-formu']));
  });

  it('use every question kind between them, and mark the demo municipality as demo', () => {
    const kinds = new Set(catalog.surveys.flatMap((s) => allQuestions(s).map((q) => q.kind)));
    expect([...kinds].sort()).toEqual([...QUESTION_KINDS].sort());
    expect(catalog.municipality.demo).toBe(true);
    expect(catalog.municipality.mahalles.length).toBeGreaterThanOrEqual(10);
    expect(catalog.municipality.activityAreas.length).toBeGreaterThanOrEqual(12);
  });

  it('give vatandas-anketi the roles the report needs', () => {
    const roles = allQuestions(catalog.find('vatandas-anketi')!).map((q) => q.role);
    for (const role of ['profile.gender', 'profile.age', 'profile.education', 'profile.mahalle', 'satisfaction', 'priority', 'image']) {
      expect(roles).toContain(role);
    }
  });

  it('have Turkish and English for every text', () => {
    const missing: string[] = [];
    const walk = (value: unknown, at: string) => {
      if (Array.isArray(value)) value.forEach((item, i) => walk(item, `${at}[${i}]`));
      else if (value && typeof value === 'object') {
        const record = value as Record<string, unknown>;
        if (typeof record.tr === 'string' && !at.endsWith('.mahalles') && typeof record.en !== 'string') missing.push(at);
        for (const [key, child] of Object.entries(record)) walk(child, `${at}.${key}`);
      }
    };
    for (const file of fs.readdirSync(BUNDLED_SURVEYS).filter((f) => f.endsWith('.json') && f !== 'survey.schema.json')) {
      walk(JSON.parse(fs.readFileSync(path.join(BUNDLED_SURVEYS, file), 'utf8')), file);
    }
    expect(missing).toEqual([]);
  });
});

describe('surveys/survey.schema.json', () => {
  it('is the JSON Schema generated from the zod schema (run `npm run surveys -- schema` when this fails)', () => {
    expect(fs.readFileSync(path.join(BUNDLED_SURVEYS, 'survey.schema.json'), 'utf8')).toBe(surveyJsonSchema());
  });
});

describe('a malformed survey file', () => {
  it('is reported with its file name, JSON path and what is wrong', () => {
    const problems = mutated((s) => {
      delete s.title.tr;
    });
    expect(problems).toEqual([{ file: 'deneme.json', path: '$.title.tr', message: expect.stringContaining('expected string'), key: 'admin:editor.fields.errors.turkish_required' }]);
    const error = new DefinitionError(problems);
    expect(error.message).toMatch(/^deneme\.json: \$\.title\.tr: /);
  });

  it.each([
    ['an unknown question kind', (s: any) => (s.sections[0].questions[0].kind = 'slider'), '$.sections[0].questions[0].kind', /Invalid/],
    ['a misspelt field', (s: any) => (s.sections[0].questions[1].requird = true), '$.sections[0].questions[1]', /requird/],
    ['an id with capitals', (s: any) => (s.sections[0].questions[1].id = 'Neden'), '$.sections[0].questions[1].id', /lowercase/],
    ['an audience outside the list', (s: any) => (s.audience = 'everyone'), '$.audience', /citizen/],
    ['a date-time without offset', (s: any) => (s.opensAt = '2026-01-01 09:00'), '$.opensAt', /datetime/i],
    ['no sections', (s: any) => (s.sections = []), '$.sections', /1/],
    // A failed union is reported inside the branch that was meant (a list reference, not options).
    ['an unknown shared list', (s: any) => (s.sections[0].questions[0].options = { list: 'sokaklar' }), '$.sections[0].questions[0].options.list', /mahalles/],
    ['a text given as a plain string', (s: any) => (s.intro = 'Giriş'), '$.intro', /expected object/],
  ])('is refused for %s', (_name, change, at, message) => {
    const problems = mutated(change);
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.find((p) => p.path === at)?.message).toMatch(message);
  });

  it.each([
    ['duplicate question ids', (s: any) => (s.sections[0].questions[1].id = 'evet_hayir'), '$.sections[0].questions[1].id', /duplicate question id/],
    [
      'duplicate option ids',
      (s: any) => (s.sections[0].questions[0].options[1].id = 'evet'),
      '$.sections[0].questions[0].options[1].id',
      /duplicate option id/,
    ],
    [
      'a condition on a later question',
      (s: any) => (s.sections[0].questions[0].showWhen = { question: 'neden', equals: 'x' }),
      '$.sections[0].questions[0].showWhen.question',
      /earlier question/,
    ],
    [
      'a condition on a value that is not an option',
      (s: any) => (s.sections[0].questions[1].showWhen = { question: 'evet_hayir', equals: 'belki' }),
      '$.sections[0].questions[1].showWhen',
      /"belki" is not an option/,
    ],
    [
      '"includes" on a single choice',
      (s: any) => (s.sections[0].questions[1].showWhen = { question: 'evet_hayir', includes: 'evet' }),
      '$.sections[0].questions[1].showWhen',
      /only on multiple_choice/,
    ],
    [
      'a condition on a text question',
      (s: any) => s.sections[0].questions.push({ kind: 'short_text', id: 'ucuncu', text: { tr: '3' }, showWhen: { question: 'neden', equals: 'x' } }),
      '$.sections[0].questions[2].showWhen.question',
      /cannot control visibility/,
    ],
    ['a role on the wrong kind', (s: any) => (s.sections[0].questions[1].role = 'satisfaction'), '$.sections[0].questions[1].role', /likert_matrix/],
    ['closesAt before opensAt', (s: any) => (s.closesAt = '2025-01-01T00:00:00+03:00'), '$.closesAt', /after opensAt/],
    [
      'a ranking asking for more items than it has',
      (s: any) => s.sections[0].questions.push({ kind: 'ranking', id: 'sira', text: { tr: 'Sıra' }, rankCount: 4, items: { list: 'activityAreas' } }),
      '$.sections[0].questions[2].rankCount',
      /3 items/,
    ],
    [
      'an exclusive option outside multiple choice',
      (s: any) => (s.sections[0].questions[0].options[0].exclusive = true),
      '$.sections[0].questions[0].options[0].exclusive',
      /only multiple_choice/,
    ],
    [
      'the reserved "other" id with other: true',
      (s: any) => {
        s.sections[0].questions[0].other = true;
        s.sections[0].questions[0].options[0].id = 'other';
      },
      '$.sections[0].questions[0].options',
      /reserved/,
    ],
    [
      'the "other_text" id with other: true (the export\'s column of the "other" text)',
      (s: any) => {
        s.sections[0].questions[0].other = true;
        s.sections[0].questions[0].options[0].id = 'other_text';
      },
      '$.sections[0].questions[0].options',
      /reserved/,
    ],
  ])('is refused for %s', (_name, change, at, message) => {
    const problems = mutated(change);
    expect(problems).toEqual(expect.arrayContaining([expect.objectContaining({ file: 'deneme.json', path: at, message: expect.stringMatching(message) })]));
  });

  it('is refused when its slug is not its file name', () => {
    expect(problemsOf({ 'baska-ad.json': baseSurvey() })).toEqual([
      { file: 'baska-ad.json', path: '$.slug', message: 'must equal the file name (baska-ad)', key: 'admin:definition.rules.slug_not_file_name', params: { name: 'baska-ad' } },
    ]);
  });

  it('is refused when it is not JSON at all', () => {
    const [problem] = problemsOf({ 'deneme.json': '{ "slug": ' });
    expect(problem).toMatchObject({ file: 'deneme.json', path: '$' });
    expect(problem!.message).toMatch(/JSON/);
  });

  it('reports the problems of every file at once', () => {
    const bad = baseSurvey();
    bad.audience = 'herkes';
    const alsoBad = { ...baseSurvey(), slug: 'ikinci', title: {} };
    const files = problemsOf({ 'deneme.json': bad, 'ikinci.json': alsoBad }).map((p) => p.file);
    expect(new Set(files)).toEqual(new Set(['deneme.json', 'ikinci.json']));
  });

  it('is refused when municipality.json is missing', () => {
    const dir = tempDir('paydas-def-');
    fs.writeFileSync(path.join(dir, 'deneme.json'), JSON.stringify(baseSurvey()));
    expect(() => loadCatalog(dir)).toThrow(/municipality\.json: \$: file not found/);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe('a valid survey file', () => {
  it('gets defaults, resolved shared lists and a stable hash of its content', () => {
    const catalog = loadCatalog(FIXTURE_SURVEYS);
    const survey = catalog.find('tum-soru-tipleri')!;
    expect(survey.anonymous).toBe(true);
    expect(survey.oneResponsePerBrowser).toBe(true);
    const mahalle = allQuestions(survey).find((q) => q.id === 'mahalle')!;
    expect(mahalle.kind === 'select' && mahalle.options.map((o) => o.id)).toEqual(['merkez', 'cami', 'istasyon']);
    expect(survey.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(loadCatalog(FIXTURE_SURVEYS).find('tum-soru-tipleri')!.hash).toBe(survey.hash);
  });
});
