// The public side of neighbourhood meetings over HTTP: the list, the sign-up form and what it
// refuses, duplicates, repeats, the registration page, the calendar file and cancellation.
import ICAL from 'ical.js';
import request from 'supertest';
import { meetingRepository, meetingService } from '../../server/meetings';
import { createTestApp, TEST_BASE_URL, type TestApp } from '../helpers/test-app';
import { csrfFrom } from '../helpers/admin';
import { scheduleMeeting, signUp, signUpFields } from '../helpers/meetings';
import { isUniqueViolation } from '../../server/platform/db/db-errors';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => {
  expect(t.logged).toEqual([]);
  await t.close();
});

const registrations = () => t.db.selectFrom('meeting_registrations').selectAll().orderBy('id').execute();
const outbox = () => t.db.selectFrom('outbox_messages').selectAll().orderBy('id').execute();
const main = (html: string) => html.slice(html.indexOf('<main'), html.indexOf('</main>'));

describe('the list of meetings', () => {
  it('shows upcoming meetings with seats left or the waitlist, filtered by mahalle, without past ones', async () => {
    const open = await scheduleMeeting(t, { title_tr: 'Atatürk buluşması', capacity: 30, mahalles: ['ataturk', 'fatih'] });
    const full = await scheduleMeeting(t, { title_tr: 'Gazi buluşması', capacity: 1, mahalles: ['gazi'] });
    await scheduleMeeting(t, { title_tr: 'Sınırsız buluşma', capacity: null, mahalles: ['kultur'] });
    await scheduleMeeting(t, { title_tr: 'Geçmiş buluşma', starts_at: '2026-11-20T16:00:00.000Z', ends_at: '2026-11-20T18:00:00.000Z', signup_deadline_at: '2026-11-20T16:00:00.000Z' });
    expect((await signUp(request.agent(t.app), full, { name: 'Ayla Demir', phone: '0532 000 00 01', mahalle: 'gazi' })).status).toBe(303);

    const all = main((await request(t.app).get('/bulusmalar')).text);
    expect(all).toContain('Atatürk buluşması');
    expect(all).toContain('30 boş yer kaldı');
    expect(all).toContain('Yerler doldu, yedek liste açık');
    expect(all).toContain('Yer sınırı yok');
    expect(all).toContain('Cumartesi, 19:00–21:00');
    expect(all).not.toContain('Geçmiş buluşma');

    const fatih = main((await request(t.app).get('/bulusmalar?mahalle=fatih')).text);
    expect(fatih).toContain(`/bulusmalar/${open}`);
    expect(fatih).not.toContain('Gazi buluşması');
    expect(main((await request(t.app).get('/bulusmalar?mahalle=yenimahalle')).text)).toContain('Bu mahalle için planlanmış bir buluşma yok');
    // An unknown or hostile filter shows everything rather than failing.
    expect((await request(t.app).get('/bulusmalar?mahalle=%3Cscript%3E')).status).toBe(200);
    expect((await request(t.app).get('/bulusmalar?lang=en')).text).toContain('30 seats left');
  });

  it('answers 404 for a meeting that does not exist', async () => {
    for (const path of ['/bulusmalar/999', '/bulusmalar/abc', '/bulusmalar/1e3']) {
      expect((await request(t.app).get(path)).status).toBe(404);
    }
  });
});

