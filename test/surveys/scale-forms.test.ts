// Issue 18 §3.1–3.3 in the definition format: row groups inside a matrix, every scale point
// labelled, and "Bilgim yok" first or last; what the schema takes and what the rules refuse.
import request from 'supertest';
import { DefinitionError, loadCatalog, parseSurveyText, type DefinitionProblem } from '../../server/surveys/survey-catalog';
import type { Survey } from '../../server/surveys/survey-definition';
import { answerSection, type Fields } from '../helpers/forms';
import { htmlProblems } from '../helpers/html';
import { respond } from '../helpers/respond';
import { validSectionFields } from '../helpers/survey-walker';
import { createTestApp, FIXTURE_SURVEYS, type TestApp } from '../helpers/test-app';

const SLUG = 'tum-soru-tipleri';
const allValidFields = (survey: Survey): Fields => Object.assign({}, ...survey.sections.map((_, i) => validSectionFields(survey, i)));

const municipality = loadCatalog(FIXTURE_SURVEYS).municipality;

const scale = [1, 2, 3, 4].map((value) => ({ value, label: { tr: ['Zayıf', 'Orta', 'İyi', 'Çok iyi'][value - 1]! } }));
const rows = ['kurum_a', 'kurum_b', 'yonetim_a', 'yonetim_b'].map((id) => ({ id, label: { tr: id } }));

function surveyWith(question: Record<string, unknown>): string {
  return JSON.stringify({
    slug: 'deneme',
    title: { tr: 'Deneme' },
    intro: { tr: 'Giriş' },
    audience: 'institution',
    opensAt: '2026-01-01T00:00:00+03:00',
    closesAt: '2026-12-31T00:00:00+03:00',
    sections: [{ id: 'bir', title: { tr: 'Bir' }, questions: [question] }],
  });
}

const matrix = (extra: Record<string, unknown>) => ({ kind: 'likert_matrix', id: 'matris', text: { tr: 'Değerlendiriniz' }, rows, scale, ...extra });
const rating = (extra: Record<string, unknown>) => ({ kind: 'rating', id: 'puan', text: { tr: 'Puanınız' }, scale: '1-5', ...extra });

function parse(question: Record<string, unknown>): Survey {
  return parseSurveyText(surveyWith(question), 'deneme.json', municipality);
}

/** The operators' side of each problem (the English message); definition-problems.test.ts checks the keys. */
function problems(question: Record<string, unknown>): Pick<DefinitionProblem, 'file' | 'path' | 'message'>[] {
  try {
    parse(question);
    return [];
  } catch (error) {
    if (error instanceof DefinitionError) return error.problems.map(({ file, path, message }) => ({ file, path, message }));
    throw error;
  }
}

const groups = [
  { title: { tr: 'KURUMSAL' }, rows: ['kurum_a', 'kurum_b'] },
  { title: { tr: 'YÖNETSEL' }, rows: ['yonetim_a', 'yonetim_b'] },
];

describe('a likert matrix with row groups', () => {
  it('is taken when the groups list every row once, in the order of rows, and keeps its rows as they are', () => {
    const question = parse(matrix({ rowGroups: groups })).sections[0]!.questions[0]!;
    expect(question.kind === 'likert_matrix' && question.rowGroups).toEqual(groups);
    expect(question.kind === 'likert_matrix' && question.rows.map((row) => row.id)).toEqual(rows.map((row) => row.id));
  });

  it('is refused when a group names an id that is not a row', () => {
    expect(problems(matrix({ rowGroups: [groups[0], { title: { tr: 'YÖNETSEL' }, rows: ['yonetim_a', 'yonetim_c', 'yonetim_b'] }] }))).toEqual([
      { file: 'deneme.json', path: '$.sections[0].questions[0].rowGroups[1].rows[1]', message: '"yonetim_c" is not the id of a row of this question' },
    ]);
  });

  it('is refused when a row is in two groups', () => {
    expect(problems(matrix({ rowGroups: [groups[0], { title: { tr: 'YÖNETSEL' }, rows: ['kurum_b', 'yonetim_a', 'yonetim_b'] }] }))).toEqual([
      { file: 'deneme.json', path: '$.sections[0].questions[0].rowGroups[1].rows[0]', message: 'row "kurum_b" is already in group 1; a row can be in one group only' },
    ]);
  });

  it('is refused, naming the rows, when some rows are in no group', () => {
    expect(problems(matrix({ rowGroups: [groups[0]] }))).toEqual([
      {
        file: 'deneme.json',
        path: '$.sections[0].questions[0].rowGroups',
        message: 'when rowGroups is given every row must be in a group; not in any group: "yonetim_a", "yonetim_b"',
      },
    ]);
  });

  it('is refused when the groups do not follow the order of rows', () => {
    const [problem] = problems(matrix({ rowGroups: [groups[1], groups[0]] }));
    expect(problem).toEqual({
      file: 'deneme.json',
      path: '$.sections[0].questions[0].rowGroups',
      message: 'groups must list the rows in the order of rows (kurum_a, kurum_b, yonetim_a, yonetim_b); reorder the rows or the groups',
    });
    expect(problems(matrix({ rowGroups: [{ title: { tr: 'HEPSİ' }, rows: ['kurum_b', 'kurum_a', 'yonetim_a', 'yonetim_b'] }] }))).toHaveLength(1);
  });

  it('is refused when its rows come from a shared list', () => {
    expect(problems(matrix({ rows: { list: 'activityAreas' }, rowGroups: [{ title: { tr: 'HEPSİ' }, rows: ['x'] }] }))).toContainEqual({
      file: 'deneme.json',
      path: '$.sections[0].questions[0].rowGroups',
      message: 'row groups need the rows written in the question, not a shared list',
    });
  });

  it('is refused by the schema when a group has no rows or no title', () => {
    expect(problems(matrix({ rowGroups: [{ title: { tr: 'BOŞ' }, rows: [] }] }))[0]!.path).toBe('$.sections[0].questions[0].rowGroups[0].rows');
    expect(problems(matrix({ rowGroups: [{ rows: ['kurum_a'] }] }))[0]!.path).toBe('$.sections[0].questions[0].rowGroups[0].title');
  });
});

