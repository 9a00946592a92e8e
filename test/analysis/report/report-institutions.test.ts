// T14 when institutions are asked through two forms: one row per institution, and an answer to
// either form counts, with that form's priorities.
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { buildReport } from '../../../server/analysis/report/report-builder';
import { loadReportData } from '../../../server/analysis/report/report-data';
import { tablesOf } from '../../../server/analysis/report/report-model';
import * as reportSettings from '../../../server/analysis/report/report-settings';
import { reportWords } from '../../../server/analysis/report/report-words';
import { invitationService } from '../../../server/opinions';
import { createI18n } from '../../../server/platform/i18n/i18n';
import { stakeholderService } from '../../../server/stakeholders';
import { mailedLink } from '../../helpers/invitation';
import { REPORT_SURVEYS } from '../../helpers/report';
import { completeSurvey } from '../../helpers/survey-walker';
import { createTestApp, tempDir, TEST_BASE_URL, type TestApp } from '../../helpers/test-app';

let t: TestApp;
beforeEach(async () => {
  // The report fixtures plus a second institutional form with its own slug.
  const dir = tempDir('paydas-surveys-');
  for (const file of fs.readdirSync(REPORT_SURVEYS)) fs.copyFileSync(path.join(REPORT_SURVEYS, file), path.join(dir, file));
  const second = JSON.parse(fs.readFileSync(path.join(REPORT_SURVEYS, 'rapor-kurum-formu.json'), 'utf8'));
  fs.writeFileSync(path.join(dir, 'rapor-kurum-formu-2.json'), JSON.stringify({ ...second, slug: 'rapor-kurum-formu-2', title: { tr: 'İkinci Kurum Formu' } }));
  t = await createTestApp({ surveysDir: dir });
});
afterEach(async () => {
  expect(t.logged).toEqual([]);
  await t.close();
});

const actor = { userId: null, email: 'test', ip: null };

async function invite(stakeholderId: number, slug: string): Promise<string> {
  await invitationService.invite(t.db, { mailer: t.mailer, baseUrl: TEST_BASE_URL }, {
    survey: t.catalog.find(slug)!,
    stakeholderIds: [stakeholderId],
    deadline: '2026-12-31T20:00:00.000Z',
    reminderDays: null,
    actor,
    now: t.clock.now,
  });
  return mailedLink(t, '/gorus/');
}

it('gives one row per institution, answered if it answered either form', async () => {
  const oda = await stakeholderService.create(
    t.db,
    { name: 'Ticaret Odası', group: 'meslek_odasi', scope: 'external', type: null, emails: ['oda@example.org'], contactPerson: null, areas: [], reason: null, importance: 4, influence: 4, language: 'tr' },
    actor,
    t.clock.now,
  );
  // The catalog lists rapor-kurum-formu-2 first (file-name order); the answer is to the other one.
  const answered = await invite(oda, 'rapor-kurum-formu');
  await invite(oda, 'rapor-kurum-formu-2');
  await completeSurvey(request.agent(t.app), t.catalog.find('rapor-kurum-formu')!, () => ({ 'oncelik.1': 'parklar', beklenti: 'Yeşil alan' }), answered);

  const settings = await reportSettings.load(t.db, t.catalog.municipality, t.catalog.surveys);
  expect(settings.surveys).toEqual(['rapor-anketi', 'rapor-kurum-formu-2', 'rapor-kurum-formu']);
  const report = buildReport(await loadReportData(t.db, t.catalog, settings, t.clock.now), reportWords(createI18n(), 'tr', 'Europe/Istanbul'));
  const t14 = tablesOf(report).find((table) => table.id === 'T14')!;
  expect(t14.rows.map((row) => row.cells)).toEqual([['Meslek odası', 'Ticaret Odası', '21.11.2026', 'Yanıt verdi', '', '1. Parklar', 'Yeşil alan', '']]);
});
