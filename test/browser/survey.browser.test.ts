/// <reference lib="dom" />
// A person on a phone completes the citizen survey in a real browser, with JavaScript on and off.
import type { BrowserContext, Page } from 'playwright-core';
import { axeViolations, browserSuite, fill, screenshot } from '../helpers/browser';
import { validSectionFields } from '../helpers/survey-walker';

jest.setTimeout(60_000);

const PHONE = { width: 360, height: 740 };
const suite = browserSuite();

async function phone(options: { javaScript: boolean; locale: string }): Promise<BrowserContext> {
  return suite.browser.newContext({ viewport: PHONE, javaScriptEnabled: options.javaScript, locale: options.locale, isMobile: true, hasTouch: true });
}

async function completeSurvey(page: Page, slug: string, labels: { progress: (n: number, total: number) => string }) {
  const survey = suite.t.catalog.find(slug)!;
  for (let index = 0; index < survey.sections.length; index++) {
    await page.waitForURL(`**/anket/${slug}/${index + 1}`);
    await expect(page.locator('.progress').textContent()).resolves.toBe(labels.progress(index + 1, survey.sections.length));
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(PHONE.width);
    await fill(page, validSectionFields(survey, index));
    await page.locator('button[value="next"]').click();
  }
  await page.waitForURL(`**/anket/${slug}/tesekkurler`);
}

async function storedResponse() {
  return suite.t.db.selectFrom('responses').selectAll().where('status', '=', 'complete').executeTakeFirst();
}

describe('vatandas-anketi on a phone', () => {
  it('is completed in Turkish with JavaScript turned off', async () => {
    const context = await phone({ javaScript: false, locale: 'tr-TR' });
    const page = await context.newPage();
    await page.goto(`${suite.url}/`);
    await page.getByRole('link', { name: /Vatandaş Memnuniyet/ }).click();
    await page.getByRole('link', { name: 'Ankete başla' }).click();
    await completeSurvey(page, 'vatandas-anketi', { progress: (n, total) => `Bölüm ${n} / ${total}` });
    await expect(page.locator('h1').textContent()).resolves.toBe('Teşekkür ederiz');
    expect(await storedResponse()).toMatchObject({ language: 'tr', channel: 'online' });
    await context.close();
  });

  it('is completed in English with JavaScript on', async () => {
    const context = await phone({ javaScript: true, locale: 'en-GB' });
    const page = await context.newPage();
    await page.goto(`${suite.url}/anket/vatandas-anketi`);
    await page.getByRole('link', { name: 'Start the survey' }).click();
    await completeSurvey(page, 'vatandas-anketi', { progress: (n, total) => `Section ${n} of ${total}` });
    await expect(page.locator('h1').textContent()).resolves.toBe('Thank you');
    expect(await storedResponse()).toMatchObject({ language: 'en' });
    await context.close();
  });

  it('keeps the page usable at 320 px wide, and hides same-page conditional questions (a chain) with JavaScript', async () => {
    const context = await suite.browser.newContext({ viewport: { width: 320, height: 640 }, locale: 'tr-TR' });
    const page = await context.newPage();
    const survey = suite.t.catalog.find('vatandas-anketi')!;
    await page.goto(`${suite.url}/anket/vatandas-anketi/1`);
    for (let index = 0; index < 3; index++) {
      await fill(page, validSectionFields(survey, index));
      await page.locator('button[value="next"]').click();
      await page.waitForURL(`**/anket/vatandas-anketi/${index + 2}`);
    }
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
    const outcome = page.locator('#q-talep_sonucu'); // shown when talep_iletildi equals evet
    const rating = page.locator('#q-talep_memnuniyeti'); // shown when talep_sonucu is answered and not devam_ediyor
    const shown = async () => [await outcome.isVisible(), await rating.isVisible()];
    expect(await shown()).toEqual([false, false]);
    await page.locator('input[name="talep_iletildi"][value="evet"]').check();
    expect(await shown()).toEqual([true, false]);
    await page.locator('input[name="talep_sonucu"][value="karsilandi"]').check();
    expect(await shown()).toEqual([true, true]);
    await page.locator('input[name="talep_sonucu"][value="devam_ediyor"]').check();
    expect(await shown()).toEqual([true, false]);
    await page.locator('input[name="talep_sonucu"][value="kismen"]').check();
    await page.locator('input[name="talep_iletildi"][value="hayir"]').check();
    expect(await shown()).toEqual([false, false]);
    await screenshot(page, 'survey-section-4-320px');
    await context.close();
  });

  it('moves focus to the error summary when a page comes back with errors', async () => {
    const context = await phone({ javaScript: true, locale: 'tr-TR' });
    const page = await context.newPage();
    await page.goto(`${suite.url}/anket/vatandas-anketi/1`);
    await page.locator('button[value="next"]').click();
    await page.waitForLoadState();
    await expect(page.locator('#error-summary').isVisible()).resolves.toBe(true);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('error-summary');
    await page.locator('#error-summary a').first().click();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('f-cinsiyet');
    await context.close();
  });
});

describe('public survey pages', () => {
  it('have no WCAG 2.1 A/AA violations (axe-core) on a phone, in both languages', async () => {
    const context = await phone({ javaScript: true, locale: 'tr-TR' });
    const page = await context.newPage();
    const survey = suite.t.catalog.find('vatandas-anketi')!;
    const visited: { name: string; violations: unknown[] }[] = [];
    const check = async (name: string) => {
      await screenshot(page, name);
      visited.push({ name, violations: await axeViolations(page) });
    };
    await page.goto(`${suite.url}/?lang=tr`);
    await check('home-tr');
    await page.goto(`${suite.url}/aydinlatma-metni`);
    await check('privacy-tr');
    await page.goto(`${suite.url}/anket/vatandas-anketi`);
    await check('survey-intro-tr');
    await page.goto(`${suite.url}/anket/vatandas-anketi/1`);
    await page.locator('button[value="next"]').click();
    await page.waitForLoadState();
    await check('survey-section-1-errors-tr');
    for (let index = 0; index < survey.sections.length; index++) {
      await page.goto(`${suite.url}/anket/vatandas-anketi/${index + 1}${index === 1 ? '?lang=en' : ''}`);
      await check(`survey-section-${index + 1}`);
      await fill(page, validSectionFields(survey, index));
      await page.locator('button[value="next"]').click();
      await page.waitForLoadState();
    }
    await check('survey-thanks-en');
    await page.goto(`${suite.url}/anket/vatandas-anketi`);
    await check('survey-already-answered-en');
    await page.goto(`${suite.url}/anket/yok-boyle`);
    await check('not-found-en');
    expect(visited.filter((v) => v.violations.length > 0)).toEqual([]);
    expect(visited).toHaveLength(14);
    await context.close();
  });
});
