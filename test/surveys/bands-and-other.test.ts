// Issue 18 §3.4–3.5: numbers with bands, and "Diğer (belirtiniz)" on drop-downs and rankings.
// The definition's rules, the banding function, the answers and conditions, without HTTP.
import { checkBands, loadCatalog, resolveSurvey } from '../../server/surveys/survey-catalog';
import { answerRows, answersToFields, fieldNames, parseQuestion, type FormFields } from '../../server/surveys/survey-answers';
import { bandCategory, bandOf, conditionValues, OUTSIDE_BANDS_ID, SurveyFile, type Band, type Question, type QuestionOf } from '../../server/surveys/survey-definition';
import { leafHolds, evaluate } from '../../server/surveys/survey-flow';
import { removedUsages } from '../../server/surveys/definition-guard';
import { collectProblems } from '../../server/surveys/definition-problems';
import { FIXTURE_SURVEYS } from '../helpers/test-app';

const catalog = loadCatalog(FIXTURE_SURVEYS);
const survey = catalog.find('tum-soru-tipleri')!;
const question = <K extends Question['kind']>(id: string) => survey.sections.flatMap((s) => s.questions).find((q) => q.id === id) as QuestionOf<K>;

const AGES: Band[] = [
  { id: 'genc', label: { tr: '18–29' }, min: 18, max: 29 },
  { id: 'orta', label: { tr: '30–49' }, min: 30, max: 49 },
  { id: 'yasli', label: { tr: '50+' }, min: 50 },
];

function problemsOf(questions: unknown[]): string[] {
  const file = SurveyFile.parse({
    slug: 'deneme',
    title: { tr: 'Deneme' },
    intro: { tr: 'Giriş' },
    audience: 'citizen',
    opensAt: '2026-01-01T00:00:00+03:00',
    closesAt: '2026-12-31T00:00:00+03:00',
    sections: [{ id: 'bir', title: { tr: 'Bir' }, questions }],
  });
  const result = resolveSurvey(file, catalog.municipality);
  return 'problems' in result ? result.problems.map((p) => `${p.path}: ${p.message}`) : [];
}

const age = (extra: Record<string, unknown> = {}) => ({ kind: 'number', id: 'yas', text: { tr: 'Yaşınız' }, integer: true, bands: AGES, ...extra });

describe('bandOf', () => {
  it('puts a value in the band whose inclusive bounds hold it, open at the ends', () => {
    expect(bandOf(AGES, 18)).toBe('genc');
    expect(bandOf(AGES, 29)).toBe('genc');
    expect(bandOf(AGES, 29.5)).toBeUndefined();
    expect(bandOf(AGES, 30)).toBe('orta');
    expect(bandOf(AGES, 120)).toBe('yasli');
    expect(bandOf(AGES, 17)).toBeUndefined();
    expect(bandCategory(AGES, 17)).toBe(OUTSIDE_BANDS_ID);
    expect(bandOf([{ id: 'az', label: { tr: 'az' }, max: 5 }, ...AGES.slice(1)], -3)).toBe('az');
  });
});

