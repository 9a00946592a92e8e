/// <reference lib="dom" />
// Residents on a phone: browse the neighbourhood meetings, sign up (and fail to), land on the
// waitlist, find a meeting cancelled or closed (also while their form was open), cancel their own
// seat, withdraw their consent; every page checked with axe-core and page-audit.ts, in Turkish
// and in English. And a sign-up with only a phone number, JavaScript off.
import request from 'supertest';
import type { Page, Response } from 'playwright-core';
import { meetingService } from '../../server/meetings';
import { createI18n } from '../../server/platform/i18n/i18n';
import { browserSuite, fill } from '../helpers/browser';
import { scheduleMeeting, signUp } from '../helpers/meetings';
import { auditPage, phoneContext } from '../helpers/page-audit';
import { TEST_BASE_URL, type TestApp } from '../helpers/test-app';

const ACTOR = { userId: null, email: 'test', ip: null };
const REGISTRATION = /\/bulusmalar\/kayit\/\d+-[A-Za-z0-9_-]+$/;
const { translators } = createI18n();
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

/** Cancels a meeting as a planner does; the links in the mails it queues are not followed here. */
async function cancelMeeting(t: TestApp, id: number, reason: string) {
  const ctx = { mailer: t.mailer, baseUrl: TEST_BASE_URL, secret: 'unused: the mails are not read' };
  return meetingService.cancelMeeting(t.db, ctx, id, reason, ACTOR, t.clock.now);
}

