// Residents without a smartphone habit: every sign-up has a short booking code, shown large on its
// page and in its mails; "Kaydımı bul" opens the sign-up with a phone number and the code (one
// message for every wrong pair, wrong tries limited per number and per code); the municipality's
// phone number is in the footer of every public page.
import crypto from 'node:crypto';
import path from 'node:path';
import request from 'supertest';
import { lookupLimiter } from '../../server/meetings/booking-lookup';
import { BOOKING_CODE_ALPHABET, formatBookingCode, newBookingCode, normalizeBookingCode, normalizePhone } from '../../server/meetings/meeting-rules';
import { meetingService } from '../../server/meetings';
import { contactPhone } from '../../server/platform/phone';
import { csrfFrom } from '../helpers/admin';
import { openMigratedUpTo } from '../helpers/database-template';
import { scheduleMeeting, signUp } from '../helpers/meetings';
import { createTestSmtp } from '../helpers/smtp';
import { createTestApp, tempDir, TEST_BASE_URL, TEST_SECRET, type TestApp } from '../helpers/test-app';

describe('normalizePhone', () => {
  it.each([
    ['0532 123 45 67', '+905321234567'],
    ['05321234567', '+905321234567'],
    ['0 532 123 45 67', '+905321234567'],
    ['0 (532) 123-45-67', '+905321234567'],
    ['532 123 45 67', '+905321234567'],
    ['+90 532 123 45 67', '+905321234567'],
    ['+905321234567', '+905321234567'],
    ['90 532 123 45 67', '+905321234567'],
    ['0090 532 123 45 67', '+905321234567'],
    ['  0212 555 12 34 ', '+902125551234'],
  ])('reads %p as %p', (raw, stored) => {
    expect(normalizePhone(raw)).toBe(stored);
  });
  it.each(['', '0532 123 45', '+90 532 123 45 678', 'beş yüz otuz iki', '0532 123 45 67 dahili 5'])('refuses %p', (raw) => {
    expect(normalizePhone(raw)).toBeUndefined();
  });
});

describe('booking codes', () => {
  it('are six characters from an alphabet without look-alikes', () => {
    let i = 0;
    const code = newBookingCode((n) => i++ % n);
    expect(code).toBe('ADEFHJ');
    for (const letter of '0O1IL2Z5S8BGCUVQWX') expect(BOOKING_CODE_ALPHABET).not.toContain(letter);
    const random = newBookingCode((n) => Math.floor(Math.random() * n));
    expect(random).toMatch(new RegExp(`^[${BOOKING_CODE_ALPHABET}]{6}$`));
  });
  it('are read as typed or said: any case, spaces, dashes; anything else is no code', () => {
    expect(normalizeBookingCode('ade 479')).toBe('ADE479');
    expect(normalizeBookingCode(' Ade-479 ')).toBe('ADE479');
    expect(normalizeBookingCode('ADE479')).toBe('ADE479');
    expect(normalizeBookingCode('ADE47')).toBeUndefined();
    expect(normalizeBookingCode('ADE4790')).toBeUndefined();
    expect(normalizeBookingCode('ADE470')).toBeUndefined();
    expect(normalizeBookingCode("' OR 1")).toBeUndefined();
    expect(formatBookingCode('ADE479')).toBe('ADE 479');
  });
  it('print the municipality number the way residents dial it, with its tel: link', () => {
    expect(contactPhone('+90 212 555 12 34')).toEqual({ text: '0\u00a0(212)\u00a0555\u00a012\u00a034', href: 'tel:+902125551234' });
    expect(contactPhone('0212 555 12 34')).toEqual({ text: '0\u00a0(212)\u00a0555\u00a012\u00a034', href: 'tel:+902125551234' });
    expect(contactPhone('Alo 153')).toEqual({ text: 'Alo\u00a0153', href: 'tel:153' });
  });
});

