// The problems of a survey definition as locale keys: every key the rules and the schema mapping
// can produce exists in every language, and the texts come out in the language asked for.
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { createI18n, LANGUAGES, readLocales } from '../../server/platform/i18n/i18n';
import { flattenIssues } from '../../server/surveys/editor/form-errors';
import {
  JSON_TYPES,
  problemText,
  RULE_MESSAGES,
  ruleKey,
  ruleProblem,
  schemaProblems,
  SCHEMA_KEYS,
  type RuleName,
} from '../../server/surveys/definition-problems';
import { DefinitionError, loadCatalog, parseSurveyText } from '../../server/surveys/survey-catalog';
import { QUESTION_KINDS, QUESTION_ROLES, SurveyFile } from '../../server/surveys/survey-definition';
import { FIXTURE_SURVEYS } from '../helpers/test-app';

const resources = readLocales();
const { translators } = createI18n();
const municipality = loadCatalog(FIXTURE_SURVEYS).municipality;
/** The fixture survey with every kind, as its file holds it. */
const base = (): Record<string, any> => JSON.parse(fs.readFileSync(path.join(FIXTURE_SURVEYS, 'tum-soru-tipleri.json'), 'utf8'));

/** Whether a key (namespace:path) has a text in the language, directly or as plural forms. */
function hasText(language: string, key: string): boolean {
  const [namespace, path] = key.split(':') as [string, string];
  const lookup = (dotted: string) =>
    dotted.split('.').reduce<unknown>((node, part) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[part] : undefined), resources[language]?.[namespace]);
  return typeof lookup(path) === 'string' || typeof lookup(`${path}_other`) === 'string';
}

describe('the locale texts of definition problems', () => {
  const ruleKeys = (Object.keys(RULE_MESSAGES) as RuleName[]).map(ruleKey);
  const keys = [
    ...ruleKeys,
    ...Object.values(SCHEMA_KEYS),
    ...JSON_TYPES.map((type) => `admin:definition.types.${type}`),
    // Params named role and kind are shown by their labels.
    ...QUESTION_ROLES.map((role) => `admin:editor.fields.roles.${role.replace('.', '_')}`),
    ...QUESTION_KINDS.map((kind) => `admin:editor.pages.kinds.${kind}`),
  ];

  it('exist for every rule, schema problem, type, role and kind, in every language', () => {
    expect(ruleKeys.length).toBeGreaterThan(40);
    for (const language of LANGUAGES) {
      expect({ language, missing: keys.filter((key) => !hasText(language, key)) }).toEqual({ language, missing: [] });
    }
  });
});

describe('problemText', () => {
  it('says a rule in the language asked for, with role and kind labels', () => {
    const problem = ruleProblem('$.sections[0].questions[1].role', 'role_wrong_kind', { role: 'satisfaction', kinds: ['likert_matrix'] });
    expect(problem.message).toBe('role "satisfaction" needs a question of kind likert_matrix');
    expect(problemText(problem, translators.tr)).toBe('“Memnuniyet” rolü yalnızca şu tipteki sorulara verilebilir: Likert tablosu.');
    expect(problemText(problem, translators.en)).toBe('The role “Satisfaction” can only be given to questions of these kinds: Likert matrix.');
    const source = ruleProblem('$.x', 'condition_source_kind', { kind: 'short_text' });
    expect(problemText(source, translators.tr)).toMatch(/^“Kısa metin” tipindeki bir soru görünürlüğü belirleyemez/);
  });

  it('translates a nested text first (what stored answers still use), with English plurals', () => {
    const usage = { key: 'admin:editor.messages.usage_option', params: { option: 'otobus', question: 'ulasim' } };
    const one = ruleProblem('$', 'answers_removed', { slug: 'anket', count: 1, what: 'option "otobus" of question "ulasim"', usage });
    expect(one.message).toBe('surveys/anket.json: option "otobus" of question "ulasim" was removed, but 1 stored answers use it; put it back, or publish the changed survey under a new slug.');
    expect(problemText(one, translators.tr)).toBe(
      '“ulasim” sorusunun “otobus” seçeneği kaldırılmış ya da değiştirilmiş, ama 1 kayıtlı yanıt bunu kullanıyor (“anket” anketi); geri ekleyin ya da değişen anketi yeni bir adres adıyla (slug) yayımlayın.',
    );
    expect(problemText(one, translators.en)).toContain('option “otobus” of question “ulasim”; but 1 stored answer uses it');
    expect(problemText({ ...one, params: { ...one.params, count: 3 } }, translators.en)).toContain('but 3 stored answers use it');
  });
});

