// T16, the GZFT matrix, over two institutions whose answers are counted by hand: a coded
// multi-line answer keeps its other lines, and a statement two institutions wrote counts twice.
import request from 'supertest';
import * as codingService from '../../../server/analysis/coding/coding.service';
import { buildReport } from '../../../server/analysis/report/report-builder';
import { loadReportData } from '../../../server/analysis/report/report-data';
import { tablesOf, type Report, type TableId } from '../../../server/analysis/report/report-model';
import * as reportSettings from '../../../server/analysis/report/report-settings';
import { reportWords } from '../../../server/analysis/report/report-words';
import { invitationService } from '../../../server/opinions';
import { createI18n } from '../../../server/platform/i18n/i18n';
import { stakeholderService, type StakeholderGroup } from '../../../server/stakeholders';
import type { Fields } from '../../helpers/forms';
import { mailedLink } from '../../helpers/invitation';
import { REPORT_SURVEYS } from '../../helpers/report';
import { completeSurvey } from '../../helpers/survey-walker';
import { createTestApp, TEST_BASE_URL, type TestApp } from '../../helpers/test-app';

const i18n = createI18n();
const actor = { userId: null, email: 'test', ip: null };
let t: TestApp;

beforeEach(async () => {
  t = await createTestApp({ surveysDir: REPORT_SURVEYS });
});
afterEach(async () => {
  expect(t.logged).toEqual([]);
  await t.close();
});

async function institutionAnswers(name: string, group: StakeholderGroup, fields: Fields): Promise<number> {
  const id = await stakeholderService.create(
    t.db,
    { name, group, scope: 'external', type: null, emails: [`${name.length}@example.org`], contactPerson: null, areas: [], reason: null, importance: 3, influence: 3, language: 'tr' },
    actor,
    t.clock.now,
  );
  const form = t.catalog.find('rapor-kurum-formu')!;
  await invitationService.invite(t.db, { mailer: t.mailer, baseUrl: TEST_BASE_URL }, { survey: form, stakeholderIds: [id], deadline: '2026-12-31T20:00:00.000Z', reminderDays: null, actor, now: t.clock.now });
  await completeSurvey(request.agent(t.app), form, () => ({ 'oncelik.1': 'yollar', ...fields }), await mailedLink(t, '/gorus/'));
  return id;
}

/** The university's threat answer is coded "Deprem ve afet riski"; the chamber's stays uncoded. */
async function seedTwoInstitutions(): Promise<void> {
  await institutionAnswers('Deneme Üniversitesi', 'universite', {
    guclu: 'Genç nüfus',
    tehdit: 'Deprem riski\nYeşil alanların yapılaşmaya açılması\nRant odaklı dönüşüm baskısı',
  });
  await institutionAnswers('Mimarlar Odası', 'meslek_odasi', { tehdit: 'Yeşil alanların yapılaşmaya açılması.\nDeprem riski taşıyan yapı stoku' });
  const theme = await codingService.createTheme(t.db, 'rapor-kurum-formu', { name: 'Deprem ve afet riski', areaId: null, swotKind: 'threat', keywords: ['deprem'] }, actor, t.clock.now);
  if (theme.kind !== 'saved') throw new Error(theme.kind);
  const answer = await t.db.selectFrom('answers').innerJoin('responses', 'responses.id', 'answers.response_id').select('answers.id').where('answers.question_id', '=', 'tehdit').orderBy('answers.id').executeTakeFirstOrThrow();
  await codingService.codeAnswer(t.db, 'rapor-kurum-formu', answer.id, [theme.id], null, t.clock.now);
}

async function build(): Promise<Report> {
  const settings = await reportSettings.load(t.db, t.catalog.municipality, t.catalog.surveys);
  return buildReport(await loadReportData(t.db, t.catalog, settings, t.clock.now), reportWords(i18n, 'tr', 'Europe/Istanbul'));
}
const rowsOf = (report: Report, id: TableId) => tablesOf(report).find((table) => table.id === id)!.rows;

describe('T16 over a coded multi-line answer and a statement two institutions wrote', () => {
  it('keeps the lines of a coded answer that name none of its themes', async () => {
    await seedTwoInstitutions();
    const statements = rowsOf(await build(), 'T16').flatMap((row) => row.cells);
    expect(statements).toContain('Rant odaklı dönüşüm baskısı');
  });

  it('counts "Yeşil alanların yapılaşmaya açılması" once per institution that wrote it: 2', async () => {
    await seedTwoInstitutions();
    const row = rowsOf(await build(), 'T16').find((r) => r.cells.some((c) => typeof c === 'string' && c.startsWith('Yeşil alanların yapılaşmaya')));
    expect(row?.cells).toContain(2);
  });
});
