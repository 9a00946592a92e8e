/// <reference lib="dom" />
// The findings page with its drafted findings and the finding form's evidence picker in chromium:
// no axe-core WCAG 2.1 A/AA violations, and, without JavaScript, a table's rows opened and a row
// ticked with the keyboard alone, the finding saved with it.
import { auditPage } from '../../helpers/page-audit';
import { browserSuite, logInPage } from '../../helpers/browser';
import { addUser, logIn } from '../../helpers/admin';
import { acceptSwotCandidates, REPORT_DAY, REPORT_SURVEYS, seedReport } from '../../helpers/report';

const suite = browserSuite({ surveysDir: REPORT_SURVEYS });

beforeEach(async () => {
  await seedReport(suite.t);
  suite.t.clock.now = REPORT_DAY;
  // Weaknesses are drafted from T16, which holds only reviewed statements.
  await acceptSwotCandidates(await logIn(suite.t, await addUser(suite.t, 'planner')));
}, 60_000);

it.each(['tr', 'en'] as const)('the findings page, a draft opened in the form and the form with errors pass axe-core in %s', async (lang) => {
  const context = await suite.browser.newContext({ locale: lang === 'tr' ? 'tr-TR' : 'en-GB', viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await logInPage(suite, page);
  const problems: string[] = [];
  const check = async (name: string) => problems.push(...(await auditPage(page, `admin-findings-${name}-${lang}`, { lang, admin: true })));

  await page.goto(`${suite.url}/admin/report/findings?lang=${lang}`);
  expect(await page.locator('li.draft').count()).toBe(3);
  await check('page');
  await page.goto(`${suite.url}/admin/report/findings/new?draft=under-represented-mahalles`);
  expect(await page.locator('input[name="evidence"]:checked').count()).toBe(1);
  await check('draft-form');
  await page.fill('#f-finding', '');
  await page.locator('form.finding-form button[type="submit"]').click();
  await page.waitForLoadState();
  expect(await page.locator('.error-summary').count()).toBe(1);
  await check('form-errors');

  expect(problems).toEqual([]);
  await context.close();
}, 60_000);

it('without JavaScript, a table is opened and a row ticked with the keyboard, and the finding is saved with it', async () => {
  const context = await suite.browser.newContext({ locale: 'tr-TR', javaScriptEnabled: false, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await logInPage(suite, page);
  await page.goto(`${suite.url}/admin/report/findings/new`);
  await page.fill('#f-finding', 'Merkez en çok katılan mahalle');
  await page.fill('#f-need', 'Diğer mahallelerde tanıtım');
  const t9 = page.locator('fieldset.evidence-table', { has: page.locator('legend', { hasText: 'Tablo 9:' }) });
  const merkez = t9.locator('input[value="T9|merkez"]');
  expect(await merkez.isVisible()).toBe(false);
  await t9.locator('summary').focus();
  await page.keyboard.press('Enter');
  expect(await merkez.isVisible()).toBe(true);
  await page.keyboard.press('Tab');
  expect(await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.value)).toBe('T9|merkez');
  await page.keyboard.press('Space');
  expect(await merkez.isChecked()).toBe(true);
  await page.locator('form.finding-form button[type="submit"]').focus();
  await Promise.all([page.waitForURL(/\/admin\/report\/findings$/), page.keyboard.press('Enter')]);

  const evidence = await suite.t.db.selectFrom('finding_evidence').select(['table_key', 'row_key']).execute();
  expect(evidence).toEqual([{ table_key: 'T9', row_key: 'merkez' }]);
  await context.close();
}, 60_000);