describe('schemaProblems', () => {
  const problemsOf = (change: (survey: Record<string, any>) => void) => {
    const survey = base();
    change(survey);
    const parsed = SurveyFile.safeParse(survey);
    if (parsed.success) throw new Error('expected the change to be refused');
    return schemaProblems(parsed.error.issues, survey);
  };
  const turkish = (change: (survey: Record<string, any>) => void) => problemsOf(change).map((p) => `${p.path}: ${problemText(p, translators.tr)}`);

  it('words each common zod issue with its path, in Turkish', () => {
    expect(turkish((s) => delete s.title)).toEqual(['$.title: Bu alan zorunludur.']);
    expect(turkish((s) => (s.intro = 'Giriş'))).toEqual(['$.intro: Değerin türü yanlış: nesne ({ … }) olmalı.']);
    expect(turkish((s) => (s.title.tr = ''))).toEqual(['$.title.tr: Türkçe metin zorunludur.']);
    expect(turkish((s) => (s.sections = []))).toEqual(['$.sections: En az 1 tane olmalı.']);
    expect(turkish((s) => (s.estimatedMinutes = 500))).toEqual(['$.estimatedMinutes: Değer en fazla 120 olabilir.']);
    expect(turkish((s) => (s.estimatedMinutes = 'beş'))).toEqual(['$.estimatedMinutes: Lütfen bir sayı yazın (ör. 12 veya 12,5).']);
    expect(turkish((s) => (s.audience = 'herkes'))).toEqual(['$.audience: Değer şunlardan biri olmalı: citizen, institution, internal, meeting.']);
    expect(turkish((s) => (s.requird = true))).toEqual(['$: Tanınmayan alan (yazım hatası olabilir): requird.']);
    expect(turkish((s) => (s.sections[0].id = 'Bir Bölüm'))).toEqual([
      '$.sections[0].id: Kimlik küçük harfle başlamalı ve yalnızca a-z, 0-9 ve _ içermelidir (en çok 63 karakter; ör. toplu_tasima).',
    ]);
    expect(turkish((s) => (s.slug = 'Deneme_Anketi'))).toEqual([
      '$.slug: Adres adı (slug) küçük harf ve rakamlardan oluşan, tireyle ayrılmış sözcükler olmalı (ör. genclik-anketi).',
    ]);
    expect(turkish((s) => (s.opensAt = '2026-01-01 09:00'))).toEqual([
      '$.opensAt: Tarih ve saat, saat farkıyla birlikte yazılmalı (ör. 2026-06-01T09:00:00+03:00).',
    ]);
    expect(turkish((s) => (s.sections[0].questions[0].kind = 'slider'))).toEqual([
      `$.sections[0].questions[0].kind: Değer şunlardan biri olmalı: ${QUESTION_KINDS.join(', ')}.`,
    ]);
  });

  it('reports a failed union inside the branch that was meant, and keeps English messages for operators', () => {
    const [problem, ...rest] = problemsOf((s) => (s.sections[0].questions[0].options = { list: 'sokaklar' }));
    expect(rest).toEqual([]);
    expect(problem).toMatchObject({ path: '$.sections[0].questions[0].options.list', key: SCHEMA_KEYS.oneOf, params: { values: ['mahalles', 'activityAreas'] } });
    expect(problem!.message).toMatch(/expected one of "mahalles"\|"activityAreas"/);
    expect(problemText(problem!, translators.en)).toBe('The value must be one of: mahalles, activityAreas.');
  });

  it('words a custom check (and any other issue) as an invalid field', () => {
    const schema = z.object({ n: z.number().refine((n) => n % 2 === 0, 'must be even') });
    const parsed = schema.safeParse({ n: 3 });
    const [problem] = schemaProblems(parsed.error!.issues, { n: 3 });
    expect(problem).toEqual({ path: '$.n', key: 'admin:editor.fields.errors.invalid', message: 'must be even' });
    expect(problemText(problem!, translators.tr)).toBe('Bu alan geçersiz.');
    expect(flattenIssues(parsed.error!.issues)).toHaveLength(1);
  });
});

describe('a definition refused by its rules', () => {
  it('carries the rule key and params with the English message', () => {
    const survey = base();
    survey.sections[0].questions[0].showWhen = { question: survey.sections[0].questions[1].id, equals: 'x' };
    let problems: DefinitionError['problems'] = [];
    try {
      parseSurveyText(JSON.stringify(survey), 'deneme.json', municipality);
    } catch (error) {
      if (!(error instanceof DefinitionError)) throw error;
      problems = error.problems;
    }
    const id = survey.sections[0].questions[1].id as string;
    expect(problems).toEqual([
      {
        file: 'deneme.json',
        path: '$.sections[0].questions[0].showWhen.question',
        key: 'admin:definition.rules.condition_not_earlier',
        params: { id },
        message: `must be the id of an earlier question (got "${id}")`,
      },
    ]);
    expect(problemText(problems[0]!, translators.en)).toBe(`A condition must refer to a question before this one; “${id}” is not an earlier question.`);
  });
});

