/// <reference lib="dom" />
// A person on a phone completes the citizen survey in a real browser, with JavaScript on and off.
import type { Page } from 'playwright-core';
import { browserSuite, fill, screenshot } from '../helpers/browser';
import { auditPage, phoneContext, PHONE } from '../helpers/page-audit';
import { validSectionFields } from '../helpers/survey-walker';

jest.setTimeout(60_000);

const suite = browserSuite();

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
    const context = await phoneContext(suite.browser, { lang: 'tr', javaScript: false });
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
    const context = await phoneContext(suite.browser, { lang: 'en' });
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

  it('ticks "Diğer" as soon as something is typed in its box, as the server reads it', async () => {
    const context = await phoneContext(suite.browser, { lang: 'tr' });
    const page = await context.newPage();
    const survey = suite.t.catalog.find('vatandas-anketi')!;
    await page.goto(`${suite.url}/anket/vatandas-anketi/1`);
    for (let index = 0; index < 3; index++) {
      await fill(page, validSectionFields(survey, index));
      await page.locator('button[value="next"]').click();
      await page.waitForURL(`**/anket/vatandas-anketi/${index + 2}`);
    }
    const other = page.locator('input[name="iletisim_kanallari"][value="other"]');
    expect(await other.isChecked()).toBe(false);
    await page.locator('input[name="iletisim_kanallari.other"]').fill('WhatsApp hattı');
    expect(await other.isChecked()).toBe(true);
    await context.close();
  });
});

describe('public survey pages', () => {
  it.each(['tr', 'en'] as const)('pass axe-core and every page check on a phone in %s, from the home page to "already answered"', async (lang) => {
    const context = await phoneContext(suite.browser, { lang });
    const page = await context.newPage();
    const survey = suite.t.catalog.find('vatandas-anketi')!;
    const problems: string[] = [];
    const visited: string[] = [];
    const check = async (name: string) => {
      visited.push(name);
      problems.push(...(await auditPage(page, `${name}-${lang}`, { lang })));
    };
    await page.goto(`${suite.url}/?lang=${lang}`);
    await check('home');
    await page.goto(`${suite.url}/aydinlatma-metni`);
    await check('privacy');
    await page.goto(`${suite.url}/anket/vatandas-anketi`);
    await check('survey-intro');
    await page.goto(`${suite.url}/anket/vatandas-anketi/1`);
    await page.locator('button[value="next"]').click();
    await page.waitForLoadState();
    await check('survey-section-1-errors');
    for (let index = 0; index < survey.sections.length; index++) {
      await page.goto(`${suite.url}/anket/vatandas-anketi/${index + 1}`);
      await check(`survey-section-${index + 1}`);
      await fill(page, validSectionFields(survey, index));
      await page.locator('button[value="next"]').click();
      await page.waitForLoadState();
    }
    await check('survey-thanks');
    await page.goto(`${suite.url}/anket/vatandas-anketi`);
    expect(await page.locator('main p').first().textContent()).toMatch(lang === 'tr' ? /zaten yanıtladınız/ : /already answered/);
    await check('survey-already-answered');
    expect((await page.goto(`${suite.url}/anket/yok-boyle`))!.status()).toBe(404);
    await check('not-found');
    expect(problems).toEqual([]);
    expect(visited).toHaveLength(7 + survey.sections.length);
    await context.close();
  });

  it.each(['tr', 'en'] as const)('pass every check in %s when the survey is closed, not yet open, and none is open', async (lang) => {
    const context = await phoneContext(suite.browser, { lang });
    const page = await context.newPage();
    const problems: string[] = [];
    const check = async (name: string) => problems.push(...(await auditPage(page, `${name}-${lang}`, { lang })));
    const schedule = suite.t.catalog.schedule('vatandas-anketi');
    suite.t.clock.now = new Date(Date.parse(schedule.closesAt) + 60_000);
    expect((await page.goto(`${suite.url}/anket/vatandas-anketi?lang=${lang}`))!.status()).toBe(410);
    await check('survey-closed');
    await page.goto(`${suite.url}/`);
    expect(await page.locator('.card').count()).toBe(0);
    await check('home-no-open-survey');
    suite.t.clock.now = new Date(Date.parse(schedule.opensAt) - 60_000);
    expect((await page.goto(`${suite.url}/anket/vatandas-anketi`))!.status()).toBe(403);
    await check('survey-not-yet-open');
    expect(problems).toEqual([]);
    await context.close();
  });
});