describe('band rules', () => {
  const check = (bands: Band[]) => {
    const { problems, report } = collectProblems();
    checkBands(bands, '$.bands', report);
    return problems.map((p) => `${p.path}: ${p.message}`);
  };

  it('accepts ascending bands with gaps, open below first and above last', () => {
    expect(check([{ id: 'a', label: { tr: 'a' }, max: 10 }, { id: 'b', label: { tr: 'b' }, min: 20 }])).toEqual([]);
    expect(problemsOf([age()])).toEqual([]);
  });

  it('refuses duplicate ids, overlaps, wrong order, open ends in the middle and the reserved id', () => {
    expect(check([AGES[0]!, { ...AGES[1]!, id: 'genc' }])).toEqual(['$.bands[1].id: duplicate band id "genc"']);
    expect(check([AGES[0]!, { ...AGES[1]!, min: 29 }])).toEqual([
      "$.bands[1].min: must be above the previous band's max (29): bands are ascending and do not overlap",
    ]);
    expect(check([AGES[1]!, AGES[0]!])).toEqual([
      "$.bands[1].min: must be above the previous band's max (49): bands are ascending and do not overlap",
    ]);
    expect(check([{ ...AGES[0]!, max: undefined }, AGES[1]!])).toEqual(['$.bands[0].max: only the last band may leave out max']);
    expect(check([AGES[0]!, { ...AGES[1]!, min: undefined }])).toEqual(['$.bands[1].min: only the first band may leave out min']);
    expect(check([{ ...AGES[0]!, min: 30 }, AGES[2]!])).toEqual(['$.bands[0].min: must not exceed max']);
    expect(check([AGES[0]!, { ...AGES[2]!, id: OUTSIDE_BANDS_ID }])).toEqual([
      `$.bands[1].id: band id "${OUTSIDE_BANDS_ID}" is reserved for answers in no band`,
    ]);
    expect(problemsOf([age({ bands: [AGES[0], { ...AGES[1]!, id: 'genc' }] })])).toEqual(['$.sections[0].questions[0].bands[1].id: duplicate band id "genc"']);
  });

  it('lets a banded number carry profile.age and profile.residence, but not an unbanded one or other roles', () => {
    expect(problemsOf([age({ role: 'profile.age' })])).toEqual([]);
    expect(problemsOf([age({ role: 'profile.residence' })])).toEqual([]);
    expect(problemsOf([age({ role: 'profile.age', bands: undefined })])).toEqual([
      '$.sections[0].questions[0].role: role "profile.age" on a number question needs bands (its profile table counts them)',
    ]);
    expect(problemsOf([age({ role: 'profile.gender' })])).toEqual([
      '$.sections[0].questions[0].role: role "profile.gender" needs a question of kind single_choice or select',
    ]);
  });

  it('lets a later question depend on a band, and names a band that does not exist', () => {
    const later = (showWhen: unknown) => ({ kind: 'short_text', id: 'neden', text: { tr: 'Neden?' }, showWhen });
    expect(problemsOf([age(), later({ question: 'yas', equals: 'genc' })])).toEqual([]);
    expect(problemsOf([age(), later({ question: 'yas', anyOf: ['orta', 'cocuk'] })])).toEqual([
      '$.sections[0].questions[1].showWhen: "cocuk" is not an option of question "yas"',
    ]);
    expect(problemsOf([age({ bands: undefined }), later({ question: 'yas', equals: 'genc' })])[0]).toMatch(/cannot control visibility/);
    expect(conditionValues(question('yas_grubu'))).toEqual(['y18_29', 'y30_49', 'y50']);
  });

  it('refuses "other" as an item id of a ranking with "Diğer", and more ranks than items and "Diğer"', () => {
    const ranking = (extra: Record<string, unknown>) => ({
      kind: 'ranking',
      id: 'sira',
      text: { tr: 'Sıra' },
      items: [{ id: 'a', label: { tr: 'A' } }, { id: 'b', label: { tr: 'B' } }],
      other: true,
      rankCount: 3,
      ...extra,
    });
    expect(problemsOf([ranking({})])).toEqual([]);
    expect(problemsOf([ranking({ rankCount: 4 })])).toEqual(['$.sections[0].questions[0].rankCount: must not exceed the 3 items']);
    expect(problemsOf([ranking({ items: [{ id: 'other', label: { tr: 'X' } }, { id: 'b', label: { tr: 'B' } }] })])).toEqual([
      '$.sections[0].questions[0].items: option id "other" is reserved for the "other" answer',
    ]);
  });

  it('does not count bands as stored ids: changing them never blocks start-up', () => {
    const older = { slug: survey.slug, sections: survey.sections };
    const changed = {
      slug: survey.slug,
      sections: survey.sections.map((s) => ({ ...s, questions: s.questions.map((q) => (q.id === 'yas_grubu' ? { ...q, bands: AGES } : q)) })),
    };
    expect(removedUsages(older, changed)).toEqual([]);
  });
});

