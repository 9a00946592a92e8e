/// <reference lib="dom" />
// An institution on a phone: asks to take part, confirms its address, fills the opinion form,
// uploads a letter, reads its receipt; every page checked with axe-core. And the form again with
// JavaScript off, behind an invitation's link.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { axeViolations, browserSuite, fill, screenshot } from '../helpers/browser';
import { invitedInstitution, mailedLink } from '../helpers/invitation';
import { validSectionFields } from '../helpers/survey-walker';

const PHONE = { width: 360, height: 740 };
const suite = browserSuite();

it('has no WCAG 2.1 A/AA violations on a phone, from the request to the receipt', async () => {
  // axe runs as a script in the page, so this walk has JavaScript on; the next test turns it off.
  const context = await suite.browser.newContext({ viewport: PHONE, javaScriptEnabled: true, locale: 'tr-TR', isMobile: true, hasTouch: true });
  const page = await context.newPage();
  const visited: { name: string; violations: unknown[] }[] = [];
  const check = async (name: string) => {
    await screenshot(page, `opinions-${name}`);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    visited.push({ name, violations: await axeViolations(page) });
  };

  await page.goto(`${suite.url}/kurum-gorusu`);
  await check('register');
  await page.locator('button[type="submit"]').click();
  await page.waitForLoadState();
  await check('register-errors');
  await page.fill('#reg-name', 'Yeşilvadi Kent Konseyi');
  await page.selectOption('#reg-group', 'kent_konseyi');
  await page.fill('#reg-email', 'konsey@example.org');
  await page.check('input[name="consent"]');
  await page.locator('button[type="submit"]').click();
  await page.waitForLoadState();
  await check('register-sent');

  const confirm = await mailedLink(suite.t, '/kurum-gorusu/onay/');
  await page.goto(`${suite.url}${confirm}`);
  await check('confirm');
  await page.locator('button[type="submit"]').click();
  await page.waitForURL(/\/gorus\/[A-Za-z0-9_-]{22}$/);
  await check('status');
  const link = new URL(page.url()).pathname;

  const survey = suite.t.catalog.find('kurum-gorus-formu')!;
  for (let index = 0; index < survey.sections.length; index++) {
    await page.goto(`${suite.url}${link}/${index + 1}`);
    await check(`section-${index + 1}`);
    await fill(page, validSectionFields(survey, index));
    await page.locator('button[value="next"]').click();
    await page.waitForLoadState();
  }
  await page.waitForURL(`**${link}/alindi`);
  await check('receipt');

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paydas-letter-'));
  const notPdf = path.join(dir, 'yazi.pdf');
  fs.writeFileSync(notPdf, 'Bu bir PDF değil.');
  await page.goto(`${suite.url}${link}`);
  await page.setInputFiles('#letter-file', notPdf);
  await page.locator('form[enctype="multipart/form-data"] button').click();
  await page.waitForLoadState();
  expect(await page.locator('#letter-error').textContent()).toContain('Bu dosya PDF değil');
  await check('letter-refused');
  fs.rmSync(dir, { recursive: true, force: true });

  await page.goto(`${suite.url}/gorus/AAAAAAAAAAAAAAAAAAAAAA?lang=en`);
  await check('unknown-link-en');

  expect(visited.filter((v) => v.violations.length > 0)).toEqual([]);
  expect(visited).toHaveLength(8 + survey.sections.length);
  const stored = await suite.t.db.selectFrom('invitations').select(['submitted_at', 'self_registered']).executeTakeFirstOrThrow();
  expect(stored).toMatchObject({ self_registered: 1, submitted_at: suite.t.clock.now.toISOString() });
  await context.close();
}, 120_000);

it('is filled and submitted with JavaScript turned off, the type of institution never asked', async () => {
  const { link } = await invitedInstitution(suite.t, { name: 'Ziraat Odası', group: 'meslek_odasi' });
  const context = await suite.browser.newContext({ viewport: PHONE, javaScriptEnabled: false, locale: 'tr-TR', isMobile: true, hasTouch: true });
  const page = await context.newPage();
  await page.goto(`${suite.url}${link}`);
  expect(await page.locator('.entry-banner').textContent()).toBe('Kurum: Ziraat Odası (Meslek odası)');
  await page.locator('a.button.primary').click();
  const survey = suite.t.catalog.find('kurum-gorus-formu')!;
  for (let index = 0; index < survey.sections.length; index++) {
    await page.waitForURL(`**${link}/${index + 1}`);
    expect(await page.locator('[name="kurum_turu"]').count()).toBe(0);
    const fields = validSectionFields(survey, index);
    delete fields.kurum_turu;
    await fill(page, fields);
    await page.locator('button[value="next"]').click();
  }
  await page.waitForURL(`**${link}/alindi`);
  expect(await page.locator('h1').textContent()).toBe('Görüşünüz alındı');
  const answer = await suite.t.db
    .selectFrom('answers as a')
    .innerJoin('invitations as i', 'i.response_id', 'a.response_id')
    .select('a.option_id')
    .where('a.question_id', '=', 'kurum_turu')
    .executeTakeFirstOrThrow();
  expect(answer.option_id).toBe('meslek_odasi');
  await context.close();
}, 60_000);
