/// <reference lib="dom" />
// The fast entry grid in a real browser with its script: a clerk types option numbers, Enter
// moves from cell to cell, the row is saved when finished and the running count goes up; a wrong
// number is marked in its cell. axe-core on the grid, the double-entry and the correction pages, in
// both languages.
import { createI18n } from '../../server/platform/i18n/i18n';
import { browserSuite, logInPage } from '../helpers/browser';
import { auditPage } from '../helpers/page-audit';

const { translators } = createI18n();
const suite = browserSuite();

it.each(['tr', 'en'] as const)('saves a row typed with numbers and Enter, marks a wrong cell, and passes axe-core in %s', async (lang) => {
  const tr = translators[lang];
  const context = await suite.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: lang === 'tr' ? 'tr-TR' : 'en-GB' });
  const page = await context.newPage();
  const problems: string[] = [];
  const check = async (name: string) => problems.push(...(await auditPage(page, `entry-grid-${name}-${lang}`, { lang, admin: true })));
  await logInPage(suite, page, 'planner');
  await page.goto(`${suite.url}/admin/surveys/vatandas-anketi?lang=${lang}`);
  await page.getByRole('link', { name: tr('entry_grid:link') }).click();
  await page.waitForURL(/\/grid$/);
  await check('empty');

  // Form 101: gender 2, age group 3, then straight to the row's last cell and Enter.
  await page.focus('#g-0-form');
  await page.keyboard.type('101');
  await page.keyboard.press('Enter');
  expect(await page.evaluate(() => document.activeElement?.id)).toBe('g-0-1');
  await page.keyboard.type('2');
  await page.keyboard.press('Enter');
  expect(await page.evaluate(() => document.activeElement?.id)).toBe('g-0-2');
  await page.keyboard.type('3');
  const lastCell = page.locator('tr[data-row="0"] input.cell').last();
  await lastCell.focus();
  await page.keyboard.press('Enter');
  await page.locator('tr[data-row="0"].saved').waitFor();
  expect(await page.locator('#grid-count').textContent()).toBe(tr('entry_grid:count', { count: 1 }));
  expect(await page.locator('tr[data-row="0"] .row-status').textContent()).toBe(tr('entry_grid:row_saved', { number: '101' }));
  expect(await page.evaluate(() => document.activeElement?.id)).toBe('g-1-form');

  // Form 102 with an option that does not exist: the cell says why; nothing is stored for it.
  await page.keyboard.type('102');
  await page.keyboard.press('Enter');
  await page.keyboard.type('9');
  await page.locator('tr[data-row="1"] input.cell').last().focus();
  await page.keyboard.press('Enter');
  await page.locator('tr[data-row="1"].refused').waitFor();
  expect(await page.locator('#g-1-1-error').textContent()).toBe(tr('entry_grid:errors.no_such_option', { number: 9, max: 3 }));
  expect(await page.locator('#g-1-1').getAttribute('aria-invalid')).toBe('true');
  await check('refused-row');

  // Corrected, it is saved when the clerk moves on to another row; looking at the legend does not.
  await page.fill('#g-1-1', '1');
  await page.locator('.grid-legend summary').focus();
  expect(await page.locator('tr[data-row="1"] .row-status').textContent()).toBe(tr('entry_grid:row_refused'));
  await page.focus('#g-2-form');
  await page.locator('tr[data-row="1"].saved').waitFor();
  expect(await page.locator('#grid-count').textContent()).toBe(tr('entry_grid:count', { count: 2 }));

  // Ctrl+Enter finishes a row whose remaining questions are blank on the paper.
  await page.keyboard.type('103');
  await page.keyboard.press('Enter');
  await page.keyboard.type('1');
  await page.keyboard.press('Control+Enter');
  await page.locator('tr[data-row="2"].saved').waitFor();
  expect(await page.locator('#grid-count').textContent()).toBe(tr('entry_grid:count', { count: 3 }));
  expect(await page.evaluate(() => document.activeElement?.id)).toBe('g-3-form');

  const stored = await suite.t.db.selectFrom('responses').select(['id', 'channel', 'status']).orderBy('id').execute();
  expect(stored).toHaveLength(3);
  expect(stored.every((r) => r.channel === 'paper' && r.status === 'complete')).toBe(true);
  const genders = await suite.t.db.selectFrom('answers').select(['response_id', 'option_id']).where('question_id', '=', 'cinsiyet').orderBy('response_id').execute();
  const survey = suite.t.catalog.find('vatandas-anketi')!;
  const cinsiyet = survey.sections[0]!.questions[0] as { options: { id: string }[] };
  expect(genders.map((g) => g.option_id)).toEqual([cinsiyet.options[1]!.id, cinsiyet.options[0]!.id, cinsiyet.options[0]!.id]);

  await page.goto(`${suite.url}/admin/surveys/vatandas-anketi/grid/compare?batch=`);
  await check('compare');
  await page.goto(`${suite.url}/admin/surveys/vatandas-anketi/grid/forms/${stored[0]!.id}`);
  expect(await page.inputValue('#c-1')).toBe('2');
  await check('correct');
  expect(problems).toEqual([]);
  await context.close();
}, 90_000);