it.each(['tr', 'en'] as const)('passes axe-core and every page check on a phone in %s, from the list to a cancelled seat', async (lang) => {
  const t = suite.t;
  const tr = translators[lang];
  const en = lang === 'en';
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
  expect(await cancelMeeting(t, cancelled, 'Salon onarımda.')).toEqual({ kind: 'cancelled', told: 0 });

  const context = await phoneContext(suite.browser, { lang });
  let page = await context.newPage();
  const problems: string[] = [];
  const visited: string[] = [];
  /** turkish: what an English page shows in Turkish, for want of an English version. */
  const check = async (name: string, turkish: string[] = []) => {
    visited.push(name);
    problems.push(...(await auditPage(page, `meetings-${name}-${lang}`, { lang, turkish: en ? turkish : [] })));
  };
  const h1 = () => page.locator('h1').textContent();
  const errorList = () => page.locator('.error-summary li').allTextContents();

  await page.goto(`${suite.url}/bulusmalar?lang=${lang}`);
  expect(await page.locator('html').getAttribute('lang')).toBe(lang);
  expect(await page.locator('.card').count()).toBe(4);
  expect(await page.locator('.card .badge').allTextContents()).toEqual([tr('meetings:state.closed'), tr('meetings:seats.waitlist_open'), tr('meetings:state.cancelled')]);
  await check('list', ['Cumhuriyet Mahallesi Buluşması']);

  await page.selectOption('#f-mahalle', 'bahcelievler');
  await page.locator('form.filter button[type="submit"]').click();
  await page.waitForURL(/\?mahalle=bahcelievler$/);
  expect(await page.locator('.card h2').allTextContents()).toEqual([en ? 'Bahçelievler Neighbourhood Meeting' : 'Bahçelievler Mahallesi Buluşması']);
  await check('list-filtered');

  await page.goto(`${suite.url}/bulusmalar/${open}`);
  expect(await h1()).toBe(en ? 'Atatürk Neighbourhood Meeting' : 'Atatürk Mahallesi Buluşması');
  expect(await page.locator('#su-mahalle').inputValue()).toBe('ataturk');
  await check('meeting', ['Mahallemizin ihtiyaçlarını konuşuyoruz.']);

  await page.selectOption('#su-mahalle', '');
  expect((await submitSignUp(page)).status()).toBe(422);
  // Every problem at once, in the order of the form.
  expect(await errorList()).toEqual([tr('meetings:signup.name_required'), tr('meetings:signup.contact_required'), tr('meetings:signup.mahalle_required')]);
  expect(await page.locator('#su-name').getAttribute('aria-invalid')).toBe('true');
  await check('signup-errors', ['Mahallemizin ihtiyaçlarını konuşuyoruz.']);

  await page.fill('#su-phone', '123');
  await page.fill('#su-email', 'ayse@');
  expect((await submitSignUp(page)).status()).toBe(422);
  expect(await errorList()).toEqual([tr('meetings:signup.name_required'), tr('meetings:signup.phone_invalid'), tr('meetings:signup.email_invalid'), tr('meetings:signup.mahalle_required')]);
  await check('signup-errors-invalid', ['Mahallemizin ihtiyaçlarını konuşuyoruz.']);

  await page.fill('#su-name', 'Ayşe Yılmaz');
  await page.fill('#su-phone', '0532 123 45 67');
  await page.fill('#su-email', 'ayse@example.org');
  await page.selectOption('#su-mahalle', 'ataturk');
  await page.fill('#su-access', 'Tekerlekli sandalye kullanıyorum.');
  await page.check('#su-access-consent');
  await page.check('#su-access-consent');
  await page.check('#su-future');
  const sentKey = await page.locator('input[name="request_key"]').inputValue();
  await submitSignUp(page);
  await page.waitForURL(REGISTRATION);
  expect(await h1()).toBe(tr('meetings:registration.confirmed_title'));
  await check('registered');
  const registration = new URL(page.url()).pathname;

  // The consent to hear about future meetings, withdrawn through the registration page's link.
  await page.locator('a[href^="/acik-riza/"]').first().click();
  await page.waitForURL(/\/acik-riza\//);
  await check('consent-withdrawal');
  await page.locator('form[method="post"] button[type="submit"]').click();
  await page.waitForLoadState();
  expect(await page.locator('.notice.ok').count()).toBe(1);
  await check('consent-withdrawn');

  await page.goto(`${suite.url}/bulusmalar/${open}`);
  await page.fill('#su-name', 'Ayşe Yılmaz');
  await page.fill('#su-phone', '05321234567');
  await submitSignUp(page).then((r) => expect(r.status()).toBe(409));
  expect(await h1()).toBe(tr('meetings:outcome.duplicate_title'));
  await check('duplicate');

  // Someone else sends Ayşe's form again from the shared browser's history: asked to send afresh.
  await page.goto(`${suite.url}/bulusmalar/${open}`);
  await page.fill('#su-name', 'Zeynep Kara');
  await page.fill('#su-email', 'zeynep@example.org');
  await page.locator('input[name="request_key"]').evaluate((input, key) => ((input as HTMLInputElement).value = key), sentKey);
  await submitSignUp(page).then((r) => expect(r.status()).toBe(409));
  expect(await errorList()).toEqual([tr('meetings:signup.stale')]);
  await check('signup-stale', ['Mahallemizin ihtiyaçlarını konuşuyoruz.']);

  await page.goto(`${suite.url}/bulusmalar/${full}`);
  expect(await page.locator('form[method="post"] button[type="submit"]').textContent()).toBe(tr('meetings:signup.submit_waitlist'));
  await check('meeting-full', ['Mahallemizin ihtiyaçlarını konuşuyoruz.']);
  await page.fill('#su-name', 'Fatma Kaya');
  await page.fill('#su-email', 'fatma@example.org');
  await submitSignUp(page);
  await page.waitForURL(REGISTRATION);
  expect(await h1()).toBe(tr('meetings:registration.waitlisted_title'));
  expect(await page.locator('.notice').textContent()).toBe(tr('meetings:registration.waitlisted_text', { name: 'Fatma Kaya', position: 1 }));
  await check('waitlisted');

  await page.goto(`${suite.url}/bulusmalar/${cancelled}`);
  expect(await page.locator('.notice').textContent()).toContain('Salon onarımda.');
  expect(await page.locator('form[method="post"]').count()).toBe(0);
  await check('meeting-cancelled', ['Cumhuriyet Mahallesi Buluşması', 'Salon onarımda.', 'Mahallemizin ihtiyaçlarını konuşuyoruz.']);

  await page.goto(`${suite.url}/bulusmalar/${closed}`);
  expect(await page.locator('.notice').textContent()).toBe(tr('meetings:state.closed_text'));
  expect(await page.locator('form[method="post"]').count()).toBe(0);
  await check('meeting-closed', ['Rampa ve asansör var.', 'Mahallemizin ihtiyaçlarını konuşuyoruz.']);

  await page.goto(`${suite.url}${registration}`);
  await page.locator('form[action$="/iptal"] button[type="submit"]').click();
  await page.waitForLoadState();
  // The button only asks: a page saying what cancelling does, with the confirmed form and a way back.
  expect(await h1()).toBe(tr('meetings:registration.confirm_title'));
  expect(await page.locator('main a[href="' + registration + '"]').textContent()).toBe(tr('meetings:registration.confirm_back'));
  await check('registration-cancel-confirm');
  expect(await t.db.selectFrom('meeting_registrations').select('status').where('name', '=', 'Ayşe Yılmaz').executeTakeFirstOrThrow()).toEqual({ status: 'confirmed' });
  await page.locator('form[action$="/iptal"] button[type="submit"]').click();
  await page.waitForLoadState();
  expect(page.url()).toBe(`${suite.url}${registration}`);
  expect(await h1()).toBe(tr('meetings:registration.cancelled_title'));
  await check('registration-cancelled');

  expect((await page.goto(`${suite.url}/bulusmalar/kayit/1-AAAAAAAAAAAAAAAAAAAAAA`))!.status()).toBe(404);
  expect(await h1()).toBe(tr('meetings:outcome.unknown_title'));
  await check('unknown-link');

  // A meeting cancelled while a resident's form was open, with someone already signed up to it.
  const late = await scheduleMeeting(t, { title_tr: 'Merkez Buluşması', title_en: null, mahalles: ['ataturk'] });
  await page.goto(`${suite.url}/bulusmalar/${late}`);
  await fill(page, { name: 'Ali Koç', email: 'ali@example.org' });
  await submitSignUp(page);
  await page.waitForURL(REGISTRATION);
  const lateRegistration = new URL(page.url()).pathname;
  await page.goto(`${suite.url}/bulusmalar/${late}`);
  await fill(page, { name: 'Elif Şahin', email: 'elif@example.org' });
  await cancelMeeting(t, late, 'Hava koşulları nedeniyle ertelendi.');
  expect((await submitSignUp(page)).status()).toBe(410);
  expect(await h1()).toBe(tr('meetings:outcome.cancelled_title'));
  await check('signup-meeting-cancelled', ['Merkez Buluşması', 'Hava koşulları nedeniyle ertelendi.']);
  await page.goto(`${suite.url}${lateRegistration}`);
  expect(await h1()).toBe(tr('meetings:outcome.cancelled_title'));
  await check('registration-meeting-cancelled', ['Merkez Buluşması', 'Hava koşulları nedeniyle ertelendi.']);

  // Sign-up closing, then the meeting over, while forms were open in two tabs.
  const second = await context.newPage();
  for (const tab of [page, second]) {
    await tab.goto(`${suite.url}/bulusmalar/${open}`);
    await fill(tab, { name: 'Can Öztürk', phone: '0533 111 22 33' });
  }
  t.clock.now = new Date('2026-12-05T13:00:00.000Z');
  expect((await submitSignUp(page)).status()).toBe(410);
  expect(await h1()).toBe(tr('meetings:outcome.closed_title'));
  await check('signup-closed');
  t.clock.now = new Date('2026-12-05T19:00:00.000Z');
  expect((await submitSignUp(second)).status()).toBe(410);
  expect(await second.locator('h1').textContent()).toBe(tr('meetings:outcome.past_title'));
  await page.close();
  page = second;
  await check('signup-past');

  expect(problems).toEqual([]);
  expect(visited).toHaveLength(21);
  const stored = await t.db.selectFrom('meeting_registrations').select(['meeting_id', 'name', 'phone', 'email', 'status']).orderBy('id').execute();
  expect(stored).toEqual([
    { meeting_id: full, name: 'Mehmet Demir', phone: null, email: 'mehmet@example.org', status: 'confirmed' },
    { meeting_id: open, name: 'Ayşe Yılmaz', phone: '+905321234567', email: 'ayse@example.org', status: 'cancelled' },
    { meeting_id: full, name: 'Fatma Kaya', phone: null, email: 'fatma@example.org', status: 'waitlisted' },
    { meeting_id: late, name: 'Ali Koç', phone: null, email: 'ali@example.org', status: 'confirmed' },
  ]);
  await context.close();
}, 180_000);

it('signs a resident up with only a phone number, JavaScript turned off', async () => {
  const id = await scheduleMeeting(suite.t);
  const context = await phoneContext(suite.browser, { lang: 'tr', javaScript: false });
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
