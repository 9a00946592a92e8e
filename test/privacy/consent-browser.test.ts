/// <reference lib="dom" />
// A resident on a phone reads the privacy notice, signs up with the consent box ticked, and
// withdraws the consent from the registration page; every page checked with axe-core. Then the
// withdrawal again with JavaScript off, and the accessibility need's own consent box: its error
// state in both languages, and its withdrawal, which erases the need.
import { axeViolations, browserSuite, screenshot } from '../helpers/browser';
import { scheduleMeeting } from '../helpers/meetings';

const PHONE = { width: 360, height: 740 };
const suite = browserSuite();

it('has no WCAG 2.1 A/AA violations on a phone, from the notice to the withdrawn consent', async () => {
  const meetingId = await scheduleMeeting(suite.t);
  const context = await suite.browser.newContext({ viewport: PHONE, javaScriptEnabled: true, locale: 'tr-TR', isMobile: true, hasTouch: true });
  const page = await context.newPage();
  const visited: { name: string; violations: unknown[] }[] = [];
  const check = async (name: string) => {
    await screenshot(page, `privacy-${name}`);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    visited.push({ name, violations: await axeViolations(page) });
  };

  for (const lang of ['tr', 'en']) {
    await page.goto(`${suite.url}/aydinlatma-metni?lang=${lang}`);
    await check(`notice-${lang}`);
  }
  await page.goto(`${suite.url}/bulusmalar/${meetingId}?lang=tr`);
  // The consent box starts unticked.
  expect(await page.isChecked('#su-future')).toBe(false);
  await page.fill('#su-name', 'Ayşe Yılmaz');
  await page.fill('#su-phone', '0532 123 45 67');
  await page.check('#su-future');
  await page.locator('button[type="submit"].primary').click();
  await page.waitForURL(/\/bulusmalar\/kayit\//);
  await check('registration');
  await page.getByRole('link', { name: 'Bu onayı geri al' }).click();
  await page.waitForURL(/\/acik-riza\/[A-Za-z0-9_-]{22}$/);
  await check('withdraw');
  await page.getByRole('button', { name: 'Rızamı geri al' }).click();
  await page.waitForLoadState();
  expect(await page.locator('h1').textContent()).toBe('Rızanız geri alındı');
  await check('withdrawn');
  await page.goto(`${suite.url}/acik-riza/AAAAAAAAAAAAAAAAAAAAAA`);
  await check('unknown');
  await context.close();

  expect(visited).toEqual(visited.map(({ name }) => ({ name, violations: [] })));
  expect(await suite.t.db.selectFrom('consents').select('withdrawn_at').execute()).toEqual([{ withdrawn_at: suite.t.clock.now.toISOString() }]);
});

it('withdraws with JavaScript off: a plain form with one button', async () => {
  const meetingId = await scheduleMeeting(suite.t, { title_tr: 'Gazi buluşması', mahalles: ['gazi'] });
  const context = await suite.browser.newContext({ viewport: PHONE, javaScriptEnabled: false, locale: 'tr-TR' });
  const page = await context.newPage();
  await page.goto(`${suite.url}/bulusmalar/${meetingId}`);
  await page.fill('#su-name', 'Hasan Kaya');
  await page.fill('#su-email', 'hasan@example.org');
  await page.check('#su-future');
  await page.locator('button[type="submit"].primary').click();
  await page.waitForURL(/\/bulusmalar\/kayit\//);
  await page.getByRole('link', { name: 'Bu onayı geri al' }).click();
  await page.getByRole('button', { name: 'Rızamı geri al' }).click();
  await page.waitForLoadState();
  expect(await page.locator('h1').textContent()).toBe('Rızanız geri alındı');
  const rows = await suite.t.db.selectFrom('consents as c').innerJoin('meeting_registrations as r', 'r.id', 'c.registration_id').select(['r.name', 'r.status', 'c.withdrawn_at']).where('r.name', '=', 'Hasan Kaya').execute();
  expect(rows).toEqual([{ name: 'Hasan Kaya', status: 'confirmed', withdrawn_at: suite.t.clock.now.toISOString() }]);
  await context.close();
});

it('keeps the sign-up form accessible with the accessibility-need consent box, in its error state too, and withdraws that consent', async () => {
  const meetingId = await scheduleMeeting(suite.t, { title_tr: 'Fatih buluşması', mahalles: ['fatih'] });
  const context = await suite.browser.newContext({ viewport: PHONE, javaScriptEnabled: true, locale: 'tr-TR', isMobile: true, hasTouch: true });
  const page = await context.newPage();
  const visited: { name: string; violations: unknown[] }[] = [];
  const check = async (name: string) => {
    await screenshot(page, `privacy-access-${name}`);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    visited.push({ name, violations: await axeViolations(page) });
  };
  const submit = async () => {
    const [response] = await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), page.locator('button[type="submit"].primary').click()]);
    await page.waitForLoadState();
    return response.status();
  };

  for (const [lang, message] of [
    ['en', 'To record your accessibility need, tick the explicit consent box, or leave the need empty.'],
    ['tr', 'Erişilebilirlik ihtiyacınızı kaydedebilmemiz için açık rıza kutusunu işaretleyin ya da ihtiyaç alanını boş bırakın.'],
  ] as const) {
    await page.goto(`${suite.url}/bulusmalar/${meetingId}?lang=${lang}`);
    expect(await page.isChecked('#su-access-consent')).toBe(false);
    await check(`form-${lang}`);
    await page.fill('#su-name', 'Zeynep Ak');
    await page.fill('#su-phone', '0532 555 44 33');
    await page.fill('#su-access', 'İşaret dili tercümanı');
    expect(await submit()).toBe(422);
    // The summary links to the box; the box names its error as its description.
    await expect(page.locator('.error-summary a[href="#su-access-consent"]').textContent()).resolves.toBe(message);
    expect(await page.locator('#su-access-consent').getAttribute('aria-invalid')).toBe('true');
    const description = await page.locator('#su-access-consent').evaluate((box) =>
      (box.getAttribute('aria-describedby') ?? '')
        .split(' ')
        .map((id) => document.getElementById(id)?.textContent ?? '')
        .join(' '),
    );
    expect(description).toContain(message);
    await check(`form-error-${lang}`);
  }
  expect(await suite.t.db.selectFrom('meeting_registrations').select('id').where('name', '=', 'Zeynep Ak').execute()).toEqual([]);

  // The typed need is still there: ticking the box is all that is left to do.
  expect(await page.inputValue('#su-access')).toBe('İşaret dili tercümanı');
  await page.check('#su-access-consent');
  expect(await submit()).toBe(303);
  await page.waitForURL(/\/bulusmalar\/kayit\//);
  await check('registration');
  await page.getByRole('link', { name: 'Erişilebilirlik ihtiyacıma ilişkin rızamı geri al' }).click();
  await page.waitForURL(/\/acik-riza\/[A-Za-z0-9_-]{22}$/);
  await check('withdraw');
  await page.getByRole('button', { name: 'Rızamı geri al' }).click();
  await page.waitForLoadState();
  expect(await page.locator('.notice.ok').textContent()).toContain('Yazdığınız erişilebilirlik ihtiyacı silindi.');
  await check('withdrawn');
  await context.close();

  expect(visited).toEqual(visited.map(({ name }) => ({ name, violations: [] })));
  expect(await suite.t.db.selectFrom('meeting_registrations').select('accessibility_need').where('name', '=', 'Zeynep Ak').execute()).toEqual([{ accessibility_need: null }]);
});
