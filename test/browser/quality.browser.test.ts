/// <reference lib="dom" />
// The quality review screen on a phone without the site's scripts, in Turkish and in English: axe-core and
// lang checked; two flagged responses ticked and excluded with the one form.
import request from 'supertest';
import { createI18n } from '../../server/platform/i18n/i18n';
import { browserSuite, logInPage } from '../helpers/browser';
import { auditPage, phoneContext } from '../helpers/page-audit';
import { completeSurvey } from '../helpers/survey-walker';

const { translators } = createI18n();
const suite = browserSuite();

it.each(['tr', 'en'] as const)('the review screen passes axe-core in %s and excludes the ticked responses without JavaScript', async (lang) => {
  const tr = translators[lang];
  const survey = suite.t.catalog.find('vatandas-anketi')!;
  // A script's responses: every page at once, the same answers.
  for (let i = 0; i < 3; i++) await completeSurvey(request.agent(suite.t.app), survey);
  const ids = (await suite.t.db.selectFrom('responses').select('id').where('excluded_at', 'is', null).orderBy('id', 'desc').limit(3).execute()).map((r) => r.id);
  const context = await phoneContext(suite.browser, { lang, javaScript: 'blocked' });
  const page = await context.newPage();
  await logInPage(suite, page, 'planner');
  await page.goto(`${suite.url}/admin/surveys/vatandas-anketi/quality?lang=${lang}`);
  expect(await page.locator('h1').textContent()).toContain(tr('admin:quality.title'));
  const problems = await auditPage(page, `admin-quality-${lang}`, { lang, admin: true });
  expect(problems).toEqual([]);

  await page.locator(`#pick-speeder-${ids[0]}`).check();
  await page.locator(`#pick-speeder-${ids[1]}`).check();
  await page.locator('button[name="decision"][value="exclude"]').click();
  await page.waitForLoadState();
  expect(await page.locator('body').textContent()).toContain(tr('admin:quality.excluded', { count: 2, skipped: 0 }));
  const excluded = await suite.t.db.selectFrom('responses').select(['id', 'exclusion_reason']).where('id', 'in', ids).where('excluded_at', 'is not', null).orderBy('id').execute();
  expect(excluded).toEqual([ids[1], ids[0]].map((id) => ({ id, exclusion_reason: 'quality' })));
  await context.close();
}, 90_000);