describe('answers', () => {
  const parse = (id: string, fields: FormFields) => parseQuestion(question(id), fields);

  it('gives a banded number its band (or none) for conditions, and stores only the value', () => {
    expect(parse('yas_grubu', { yas_grubu: '25' })).toEqual({ answer: { kind: 'number', value: 25, band: 'y18_29' } });
    expect(parse('yas_grubu', { yas_grubu: '12' })).toEqual({ answer: { kind: 'number', value: 12 } });
    expect(answerRows('yas_grubu', { kind: 'number', value: 25, band: 'y18_29' })).toEqual([
      { question_id: 'yas_grubu', option_id: null, value: 25, text: null, rank: null, not_applicable: 0 },
    ]);
  });

  it('shows a question on a band only when the number falls in it', () => {
    const condition = { question: 'yas_grubu', equals: 'y18_29' };
    expect(leafHolds(condition, { kind: 'number', value: 25, band: 'y18_29' })).toBe(true);
    expect(leafHolds(condition, { kind: 'number', value: 35, band: 'y30_49' })).toBe(false);
    expect(leafHolds({ question: 'yas_grubu', notEquals: 'y18_29' }, { kind: 'number', value: 12 })).toBe(false);
    expect(evaluate(survey, { yas_grubu: '22' }).visible.has('genc_notu')).toBe(true);
    expect(evaluate(survey, { yas_grubu: '60' }).visible.has('genc_notu')).toBe(false);
  });

  describe('a drop-down with "Diğer"', () => {
    it('posts the choice and the box, and reads "other" with its text', () => {
      expect(fieldNames(question('calisma_yeri'))).toEqual(['calisma_yeri', 'calisma_yeri.other']);
      expect(parse('calisma_yeri', { calisma_yeri: 'other', 'calisma_yeri.other': ' Kooperatif ' })).toEqual({
        answer: { kind: 'select', optionId: 'other', otherText: 'Kooperatif' },
      });
      expect(parse('calisma_yeri', { calisma_yeri: 'kamu', 'calisma_yeri.other': '' })).toEqual({ answer: { kind: 'select', optionId: 'kamu' } });
    });

    it('takes text typed without choosing as "Diğer", as the box is always visible without JavaScript', () => {
      expect(parse('calisma_yeri', { calisma_yeri: '', 'calisma_yeri.other': 'Serbest' })).toEqual({
        answer: { kind: 'select', optionId: 'other', otherText: 'Serbest' },
      });
    });

    it('refuses "Diğer" without text, text beside another option, and too long a text', () => {
      expect(parse('calisma_yeri', { calisma_yeri: 'other' })).toEqual({ error: { code: 'other_text_required', field: 'calisma_yeri.other' } });
      expect(parse('calisma_yeri', { calisma_yeri: 'ozel', 'calisma_yeri.other': 'Serbest' })).toEqual({
        error: { code: 'other_not_chosen', field: 'calisma_yeri.other' },
      });
      expect(parse('calisma_yeri', { calisma_yeri: 'other', 'calisma_yeri.other': 'x'.repeat(201) })).toEqual({
        error: { code: 'too_long', field: 'calisma_yeri.other', params: { max: 200 } },
      });
    });

    it('stores the text on the "other" row and opens it again for editing', () => {
      const rows = answerRows('calisma_yeri', { kind: 'select', optionId: 'other', otherText: 'Serbest' });
      expect(rows.map((r) => [r.option_id, r.text])).toEqual([['other', 'Serbest']]);
      expect(answersToFields([question('calisma_yeri')], rows)).toEqual({ calisma_yeri: 'other', 'calisma_yeri.other': 'Serbest' });
    });
  });

  describe('a ranking with "Diğer"', () => {
    it('ranks "Diğer" like an item, with its text', () => {
      expect(fieldNames(question('hizmet_sirasi'))).toEqual(['hizmet_sirasi.1', 'hizmet_sirasi.2', 'hizmet_sirasi.other']);
      const parsed = parse('hizmet_sirasi', { 'hizmet_sirasi.1': 'other', 'hizmet_sirasi.2': 'park', 'hizmet_sirasi.other': 'Pazar yeri' });
      expect(parsed).toEqual({ answer: { kind: 'ranking', itemIds: ['other', 'park'], otherText: 'Pazar yeri' } });
      const rows = answerRows('hizmet_sirasi', parsed.answer!);
      expect(rows.map((r) => [r.option_id, r.rank, r.text])).toEqual([
        ['other', 1, 'Pazar yeri'],
        ['park', 2, null],
      ]);
      expect(answersToFields([question('hizmet_sirasi')], rows)).toEqual({
        'hizmet_sirasi.1': 'other',
        'hizmet_sirasi.2': 'park',
        'hizmet_sirasi.other': 'Pazar yeri',
      });
    });

    it('refuses "Diğer" ranked without text, and text with "Diğer" left unranked', () => {
      expect(parse('hizmet_sirasi', { 'hizmet_sirasi.1': 'other' })).toEqual({ error: { code: 'other_text_required', field: 'hizmet_sirasi.other' } });
      expect(parse('hizmet_sirasi', { 'hizmet_sirasi.1': 'park', 'hizmet_sirasi.other': 'Pazar' })).toEqual({
        error: { code: 'other_not_ranked', field: 'hizmet_sirasi.other' },
      });
      expect(parse('hizmet_sirasi', { 'hizmet_sirasi.other': 'Pazar' })).toEqual({ error: { code: 'other_not_ranked', field: 'hizmet_sirasi.other' } });
      expect(parse('hizmet_sirasi', { 'hizmet_sirasi.1': 'other', 'hizmet_sirasi.2': 'other', 'hizmet_sirasi.other': 'Pazar' })).toEqual({
        error: { code: 'duplicate_rank', field: 'hizmet_sirasi.2', params: { rank: 2 } },
      });
    });

    it('refuses "other" on a ranking without "Diğer"', () => {
      expect(parse('oncelik', { 'oncelik.1': 'other', 'oncelik.2': 'parklar' })).toEqual({ error: { code: 'invalid_option', field: 'oncelik.1' } });
    });
  });
});
