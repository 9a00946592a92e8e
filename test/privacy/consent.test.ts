// Explicit consents (KVKK art. 5/1): only for the optional "future meetings" use, never ticked in
// advance, stored with the sign-up in one transaction with the notice version, and withdrawn
// through a personal link (on the registration page and in the confirmation mail) with one
// button, without touching the seat.
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { hashToken } from '../../server/platform/tokens';
import { meetingService } from '../../server/meetings';
import { activeConsent, consentsOfRegistrations } from '../../server/privacy';
import { addUser, csrfFrom, logIn } from '../helpers/admin';
import { openMigratedUpTo } from '../helpers/database-template';
import { htmlProblems } from '../helpers/html';
import { scheduleMeeting, signUp, signUpFields, type Resident } from '../helpers/meetings';
import { createTestSmtp, linkIn } from '../helpers/smtp';
import { BUNDLED_SURVEYS, createTestApp, tempDir, TEST_BASE_URL, TEST_SECRET, type TestApp } from '../helpers/test-app';

let t: TestApp;
afterEach(async () => {
  expect(t.logged).toEqual([]);
  await t.close();
});

const main = (html: string) => /<main id="main">([\s\S]*)<\/main>/.exec(html)![1]!;
const consents = () => t.db.selectFrom('consents').selectAll().orderBy('id').execute();
const audits = () => t.db.selectFrom('audit_events').select(['action', 'target', 'details', 'user_id', 'ip']).where('action', '=', 'consent.withdrawn').execute();

/** Signs up through the form; returns the resident's browser and the path of their registration page. */
async function signedUp(meetingId: number, resident: Resident, lang?: 'en'): Promise<{ browser: TestAgent; page: string }> {
  const browser = request.agent(t.app);
  const response = await signUp(browser, meetingId, resident, lang);
  expect(response.status).toBe(303);
  return { browser, page: response.headers.location as string };
}

/** The withdrawal link on the registration page. */
async function withdrawalLinkOn(browser: TestAgent, registrationPage: string): Promise<string> {
  const page = await browser.get(registrationPage);
  const link = /href="(\/acik-riza\/[A-Za-z0-9_-]{22}(?:\?lang=en)?)"/.exec(page.text)?.[1];
  if (!link) throw new Error(`No withdrawal link on ${registrationPage}`);
  return link;
}

