// The KVKK back-office pages in a real browser: a planner records a request through the form,
// reads what is stored about the person, and the retention page; each passes axe (WCAG 2.1 AA).
// The browser asks for English, so the pages answer in English.
import request from 'supertest';
import { axeViolations, browserSuite, logInPage, screenshot } from '../helpers/browser';
import { invitedInstitution } from '../helpers/invitation';
import { scheduleMeeting, signUp } from '../helpers/meetings';

const suite = browserSuite();

it('records a request, shows the person\'s data, and the retention page, all accessible', async () => {
  const { t, url } = suite;
  const meetingId = await scheduleMeeting(t);
  expect((await signUp(request.agent(t.app), meetingId, { name: 'Ayşe Yılmaz', phone: '0532 123 45 67', email: 'oda@example.org', accessibility_need: 'Rampa', accessibility_consent: '1', future_meetings: '1' })).status).toBe(303);
  await invitedInstitution(t);
  const page = await suite.browser.newPage();
  try {
    await logInPage(suite, page);
    await page.click('a[href="/admin/privacy/requests"]');
    await page.click('a[href="/admin/privacy/requests/new"]');
    await page.selectOption('#d-kind', 'access');
    await page.fill('#d-name', 'Ayşe Yılmaz');
    await page.fill('#d-phone', '+90 532 123 4567');
    await page.fill('#d-received', '2026-10-22');
    await page.click('form[action="/admin/privacy/requests"] button[type="submit"]');
    await page.waitForURL(/\/admin\/privacy\/requests\/\d+$/);
    const text = await page.locator('main').innerText();
    expect(text).toContain('The request was recorded.');
    expect(text).toContain('Due today');
    expect(text).toContain('Rampa');
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'privacy-request');

    await page.goto(`${url}/admin/privacy/requests`);
    expect(await page.locator('tbody tr').count()).toBe(1);
    expect(await axeViolations(page)).toEqual([]);

    await page.goto(`${url}/admin/privacy/retention`);
    await page.fill('#p-adopted', '2026-11-22');
    await page.click('form[action="/admin/privacy/retention"] button[type="submit"]');
    expect(await page.locator('.error-summary').innerText()).toContain('The adoption date cannot be after today');
    expect(await axeViolations(page)).toEqual([]);
    await page.fill('#p-adopted', '2026-11-20');
    await page.click('form[action="/admin/privacy/retention"] button[type="submit"]');
    expect(await page.locator('.flash').innerText()).toContain('20 Nov 2027');
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'privacy-retention');
  } finally {
    await page.close();
  }
});
