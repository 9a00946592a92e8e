/// <reference lib="dom" />
// A resident with only a phone number, on a phone: signs up, sees the booking code large, comes
// back later through "Kaydımı bul" in the footer (a wrong code first), and opens the sign-up
// again. Every page checked with axe-core and page-audit.ts (44 px targets), in Turkish and in
// English (the audit runs scripts in the page); and the same way back with JavaScript off.
import { createI18n } from '../../server/platform/i18n/i18n';
import { formatBookingCode } from '../../server/meetings/meeting-rules';
import { browserSuite, fill, logInPage } from '../helpers/browser';
import { scheduleMeeting } from '../helpers/meetings';
import { auditPage, phoneContext } from '../helpers/page-audit';

const REGISTRATION = /\/bulusmalar\/kayit\/\d+-[A-Za-z0-9_-]+(\?lang=en)?$/;
const { translators } = createI18n();
const suite = browserSuite();

it.each(['tr', 'en'] as const)('finds a phone-only sign-up again with its booking code, every page accessible, in %s', async (lang) => {
  const t = suite.t;
  const tr = translators[lang];
  const id = await scheduleMeeting(t);
  const context = await phoneContext(suite.browser, { lang });
  const page = await context.newPage();
  const problems: string[] = [];
  const check = async (name: string, turkish: string[] = []) => problems.push(...(await auditPage(page, `booking-${name}-${lang}`, { lang, turkish: lang === 'en' ? turkish : [] })));

  await page.goto(`${suite.url}/bulusmalar/${id}?lang=${lang}`);
  await fill(page, { name: 'Hasan Çelik', phone: '0532 123 45 67' });
  await page.locator('form[method="post"] button[type="submit"]').click();
  await page.waitForURL(REGISTRATION);
  const registration = page.url();
  const row = await t.db.selectFrom('meeting_registrations').selectAll().where('meeting_id', '=', id).executeTakeFirstOrThrow();
  const code = formatBookingCode(row.booking_code!);
  expect(await page.locator('.booking-code .code').textContent()).toBe(code);
  // Large enough to copy down: at least twice the body text.
  const sizes = await page.evaluate(() => [parseFloat(getComputedStyle(document.querySelector('.booking-code .code')!).fontSize), parseFloat(getComputedStyle(document.body).fontSize)]);
  expect(sizes[0]!).toBeGreaterThanOrEqual(2 * sizes[1]!);
  expect(await page.locator('footer a[href^="tel:"]').count()).toBe(1);
  await check('registered');

  // Later, from any page: the footer's Kaydımı bul.
  await page.goto(`${suite.url}/bulusmalar?lang=${lang}`);
  await page.locator('footer a[href="/bulusmalar/kaydim"]').click();
  await page.waitForURL(/\/bulusmalar\/kaydim$/);
  expect(await page.locator('h1').textContent()).toBe(tr('meetings:find.title'));
  await check('find');

  await page.fill('#fb-phone', '0532 123 45 67');
  await page.fill('#fb-code', 'AAA AAA');
  await page.locator('form[method="post"] button[type="submit"]').click();
  await page.waitForLoadState();
  expect(await page.locator('#page-notice').textContent()).toBe(tr('meetings:find.not_found'));
  await check('find-wrong');

  await page.locator('form[method="post"] button[type="submit"]').click();
  await page.waitForLoadState();
  expect(await page.locator('.error-summary li').allTextContents()).toEqual([]);
  await page.fill('#fb-phone', '');
  await page.fill('#fb-code', '');
  await page.locator('form[method="post"] button[type="submit"]').click();
  await page.waitForLoadState();
  expect(await page.locator('.error-summary li').allTextContents()).toEqual([tr('meetings:find.phone_required'), tr('meetings:find.code_required')]);
  await check('find-empty');

  await page.fill('#fb-phone', '+90 532 123 45 67');
  await page.fill('#fb-code', code.toLowerCase());
  await page.locator('form[method="post"] button[type="submit"]').click();
  await page.waitForURL(REGISTRATION);
  expect(new URL(page.url()).pathname).toBe(new URL(registration).pathname);
  expect(await page.locator('h1').textContent()).toBe(tr('meetings:registration.confirmed_title'));

  expect(problems).toEqual([]);
  await context.close();
}, 120_000);

it('finds the sign-up with JavaScript turned off', async () => {
  const t = suite.t;
  const id = await scheduleMeeting(t);
  const context = await phoneContext(suite.browser, { lang: 'tr', javaScript: false });
  const page = await context.newPage();
  await page.goto(`${suite.url}/bulusmalar/${id}`);
  await fill(page, { name: 'Elif Şahin', phone: '0533 111 22 33' });
  await page.locator('form[method="post"] button[type="submit"]').click();
  await page.waitForURL(REGISTRATION);
  const registration = new URL(page.url()).pathname;
  const code = (await page.locator('.booking-code .code').textContent())!;
  await page.locator('main a[href="/bulusmalar/kaydim"]').click();
  await page.waitForURL(/\/bulusmalar\/kaydim$/);
  await page.fill('#fb-phone', '05331112233');
  await page.fill('#fb-code', code);
  await page.locator('form[method="post"] button[type="submit"]').click();
  await page.waitForURL(REGISTRATION);
  expect(new URL(page.url()).pathname).toBe(registration);
  await context.close();
}, 60_000);

it.each(['tr', 'en'] as const)('lets a planner sign up a caller and tell them the code, both pages accessible, in %s', async (lang) => {
  const t = suite.t;
  const tr = translators[lang];
  const id = await scheduleMeeting(t);
  const context = await phoneContext(suite.browser, { lang });
  const page = await context.newPage();
  const problems: string[] = [];
  const check = async (name: string) => problems.push(...(await auditPage(page, `booking-${name}-${lang}`, { lang, admin: true })));
  await logInPage(suite, page, 'planner');
  await page.goto(`${suite.url}/admin/meetings/${id}/registrations/new?lang=${lang}`);
  expect(await page.locator('#ps-script').textContent()).toBe(tr('meetings:phone_signup.script_title'));
  await check('phone-signup');
  await page.fill('#ps-name', 'Hasan Çelik');
  await page.fill('#ps-phone', '0532 123 45 67');
  await page.locator('form[action$="/registrations"] button[type="submit"]').click();
  await page.waitForLoadState();
  expect(await page.locator('.error-summary li').allTextContents()).toEqual([tr('meetings:phone_signup.notice_read_required')]);
  await check('phone-signup-errors');
  await page.check('#ps-notice-read');
  await page.locator('form[action$="/registrations"] button[type="submit"]').click();
  await page.waitForURL(/\/admin\/meetings\/\d+\/registrations\/\d+$/);
  const row = await t.db.selectFrom('meeting_registrations').selectAll().where('meeting_id', '=', id).executeTakeFirstOrThrow();
  expect(await page.locator('.booking-code .code').textContent()).toBe(formatBookingCode(row.booking_code!));
  await check('phone-signup-saved');
  expect(problems).toEqual([]);
  await context.close();
}, 90_000);
