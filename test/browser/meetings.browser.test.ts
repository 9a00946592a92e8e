/// <reference lib="dom" />
// Residents on a phone: browse the neighbourhood meetings, sign up (and fail to), land on the
// waitlist, find a meeting cancelled or closed, cancel their own seat; every page checked with
// axe-core, in Turkish and in English. And a sign-up with only a phone number, JavaScript off.
import request from 'supertest';
import type { Page, Response } from 'playwright-core';
import { meetingService } from '../../server/meetings';
import { axeViolations, browserSuite, fill, screenshot } from '../helpers/browser';
import { scheduleMeeting, signUp } from '../helpers/meetings';
import { TEST_BASE_URL } from '../helpers/test-app';

const PHONE = { width: 360, height: 740 };
const ACTOR = { userId: null, email: 'test', ip: null };
const REGISTRATION = /\/bulusmalar\/kayit\/\d+-[A-Za-z0-9_-]+$/;
const suite = browserSuite();

/** Presses the sign-up form's button and waits for the answer to the post. */
async function submitSignUp(page: Page): Promise<Response> {
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST' && r.url().includes('/bulusmalar/')),
    page.locator('form[method="post"] button[type="submit"]').click(),
  ]);
  await page.waitForLoadState();
  return response;
}

it('has no WCAG 2.1 A/AA violations on a phone, from the list to a cancelled seat', async () => {
  const t = suite.t;
  const open = await scheduleMeeting(t);
  const full = await scheduleMeeting(t, {
    title_tr: 'Bahçelievler Mahallesi Buluşması',
    title_en: 'Bahçelievler Neighbourhood Meeting',
    venue: 'Bahçelievler Muhtarlığı',
    capacity: 1,
    mahalles: ['bahcelievler'],
  });
  const cancelled = await scheduleMeeting(t, {
    title_tr: 'Cumhuriyet Mahallesi Buluşması',
    title_en: null,
    capacity: null,
    mahalles: ['cumhuriyet', 'camlik'],
  });
  const closed = await scheduleMeeting(t, {
    title_tr: 'Çamlık Mahallesi Buluşması',
    title_en: 'Çamlık Neighbourhood Meeting',
    starts_at: '2026-11-22T16:00:00.000Z',
    ends_at: '2026-11-22T18:00:00.000Z',
    signup_deadline_at: '2026-11-21T05:00:00.000Z',
    accessibility_en: null,
    mahalles: ['camlik'],
  });
  expect(t.catalog.municipality.mahalles.map((m) => m.id)).toEqual(expect.arrayContaining(['ataturk', 'bahcelievler', 'cumhuriyet', 'camlik']));
  // The one seat of the small meeting is taken before anyone opens the site.
  expect((await signUp(request.agent(t.app), full, { name: 'Mehmet Demir', email: 'mehmet@example.org', mahalle: 'bahcelievler' })).status).toBe(303);
  const ctx = { mailer: t.mailer, baseUrl: TEST_BASE_URL, secret: 'unused: nobody is signed up to it' };
  expect(await meetingService.cancelMeeting(t.db, ctx, cancelled, 'Salon onarımda.', ACTOR, t.clock.now)).toEqual({ kind: 'cancelled', told: 0 });

  // axe runs as a script in the page, so this walk has JavaScript on; the next test turns it off.
  const context = await suite.browser.newContext({ viewport: PHONE, javaScriptEnabled: true, locale: 'tr-TR', isMobile: true, hasTouch: true });
  const page = await context.newPage();
  const visited: { name: string; violations: unknown[] }[] = [];
  const check = async (name: string) => {
    await screenshot(page, `meetings-${name}`);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    visited.push({ name, violations: await axeViolations(page) });
  };
  const h1 = () => page.locator('h1').textContent();

  await page.goto(`${suite.url}/bulusmalar`);
  expect(await page.locator('.card').count()).toBe(4);
  expect(await page.locator('.card .badge').allTextContents()).toEqual(['Kayıtlar kapandı', 'Yerler doldu, yedek liste açık', 'İptal edildi']);
  await check('list');

  await page.selectOption('#f-mahalle', 'bahcelievler');
  await page.locator('form.filter button[type="submit"]').click();
  await page.waitForURL(/\?mahalle=bahcelievler$/);
  expect(await page.locator('.card h2').allTextContents()).toEqual(['Bahçelievler Mahallesi Buluşması']);
  await check('list-filtered');

  await page.goto(`${suite.url}/bulusmalar/${open}`);
  expect(await h1()).toBe('Atatürk Mahallesi Buluşması');
  expect(await page.locator('#su-mahalle').inputValue()).toBe('ataturk');
  await check('meeting');

  await page.selectOption('#su-mahalle', '');
  expect((await submitSignUp(page)).status()).toBe(422);
  // Every problem at once, in the order of the form.
  expect(await page.locator('.error-summary li').allTextContents()).toEqual(['Adınızı ve soyadınızı yazın.', 'Telefon numaranızı ya da e-posta adresinizi yazın.', 'Listeden mahallenizi seçin.']);
  expect(await page.locator('#su-name').getAttribute('aria-invalid')).toBe('true');
  await check('signup-errors');

  await page.fill('#su-name', 'Ayşe Yılmaz');
  await page.fill('#su-phone', '0532 123 45 67');
  await page.fill('#su-email', 'ayse@example.org');
  await page.selectOption('#su-mahalle', 'ataturk');
  await page.fill('#su-access', 'Tekerlekli sandalye kullanıyorum.');
  await page.check('#su-future');
  await submitSignUp(page);
  await page.waitForURL(REGISTRATION);
  expect(await h1()).toBe('Kaydınız alındı');
  await check('registered');
  const registration = new URL(page.url()).pathname;

  await page.goto(`${suite.url}/bulusmalar/${open}`);
  await page.fill('#su-name', 'Ayşe Yılmaz');
  await page.fill('#su-phone', '05321234567');
  await submitSignUp(page).then((r) => expect(r.status()).toBe(409));
  expect(await h1()).toBe('Zaten kayıtlısınız');
  await check('duplicate');

  await page.goto(`${suite.url}/bulusmalar/${full}`);
  expect(await page.locator('form[method="post"] button[type="submit"]').textContent()).toBe('Yedek listeye kaydol');
  await page.fill('#su-name', 'Fatma Kaya');
  await page.fill('#su-email', 'fatma@example.org');
  await submitSignUp(page);
  await page.waitForURL(REGISTRATION);
  expect(await h1()).toBe('Yedek listedesiniz');
  expect(await page.locator('.notice').textContent()).toContain('Sıranız: 1.');
  await check('waitlisted');
  const waitlisted = new URL(page.url()).pathname;

  await page.goto(`${suite.url}/bulusmalar/${cancelled}`);
  expect(await page.locator('.notice').textContent()).toContain('Salon onarımda.');
  expect(await page.locator('form[method="post"]').count()).toBe(0);
  await check('meeting-cancelled');

  await page.goto(`${suite.url}/bulusmalar/${closed}`);
  expect(await page.locator('.notice').textContent()).toContain('kayıt süresi doldu');
  expect(await page.locator('form[method="post"]').count()).toBe(0);
  await check('meeting-closed');

  await page.goto(`${suite.url}${registration}`);
  await page.locator('form[action$="/iptal"] button[type="submit"]').click();
  await page.waitForLoadState();
  expect(page.url()).toBe(`${suite.url}${registration}`);
  expect(await h1()).toBe('Kaydınız iptal edildi');
  await check('registration-cancelled');

  expect((await page.goto(`${suite.url}/bulusmalar/kayit/1-AAAAAAAAAAAAAAAAAAAAAA`))!.status()).toBe(404);
  expect(await h1()).toBe('Kayıt bulunamadı');
  await check('unknown-link');

  // English from here on: ?lang= is remembered in a cookie.
  await page.goto(`${suite.url}/bulusmalar?lang=en`);
  expect(await page.locator('html').getAttribute('lang')).toBe('en');
  await check('list-en');

  await page.goto(`${suite.url}/bulusmalar/${cancelled}`);
  await check('meeting-cancelled-en');

  await page.goto(`${suite.url}/bulusmalar/${open}`);
  expect(await h1()).toBe('Atatürk Neighbourhood Meeting');
  await page.fill('#su-phone', '123');
  expect((await submitSignUp(page)).status()).toBe(422);
  await check('signup-errors-en');

  await page.goto(`${suite.url}${waitlisted}`);
  await check('waitlisted-en');

  await page.goto(`${suite.url}/bulusmalar/kayit/1-AAAAAAAAAAAAAAAAAAAAAA`);
  await check('unknown-link-en');

  expect(visited.filter((v) => v.violations.length > 0)).toEqual([]);
  expect(visited).toHaveLength(16);
  const stored = await t.db.selectFrom('meeting_registrations').select(['meeting_id', 'name', 'phone', 'email', 'status']).orderBy('id').execute();
  expect(stored).toEqual([
    { meeting_id: full, name: 'Mehmet Demir', phone: null, email: 'mehmet@example.org', status: 'confirmed' },
    { meeting_id: open, name: 'Ayşe Yılmaz', phone: '+905321234567', email: 'ayse@example.org', status: 'cancelled' },
    { meeting_id: full, name: 'Fatma Kaya', phone: null, email: 'fatma@example.org', status: 'waitlisted' },
  ]);
  await context.close();
}, 120_000);

it('signs a resident up with only a phone number, JavaScript turned off', async () => {
  const id = await scheduleMeeting(suite.t);
  const context = await suite.browser.newContext({ viewport: PHONE, javaScriptEnabled: false, locale: 'tr-TR', isMobile: true, hasTouch: true });
  const page = await context.newPage();
  await page.goto(`${suite.url}/bulusmalar`);
  await page.locator(`a[href="/bulusmalar/${id}"]`).click();
  await page.waitForURL(`**/bulusmalar/${id}`);
  await fill(page, { name: 'Hasan Çelik', phone: '0532 123 45 67' });
  await page.locator('form[method="post"] button[type="submit"]').click();
  await page.waitForURL(REGISTRATION);
  expect(await page.locator('h1').textContent()).toBe('Kaydınız alındı');
  expect(await page.locator('main').textContent()).toContain('sizi telefonla arayacağız');
  const row = await suite.t.db.selectFrom('meeting_registrations').selectAll().where('meeting_id', '=', id).executeTakeFirstOrThrow();
  expect(row).toMatchObject({ name: 'Hasan Çelik', phone: '+905321234567', email: null, mahalle_id: 'ataturk', status: 'confirmed', source: 'online', language: 'tr' });
  await context.close();
}, 60_000);