describe('the labels and "Bilgim yok" position of a likert matrix', () => {
  it('take "ends" or "every", and "first" or "last"; absent, they mean ends and last and add nothing to the definition', () => {
    const question = parse(matrix({ labels: 'every', notApplicable: { tr: 'Bilgim yok' }, notApplicablePosition: 'first' })).sections[0]!.questions[0]!;
    expect(question).toMatchObject({ labels: 'every', notApplicablePosition: 'first' });
    const plain = parse(matrix({ notApplicable: { tr: 'Bilgim yok' } })).sections[0]!.questions[0]!;
    expect(plain).not.toHaveProperty('labels');
    expect(plain).not.toHaveProperty('notApplicablePosition');
  });

  it('refuse other values', () => {
    expect(problems(matrix({ labels: 'some' }))[0]!.path).toBe('$.sections[0].questions[0].labels');
    expect(problems(matrix({ notApplicable: { tr: 'Bilgim yok' }, notApplicablePosition: 'middle' }))[0]!.path).toBe('$.sections[0].questions[0].notApplicablePosition');
  });

  it('refuse a position for a "Bilgim yok" column the matrix does not have', () => {
    expect(problems(matrix({ notApplicablePosition: 'first' }))).toEqual([
      { file: 'deneme.json', path: '$.sections[0].questions[0].notApplicablePosition', message: 'needs notApplicable (the label of the "Bilgim yok" column)' },
    ]);
  });
});

describe('the point labels of a rating', () => {
  const labels = (count: number) => Array.from({ length: count }, (_, i) => ({ tr: `Etiket ${i + 1}` }));

  it('are taken when there is one per point of the scale', () => {
    expect(parse(rating({ pointLabels: labels(5) })).sections[0]!.questions[0]).toMatchObject({ pointLabels: labels(5) });
    expect(problems(rating({ scale: '0-10', pointLabels: labels(11) }))).toEqual([]);
    expect(problems(rating({ scale: '1-10', pointLabels: labels(10) }))).toEqual([]);
  });

  it('are refused, with the count the scale needs, when there are more or fewer', () => {
    expect(problems(rating({ pointLabels: labels(4) }))).toEqual([
      { file: 'deneme.json', path: '$.sections[0].questions[0].pointLabels', message: 'must have one label per point of the 1-5 scale: 5, not 4' },
    ]);
    expect(problems(rating({ scale: '0-10', pointLabels: labels(10) }))[0]!.message).toBe('must have one label per point of the 0-10 scale: 11, not 10');
  });
});

