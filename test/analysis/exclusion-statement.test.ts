// The results page, the exports and the report say how many responses were excluded and why.
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { exclusionStatement } from '../../server/analysis/exclusion-statement';
import { createI18n } from '../../server/platform/i18n/i18n';
import { addUser, csrfFrom, downloadWorkbook, logIn } from '../helpers/admin';
import { encodeForm } from '../helpers/forms';
import { completeSurvey } from '../helpers/survey-walker';
import { createTestApp, type TestApp } from '../helpers/test-app';

describe('exclusionStatement', () => {
  const i18n = createI18n();
  const t = (key: string, params?: Record<string, unknown>) => String(i18n.translators.tr(key, params ?? {}));
  it('counts every reason in their order, and says so when none are excluded', () => {
    expect(exclusionStatement(new Map([['quality', 5], ['test', 2], ['spam', 0]]), t)).toBe(
      'Tamamlanmış 7 yanıt sonuçlara ve dışa aktarımlara katılmadı (Deneme: 2, Kalite kontrolünde işaretlendi: 5).',
    );
    expect(exclusionStatement(new Map(), t)).toBe('Hiçbir yanıt sonuçların dışında tutulmadı.');
  });
});

describe('exclusions in the results, exports and report', () => {
  let t: TestApp;
  let agent: TestAgent;
  const SLUG = 'vatandas-anketi';
  beforeAll(async () => {
    t = await createTestApp();
    agent = await logIn(t, await addUser(t, 'planner'));
    const survey = t.catalog.find(SLUG)!;
    for (let i = 0; i < 4; i++) await completeSurvey(request.agent(t.app), survey);
    const ids = (await t.db.selectFrom('responses').select('id').orderBy('id').execute()).map((r) => r.id);
    // Two excluded on review of their quality flags, one as a test by hand.
    const token = csrfFrom((await agent.get(`/admin/surveys/${SLUG}/quality`)).text);
    await agent.post(`/admin/surveys/${SLUG}/quality`).type('form').send(encodeForm({ _csrf: token, ids: [String(ids[0]), String(ids[1])], decision: 'exclude', reason: 'quality' }));
    const page = `/admin/surveys/${SLUG}/responses/${ids[2]}`;
    await agent.post(`${page}/exclude`).type('form').send({ _csrf: csrfFrom((await agent.get(page)).text), reason: 'test' });
  });
  afterAll(async () => {
    await t.close();
  });
  const statement = 'Tamamlanmış 3 yanıt sonuçlara ve dışa aktarımlara katılmadı (Deneme: 1, Kalite kontrolünde işaretlendi: 2).';

  it('the results page', async () => {
    const page = await agent.get(`/admin/surveys/${SLUG}/results`);
    expect(page.text).toContain(statement);
  });

  it('the results workbook, on its summary sheet', async () => {
    const { book } = await downloadWorkbook(agent, `/admin/surveys/${SLUG}/export/results.xlsx`);
    const cells: unknown[] = [];
    book.worksheets[0]!.eachRow((row) => row.eachCell((cell) => cells.push(cell.value)));
    expect(cells).toContain(statement);
  });

  it('the responses workbook, on a sheet of its own with a row per reason', async () => {
    const { book } = await downloadWorkbook(agent, `/admin/surveys/${SLUG}/export/responses.xlsx`);
    const sheet = book.getWorksheet('Hariç tutulanlar')!;
    const rows: unknown[][] = [];
    sheet.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
    expect(rows).toEqual([[statement], ['Gerekçe', 'Yanıt sayısı'], ['Deneme', 1], ['Kalite kontrolünde işaretlendi', 2], ['Toplam', 3]]);
    // The responses themselves leave the excluded ones out.
    const responses: unknown[] = [];
    book.worksheets[0]!.eachRow((row, n) => n > 1 && responses.push(row.getCell(1).value));
    expect(responses).toHaveLength(1);
  });

  it('the report, under its survey table', async () => {
    const page = await agent.get('/admin/report');
    expect(page.text).toContain('Geçersiz sayılan 3 yanıt sayılara katılmamıştır (Deneme: 1, Kalite kontrolünde işaretlendi: 2).');
  });
});
