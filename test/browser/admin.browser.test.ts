/// <reference lib="dom" />
// The back office's doors on a phone, in Turkish and in English: the login page (also after a
// wrong password) and a survey's results with their open-answer list; axe-core and lang checked,
// screenshots kept. The report and coding screens have their own browser tests.
import { createI18n } from '../../server/platform/i18n/i18n';
import { insertSyntheticResponses } from '../../server/surveys/synthetic-responses';
import { addUser } from '../helpers/admin';
import { browserSuite, logInPage } from '../helpers/browser';
import { auditPage, phoneContext } from '../helpers/page-audit';

const { translators } = createI18n();
const suite = browserSuite();

it.each(['tr', 'en'] as const)('the login and results pages pass axe-core in %s', async (lang) => {
  const tr = translators[lang];
  const survey = suite.t.catalog.find('vatandas-anketi')!;
  await insertSyntheticResponses(suite.t.db, survey, { count: 60, seed: 3 });
  const context = await phoneContext(suite.browser, { lang });
  const page = await context.newPage();
  const problems: string[] = [];
  const check = async (name: string) => problems.push(...(await auditPage(page, `admin-${name}-${lang}`, { lang, admin: true })));

  await page.goto(`${suite.url}/admin/login?lang=${lang}`);
  expect(await page.locator('h1').textContent()).toBe(tr('admin:login.title'));
  await check('login');
  const user = await addUser(suite.t, 'viewer');
  await page.fill('#email', user.email);
  await page.fill('#password', 'not the password');
  await page.locator('form[action="/admin/login"] button[type="submit"]').click();
  await page.waitForLoadState();
  expect(await page.locator('.error-summary[role="alert"]').count()).toBe(1);
  await check('login-refused');

  await logInPage(suite, page, 'viewer');
  await page.goto(`${suite.url}/admin/surveys/vatandas-anketi/results`);
  expect(await page.locator('.lead').textContent()).toBe(tr('results:responses_counted', { count: 60 }));
  await check('results');
  const open = survey.sections.flatMap((s) => s.questions).find((q) => q.kind === 'long_text')!;
  await page.goto(`${suite.url}/admin/surveys/vatandas-anketi/results/texts/${open.id}`);
  await check('results-texts');

  expect(problems).toEqual([]);
  await context.close();
}, 60_000);