describe('meetingService.signUp', () => {
  describe('when the booking code drawn is already taken (another sign-up drew it at the same moment)', () => {
    it('draws another and signs the resident up, rather than refusing them as already signed up', async () => {
      const t = await createTestApp();
      try {
        const ctx = { mailer: t.mailer, baseUrl: TEST_BASE_URL, secret: TEST_SECRET };
        const request = (meetingId: number, name: string, phone: string, requestKey: string) => ({
          meetingId,
          name,
          phone,
          email: null,
          mahalleId: 'ataturk',
          accessibilityNeed: null,
          accessibilityConsent: null,
          futureMeetingsConsent: null,
          language: 'tr',
          requestKey,
        });
        const first = await meetingService.signUp(t.db, ctx, request(await scheduleMeeting(t), 'Ayşe Yılmaz', '+905321234567', 'A'.repeat(22)), t.clock.now);
        if (first.kind !== 'registered') throw new Error(first.kind);
        const taken = first.registration.booking_code!;
        // The next draw spells the taken code, as a draw in another process could; later draws are random.
        const real = crypto.randomInt.bind(crypto) as (max: number) => number;
        const spelled = [...taken].map((letter) => BOOKING_CODE_ALPHABET.indexOf(letter));
        const draws = jest.spyOn(crypto, 'randomInt').mockImplementation(((max: number) => spelled.shift() ?? real(max)) as typeof crypto.randomInt);
        let second;
        try {
          second = await meetingService.signUp(t.db, ctx, request(await scheduleMeeting(t), 'Hasan Kaya', '+905327654321', 'B'.repeat(22)), t.clock.now);
          expect(draws.mock.calls.length).toBeGreaterThanOrEqual(12);
        } finally {
          draws.mockRestore();
        }
        expect(second.kind).toBe('registered');
        const rows = await t.db.selectFrom('meeting_registrations').select(['name', 'booking_code']).orderBy('id').execute();
        expect(rows.map((r) => r.name)).toEqual(['Ayşe Yılmaz', 'Hasan Kaya']);
        expect(rows[0]!.booking_code).toBe(taken);
        expect(rows[1]!.booking_code).toMatch(new RegExp(`^[${BOOKING_CODE_ALPHABET}]{6}$`));
        expect(rows[1]!.booking_code).not.toBe(taken);
      } finally {
        await t.close();
      }
    });
  });
});

describe('lookupLimiter', () => {
  it('refuses a key after five wrong tries until its window has passed, and counts each key apart', () => {
    const clock = { now: new Date('2026-11-21T10:00:00Z') };
    const limiter = lookupLimiter(() => clock.now);
    for (let i = 0; i < 4; i++) limiter.failed(['phone:a', 'code:x']);
    expect(limiter.blocked(['phone:a'])).toBe(false);
    limiter.failed(['phone:a', 'code:y']);
    expect(limiter.blocked(['phone:a'])).toBe(true);
    expect(limiter.blocked(['phone:b', 'code:x'])).toBe(false);
    expect(limiter.blocked(['phone:b', 'code:y'])).toBe(false);
    clock.now = new Date('2026-11-21T10:15:00Z');
    expect(limiter.blocked(['phone:a'])).toBe(false);
  });
});

