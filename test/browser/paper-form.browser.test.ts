/// <reference lib="dom" />
// The printable paper questionnaire in chromium: it passes axe-core on screen, and printed to A4
// (test-artifacts/screenshots/paper-form-*.pdf) the back office's header and help are gone, nothing
// is wider than the page (the widest matrix included), and every question number is on paper.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { paperQuestions } from '../../server/surveys/paper/paper-numbering';
import { ARTIFACTS, axeViolations, browserSuite, logInPage } from '../helpers/browser';
import { pageCount, pdfText } from '../helpers/pdf';

const suite = browserSuite();

it.each(['vatandas-anketi', 'kurum-gorus-formu'])('prints %s on A4 with every question numbered and nothing cut off', async (slug) => {
  const context = await suite.browser.newContext({ viewport: { width: 1100, height: 900 } });
  const page = await context.newPage();
  await logInPage(suite, page);
  await page.goto(`${suite.url}/admin/surveys/${slug}/paper`);
  expect(await axeViolations(page)).toEqual([]);

  await page.emulateMedia({ media: 'print' });
  // A4 less the 12 mm margins on each side, in CSS pixels.
  await page.setViewportSize({ width: Math.floor(((210 - 24) * 96) / 25.4), height: 1000 });
  expect(await page.locator('header.site').isVisible()).toBe(false);
  expect(await page.locator('.no-print').isVisible()).toBe(false);
  const overflow = await page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    return [...document.querySelectorAll('.paper-form *')].filter((element) => element.getBoundingClientRect().right > width + 0.5).map((element) => element.outerHTML.slice(0, 80));
  });
  expect(overflow).toEqual([]);

  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, `paper-form-${slug}.pdf`);
  await page.pdf({ path: file, format: 'A4', printBackground: true, preferCSSPageSize: true });
  expect(execFileSync('pdfinfo', [file], { encoding: 'utf8' })).toMatch(/Page size:\s+59[45]\.\d+ x 841\.\d+ pts \(A4\)/);
  const printed = pdfText(file).replace(/\s+/g, ' ');
  expect(printed).toContain('Form no');
  const survey = suite.t.catalog.find(slug)!;
  for (const item of paperQuestions(survey)) expect(printed).toMatch(new RegExp(`(^| )${item.number}\\. `));
  expect(pageCount(file)).toBeGreaterThanOrEqual(1);
  await page.screenshot({ path: path.join(ARTIFACTS, `paper-form-${slug}-print.png`), fullPage: true });
  await context.close();
});
