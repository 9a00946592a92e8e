/// <reference lib="dom" />
// An institution on a phone: asks to take part, confirms its address, fills the opinion form (and
// gets it back with errors), uploads, replaces and removes a letter, reads its receipt naming it, finds its link closed, revoked
// or not yet open; every page checked with axe-core and page-audit.ts, in Turkish and in English.
// And the form again with JavaScript off, behind an invitation's link.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { invitationService } from '../../server/opinions';
import { createI18n } from '../../server/platform/i18n/i18n';
import { browserSuite, fill } from '../helpers/browser';
import { invitedInstitution, mailedLink } from '../helpers/invitation';
import { LETTER_PDF } from '../helpers/letter-pdf';
import { auditPage, phoneContext } from '../helpers/page-audit';
import { validSectionFields } from '../helpers/survey-walker';

const { translators } = createI18n();
const suite = browserSuite();

it.each(['tr', 'en'] as const)('passes axe-core and every page check on a phone in %s, from the request to the receipt and the link closed', async (lang) => {
  const tr = translators[lang];
  const context = await phoneContext(suite.browser, { lang });
  const page = await context.newPage();
  const problems: string[] = [];
  const visited: string[] = [];
  const check = async (name: string) => {
    visited.push(name);
    problems.push(...(await auditPage(page, `opinions-${name}-${lang}`, { lang })));
  };
  const h1 = () => page.locator('h1').textContent();
  const submit = async (selector = 'main form[method="post"] button[type="submit"]') => {
    await page.locator(selector).click();
    await page.waitForLoadState();
  };

  await page.goto(`${suite.url}/kurum-gorusu?lang=${lang}`);
  await check('register');
  await submit();
  expect(await page.locator('.error-summary li').count()).toBeGreaterThan(0);
  await check('register-errors');
  await page.fill('#reg-name', 'Yeşilvadi Kent Konseyi');
  await page.selectOption('#reg-group', 'kent_konseyi');
  await page.fill('#reg-email', 'konsey@example.org');
  await page.check('input[name="authority"]');
  await submit();
  expect(await h1()).toBe(tr('opinions:register.sent_title'));
  await check('register-sent');

  const confirm = await mailedLink(suite.t, '/kurum-gorusu/onay/');
  await page.goto(`${suite.url}${confirm}`);
  await check('confirm');
  await submit();
  // An English request is answered in English: the link carries ?lang=en.
  await page.waitForURL(/\/gorus\/[A-Za-z0-9_-]{22}(\?lang=en)?$/);
  await check('status');
  const link = new URL(page.url()).pathname;

  // The letter before the form is sent: refused when it is not a PDF, confirmed, replaced, removed.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paydas-letter-'));
  const notPdf = path.join(dir, 'yazi.pdf');
  fs.writeFileSync(notPdf, 'Bu bir PDF değil.');
  const letter = path.join(dir, 'Görüş yazısı.pdf');
  fs.writeFileSync(letter, LETTER_PDF);
  const other = path.join(dir, 'yeni.pdf');
  fs.writeFileSync(other, LETTER_PDF);
  const size = `${Math.max(1, Math.round(LETTER_PDF.length / 1024))} KB, ${tr('opinions:letter.pages', { count: 1 })}`;
  await page.setInputFiles('#letter-file', notPdf);
  await page.locator('form[action*="/yazi?"] button').click();
  await page.waitForLoadState();
  expect(await page.locator('#letter-error').textContent()).toBe(tr('opinions:letter.not_pdf', { mb: 5 }));
  await check('letter-refused');
  await page.setInputFiles('#letter-file', letter);
  await page.locator('form[action*="/yazi?"] button').click();
  await page.waitForLoadState();
  expect(await page.locator('#letter-news').textContent()).toContain(tr('opinions:letter.uploaded', { name: 'Görüş yazısı.pdf', size }));
  await check('letter-uploaded');
  await page.setInputFiles('form[action*="/degistir"] input[type="file"]', other);
  await page.locator('form[action*="/degistir"] button').click();
  await page.waitForLoadState();
  expect(await page.locator('#letter-news').textContent()).toContain(tr('opinions:letter.replaced', { name: 'yeni.pdf', size }));
  await check('letter-replaced');
  await page.locator('form[action$="/sil"] button').click();
  await page.waitForLoadState();
  expect(await page.locator('#letter-news').textContent()).toContain(tr('opinions:letter.removed'));
  await check('letter-removed');
  await page.setInputFiles('#letter-file', letter);
  await page.locator('form[action*="/yazi?"] button').click();
  await page.waitForLoadState();
  fs.rmSync(dir, { recursive: true, force: true });

  const survey = suite.t.catalog.find('kurum-gorus-formu')!;
  await page.goto(`${suite.url}${link}/1`);
  // The type of institution is known from the register; a count that is not a number is refused.
  await fill(page, { uye_calisan_sayisi: 'yüzlerce' });
  await submit('button[value="next"]');
  expect(await page.locator('#error-summary li').count()).toBeGreaterThan(0);
  await check('section-1-errors');
  for (let index = 0; index < survey.sections.length; index++) {
    await page.goto(`${suite.url}${link}/${index + 1}`);
    await check(`section-${index + 1}`);
    await fill(page, validSectionFields(survey, index));
    await submit('button[value="next"]');
  }
  await page.waitForURL(`**${link}/alindi`);
  expect(await h1()).toBe(tr('opinions:receipt.title'));
  expect(await page.locator('main').textContent()).toContain(tr('opinions:receipt.letters_attached', { count: 1 }));
  await check('receipt');

  // Sent: the letter is named, and can no longer be replaced or removed.
  await page.goto(`${suite.url}${link}`);
  expect(await page.locator('form[enctype="multipart/form-data"]').count()).toBe(0);
  expect(await page.locator('main').textContent()).toContain(tr('opinions:letter.locked_hint'));
  await check('status-submitted');

  // The confirmation link once more, and one that never existed.
  await page.goto(`${suite.url}${confirm}`);
  await submit();
  expect(await page.locator('main p').first().textContent()).toBe(tr('opinions:confirm.already_confirmed'));
  await check('confirm-used');
  await page.goto(`${suite.url}/kurum-gorusu/onay/bozuk`);
  await check('confirm-unknown');

  expect((await page.goto(`${suite.url}/gorus/AAAAAAAAAAAAAAAAAAAAAA`))!.status()).toBe(404);
  await check('link-unknown');
  const revoked = await invitedInstitution(suite.t, { name: 'Ziraat Odası', group: 'meslek_odasi' });
  const actor = { userId: null, email: 'test', ip: null };
  expect(await invitationService.revoke(suite.t.db, survey, revoked.id, actor, suite.t.clock.now)).toEqual({ kind: 'changed' });
  expect((await page.goto(`${suite.url}${revoked.link}`))!.status()).toBe(410);
  expect(await h1()).toBe(tr('opinions:link.revoked_title'));
  await check('link-revoked');
  const early = await invitedInstitution(suite.t, { name: 'Esnaf Odası', group: 'meslek_odasi' });
  suite.t.clock.now = new Date(Date.parse(suite.t.catalog.schedule('kurum-gorus-formu').opensAt) - 60_000);
  expect((await page.goto(`${suite.url}${early.link}`))!.status()).toBe(403);
  expect(await h1()).toBe(tr('opinions:link.not_open_title'));
  await check('link-not-open');
  // After the deadline the institution's answer stays on record and the link says so.
  const answered = await suite.t.db.selectFrom('invitations').select('deadline_at').where('self_registered', '=', 1).executeTakeFirstOrThrow();
  suite.t.clock.now = new Date(Date.parse(answered.deadline_at) + 60_000);
  expect((await page.goto(`${suite.url}${link}`))!.status()).toBe(410);
  expect(await h1()).toBe(tr('opinions:link.closed_title'));
  expect(await page.locator('main strong').count()).toBe(1);
  await check('link-closed');

  expect(problems).toEqual([]);
  expect(visited).toHaveLength(18 + survey.sections.length);
  const stored = await suite.t.db.selectFrom('invitations').select(['submitted_at', 'self_registered']).orderBy('id').executeTakeFirstOrThrow();
  expect(stored).toMatchObject({ self_registered: 1, submitted_at: '2026-11-21T07:00:00.000Z' });
  await context.close();
}, 120_000);