describe('over HTTP', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
  });
  afterEach(async () => {
    expect(t.logged).toEqual([]);
    await t.close();
  });

  const registrations = () => t.db.selectFrom('meeting_registrations').selectAll().orderBy('id').execute();
  const tokenOf = (id: number) => meetingService.registrationToken(TEST_SECRET, id);

  /** Opens Kaydımı bul and sends it, as a browser without JavaScript does. */
  async function find(phone: string, code: string, agent = request.agent(t.app), lang = '') {
    const page = await agent.get(`/bulusmalar/kaydim${lang}`);
    expect(page.status).toBe(200);
    return agent.post(`/bulusmalar/kaydim${lang}`).type('form').send({ _csrf: csrfFrom(page.text), phone, code });
  }

  it('gives every sign-up its own code, shown large on its page with the ways back instead of "keep this address"', async () => {
    const id = await scheduleMeeting(t, { capacity: 1 });
    const hasan = await signUp(request.agent(t.app), id, { name: 'Hasan Çelik', phone: '0532 123 45 67' });
    await signUp(request.agent(t.app), id, { name: 'Ayşe Yılmaz', email: 'ayse@example.org' });
    const [first, second] = await registrations();
    expect(first!.booking_code).toMatch(new RegExp(`^[${BOOKING_CODE_ALPHABET}]{6}$`));
    expect(second!.booking_code).toMatch(new RegExp(`^[${BOOKING_CODE_ALPHABET}]{6}$`));
    expect(first!.booking_code).not.toBe(second!.booking_code);

    const page = await request(t.app).get(hasan.headers.location!);
    expect(page.text).toContain(`Kayıt kodunuz: <strong class="code">${formatBookingCode(first!.booking_code!)}</strong>`);
    expect(page.text).toContain('Sitemizdeki <a href="/bulusmalar/kaydim">Kaydımı bul</a> sayfasında telefon numaranızı ve bu kodu yazın');
    expect(page.text).toContain('ya da belediyeyi arayıp kodunuzu söyleyin: <a href="tel:+900000000000">0\u00a0(000)\u00a0000\u00a000\u00a000</a>');
    expect(page.text).not.toContain('Bu sayfanın adresini saklayın');
    // Ayşe gave only an e-mail address: her way back is the mail's link, or a call.
    const ayse = await request(t.app).get(`/bulusmalar/kayit/${tokenOf(second!.id)}?lang=en`);
    expect(ayse.text).toContain(`Your booking code: <strong class="code">${formatBookingCode(second!.booking_code!)}</strong>`);
    expect(ayse.text).toContain('open the link in the e-mail we sent you');
    expect(ayse.text).not.toContain('Find my booking</a> page');
  });

  it('opens the sign-up from a phone number and its code however they are typed, and the resident can cancel there', async () => {
    const id = await scheduleMeeting(t);
    await signUp(request.agent(t.app), id, { name: 'Hasan Çelik', phone: '0532 123 45 67' });
    const [hasan] = await registrations();
    const code = hasan!.booking_code!;
    const typedCode = `${code.slice(0, 3).toLowerCase()} ${code.slice(3)}`;
    for (const phone of ['05321234567', '+90 532 123 45 67', '532 123 45 67', '0 (532) 123 45 67']) {
      const found = await find(phone, typedCode);
      expect(found.status).toBe(303);
      expect(found.headers.location).toBe(`/bulusmalar/kayit/${tokenOf(hasan!.id)}`);
    }
    expect((await find('0532 123 45 67', code, request.agent(t.app), '?lang=en')).headers.location).toBe(`/bulusmalar/kayit/${tokenOf(hasan!.id)}?lang=en`);

    // Through to cancelling, with the confirmation step of the personal page.
    const browser = request.agent(t.app);
    const found = await find('0532 123 45 67', code, browser);
    const page = await browser.get(found.headers.location!);
    expect(page.text).toContain('Kaydımı iptal et');
    const asked = await browser.get(`${found.headers.location}/iptal`);
    expect((await registrations())[0]!.status).toBe('confirmed');
    expect((await browser.post(`${found.headers.location}/iptal`).type('form').send({ _csrf: csrfFrom(asked.text), confirm: 'yes' })).status).toBe(303);
    expect((await registrations())[0]!.status).toBe('cancelled');
    // A cancelled sign-up is still found: the resident sees that it is cancelled.
    expect((await find('05321234567', code)).status).toBe(303);
  });

  it('answers every wrong pair with the same message, keeps only what was typed, and needs the CSRF token', async () => {
    const id = await scheduleMeeting(t);
    await signUp(request.agent(t.app), id, { name: 'Hasan Çelik', phone: '0532 123 45 67' });
    await signUp(request.agent(t.app), id, { name: 'Ayşe Yılmaz', phone: '0533 765 43 21' });
    const [hasan, ayse] = await registrations();
    const wrong = [
      ['0532 123 45 67', ayse!.booking_code!],
      ['0532 123 45 67', 'AAAAAA'],
      ['0539 999 99 99', hasan!.booking_code!],
      ['0539 999 99 99', 'AAAAAA'],
      ['12', 'not a code'],
    ];
    const bodies = new Set<string>();
    for (const [phone, code] of wrong) {
      const response = await find(phone!, code!);
      expect(response.status).toBe(422);
      expect(response.text).toContain('Bu telefon numarası ve kayıt koduyla bir kayıt bulamadık.');
      expect(response.text).toContain(`value="${phone}"`);
      expect(response.text).not.toContain('Hasan');
      expect(response.text).not.toContain('Ayşe');
      bodies.add(response.text.replace(/name="_csrf" value="[^"]+"/, '').replace(/value="[^"]*"/g, ''));
    }
    expect(bodies.size).toBe(1);

    const empty = await find('', '');
    expect(empty.status).toBe(422);
    expect(empty.text).toContain('Telefon numaranızı yazın.');
    expect(empty.text).toContain('Kayıt kodunuzu yazın.');
    expect((await request(t.app).post('/bulusmalar/kaydim').type('form').send({ phone: '05321234567', code: hasan!.booking_code })).status).toBe(403);
  });

  it('stops guessing at one phone number or one code after five wrong tries, even the right pair, for fifteen minutes', async () => {
    const id = await scheduleMeeting(t);
    await signUp(request.agent(t.app), id, { name: 'Hasan Çelik', phone: '0532 123 45 67' });
    await signUp(request.agent(t.app), id, { name: 'Ayşe Yılmaz', phone: '0533 765 43 21' });
    const [hasan, ayse] = await registrations();
    // Each try from a fresh browser: the per-visitor limit does not come into it.
    for (const code of ['AAAAAA', 'AAAAAD', 'AAAAAE', 'AAAAAF', 'AAAAAH']) expect((await find('0532 123 45 67', code)).status).toBe(422);
    const refused = await find('0532 123 45 67', hasan!.booking_code!);
    expect(refused.status).toBe(429);
    expect(refused.text).toContain('Çok fazla deneme yapıldı. 15 dakika sonra yeniden deneyin');
    // Another number is not affected.
    expect((await find('0533 765 43 21', ayse!.booking_code!)).status).toBe(303);
    // One code tried with many numbers.
    for (const phone of ['0530 000 00 01', '0530 000 00 02', '0530 000 00 03', '0530 000 00 04', '0530 000 00 05']) expect((await find(phone, ayse!.booking_code!)).status).toBe(422);
    expect((await find('0533 765 43 21', ayse!.booking_code!)).status).toBe(429);

    t.clock.now = new Date(t.clock.now.getTime() + 15 * 60_000);
    expect((await find('0532 123 45 67', hasan!.booking_code!)).status).toBe(303);
    expect((await find('0533 765 43 21', ayse!.booking_code!)).status).toBe(303);
  });

  it('counts Kaydımı bul against the per-visitor limit of every public form', async () => {
    await t.close();
    t = await createTestApp({ rateLimits: { visitorPostsPerMinute: 3 } });
    const browser = request.agent(t.app);
    const page = await browser.get('/bulusmalar/kaydim');
    const post = () => browser.post('/bulusmalar/kaydim').type('form').send({ _csrf: csrfFrom(page.text), phone: '05321234567', code: 'AAAAAA' });
    for (let i = 0; i < 3; i++) expect((await post()).status).toBe(422);
    expect((await post()).status).toBe(429);
  });

  it('puts the municipality phone and Kaydımı bul in the footer of public pages, and links it from the meeting pages', async () => {
    const id = await scheduleMeeting(t);
    for (const url of ['/', '/bulusmalar', `/bulusmalar/${id}`, '/bulusmalar/kaydim', '/aydinlatma-metni']) {
      const page = await request(t.app).get(url);
      expect(page.status).toBe(200);
      const footer = /<footer>[\s\S]*<\/footer>/.exec(page.text)![0];
      expect(footer).toContain('Bize ulaşın: <a href="tel:+900000000000">0\u00a0(000)\u00a0000\u00a000\u00a000</a>');
      expect(footer).toContain('<a href="/bulusmalar/kaydim">Kaydımı bul</a>');
    }
    for (const url of ['/bulusmalar', `/bulusmalar/${id}`]) {
      expect((await request(t.app).get(url)).text).toMatch(/<main[\s\S]*<a href="\/bulusmalar\/kaydim">Kaydımı bul<\/a>[\s\S]*<\/main>/);
    }
    expect((await request(t.app).get('/bulusmalar?lang=en')).text).toContain('Contact us: <a href="tel:+900000000000">');
  });
});