describe('giving consent on the sign-up form', () => {
  beforeEach(async () => {
    t = await createTestApp();
  });

  it('offers the box unticked, apart from the notice link, and keeps it ticked after errors only if the person ticked it', async () => {
    const id = await scheduleMeeting(t);
    const browser = request.agent(t.app);
    const form = await browser.get(`/bulusmalar/${id}`);
    expect(form.text).toMatch(/<input type="checkbox" id="su-future" name="future_meetings" value="1">/);
    const label = /<label class="opt"><input type="checkbox" id="su-future"[\s\S]*?<\/label>/.exec(form.text)![0];
    expect(label).toContain('İleride yapılacak buluşmalardan da haberdar edilmek istiyorum (isteğe bağlı');
    expect(label).not.toContain('aydinlatma-metni');

    const ticked = await browser.post(`/bulusmalar/${id}`).type('form').send({ ...signUpFields(form.text), name: '', phone: 'x', mahalle: 'ataturk', future_meetings: '1' });
    expect(ticked.status).toBe(422);
    expect(ticked.text).toMatch(/id="su-future" name="future_meetings" value="1" checked>/);
    const unticked = await browser.post(`/bulusmalar/${id}`).type('form').send({ ...signUpFields(ticked.text), name: '', phone: 'x', mahalle: 'ataturk' });
    expect(unticked.status).toBe(422);
    expect(unticked.text).toMatch(/id="su-future" name="future_meetings" value="1">/);
    expect(await consents()).toEqual([]);
  });

  it('stores a ticked box as a consent with the time and the notice version, in the sign-up', async () => {
    const id = await scheduleMeeting(t);
    await signedUp(id, { name: 'Ayşe Yılmaz', email: 'ayse@example.org', future_meetings: '1' });
    await signedUp(id, { name: 'Hasan Kaya', phone: '05327654321' });
    const [ayse, hasan] = await t.db.selectFrom('meeting_registrations').select(['id', 'future_meetings_consent_at']).orderBy('id').execute();
    expect(await consents()).toEqual([
      {
        id: 1,
        purpose: 'future_meetings',
        registration_id: ayse!.id,
        notice_version: '1.1',
        given_at: t.clock.now.toISOString(),
        withdrawn_at: null,
        withdrawal_token_hash: expect.stringMatching(/^[0-9a-f]{64}$/),
        // Ticked on the site's form: no planner recorded it.
        channel: 'online',
        recorded_by: null,
      },
    ]);
    // The old column is left as it was: nothing writes or reads it any more.
    expect(ayse!.future_meetings_consent_at).toBeNull();
    expect(await consentsOfRegistrations(t.db, [hasan!.id])).toEqual([]);
    expect(activeConsent(await consentsOfRegistrations(t.db, [ayse!.id, hasan!.id]), 'future_meetings')).toMatchObject({ registrationId: ayse!.id, noticeVersion: '1.1' });
  });

  it('records the version of the notice in municipality.json at the time', async () => {
    await t.close();
    const dir = tempDir('paydas-consent-');
    for (const name of fs.readdirSync(BUNDLED_SURVEYS)) fs.copyFileSync(path.join(BUNDLED_SURVEYS, name), path.join(dir, name));
    const profile = JSON.parse(fs.readFileSync(path.join(dir, 'municipality.json'), 'utf8'));
    profile.privacy.noticeVersion = '2.4';
    fs.writeFileSync(path.join(dir, 'municipality.json'), JSON.stringify(profile));
    t = await createTestApp({ surveysDir: dir });
    const id = await scheduleMeeting(t);
    await signedUp(id, { name: 'Ayşe Yılmaz', phone: '05321234567', future_meetings: '1' });
    expect(await consents()).toMatchObject([{ notice_version: '2.4' }]);
    expect((await request(t.app).get('/aydinlatma-metni')).text).toContain('Sürüm 2.4');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('stores neither the sign-up nor the consent when the sign-up fails', async () => {
    const id = await scheduleMeeting(t);
    await signedUp(id, { name: 'Ayşe Yılmaz', email: 'ayse@example.org' });
    // The same address again is refused: no consent may outlive a refused sign-up.
    const again = await signUp(request.agent(t.app), id, { name: 'Ayşe Y.', email: 'ayse@example.org', future_meetings: '1' });
    expect(again.status).toBe(409);
    expect(await consents()).toEqual([]);
    // A repeated post of the same form finds its sign-up and stores no second consent.
    const browser = request.agent(t.app);
    const form = await browser.get(`/bulusmalar/${id}`);
    const fields = { ...signUpFields(form.text), name: 'Mehmet Öz', phone: '05329998877', email: '', mahalle: 'ataturk', future_meetings: '1' };
    const first = await browser.post(`/bulusmalar/${id}`).type('form').send(fields);
    const second = await browser.post(`/bulusmalar/${id}`).type('form').send(fields);
    expect(second.headers.location).toBe(first.headers.location);
    expect(await consents()).toHaveLength(1);
  });
});

describe('withdrawing consent through the link', () => {
  beforeEach(async () => {
    t = await createTestApp();
  });

  it('shows the link on the registration page, explains, withdraws with one button, keeps the seat, audits, and says so a second time', async () => {
    const id = await scheduleMeeting(t, { capacity: 1 });
    const { browser, page } = await signedUp(id, { name: 'Hasan Kaya', phone: '05327654321', future_meetings: '1' });
    const registration = await browser.get(page);
    expect(main(registration.text)).toContain('21.11.2026 tarihinde ileride yapılacak buluşmalardan haberdar edilmeye onay verdiniz.');
    const link = await withdrawalLinkOn(browser, page);

    const ask = await browser.get(link);
    expect(ask.status).toBe(200);
    expect(ask.headers['cache-control']).toBe('no-store');
    expect(ask.headers['referrer-policy']).toBe('no-referrer');
    expect(await htmlProblems(ask.text)).toEqual([]);
    const askMain = main(ask.text);
    expect(askMain).toContain('İleride yapılacak mahalle buluşmalarından haberdar edilmek');
    expect(askMain).toContain('Verildiği tarih: 21.11.2026 10:00 · Aydınlatma metni sürümü: 1.1');
    expect(askMain).toContain('Buluşma kaydınız ve yeriniz korunur');
    expect(askMain).toContain('<button type="submit" class="primary">Rızamı geri al</button>');
    // Opening the page changes nothing: a mail scanner following links withdraws nothing.
    expect((await consents())[0]!.withdrawn_at).toBeNull();

    t.clock.now = new Date('2026-11-23T08:30:00Z');
    const done = await browser.post(link).type('form').send({ _csrf: csrfFrom(ask.text) });
    expect(done.status).toBe(200);
    expect(main(done.text)).toContain('Rızanız geri alındı');
    expect(main(done.text)).toContain('23.11.2026 11:30 itibarıyla bu onayınız geçerli değildir.');
    expect(await consents()).toMatchObject([{ withdrawn_at: '2026-11-23T08:30:00.000Z' }]);
    const [registrationRow] = await t.db.selectFrom('meeting_registrations').select(['status', 'cancelled_at']).execute();
    expect(registrationRow).toEqual({ status: 'confirmed', cancelled_at: null });
    expect(await audits()).toEqual([
      { action: 'consent.withdrawn', target: 'consent:1', details: JSON.stringify({ purpose: 'future_meetings', registration: 1, via: 'link' }), user_id: null, ip: null },
    ]);
    expect(activeConsent(await consentsOfRegistrations(t.db, [1]), 'future_meetings')).toBeUndefined();

    // Again: nothing changes, and the page says it was already done.
    t.clock.now = new Date('2026-11-24T08:30:00Z');
    const again = await browser.post(link).type('form').send({ _csrf: csrfFrom(ask.text) });
    expect(again.status).toBe(200);
    expect(main(again.text)).toContain('Rızanız zaten geri alınmış');
    expect(main(again.text)).toContain('Bu onay 23.11.2026 11:30 tarihinde geri alınmıştı');
    const later = await browser.get(link);
    expect(main(later.text)).toContain('Rızanız zaten geri alınmış');
    expect(later.text).not.toContain('<button');
    expect(await consents()).toMatchObject([{ withdrawn_at: '2026-11-23T08:30:00.000Z' }]);
    expect(await audits()).toHaveLength(1);

    // The registration page now says it was withdrawn, and offers no link.
    const after = await browser.get(page);
    expect(main(after.text)).toContain('İleride yapılacak buluşmalardan haberdar edilme onayınızı 23.11.2026 tarihinde geri aldınız.');
    expect(after.text).not.toContain('/acik-riza/');
    expect(main(after.text)).toContain('Kaydınız alındı');
  });

  it('shows planners, beside each sign-up, the consent with its version and date, and its withdrawal', async () => {
    const id = await scheduleMeeting(t);
    const { browser, page } = await signedUp(id, { name: 'Ayşe Yılmaz', email: 'ayse@example.org', future_meetings: '1' });
    await signedUp(id, { name: 'Hasan Kaya', phone: '05327654321' });
    const user = await addUser(t, 'planner');
    const before = await (await logIn(t, user)).get(`/admin/meetings/${id}`);
    expect(before.status).toBe(200);
    expect(await htmlProblems(before.text)).toEqual([]);
    const row = (html: string, name: string) => new RegExp(`<tr id="r\\d+"><th scope="row">${name}</th>[\\s\\S]*?</tr>`).exec(html)![0];
    expect(row(before.text, 'Ayşe Yılmaz')).toContain('Verildi: 21.11.2026, sürüm 1.1');
    expect(row(before.text, 'Hasan Kaya')).toContain('<td>Yok</td>');

    const link = await withdrawalLinkOn(browser, page);
    const ask = await browser.get(link);
    t.clock.now = new Date('2026-11-25T09:00:00Z');
    await browser.post(link).type('form').send({ _csrf: csrfFrom(ask.text) });
    // Days later: the planner logs in again.
    const after = await (await logIn(t, user)).get(`/admin/meetings/${id}`);
    expect(row(after.text, 'Ayşe Yılmaz')).toContain('Verildi: 21.11.2026, sürüm 1.1<br>Geri alındı: 25.11.2026');
  });

  it('works in English for a resident who signed up in English', async () => {
    const id = await scheduleMeeting(t);
    const { browser, page } = await signedUp(id, { name: 'Mehmet Öz', phone: '05321112233', future_meetings: '1' }, 'en');
    const link = await withdrawalLinkOn(browser, `${page}?lang=en`);
    expect(link).toMatch(/\?lang=en$/);
    const ask = await browser.get(link);
    expect(ask.text).toContain('<html lang="en">');
    expect(main(ask.text)).toContain('Hearing about future neighbourhood meetings');
    expect(main(ask.text)).toContain('Privacy notice version: 1.1');
    const done = await browser.post(link).type('form').send({ _csrf: csrfFrom(ask.text) });
    expect(main(done.text)).toContain('Your consent is withdrawn');
  });

  it('answers an unknown or malformed link with a 404 page, and changes nothing', async () => {
    const id = await scheduleMeeting(t);
    await signedUp(id, { name: 'Ayşe Yılmaz', phone: '05321234567', future_meetings: '1' });
    const browser = request.agent(t.app);
    for (const token of ['AAAAAAAAAAAAAAAAAAAAAA', 'kısa', 'A'.repeat(23), 'AAAAAAAAAAAAAAAAAAAA%3C%3E', '1-AAAAAAAAAAAAAAAAAAAAAA']) {
      const page = await browser.get(`/acik-riza/${token}`);
      expect({ token, status: page.status }).toEqual({ token, status: 404 });
      expect(main(page.text)).toContain('Bağlantı bulunamadı');
      expect(page.text).not.toContain('<button');
    }
    const english = await browser.get('/acik-riza/AAAAAAAAAAAAAAAAAAAAAA?lang=en');
    expect(main(english.text)).toContain('Link not found');
    // A post to an unknown link, with a valid form token from another page.
    const form = await browser.get(`/bulusmalar/${id}`);
    const post = await browser.post('/acik-riza/AAAAAAAAAAAAAAAAAAAAAA').type('form').send({ _csrf: csrfFrom(form.text) });
    expect(post.status).toBe(404);
    expect(await consents()).toMatchObject([{ withdrawn_at: null }]);
    expect(await audits()).toEqual([]);
  });

  it('refuses a post without the page’s CSRF token, or with fields it does not know', async () => {
    const id = await scheduleMeeting(t);
    const { browser, page } = await signedUp(id, { name: 'Ayşe Yılmaz', phone: '05321234567', future_meetings: '1' });
    const link = await withdrawalLinkOn(browser, page);
    const ask = await browser.get(link);
    // Another site making the visitor's browser post: no token, or a made-up one.
    expect((await browser.post(link).type('form').send({})).status).toBe(403);
    expect((await browser.post(link).type('form').send({ _csrf: 'forged' })).status).toBe(403);
    // The right token from a browser without the matching cookie.
    expect((await request(t.app).post(link).type('form').send({ _csrf: csrfFrom(ask.text) })).status).toBe(403);
    const extra = await browser.post(link).type('form').send({ _csrf: csrfFrom(ask.text), purpose: 'all' });
    expect(extra.status).toBe(400);
    expect(await consents()).toMatchObject([{ withdrawn_at: null }]);
    expect(await audits()).toEqual([]);
  });
});

describe('the withdrawal link in the sign-up confirmation mail', () => {
  it('goes out through SMTP with the confirmation, sealed in the outbox, and withdraws', async () => {
    const smtp = await createTestSmtp();
    t = await createTestApp({ smtpPort: smtp.port });
    try {
      const id = await scheduleMeeting(t, { capacity: 1 });
      await signedUp(id, { name: 'Ayşe Yılmaz', email: 'ayse@example.org', future_meetings: '1' });
      await signedUp(id, { name: 'Mehmet Öz', email: 'mehmet@example.org', future_meetings: '1' }, 'en');
      await signedUp(id, { name: 'Zeynep Ak', email: 'zeynep@example.org' });
      // Planners reading the outbox never see a working link.
      const stored = await t.db.selectFrom('outbox_messages').select(['text_body', 'html_body']).execute();
      for (const body of stored.flatMap((m) => [m.text_body, m.html_body])) expect(body).not.toMatch(/acik-riza\/[A-Za-z0-9_-]{22}/);

      expect(await t.worker.runOnce()).toEqual({ sent: 3, failed: 0 });
      const [ayse, mehmet, zeynep] = smtp.received;
      expect(ayse!.text).toContain('İleride yapılacak buluşmalardan haberdar edilmeye onay verdiniz.');
      expect(mehmet!.text).toContain('You agreed to hear about future meetings.');
      expect(mehmet!.subject).toBe('You are on the waiting list: Atatürk Neighbourhood Meeting');
      // No consent, no withdrawal link.
      expect(zeynep!.text).not.toContain('/acik-riza/');
      expect(String(ayse!.html)).toMatch(/<a href="https:\/\/katilim\.example\.org\/acik-riza\/[A-Za-z0-9_-]{22}">Rızamı geri al<\/a>/);

      const link = linkIn(ayse!, `${TEST_BASE_URL}/acik-riza/`).slice(TEST_BASE_URL.length);
      const englishLink = linkIn(mehmet!, `${TEST_BASE_URL}/acik-riza/`).slice(TEST_BASE_URL.length);
      expect(englishLink).toMatch(/\?lang=en$/);
      expect(hashToken(link.slice('/acik-riza/'.length))).toBe((await consents())[0]!.withdrawal_token_hash);

      const browser = request.agent(t.app);
      const ask = await browser.get(link);
      expect(ask.status).toBe(200);
      const done = await browser.post(link).type('form').send({ _csrf: csrfFrom(ask.text) });
      expect(main(done.text)).toContain('Rızanız geri alındı');
      expect((await consents()).map((c) => c.withdrawn_at)).toEqual([t.clock.now.toISOString(), null]);
    } finally {
      await smtp.stop();
    }
  });
});

describe('migration 16', () => {
  it('copies the consents of earlier sign-ups, with the version unknown, and their links work', async () => {
    const file = path.join(tempDir('paydas-consent-migration-'), 'paydas.sqlite');
    const old = await openMigratedUpTo(file, '2026_11_21_15_rebuild_answer_tallies');
    const stamp = '2026-10-01T09:00:00.000Z';
    const meeting = { title_tr: 'Eski buluşma', venue: 'Salon', address: 'Adres', starts_at: '2026-12-05T16:00:00.000Z', ends_at: '2026-12-05T18:00:00.000Z', signup_deadline_at: '2026-12-05T12:00:00.000Z', created_at: stamp, updated_at: stamp };
    const { id: meetingId } = await old.insertInto('meetings').values(meeting).returning('id').executeTakeFirstOrThrow();
    const registration = (name: string, phone: string, consentAt: string | null) => ({
      meeting_id: meetingId,
      name,
      phone,
      mahalle_id: 'ataturk',
      future_meetings_consent_at: consentAt,
      language: 'tr',
      status: 'confirmed',
      source: 'online',
      created_at: stamp,
      confirmed_at: stamp,
    });
    await old.insertInto('meeting_registrations').values([registration('Ayşe Yılmaz', '+905321234567', '2026-10-01T09:00:00.000Z'), registration('Hasan Kaya', '+905327654321', null), registration('Zeynep Ak', '+905320001122', '2026-10-02T12:30:00.000Z')]).execute();
    await old.destroy();

    t = await createTestApp({ databaseFile: file });
    expect(await consents()).toEqual([
      { id: 1, purpose: 'future_meetings', registration_id: 1, notice_version: 'unknown', given_at: '2026-10-01T09:00:00.000Z', withdrawn_at: null, withdrawal_token_hash: null, channel: 'online', recorded_by: null },
      { id: 2, purpose: 'future_meetings', registration_id: 3, notice_version: 'unknown', given_at: '2026-10-02T12:30:00.000Z', withdrawn_at: null, withdrawal_token_hash: null, channel: 'online', recorded_by: null },
    ]);
    // The old column stays as it was.
    expect((await t.db.selectFrom('meeting_registrations').select('future_meetings_consent_at').orderBy('id').execute()).map((r) => r.future_meetings_consent_at)).toEqual([
      '2026-10-01T09:00:00.000Z',
      null,
      '2026-10-02T12:30:00.000Z',
    ]);

    // Zeynep opens her registration page: the link is made then, and withdraws her consent only.
    const browser = request.agent(t.app);
    const registrationPage = `/bulusmalar/kayit/${meetingService.registrationToken(TEST_SECRET, 3)}`;
    const link = await withdrawalLinkOn(browser, registrationPage);
    const ask = await browser.get(link);
    expect(main(ask.text)).toContain('Verildiği tarih: 02.10.2026 15:30 (o tarihteki aydınlatma metni sürümü kaydedilmemiştir)');
    await browser.post(link).type('form').send({ _csrf: csrfFrom(ask.text) });
    expect((await consents()).map((c) => c.withdrawn_at)).toEqual([null, t.clock.now.toISOString()]);
  });
});
