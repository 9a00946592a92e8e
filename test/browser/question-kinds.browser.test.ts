/// <reference lib="dom" />
// Every question kind on a phone (the fixture survey tum-soru-tipleri has them all), in Turkish and
// in English, as first shown and come back with errors of each kind, with the site's script and
// without it: axe-core and the markup, focus, target and layout checks of page-audit.ts.
import type { Page } from 'playwright-core';
import type { Fields } from '../helpers/forms';
import { QUESTION_KINDS } from '../../server/surveys/survey-definition';
import { browserSuite, fill } from '../helpers/browser';
import { auditPage, phoneContext, type Language } from '../helpers/page-audit';
import { validSectionFields } from '../helpers/survey-walker';
import { FIXTURE_SURVEYS } from '../helpers/test-app';

jest.setTimeout(120_000);

const SLUG = 'tum-soru-tipleri';
const suite = browserSuite({ surveysDir: FIXTURE_SURVEYS });

/** Answers each section refuses, so its page comes back with an error of every kind it holds. */
const WRONG: Fields[] = [
  // renk "other" without its text, three transport modes where two at most, mahalle and evcil missing.
  { renk: 'other', ulasim: ['otobus', 'metro', 'bisiklet'] },
  // One statement of the matrix rated, no score, the same area ranked twice.
  { 'memnuniyet.temizlik': '1', 'oncelik.1': 'temizlik', 'oncelik.2': 'temizlik' },
  // Too young, not a number, a date before the allowed range; "Diğer" without its text, and text with "Diğer" unranked.
  { yas: '12', tutar: 'çok', tarih: '2019-05-01', calisma_yeri: 'other', 'hizmet_sirasi.1': 'park', 'hizmet_sirasi.other': 'Pazar' },
  // The reason asked for because of the colour chosen on page 1, left empty.
  {},
];

async function next(page: Page): Promise<void> {
  await page.locator('button[value="next"]').click();
  await page.waitForLoadState();
}

/** "Parklar" has no English name in the fixture's municipality: English pages show it marked lang="tr". */
const fallbacks = (lang: Language, index: number) => (lang === 'en' && index === 1 ? ['Parklar'] : []);

describe.each(['tr', 'en'] as const)('every question kind in %s', (lang) => {
  it('passes every check on each section, as shown and with errors', async () => {
    const survey = suite.t.catalog.find(SLUG)!;
    expect(survey.sections.flatMap((s) => s.questions.map((q) => q.kind)).sort()).toEqual(expect.arrayContaining([...QUESTION_KINDS]));
    const context = await phoneContext(suite.browser, { lang });
    const page = await context.newPage();
    const problems: string[] = [];
    await page.goto(`${suite.url}/anket/${SLUG}?lang=${lang}`);
    for (let index = 0; index < survey.sections.length; index++) {
      const url = `${suite.url}/anket/${SLUG}/${index + 1}`;
      await page.goto(url);
      problems.push(...(await auditPage(page, `kinds-section-${index + 1}-${lang}`, { lang, turkish: fallbacks(lang, index) })));
      await fill(page, WRONG[index]!);
      await next(page);
      expect(await page.locator('#error-summary li').count()).toBeGreaterThan(0);
      problems.push(...(await auditPage(page, `kinds-section-${index + 1}-errors-${lang}`, { lang, turkish: fallbacks(lang, index) })));
      // Refused answers are not kept: a fresh page, answered properly.
      await page.goto(url);
      await fill(page, validSectionFields(survey, index));
      await next(page);
    }
    await page.waitForURL(`**/anket/${SLUG}/tesekkurler`);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('passes every check without the script: conditions in words, the error summary focused by autofocus', async () => {
    const context = await phoneContext(suite.browser, { lang, javaScript: 'blocked' });
    const page = await context.newPage();
    const problems: string[] = [];
    await page.goto(`${suite.url}/anket/${SLUG}/1?lang=${lang}`);
    // Without the script a question that depends on an answer on the same page stays in view, its condition in words.
    expect(await page.locator('#q-evcil_adi').isVisible()).toBe(true);
    expect(await page.locator('#c-evcil_adi').isVisible()).toBe(true);
    problems.push(...(await auditPage(page, `kinds-section-1-nojs-${lang}`, { lang })));
    await next(page);
    problems.push(...(await auditPage(page, `kinds-section-1-errors-nojs-${lang}`, { lang })));
    expect(problems).toEqual([]);
    await context.close();
  });
});