describe('booking codes in mail', () => {
  it('are in the confirmation, waitlist and promotion mails, large, over real SMTP', async () => {
    const smtp = await createTestSmtp();
    const t = await createTestApp({ smtpPort: smtp.port });
    try {
      const id = await scheduleMeeting(t, { capacity: 1 });
      await signUp(request.agent(t.app), id, { name: 'Ayşe Yılmaz', email: 'ayse@example.org' });
      await signUp(request.agent(t.app), id, { name: 'Mehmet Öz', email: 'mehmet@example.org' }, 'en');
      const [ayse, mehmet] = await t.db.selectFrom('meeting_registrations').selectAll().orderBy('id').execute();
      expect(await t.worker.runOnce()).toEqual({ sent: 2, failed: 0 });
      const [confirmed, waitlisted] = smtp.received;
      expect(confirmed!.text).toContain(`Kayıt kodunuz: ${formatBookingCode(ayse!.booking_code!)}`);
      expect(confirmed!.html).toMatch(new RegExp(`font-size:28px[^>]*>${formatBookingCode(ayse!.booking_code!)}</strong>`));
      expect(waitlisted!.text).toContain(`Your booking code: ${formatBookingCode(mehmet!.booking_code!)}`);

      await meetingService.cancelRegistration(t.db, { mailer: t.mailer, baseUrl: 'https://katilim.example.org', secret: TEST_SECRET }, ayse!.id, { by: 'resident' }, t.clock.now);
      expect(await t.worker.runOnce()).toEqual({ sent: 2, failed: 0 });
      const [cancelled, promoted] = smtp.received.slice(2);
      // The cancellation has no code to keep; the promotion has Mehmet's.
      expect(cancelled!.text).not.toContain('Kayıt kodunuz');
      expect(promoted!.subject).toContain('Atatürk Neighbourhood Meeting');
      expect(promoted!.text).toContain(`Your booking code: ${formatBookingCode(mehmet!.booking_code!)}`);
    } finally {
      await t.close();
      await smtp.stop();
    }
  });
});