describe('signing up', () => {
  it('confirms a resident, stores exactly what was given, and mails a confirmation with the calendar file', async () => {
    const id = await scheduleMeeting(t);
    const agent = request.agent(t.app);
    const response = await signUp(agent, id, { name: '  Ayşe Yılmaz ', phone: '0532 123 45 67', email: 'Ayse@Example.org', accessibility_need: 'Tekerlekli sandalye', accessibility_consent: '1', future_meetings: '1' });
    expect(response.status).toBe(303);
    expect(response.headers.location).toMatch(/^\/bulusmalar\/kayit\/\d+-[A-Za-z0-9_-]{22}$/);
    const [row] = await registrations();
    expect(row).toMatchObject({
      meeting_id: id,
      name: 'Ayşe Yılmaz',
      phone: '+905321234567',
      email: 'ayse@example.org',
      mahalle_id: 'ataturk',
      accessibility_need: 'Tekerlekli sandalye',
      status: 'confirmed',
      source: 'online',
      language: 'tr',
    });
    // Each ticked box is a consent of its own, with the notice version (see test/privacy).
    expect(await t.db.selectFrom('consents').select(['purpose', 'registration_id', 'notice_version', 'given_at']).orderBy('id').execute()).toEqual([
      { purpose: 'future_meetings', registration_id: row!.id, notice_version: '1.1', given_at: t.clock.now.toISOString() },
      { purpose: 'accessibility_need', registration_id: row!.id, notice_version: '1.1', given_at: t.clock.now.toISOString() },
    ]);

    const page = await agent.get(response.headers.location as string);
    expect(page.status).toBe(200);
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    expect(main(page.text)).toContain('Kaydınız alındı');
    expect(main(page.text)).toContain('ayse@example.org adresine gönderildi');
    // Plain words for the calendar button, no file-format jargon.
    expect(main(page.text)).toMatch(/<a class="button" href="[^"]+\/takvim\.ics" download>Takvimime ekle<\/a>/);
    expect(main(page.text)).not.toContain('.ics)');
    expect(main((await request(t.app).get(`${response.headers.location as string}?lang=en`)).text)).toContain('>Add to my calendar</a>');

    const ics = await agent.get(`${response.headers.location as string}/takvim.ics`);
    expect(ics.status).toBe(200);
    expect(ics.headers['content-type']).toContain('text/calendar');
    const event = new ICAL.Event(new ICAL.Component(ICAL.parse(ics.text)).getFirstSubcomponent('vevent')!);
    expect(event.startDate.toJSDate().toISOString()).toBe('2026-12-05T16:00:00.000Z');
    expect(event.summary).toBe('Atatürk Mahallesi Buluşması');

    const [mail] = await outbox();
    expect(mail).toMatchObject({ to_address: 'ayse@example.org', kind: 'meeting_confirmed', subject: 'Kaydınız alındı: Atatürk Mahallesi Buluşması' });
    // The personal link is sealed until sending: the stored body holds a placeholder.
    expect(mail!.text_body).not.toContain('/bulusmalar/kayit/');
    expect(JSON.parse(mail!.attachments!)[0].filename).toBe('bulusma.ics');
    await t.worker.runOnce();
    expect(t.sent[0]!.text).toContain(`${TEST_BASE_URL}${response.headers.location}`);
    // 16:00 UTC is 19:00 in Istanbul, written in the zone the resident reads it in.
    expect(t.sent[0]!.attachments![0]!.content.toString()).toContain('DTSTART;TZID=Europe/Istanbul:20261205T190000');
  });

  it('puts the resident on the waitlist with a position once the seats are taken', async () => {
    const id = await scheduleMeeting(t, { capacity: 2 });
    for (const [i, name] of ['Bir', 'İki', 'Üç', 'Dört'].entries()) {
      expect((await signUp(request.agent(t.app), id, { name: `${name} Kişi`, email: `k${i}@example.org` })).status).toBe(303);
    }
    const rows = await registrations();
    expect(rows.map((r) => r.status)).toEqual(['confirmed', 'confirmed', 'waitlisted', 'waitlisted']);
    const last = rows[3]!;
    const link = `/bulusmalar/kayit/${meetingService.registrationToken('test-secret-that-is-long-enough-for-hmac-0123456789', last.id)}`;
    const page = await request(t.app).get(link);
    expect(main(page.text)).toContain('Sıranız: 2.');
    expect((await outbox()).map((m) => m.kind)).toEqual(['meeting_confirmed', 'meeting_confirmed', 'meeting_waitlisted', 'meeting_waitlisted']);
    // Nobody waiting gets a calendar entry for a seat they do not have.
    expect((await outbox())[3]!.attachments).toBeNull();
    expect((await request(t.app).get(`${link}/takvim.ics`)).status).toBe(409);
    expect(main((await request(t.app).get(`/bulusmalar/${id}`)).text)).toContain('Yedek listeye kaydol');
  });

  it('takes a phone number alone: no e-mail ever, and a call for the planner when there is news', async () => {
    const id = await scheduleMeeting(t, { capacity: 1 });
    const first = (await signUp(request.agent(t.app), id, { name: 'Ayşe Yılmaz', email: 'ayse@example.org' })).headers.location as string;
    expect((await signUp(request.agent(t.app), id, { name: 'Hasan Kaya', phone: '0 (532) 765 43 21' })).status).toBe(303);
    // Hasan read "you are on the waitlist" on the page: nothing to call about yet.
    expect(await t.db.selectFrom('meeting_notices').selectAll().where('channel', '=', 'phone').execute()).toEqual([]);
    const page = await request.agent(t.app).get(first);
    expect(page.text).toContain('Buluşmadan bir gün önce bir hatırlatma da alacaksınız.');
    const ayse = request.agent(t.app);
    const own = await ayse.get(first);
    expect((await ayse.post(`${first}/iptal`).type('form').send({ _csrf: csrfFrom(own.text), confirm: 'yes' })).status).toBe(303);
    expect((await outbox()).map((m) => m.to_address)).toEqual(['ayse@example.org', 'ayse@example.org']);
    const notices = await t.db.selectFrom('meeting_notices').selectAll().where('channel', '=', 'phone').execute();
    expect(notices).toMatchObject([{ kind: 'promoted', channel: 'phone', outbox_message_id: null, handled_at: null }]);
  });

  it.each([
    ['nothing at all', {}, ['#su-name', '#su-phone', '#su-mahalle']],
    ['neither phone nor e-mail', { name: 'Ali Veli', mahalle: 'gazi' }, ['#su-phone']],
    ['a phone number that is not one', { name: 'Ali Veli', phone: '12ab', mahalle: 'gazi' }, ['#su-phone']],
    ['a malformed e-mail address', { name: 'Ali Veli', email: 'ali@', mahalle: 'gazi' }, ['#su-email']],
    ['a mahalle not on the list', { name: 'Ali Veli', phone: '05321112233', mahalle: 'atlantis' }, ['#su-mahalle']],
    ['a name of one letter', { name: 'A', phone: '05321112233', mahalle: 'gazi' }, ['#su-name']],
    ['a name far too long', { name: 'x'.repeat(101), phone: '05321112233', mahalle: 'gazi' }, ['#su-name']],
    ['a consent box with another value', { name: 'Ali Veli', phone: '05321112233', mahalle: 'gazi', future_meetings: 'yes' }, []],
    ['a list where one value belongs', { name: ['Ali', 'Veli'], phone: '05321112233', mahalle: 'gazi' }, ['#su-name']],
  ])('refuses %s with 422, says what is wrong, keeps the values and stores nothing', async (_case, fields, links) => {
    const id = await scheduleMeeting(t);
    const agent = request.agent(t.app);
    const page = await agent.get(`/bulusmalar/${id}`);
    const response = await agent
      .post(`/bulusmalar/${id}`)
      .type('form')
      .send({ ...signUpFields(page.text), name: '', phone: '', email: '', mahalle: '', ...fields });
    expect(response.status).toBe(422);
    const summary = /<div class="error-summary"[\s\S]*?<\/div>/.exec(response.text)?.[0] ?? '';
    for (const link of links) expect(summary).toContain(`href="${link}"`);
    expect(await registrations()).toEqual([]);
    expect(await outbox()).toEqual([]);
  });

  it('refuses a post without the form key (400) or without the CSRF token (403), storing nothing', async () => {
    const id = await scheduleMeeting(t);
    const agent = request.agent(t.app);
    const page = await agent.get(`/bulusmalar/${id}`);
    const { _csrf } = signUpFields(page.text);
    const noKey = await agent.post(`/bulusmalar/${id}`).type('form').send({ _csrf, name: 'Ali Veli', phone: '05321112233', mahalle: 'gazi' });
    expect(noKey.status).toBe(400);
    expect(noKey.text).toContain('Geçersiz istek');
    const noToken = await request(t.app).post(`/bulusmalar/${id}`).type('form').send({ request_key: 'A'.repeat(22), name: 'Ali Veli', phone: '05321112233', mahalle: 'gazi' });
    expect(noToken.status).toBe(403);
    expect(await registrations()).toEqual([]);
  });

  it('escapes what a resident typed wherever it is shown', async () => {
    const id = await scheduleMeeting(t);
    const agent = request.agent(t.app);
    const response = await signUp(agent, id, { name: '<script>alert(1)</script>', email: 'x@example.org' });
    const page = await agent.get(response.headers.location as string);
    expect(page.text).not.toContain('<script>alert(1)</script>');
    expect(page.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    const invalid = await agent.post(`/bulusmalar/${id}`).type('form').send({ ...signUpFields((await agent.get(`/bulusmalar/${id}`)).text), name: '"><img src=x onerror=alert(1)>', phone: 'x' });
    expect(invalid.status).toBe(422);
    expect(invalid.text).not.toContain('<img src=x');
  });
});

describe('duplicates and repeats', () => {
  it('refuses the same phone number or e-mail address for the same meeting, however it is written', async () => {
    const id = await scheduleMeeting(t);
    const other = await scheduleMeeting(t, { title_tr: 'Başka buluşma' });
    expect((await signUp(request.agent(t.app), id, { name: 'Ayşe Yılmaz', phone: '0532 123 45 67', email: 'ayse@example.org' })).status).toBe(303);
    const samePhone = await signUp(request.agent(t.app), id, { name: 'Ayşe Y.', phone: '+90 532 1234567' });
    expect(samePhone.status).toBe(409);
    expect(main(samePhone.text)).toContain('Zaten kayıtlısınız');
    const sameEmail = await signUp(request.agent(t.app), id, { name: 'Ayşe Y.', email: 'AYSE@example.org' });
    expect(sameEmail.status).toBe(409);
    // Another meeting is another matter.
    expect((await signUp(request.agent(t.app), other, { name: 'Ayşe Yılmaz', phone: '05321234567' })).status).toBe(303);
    expect((await registrations()).map((r) => r.meeting_id)).toEqual([id, other]);
    expect(await outbox()).toHaveLength(1);
  });

  it('backs the rule with unique indexes in the database, which let a cancelled resident sign up again', async () => {
    const id = await scheduleMeeting(t);
    const row = { meeting_id: id, name: 'X', phone: '+905321234567', email: null, mahalle_id: 'ataturk', accessibility_need: null, future_meetings_consent_at: null, language: 'tr', status: 'confirmed' as const, source: 'online' as const, request_key: null, created_at: t.clock.now.toISOString() };
    const first = await meetingRepository.insertRegistration(t.db, row);
    const duplicate = await meetingRepository.insertRegistration(t.db, { ...row, status: 'waitlisted' }).catch((error: unknown) => error);
    expect(isUniqueViolation(duplicate)).toBe(true);
    await meetingRepository.cancelRegistration(t.db, first, 'resident', t.clock.now);
    await expect(meetingRepository.insertRegistration(t.db, row)).resolves.toBeGreaterThan(first);
  });

  it('treats a repeated post of the same form (a double tap, a retry) as the same sign-up', async () => {
    const id = await scheduleMeeting(t);
    const agent = request.agent(t.app);
    const page = await agent.get(`/bulusmalar/${id}`);
    const fields = { ...signUpFields(page.text), name: 'Ayşe Yılmaz', phone: '05321234567', email: '', mahalle: 'ataturk' };
    const [a, b] = await Promise.all([agent.post(`/bulusmalar/${id}`).type('form').send(fields), agent.post(`/bulusmalar/${id}`).type('form').send(fields)]);
    const again = await agent.post(`/bulusmalar/${id}`).type('form').send(fields);
    expect([a.status, b.status, again.status]).toEqual([303, 303, 303]);
    expect(new Set([a.headers.location, b.headers.location, again.headers.location]).size).toBe(1);
    expect(await registrations()).toHaveLength(1);
    expect(await t.db.selectFrom('meeting_notices').selectAll().execute()).toHaveLength(0);
  });

  it('does not show one resident another one\'s sign-up when a page left in a shared browser is sent again', async () => {
    const id = await scheduleMeeting(t);
    const kiosk = request.agent(t.app);
    const page = await kiosk.get(`/bulusmalar/${id}`);
    expect(page.headers['cache-control']).toBe('no-store');
    const fields = signUpFields(page.text);
    const first = await kiosk.post(`/bulusmalar/${id}`).type('form').send({ ...fields, name: 'Ayşe Yılmaz', phone: '05321234567', email: '', mahalle: 'ataturk' });
    expect(first.status).toBe(303);
    // The next person at the muhtarlık's computer goes back and sends the same form with their own details.
    const second = await kiosk.post(`/bulusmalar/${id}`).type('form').send({ ...fields, name: 'Hasan Kaya', phone: '05327654321', email: '', mahalle: 'ataturk' });
    expect(second.status).toBe(409);
    expect(second.text).toContain('Bu form bu tarayıcıdan daha önce gönderilmiş');
    expect(second.text).not.toContain('Ayşe');
    expect(second.text).toContain('value="Hasan Kaya"');
    const again = await kiosk.post(`/bulusmalar/${id}`).type('form').send({ ...signUpFields(second.text), name: 'Hasan Kaya', phone: '05327654321', email: '', mahalle: 'ataturk' });
    expect(again.status).toBe(303);
    expect((await registrations()).map((r) => r.name)).toEqual(['Ayşe Yılmaz', 'Hasan Kaya']);
  });
});

describe('when sign-up is not possible', () => {
  it('says sign-up closed after the deadline (410) and stores nothing', async () => {
    const id = await scheduleMeeting(t, { signup_deadline_at: '2026-11-22T10:00:00.000Z' });
    const agent = request.agent(t.app);
    const page = await agent.get(`/bulusmalar/${id}`);
    t.clock.now = new Date('2026-11-22T10:00:00.000Z');
    const late = await agent.post(`/bulusmalar/${id}`).type('form').send({ ...signUpFields(page.text), name: 'Geç Kalan', phone: '05321112233', mahalle: 'ataturk' });
    expect(late.status).toBe(410);
    expect(main(late.text)).toContain('Kayıtlar kapandı');
    expect(main((await agent.get(`/bulusmalar/${id}`)).text)).not.toContain('<form method="post"');
    // Even an invalid form is told the real reason.
    const invalid = await agent.post(`/bulusmalar/${id}`).type('form').send({ ...signUpFields(page.text), name: '' });
    expect(invalid.status).toBe(410);
    expect(await registrations()).toEqual([]);
  });

  it('says the meeting is cancelled (410) and stores nothing', async () => {
    const id = await scheduleMeeting(t);
    const agent = request.agent(t.app);
    const page = await agent.get(`/bulusmalar/${id}`);
    await meetingService.cancelMeeting(t.db, { mailer: t.mailer, baseUrl: TEST_BASE_URL, secret: 'x' }, id, 'Salon onarımda', { userId: null, email: 'test', ip: null }, t.clock.now);
    const response = await agent.post(`/bulusmalar/${id}`).type('form').send({ ...signUpFields(page.text), name: 'Ali Veli', phone: '05321112233', mahalle: 'ataturk' });
    expect(response.status).toBe(410);
    expect(main(response.text)).toContain('Buluşma iptal edildi');
    expect(main(response.text)).toContain('Salon onarımda');
    expect(main((await agent.get('/bulusmalar')).text)).toContain('İptal edildi');
    expect(await registrations()).toEqual([]);
  });
});

describe('the registration page', () => {
  it('asks before cancelling: the button leads to a page saying what happens; only the confirmed post cancels', async () => {
    const id = await scheduleMeeting(t, { capacity: 1 });
    const ayse = request.agent(t.app);
    const link = (await signUp(ayse, id, { name: 'Ayşe Yılmaz', email: 'ayse@example.org' })).headers.location as string;
    await signUp(request.agent(t.app), id, { name: 'Mehmet Öz', email: 'mehmet@example.org' });
    const before = { registrations: await registrations(), outbox: await outbox() };

    // The registration page's button posts without confirmation: the answer is the question.
    const page = await ayse.get(link);
    const asked = await ayse.post(`${link}/iptal`).type('form').send({ _csrf: csrfFrom(page.text) });
    expect(asked.status).toBe(200);
    const question = main(asked.text);
    expect(question).toContain('Kaydınızı iptal etmek istiyor musunuz?');
    expect(question).toContain('Yeriniz boşalır ve yedek listedeki ilk kişiye verilir.');
    expect(question).toContain('yedek listenin sonuna eklenirsiniz');
    expect(question).toContain('Evet, kaydımı iptal et');
    expect(question).toContain('name="confirm" value="yes"');
    expect(question).toContain(`<a href="${link}">Vazgeç, kaydıma dön</a>`);
    expect({ registrations: await registrations(), outbox: await outbox() }).toEqual(before);

    // The same page without a post (a link, a reload), and in English.
    expect(main((await ayse.get(`${link}/iptal`)).text)).toContain('Evet, kaydımı iptal et');
    expect(main((await ayse.get(`${link}/iptal?lang=en`)).text)).toContain('Yes, cancel my sign-up');
    expect({ registrations: await registrations(), outbox: await outbox() }).toEqual(before);

    // Anything but confirm=yes is still only the question; the confirmed form cancels.
    expect((await ayse.post(`${link}/iptal`).type('form').send({ _csrf: csrfFrom(page.text), confirm: '1' })).status).toBe(200);
    expect(await registrations()).toEqual(before.registrations);
    const confirmed = await ayse.post(`${link}/iptal`).type('form').send({ _csrf: csrfFrom(asked.text), confirm: 'yes' });
    expect(confirmed.status).toBe(303);
    expect((await registrations()).map((r) => r.status)).toEqual(['cancelled', 'confirmed']);

    // Cancelled already: the confirmation page sends back to the record.
    expect((await ayse.get(`${link}/iptal`)).headers.location).toBe(link);
  });

  it('asks a waitlisted person about their place in line, not a seat', async () => {
    const id = await scheduleMeeting(t, { capacity: 1 });
    await signUp(request.agent(t.app), id, { name: 'Ayşe Yılmaz', email: 'ayse@example.org' });
    const mehmet = request.agent(t.app);
    const link = (await signUp(mehmet, id, { name: 'Mehmet Öz', email: 'mehmet@example.org' })).headers.location as string;
    const question = main((await mehmet.get(`${link}/iptal`)).text);
    expect(question).toContain('Yedek listedeki sıranız silinir.');
    expect(question).not.toContain('Yeriniz boşalır');
  });

  it('cancels with its button: the seat goes to the first person waiting, in the same transaction', async () => {
    const id = await scheduleMeeting(t, { capacity: 1 });
    const ayse = request.agent(t.app);
    const link = (await signUp(ayse, id, { name: 'Ayşe Yılmaz', email: 'ayse@example.org' })).headers.location as string;
    await signUp(request.agent(t.app), id, { name: 'Mehmet Öz', email: 'mehmet@example.org' });
    await signUp(request.agent(t.app), id, { name: 'Zeynep Ak', phone: '05320000000' });

    const page = await ayse.get(link);
    const cancel = await ayse.post(`${link}/iptal`).type('form').send({ _csrf: csrfFrom(page.text), confirm: 'yes' });
    expect(cancel.status).toBe(303);
    expect(main((await ayse.get(link)).text)).toContain('Kaydınız iptal edildi');
    expect((await registrations()).map((r) => [r.name, r.status, r.promoted_at !== null])).toEqual([
      ['Ayşe Yılmaz', 'cancelled', false],
      ['Mehmet Öz', 'confirmed', true],
      ['Zeynep Ak', 'waitlisted', false],
    ]);
    expect((await outbox()).map((m) => [m.to_address, m.kind])).toEqual([
      ['ayse@example.org', 'meeting_confirmed'],
      ['mehmet@example.org', 'meeting_waitlisted'],
      ['ayse@example.org', 'meeting_registration_cancelled'],
      ['mehmet@example.org', 'meeting_promoted'],
    ]);
    // Zeynep's cancellation after the start frees nothing: nobody is told or promoted mid-meeting.
    // Cancelling twice changes nothing more.
    expect((await ayse.post(`${link}/iptal`).type('form').send({ _csrf: csrfFrom(page.text), confirm: 'yes' })).status).toBe(303);
    expect(await outbox()).toHaveLength(4);
    const zeynep = (await registrations())[2]!;
    expect(await meetingRepository.waitlistPosition(t.db, zeynep)).toBe(1);

    // Once the meeting has started, Mehmet's link no longer cancels, and nobody is promoted.
    const mehmet = `/bulusmalar/kayit/${meetingService.registrationToken('test-secret-that-is-long-enough-for-hmac-0123456789', (await registrations())[1]!.id)}`;
    const mehmetPage = await ayse.get(mehmet);
    t.clock.now = new Date('2026-12-05T16:10:00.000Z');
    expect((await ayse.get(mehmet)).text).not.toContain('Kaydımı iptal et');
    expect((await ayse.post(`${mehmet}/iptal`).type('form').send({ _csrf: csrfFrom(mehmetPage.text), confirm: 'yes' })).status).toBe(410);
    expect((await registrations()).map((r) => r.status)).toEqual(['cancelled', 'confirmed', 'waitlisted']);
    expect(await outbox()).toHaveLength(4);
  });

  it('answers 404 for a forged or malformed link', async () => {
    const id = await scheduleMeeting(t);
    const link = (await signUp(request.agent(t.app), id, { name: 'Ayşe Yılmaz', phone: '05321234567' })).headers.location as string;
    const [, token] = /kayit\/(.+)$/.exec(link)!;
    const forged = token!.replace(/^\d+/, '2');
    for (const bad of [forged, `${token!.slice(0, -1)}A`, 'abc', '0-AAAAAAAAAAAAAAAAAAAAAA']) {
      const response = await request(t.app).get(`/bulusmalar/kayit/${bad}`);
      expect(response.status).toBe(404);
      expect(main(response.text)).toContain('Kayıt bulunamadı');
    }
  });
});
