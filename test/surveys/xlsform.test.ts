import request from 'supertest';
import { addUser, logIn } from '../helpers/admin';
import { BUNDLED_SURVEYS, createTestApp, FIXTURE_SURVEYS, type TestApp } from '../helpers/test-app';
import { loadCatalog } from '../../server/surveys/survey-catalog';
import { allQuestions, type Question, type Survey } from '../../server/surveys/survey-definition';
import { conditionOf, readXlsForm, toXlsForm, writeXlsForm, type SheetRows } from '../../server/surveys/xlsform';

const bundled = loadCatalog(BUNDLED_SURVEYS).surveys;
const fixture = loadCatalog(FIXTURE_SURVEYS).find('tum-soru-tipleri')!;

/** The survey sheet's rows as objects keyed by header. */
const records = (rows: SheetRows): Record<string, string>[] =>
  rows.slice(1).map((row) => Object.fromEntries(rows[0]!.map((header, i) => [header, row[i] ?? ''])));

const EXPECTED_TYPE: Record<Question['kind'], RegExp> = {
  single_choice: /^select_one \S+( or_other)?$/,
  multiple_choice: /^select_multiple \S+( or_other)?$/,
  select: /^select_one \S+( or_other)?$/,
  likert_matrix: /^begin_group$/,
  rating: /^select_one \S+_scale$/,
  ranking: /^rank \S+$/,
  short_text: /^text$/,
  long_text: /^text$/,
  number: /^(integer|decimal)$/,
  date: /^date$/,
};

describe('XLSForm export', () => {
  it.each([...bundled, fixture].map((s) => [s.slug, s] as const))('writes %s as survey, choices and settings sheets that read back with every question', async (_slug, survey) => {
    const sheets = await readXlsForm(await writeXlsForm(toXlsForm(survey)));
    expect(Object.keys(sheets)).toEqual(['survey', 'choices', 'settings']);
    expect(sheets.survey![0]).toEqual(expect.arrayContaining(['type', 'name', 'label::Türkçe (tr)', 'hint::Türkçe (tr)', 'required', 'relevant', 'constraint', 'appearance', 'paydas']));
    expect(sheets.choices![0]!.slice(0, 3)).toEqual(['list_name', 'name', 'label::Türkçe (tr)']);
    expect(sheets.choices![0]!.at(-1)).toBe('paydas');
    expect(sheets.settings![0]).toEqual(['form_title', 'form_id', 'default_language', 'version', 'paydas']);
    expect(sheets.settings![1]!.slice(0, 3)).toEqual([survey.title.tr, survey.slug.replace(/-/g, '_'), 'Türkçe (tr)']);

    const rows = records(sheets.survey!);
    const listNames = new Set(records(sheets.choices!).map((c) => c.list_name));
    for (const question of allQuestions(survey)) {
      const row = rows.find((r) => r.name === question.id && r.type !== 'end_group')!;
      expect([question.id, row.type]).toEqual([question.id, expect.stringMatching(EXPECTED_TYPE[question.kind])]);
      expect(row!['label::Türkçe (tr)']).toBe(question.text.tr);
      expect(row!.required).toBe(question.kind === 'likert_matrix' ? '' : question.required ? 'yes' : '');
      const list = row.type!.split(' ')[1];
      if (list) expect(listNames).toContain(list);
      if (question.kind === 'likert_matrix') {
        expect(row!.appearance).toBe('field-list');
        const matrixRows = rows.filter((r) => r.name!.startsWith(`${question.id}_`) && r.type!.startsWith('select_one'));
        expect(matrixRows.map((r) => r.name)).toEqual(question.rows.map((r) => `${question.id}_${r.id}`));
        expect(new Set(matrixRows.map((r) => r.type))).toEqual(new Set([`select_one ${question.id}_scale`]));
      }
    }
    // Groups balance: every begin_group has its end_group.
    expect(rows.filter((r) => r.type === 'begin_group').length).toBe(rows.filter((r) => r.type === 'end_group').length);
    expect(rows.filter((r) => r.type === 'begin_group').length).toBeGreaterThanOrEqual(survey.sections.length);
  });

  it('writes conditions as relevant expressions and bounds as constraints', () => {
    const rows = records(toXlsForm(fixture).survey);
    const byName = (name: string) => rows.find((r) => r.name === name)!;
    for (const question of allQuestions(fixture).filter((q) => q.showWhen)) {
      expect(conditionOf(byName(question.id).relevant!)).toEqual(question.showWhen);
    }
    expect(byName('yas')).toMatchObject({ type: 'integer', constraint: '. >= 18 and . <= 99', required: 'yes' });
    expect(byName('tarih')).toMatchObject({ type: 'date', constraint: ". >= date('2020-01-01') and . <= date('2026-12-31')" });
    expect(byName('ulasim')).toMatchObject({ type: 'select_multiple ulasim or_other', constraint: 'count-selected(.) >= 1 and count-selected(.) <= 2' });
    expect(byName('gorus')).toMatchObject({ type: 'text', appearance: 'multiline', constraint: 'string-length(.) <= 50' });
  });
});