describe('migration 2026_12_08_40', () => {
  it('gives sign-ups made before it their own codes', async () => {
    const file = path.join(tempDir('paydas-booking-migration-'), 'paydas.sqlite');
    const old = await openMigratedUpTo(file, '2026_12_07_36_add_login_throttle_notified_at');
    const stamp = '2026-10-01T09:00:00.000Z';
    const meeting = { title_tr: 'Eski buluşma', venue: 'Salon', address: 'Adres', starts_at: '2026-12-05T16:00:00.000Z', ends_at: '2026-12-05T18:00:00.000Z', signup_deadline_at: '2026-12-05T12:00:00.000Z', created_at: stamp, updated_at: stamp };
    const { id: meetingId } = await old.insertInto('meetings').values(meeting).returning('id').executeTakeFirstOrThrow();
    const registration = (name: string, phone: string) => ({ meeting_id: meetingId, name, phone, mahalle_id: 'ataturk', language: 'tr', status: 'confirmed', source: 'online', created_at: stamp, confirmed_at: stamp });
    await old.insertInto('meeting_registrations').values([registration('Ayşe Yılmaz', '+905321234567'), registration('Hasan Kaya', '+905327654321'), registration('Zeynep Ak', '+905320001122')]).execute();
    await old.destroy();

    const t = await createTestApp({ databaseFile: file });
    try {
      const codes = (await t.db.selectFrom('meeting_registrations').select('booking_code').orderBy('id').execute()).map((r) => r.booking_code);
      for (const code of codes) expect(code).toMatch(new RegExp(`^[${BOOKING_CODE_ALPHABET}]{6}$`));
      expect(new Set(codes).size).toBe(3);
      // Hasan finds his old sign-up with it.
      const agent = request.agent(t.app);
      const form = await agent.get('/bulusmalar/kaydim');
      const found = await agent.post('/bulusmalar/kaydim').type('form').send({ _csrf: csrfFrom(form.text), phone: '0532 765 43 21', code: codes[1] });
      expect(found.headers.location).toBe(`/bulusmalar/kayit/${meetingService.registrationToken(TEST_SECRET, 2)}`);
    } finally {
      await t.close();
    }
  });
});
