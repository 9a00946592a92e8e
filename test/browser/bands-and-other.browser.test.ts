/// <reference lib="dom" />
// The page script with a banded age and a drop-down with "Diğer": a question shown for one band
// appears and goes as the age is typed, and typing in the drop-down's "Diğer" box chooses "Diğer".
import { browserSuite, fill } from '../helpers/browser';
import { phoneContext } from '../helpers/page-audit';
import { validSectionFields } from '../helpers/survey-walker';
import { FIXTURE_SURVEYS } from '../helpers/test-app';

jest.setTimeout(120_000);

const SLUG = 'tum-soru-tipleri';
const suite = browserSuite({ surveysDir: FIXTURE_SURVEYS });

it('shows the question of a band only for an age in it, and chooses "Diğer" when its box is typed in', async () => {
  const survey = suite.t.catalog.find(SLUG)!;
  const context = await phoneContext(suite.browser, { lang: 'tr' });
  const page = await context.newPage();
  for (const index of [0, 1]) {
    await page.goto(`${suite.url}/anket/${SLUG}/${index + 1}`);
    await fill(page, validSectionFields(survey, index));
    await page.locator('button[value="next"]').click();
    await page.waitForLoadState();
  }
  await page.waitForURL(`**/anket/${SLUG}/3`);
  const question = page.locator('#q-genc_notu');
  expect(await question.isVisible()).toBe(false);
  const age = page.locator('#f-yas_grubu');
  await age.fill('25');
  await age.blur();
  expect(await question.isVisible()).toBe(true);
  await age.fill('40');
  await age.blur();
  expect(await question.isVisible()).toBe(false);
  await age.fill('18');
  await age.blur();
  expect(await question.isVisible()).toBe(true);

  expect(await page.locator('#f-calisma_yeri').inputValue()).toBe('');
  await page.locator('#f-calisma_yeri-other').fill('Kooperatif');
  expect(await page.locator('#f-calisma_yeri').inputValue()).toBe('other');
  await context.close();
});