it('is filled and submitted with JavaScript turned off, the type of institution never asked', async () => {
  const { link } = await invitedInstitution(suite.t, { name: 'Ziraat Odası', group: 'meslek_odasi' });
  const context = await phoneContext(suite.browser, { lang: 'tr', javaScript: false });
  const page = await context.newPage();
  await page.goto(`${suite.url}${link}`);
  expect(await page.locator('.entry-banner').textContent()).toBe('Kurum: Ziraat Odası (Meslek odası)');
  // The letter without JavaScript: uploaded, confirmed, replaced, removed, uploaded again.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paydas-letter-'));
  const letter = path.join(dir, 'Resmi yazı.pdf');
  fs.writeFileSync(letter, LETTER_PDF);
  const upload = async (selector: string) => {
    await page.setInputFiles(`${selector} input[type="file"]`, letter);
    await page.locator(`${selector} button`).click();
    await page.waitForLoadState();
  };
  await upload('form[action*="/yazi?"]');
  expect(await page.locator('#letter-news').textContent()).toContain('Yazınız yüklendi: Resmi yazı.pdf');
  await upload('form[action*="/degistir"]');
  expect(await page.locator('#letter-news').textContent()).toContain('Yazınız değiştirildi');
  await page.locator('form[action$="/sil"] button').click();
  await page.waitForLoadState();
  expect(await page.locator('#letter-news').textContent()).toContain('Yazınız kaldırıldı.');
  expect(await suite.t.db.selectFrom('opinion_letters').selectAll().execute()).toEqual([]);
  await upload('form[action*="/yazi?"]');
  fs.rmSync(dir, { recursive: true, force: true });
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
  expect(await page.locator('main').textContent()).toContain('Resmi yazı.pdf');
  const sent = await suite.t.db.selectFrom('opinion_letters as l').innerJoin('invitations as i', 'i.response_id', 'l.response_id').select('l.file_name').execute();
  expect(sent).toEqual([{ file_name: 'Resmi yazı.pdf' }]);
  await context.close();
}, 60_000);