describe('the survey page', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ surveysDir: FIXTURE_SURVEYS, now: new Date('2026-06-01T12:00:00+03:00') });
  });
  afterAll(async () => {
    expect(t.logged).toEqual([]);
    await t.close();
  });

  /** The values of one radio group in the order of the page. */
  const radioValues = (html: string, name: string) => [...html.matchAll(new RegExp(`name="${name.replace('.', '\\.')}" value="([^"]+)"`, 'g'))].map((m) => m[1]);

  async function scalesPage(lang: 'tr' | 'en'): Promise<string> {
    const agent = request.agent(t.app);
    await answerSection(agent, `/anket/${SLUG}/1`, validSectionFields(t.catalog.find(SLUG)!, 0));
    const page = await agent.get(`/anket/${SLUG}/2?lang=${lang}`);
    expect(page.status).toBe(200);
    return page.text;
  }

  it('puts "Bilgim yok" first or last in each row, as the matrix says, the first of the row taking the field id', async () => {
    const html = await scalesPage('tr');
    expect(radioValues(html, 'hizmet_kalitesi.zabita')).toEqual(['na', '1', '2', '3', '4']);
    expect(radioValues(html, 'memnuniyet.temizlik')).toEqual(['1', '2', '3', '4', '5', 'na']);
    expect(html).toContain('<label class="na"><input type="radio" name="hizmet_kalitesi.zabita" value="na" id="f-hizmet_kalitesi-zabita">');
    expect(html).toContain('name="memnuniyet.temizlik" value="1" id="f-memnuniyet-temizlik"');
    expect(html).toContain('<span class="pt">Bilgim yok</span>');
    expect(await htmlProblems(html)).toEqual([]);
  });

  it('shows every label under its point only where the matrix asks for it', async () => {
    const html = await scalesPage('tr');
    const block = (id: string) => html.slice(html.indexOf(`id="q-${id}"`), html.indexOf('</fieldset>\n</fieldset>', html.indexOf(`id="q-${id}"`)));
    expect(block('hizmet_kalitesi')).toContain('<div class="pts every">');
    expect(block('memnuniyet')).not.toContain('every');
    expect(block('kurum_yonu')).not.toContain('every');
  });

  it('shows the group headings of a matrix, each a fieldset around its rows, in the order of rows', async () => {
    const html = await scalesPage('tr');
    const at = (text: string) => html.indexOf(text);
    const order = [
      '<fieldset class="rgroup"><legend><h3>KURUMSAL</h3></legend>',
      'name="kurum_yonu.vizyon"',
      'name="kurum_yonu.seffaflik"',
      '<fieldset class="rgroup"><legend><h3>YÖNETSEL</h3></legend>',
      'name="kurum_yonu.planlama"',
      'name="kurum_yonu.koordinasyon"',
    ].map(at);
    expect(order.every((position) => position > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    // Each group closes before the next opens: the headings name their own rows only.
    expect(html.slice(order[2]!, order[3]!)).toContain('</fieldset>\n</fieldset>');
    expect(await htmlProblems(html)).toEqual([]);
  });

  it('labels each point of a rating with pointLabels, in the reader\'s language', async () => {
    const tr = await scalesPage('tr');
    expect(tr).toMatch(/<label><span class="pv"><input type="radio" name="iletisim_puani" value="1" id="f-iletisim_puani"> 1<\/span> <span class="pl">Çok zayıf<\/span><\/label>/);
    expect(tr).toMatch(/value="5"> 5<\/span> <span class="pl">Çok iyi<\/span>/);
    const en = await scalesPage('en');
    expect(en).toContain('<span class="pl">Very poor</span>');
    expect(en).toContain('<h3>INSTITUTIONAL</h3>');
    expect(en).toContain('<span class="pt">Don&#39;t know</span>');
  });

  it('stores a grouped matrix per row and "Bilgim yok" as not applicable, wherever its column is shown', async () => {
    const survey = t.catalog.find(SLUG)!;
    const id = await respond(t, survey, {
      ...allValidFields(survey),
      'kurum_yonu.vizyon': '4',
      'kurum_yonu.planlama': '1',
      'hizmet_kalitesi.zabita': 'na',
      'hizmet_kalitesi.itfaiye': '1',
      iletisim_puani: '2',
    });
    const rows = await t.db
      .selectFrom('answers')
      .select(['question_id', 'option_id', 'value', 'not_applicable'])
      .where('response_id', '=', id)
      .where('question_id', 'in', ['kurum_yonu', 'hizmet_kalitesi', 'iletisim_puani'])
      .orderBy('id')
      .execute();
    expect(rows).toEqual([
      { question_id: 'kurum_yonu', option_id: 'vizyon', value: 4, not_applicable: 0 },
      { question_id: 'kurum_yonu', option_id: 'seffaflik', value: 1, not_applicable: 0 },
      { question_id: 'kurum_yonu', option_id: 'planlama', value: 1, not_applicable: 0 },
      { question_id: 'kurum_yonu', option_id: 'koordinasyon', value: 1, not_applicable: 0 },
      { question_id: 'hizmet_kalitesi', option_id: 'zabita', value: null, not_applicable: 1 },
      { question_id: 'hizmet_kalitesi', option_id: 'itfaiye', value: 1, not_applicable: 0 },
      { question_id: 'iletisim_puani', option_id: null, value: 2, not_applicable: 0 },
    ]);
  });
});