describe('the paydas column', () => {
  const sheets = toXlsForm(fixture);
  const paydas = (rows: SheetRows, match: (r: Record<string, string>) => boolean) => {
    const cell = records(rows).find(match)!.paydas!;
    return cell === '' ? {} : (JSON.parse(cell) as Record<string, unknown>);
  };
  const question = (name: string) => paydas(sheets.survey, (r) => r.name === name && r.type !== 'end_group');

  it('holds what the standard columns cannot say, and nothing they do say', () => {
    expect(question('mahalle')).toEqual({ role: 'profile.mahalle' });
    expect(question('oncelik')).toEqual({ other: false, rankCount: 2, role: 'priority' });
    expect(question('memnuniyet')).toEqual({ role: 'satisfaction' });
    expect(question('gorus')).toEqual({ role: 'open.improve' });
    expect(question('yas')).toEqual({});
    expect(question('puan')).toEqual({});
    expect(paydas(sheets.choices, (r) => r.list_name === 'ulasim' && r.name === 'hicbiri')).toEqual({ exclusive: true });
    expect(paydas(sheets.choices, (r) => r.list_name === 'ulasim' && r.name === 'metro')).toEqual({});
    expect(paydas(sheets.settings, () => true)).toEqual({
      title: { en: 'Every question kind' },
      intro: fixture.intro,
      audience: fixture.audience,
      opensAt: fixture.opensAt,
      closesAt: fixture.closesAt,
      anonymous: fixture.anonymous,
      oneResponsePerBrowser: fixture.oneResponsePerBrowser,
    });
  });

  it('carries a field added to questions, options and sections later without any change to the export', () => {
    const future = structuredClone(fixture) as unknown as { sections: ({ note: string; questions: Record<string, unknown>[] })[] };
    future.sections[0]!.note = 'bölüm';
    future.sections[0]!.questions[0]!.someday = { nested: [1, 2] };
    const sheet = toXlsForm(future as unknown as Survey);
    expect(paydas(sheet.survey, (r) => r.name === fixture.sections[0]!.id && r.type === 'begin_group')).toEqual({ note: 'bölüm' });
    expect(paydas(sheet.survey, (r) => r.name === fixture.sections[0]!.questions[0]!.id)).toMatchObject({ someday: { nested: [1, 2] } });
  });
});

describe('GET /admin/surveys/:slug/export.xlsform.xlsx', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp({ surveysDir: FIXTURE_SURVEYS });
  });
  afterEach(async () => {
    expect(t.logged).toEqual([]);
    await t.close();
  });
  const binary = (res: request.Response, done: (error: Error | null, body: Buffer) => void) => {
    const chunks: Buffer[] = [];
    const stream = res as unknown as NodeJS.ReadableStream;
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => done(null, Buffer.concat(chunks)));
  };

  it('gives a planner the survey as an XLSForm workbook', async () => {
    const agent = await logIn(t, await addUser(t, 'planner'));
    const res = await agent.get('/admin/surveys/tum-soru-tipleri/export.xlsform.xlsx').buffer(true).parse(binary);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml.sheet');
    expect(res.headers['content-disposition']).toContain('tum-soru-tipleri.xlsform.xlsx');
    const sheets = await readXlsForm(res.body as Buffer);
    expect(sheets.survey).toEqual(toXlsForm(t.catalog.find('tum-soru-tipleri')!).survey);
    const page = await agent.get('/admin/surveys/tum-soru-tipleri');
    expect(page.text).toContain('href="/admin/surveys/tum-soru-tipleri/export.xlsform.xlsx"');
  });

  it('refuses a viewer with 403 and does not show them the link', async () => {
    const agent = await logIn(t, await addUser(t, 'viewer'));
    expect((await agent.get('/admin/surveys/tum-soru-tipleri/export.xlsform.xlsx')).status).toBe(403);
    expect((await agent.get('/admin/surveys/tum-soru-tipleri')).text).not.toContain('export.xlsform.xlsx');
  });
});

