/// <reference lib="dom" />
// A planner codes answers from the keyboard in chromium: number keys tick themes, Enter saves and
// moves on; without JavaScript, Tab, Space and Enter do the same. Pages checked with axe-core.
import { axeViolations, browserSuite, logInPage } from '../../helpers/browser';
import { addResponse, addTheme, CITIZEN, IMPROVE } from '../../helpers/coding';

const suite = browserSuite();
const CODING = `/admin/surveys/${CITIZEN}/coding`;


const codesOf = async (answerId: number) =>
  (await suite.t.db.selectFrom('answer_codes').select('theme_id').where('answer_id', '=', answerId).orderBy('theme_id').execute()).map((r) => r.theme_id);
const isCoded = async (answerId: number) => (await suite.t.db.selectFrom('coded_answers').select('answer_id').where('answer_id', '=', answerId).executeTakeFirst()) !== undefined;

it('ticks themes with number keys and saves with Enter, with no WCAG 2.1 A/AA violations', async () => {
  const t = suite.t;
  const cop = await addTheme(t, CITIZEN, 'Çöp toplama', { keywords: ['çöp'] });
  await addTheme(t, CITIZEN, 'Otobüs');
  const park = await addTheme(t, CITIZEN, 'Parklar');
  const first = (await addResponse(t, CITIZEN, { [IMPROVE]: 'Çöpler ve parklar' }, { at: '2026-11-02T08:00:00.000Z' })).answerIds[IMPROVE]!;
  const second = (await addResponse(t, CITIZEN, { [IMPROVE]: 'Otobüs az' }, { at: '2026-11-03T08:00:00.000Z' })).answerIds[IMPROVE]!;
  const context = await suite.browser.newContext({ locale: 'tr-TR' });
  const page = await context.newPage();
  await logInPage(suite, page);

  await page.goto(`${suite.url}/admin/surveys/${CITIZEN}/codebook`);
  expect(await axeViolations(page)).toEqual([]);
  await page.goto(`${suite.url}${CODING}`);
  expect(await page.locator('#coding-keys').isVisible()).toBe(true);
  expect(await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.value)).toBe(String(cop));
  expect(await axeViolations(page)).toEqual([]);

  await page.keyboard.press('1');
  await page.keyboard.press('3');
  await page.keyboard.press('2');
  await page.keyboard.press('2');
  expect(await page.locator('input[name="themes"]:checked').evaluateAll((boxes) => boxes.map((b) => (b as HTMLInputElement).value))).toEqual([String(cop), String(park)]);
  await page.keyboard.press('Enter');
  await page.waitForSelector(`form[action$="/coding/${second}"]`);

  expect(await codesOf(first)).toEqual([cop, park]);
  expect(await page.locator('.flash').textContent()).toBe('Yanıt kodlandı.');

  // Ctrl+Enter also saves; nothing ticked is a review without themes.
  await page.keyboard.press('Control+Enter');
  await page.waitForSelector('text=Kodlanacak yanıt kalmadı');
  expect(await isCoded(second)).toBe(true);
  expect(await codesOf(second)).toEqual([]);
  await context.close();
});

it('works without JavaScript: Space ticks a theme, Tab reaches the save button, Enter presses it', async () => {
  const t = suite.t;
  await addTheme(t, CITIZEN, 'Çöp toplama');
  const park = await addTheme(t, CITIZEN, 'Parklar');
  const answer = (await addResponse(t, CITIZEN, { [IMPROVE]: 'Parklar' })).answerIds[IMPROVE]!;
  const context = await suite.browser.newContext({ locale: 'tr-TR', javaScriptEnabled: false });
  const page = await context.newPage();
  await logInPage(suite, page);
  await page.goto(`${suite.url}${CODING}`);
  expect(await page.locator('#coding-keys').isVisible()).toBe(false);

  await page.locator(`input[name="themes"][value="${park}"]`).focus();
  await page.keyboard.press('Space');
  await page.keyboard.press('Tab');
  expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Kaydet ve sonraki');
  await page.keyboard.press('Enter');
  await page.waitForSelector('text=Kodlanacak yanıt kalmadı');

  expect(await codesOf(answer)).toEqual([park]);
  await context.close();
});

it('previews the search matches as the planner types, "/" jumping to the box, with no axe violations', async () => {
  const t = suite.t;
  await addTheme(t, CITIZEN, 'Çöp toplama', { keywords: ['çöp'] });
  await addResponse(t, CITIZEN, { [IMPROVE]: 'Çöpler geç toplanıyor' });
  await addResponse(t, CITIZEN, { [IMPROVE]: 'Otobüs seferleri az' });
  const context = await suite.browser.newContext({ locale: 'tr-TR' });
  const page = await context.newPage();
  await logInPage(suite, page);
  await page.goto(`${suite.url}/admin/surveys/${CITIZEN}/coding/search?question=${IMPROVE}`);
  expect(await page.locator('#search-results').count()).toBe(0);
  await page.keyboard.press('/');
  expect(await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.name)).toBe('q');
  await page.keyboard.type('cop');
  // No button pressed: the matches come in as the query is typed.
  await page.waitForSelector('#search-results mark');
  expect(await page.locator('#search-results mark').allInnerTexts()).toEqual(['Çöpler']);
  expect(page.url()).toContain('q=cop');
  expect(await axeViolations(page)).toEqual([]);
  await page.keyboard.type(' -geç');
  await page.waitForFunction(() => document.querySelectorAll('#search-results mark').length === 0);
  await context.close();
});
