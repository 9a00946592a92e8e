/// <reference lib="dom" />
// Splitting an answer and coding its parts in chromium with plain forms (no script drives them);
// the screens and the coverage page checked with axe-core.
import { axeViolations, browserSuite, logInPage } from '../../helpers/browser';
import { addResponse, addTheme, CITIZEN, IMPROVE } from '../../helpers/coding';

const suite = browserSuite();
const CODING = `/admin/surveys/${CITIZEN}/coding`;

it('splits a list answer, codes each part and counts the answer coded, with no WCAG 2.1 A/AA violations', async () => {
  const t = suite.t;
  const cop = await addTheme(t, CITIZEN, 'Çöp toplama');
  const park = await addTheme(t, CITIZEN, 'Parklar');
  const answer = (await addResponse(t, CITIZEN, { [IMPROVE]: '1) Çöpler birikiyor\n2) Parklar karanlık' })).answerIds[IMPROVE]!;
  const context = await suite.browser.newContext({ locale: 'tr-TR' });
  const page = await context.newPage();
  await logInPage(suite, page);

  await page.goto(`${suite.url}${CODING}`);
  await page.locator('#split summary').click();
  expect(await page.locator('#split-parts').inputValue()).toBe('Çöpler birikiyor\nParklar karanlık');
  expect(await axeViolations(page)).toEqual([]);
  await page.getByRole('button', { name: 'Parçalara böl' }).click();
  await page.waitForSelector('#segments-heading');
  expect(await page.locator('.flash').textContent()).toBe('Yanıt 2 parçaya bölündü.');
  expect(await axeViolations(page)).toEqual([]);

  const forms = page.locator('form[id^="segment-"]');
  await forms.nth(0).locator(`input[value="${cop}"]`).check();
  await forms.nth(0).getByRole('button', { name: 'Parçayı kaydet' }).click();
  await page.waitForSelector('text=Parça kodlandı');
  await page.locator('form[id^="segment-"]').nth(1).locator(`input[value="${park}"]`).check();
  await page.locator('form[id^="segment-"]').nth(1).getByRole('button', { name: 'Parçayı kaydet' }).click();
  await page.waitForSelector('text=Kodlanacak yanıt kalmadı');

  const codes = await t.db.selectFrom('answer_codes').select('theme_id').where('answer_id', '=', answer).orderBy('theme_id').execute();
  expect(codes.map((c) => c.theme_id)).toEqual([cop, park].sort((a, b) => a - b));

  await page.goto(`${suite.url}/admin/surveys/${CITIZEN}/coding-coverage`);
  expect(await page.locator(`tr[data-question="${IMPROVE}"] td`).allTextContents()).toEqual(['1', '1', '0', '100,0', '1', '2', '2']);
  expect(await axeViolations(page)).toEqual([]);
  await context.close();
});
