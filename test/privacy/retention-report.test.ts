// Anonymising personal data keeps every aggregated number: the stakeholder analysis report (T1–T17,
// with T14 on invitations and T15 on meetings), the meetings' outcomes and the pages planners read
// are the same before and after, over the hand-counted consultation of test/helpers/report.ts.
import type TestAgent from 'supertest/lib/agent';
import { tablesOf, type Report } from '../../server/analysis/report/report-model';
import { loadOutcomes } from '../../server/meetings';
import { createI18n } from '../../server/platform/i18n/i18n';
import { retentionService } from '../../server/privacy';
import { addUser, logIn } from '../helpers/admin';
import { builtReport, REPORT_DAY, REPORT_SURVEYS, type Seeded, seedReport } from '../helpers/report';
import { createTestApp, type TestApp } from '../helpers/test-app';

const i18n = createI18n();
const ctx = { retentionMonths: 12, timeZone: 'Europe/Istanbul' };
const actor = { userId: null, email: 'test', ip: null };
let t: TestApp;
let seeded: Seeded;

beforeAll(async () => {
  t = await createTestApp({ surveysDir: REPORT_SURVEYS });
  seeded = await seedReport(t);
  t.clock.now = REPORT_DAY;
}, 60_000);
afterAll(async () => {
  expect(t.logged).toEqual([]);
  await t.close();
});

async function build(): Promise<Report> {
  return builtReport(t);
}

/** The numbers a page shows: every cell of its tables, without tokens or timestamps of the request. */
async function pageTables(agent: TestAgent, url: string): Promise<string[]> {
  const page = await agent.get(url);
  expect(page.status).toBe(200);
  return [...page.text.matchAll(/<table[\s\S]*?<\/table>/g)].map((m) => m[0].replace(/name="_csrf" value="[^"]*"/g, ''));
}

it('changes no number in the report, the meetings\' outcomes or the results pages', async () => {
  const planner = await logIn(t, await addUser(t, 'planner'));
  const pages = ['/admin/meetings/outcomes', `/admin/meetings/${seeded.meetings[0]}/outcomes`, '/admin/opinions/rapor-kurum-formu/record', '/admin/surveys/rapor-anketi/results', '/admin/report'];
  const before = {
    report: await build(),
    outcomes: await loadOutcomes(t.db, { heldBy: REPORT_DAY }),
    pages: await Promise.all(pages.map((url) => pageTables(planner, url))),
  };
  expect(tablesOf(before.report).find((table) => table.id === 'T15')!.rows.length).toBe(2);
  expect(before.pages.map((tables) => tables.length > 0)).toEqual(pages.map(() => true));

  expect((await retentionService.setAdoptionDate(t.db, ctx, '2026-12-10', actor, REPORT_DAY)).kind).toBe('saved');
  const run = await retentionService.runNow(t.db, ctx, actor, new Date('2027-12-10T09:00:00+03:00'));
  // Not vacuous: the sign-ups and invitations behind T14 and T15 were anonymised.
  expect(run).toMatchObject({ kind: 'ran', counts: { registrations: 3, invitations: 3 } });
  expect(await t.db.selectFrom('meeting_registrations').select(['name', 'phone']).distinct().execute()).toEqual([{ name: 'Anonim', phone: null }]);
  expect(await t.db.selectFrom('invitations').select('email').distinct().execute()).toEqual([{ email: '' }]);

  expect(await build()).toEqual(before.report);
  expect(await loadOutcomes(t.db, { heldBy: REPORT_DAY })).toEqual(before.outcomes);
  expect(await Promise.all(pages.map((url) => pageTables(planner, url)))).toEqual(before.pages);
});
