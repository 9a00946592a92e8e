/// <reference lib="dom" />
// The report page in chromium: with JavaScript the figures are Chart.js canvases drawn from the
// same configuration as the PNGs, which stay the figures in print and without JavaScript. No
// WCAG 2.1 A/AA violations.
import { stakeholderService } from '../../../server/stakeholders';
import { insertSyntheticResponses } from '../../../server/surveys/synthetic-responses';
import { axeViolations, browserSuite, logInPage, screenshot } from '../../helpers/browser';

const suite = browserSuite();

async function seed(): Promise<void> {
  const t = suite.t;
  await insertSyntheticResponses(t.db, t.catalog.find('vatandas-anketi')!, { count: 200, seed: 5 });
  const actor = { userId: null, email: 'test', ip: null };
  for (const [name, importance, influence] of [['Yeşilvadi Üniversitesi', 5, 4], ['Mimarlar Odası', 4, 2], ['Çevre Derneği', 2, 4]] as const) {
    await stakeholderService.create(
      t.db,
      { name, group: 'stk', scope: 'external', type: null, emails: [], contactPerson: null, areas: ['park_bahce'], reason: null, importance, influence, language: 'tr' },
      actor,
      t.clock.now,
    );
  }
}


it('draws the figures with Chart.js, keeps the PNGs for print, and has no axe violations', async () => {
  await seed();
  const context = await suite.browser.newContext({ locale: 'tr-TR', viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await logInPage(suite, page);
  await page.goto(`${suite.url}/admin/report`);
  await page.waitForFunction(() => document.querySelectorAll('figure[data-figure] canvas').length === 3);
  const drawn = await page.evaluate(() => Array.from(document.querySelectorAll('figure[data-figure] canvas')).map((c) => (c as HTMLCanvasElement).width > 0));
  expect(drawn).toEqual([true, true, true]);
  expect(await page.locator('figure[data-figure] img').first().isVisible()).toBe(false);
  expect(await axeViolations(page)).toEqual([]);
  await screenshot(page, 'admin-report');

  await page.emulateMedia({ media: 'print' });
  expect(await page.locator('figure[data-figure] img').first().isVisible()).toBe(true);
  expect(await page.locator('figure[data-figure] canvas').first().isVisible()).toBe(false);
  expect(await page.locator('header.site').isVisible()).toBe(false);
  await context.close();
});

it('without JavaScript the server-drawn PNGs are the figures', async () => {
  await seed();
  const context = await suite.browser.newContext({ locale: 'tr-TR', javaScriptEnabled: false });
  const page = await context.newPage();
  await logInPage(suite, page);
  await page.goto(`${suite.url}/admin/report`);
  const images = await page.evaluate(() => Array.from(document.querySelectorAll('figure[data-figure] img')).map((img) => (img as HTMLImageElement).naturalWidth));
  expect(images).toEqual([1200, 1200, 1200]);
  await context.close();
});

it('the template page and the GZFT review have no axe violations, with an upload error shown too', async () => {
  await seed();
  const context = await suite.browser.newContext({ locale: 'tr-TR', viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await logInPage(suite, page);
  await page.goto(`${suite.url}/admin/report/template`);
  expect(await axeViolations(page)).toEqual([]);
  await page.setInputFiles('#template-file', { name: 'notlar.docx', mimeType: 'application/octet-stream', buffer: Buffer.from('bir Word belgesi değil') });
  await Promise.all([page.waitForLoadState('load'), page.locator('form[enctype="multipart/form-data"] button[type="submit"]').click()]);
  expect(await page.locator('.error-summary').innerText()).toContain('Word belgesi (.docx) değil');
  expect(await axeViolations(page)).toEqual([]);
  await page.goto(`${suite.url}/admin/report/swot`);
  expect(await axeViolations(page)).toEqual([]);
  await context.close();
});
