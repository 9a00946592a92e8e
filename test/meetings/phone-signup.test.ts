// A resident who calls the municipality: a planner signs them up from the back office through the
// same rules as the site (seats, waitlist, duplicates, deadline), reads the privacy notice out,
// records the caller's answers as consents given by phone, and tells them their booking code.
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { formatBookingCode } from '../../server/meetings/meeting-rules';
import { addUser, csrfFrom, logIn, type TestUser } from '../helpers/admin';
import { scheduleMeeting, signUp } from '../helpers/meetings';
import { createTestSmtp } from '../helpers/smtp';
import { createTestApp, type TestApp } from '../helpers/test-app';

let t: TestApp;
let user: TestUser;
let planner: TestAgent;

async function start(options: Parameters<typeof createTestApp>[0] = {}) {
  t = await createTestApp(options);
  user = await addUser(t, 'planner', 'Selin Planlamacı');
  planner = await logIn(t, user);
}
afterEach(async () => {
  expect(t.logged).toEqual([]);
  await t.close();
});

const registrations = () => t.db.selectFrom('meeting_registrations').selectAll().orderBy('id').execute();
const consents = () => t.db.selectFrom('consents').selectAll().orderBy('id').execute();

/** Opens the form and sends it as the planner's browser does (its CSRF token and request key). */
async function callIn(meetingId: number, fields: Record<string, string>, agent = planner) {
  const page = await agent.get(`/admin/meetings/${meetingId}/registrations/new`);
  expect(page.status).toBe(200);
  const key = /name="request_key" value="([^"]+)"/.exec(page.text)![1]!;
  const body = { _csrf: csrfFrom(page.text), request_key: key, name: '', phone: '', email: '', mahalle: 'ataturk', ...fields };
  return { response: await agent.post(`/admin/meetings/${meetingId}/registrations`).type('form').send(body), body };
}

describe('signing up a caller', () => {
  it('shows the text to read out and the box to tick, records the sign-up and the consents as given by phone, and shows the code', async () => {
    await start();
    const id = await scheduleMeeting(t);
    const page = await planner.get(`/admin/meetings/${id}`);
    expect(page.text).toContain(`<a class="button" href="/admin/meetings/${id}/registrations/new">Arayan birini kaydet</a>`);
    const form = await planner.get(`/admin/meetings/${id}/registrations/new`);
    expect(form.text).toContain('Arayana okuyun');
    expect(form.text).toContain('Yeşilvadi Belediyesi (Demo) bu bilgileri yalnızca bu buluşmayı düzenlemek');
    expect(form.text).toContain('planın kabulünden 12 ay sonra anonimleştirir');
    expect(form.text).toContain('Aydınlatma metni telefonda okundu, onay alındı');

    // Without the box: nothing is stored, the box is named.
    const { response: refused } = await callIn(id, { name: 'Hasan Çelik', phone: '0532 123 45 67' });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('Aydınlatma metnini okuyup onay aldıktan sonra bu kutuyu işaretleyin.');
    expect(refused.text).toContain('value="Hasan Çelik"');
    expect(await registrations()).toEqual([]);

    const { response } = await callIn(id, { name: 'Hasan Çelik', phone: '0532 123 45 67', notice_read: '1', future_meetings: '1', accessibility_need: 'Tekerlekli sandalye', accessibility_consent: '1' });
    expect(response.status).toBe(303);
    const [hasan] = await registrations();
    expect(hasan).toMatchObject({ name: 'Hasan Çelik', phone: '+905321234567', email: null, status: 'confirmed', source: 'online', registered_by: user.id, accessibility_need: 'Tekerlekli sandalye' });
    expect(response.headers.location).toBe(`/admin/meetings/${id}/registrations/${hasan!.id}`);
    expect((await consents()).map((c) => ({ purpose: c.purpose, registration: c.registration_id, channel: c.channel, by: c.recorded_by, version: c.notice_version }))).toEqual([
      { purpose: 'future_meetings', registration: hasan!.id, channel: 'phone', by: user.id, version: t.catalog.municipality.privacy.noticeVersion },
      { purpose: 'accessibility_need', registration: hasan!.id, channel: 'phone', by: user.id, version: t.catalog.municipality.privacy.noticeVersion },
    ]);
    const audit = await t.db.selectFrom('audit_events').selectAll().where('action', '=', 'registration.added_by_phone').execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ user_id: user.id, target: `meeting:${id}` });
    expect(JSON.parse(audit[0]!.details!)).toEqual({ registration: hasan!.id, status: 'confirmed', noticeVersion: t.catalog.municipality.privacy.noticeVersion, consents: ['future_meetings', 'accessibility_need'] });
    // Phone-only and told on the phone: no call is owed for the confirmation.
    expect(await t.db.selectFrom('meeting_notices').selectAll().execute()).toEqual([]);

    const saved = await planner.get(response.headers.location!);
    expect(saved.text).toContain('Hasan Çelik kaydedildi');
    expect(saved.text).toContain(`Arayana kayıt kodunu söyleyin: <strong class="code">${formatBookingCode(hasan!.booking_code!)}</strong>`);
    expect(saved.text).toContain(`Kayıt kodunuz ${formatBookingCode(hasan!.booking_code!)}. Lütfen not alın.`);
    const list = await planner.get(`/admin/meetings/${id}`);
    expect(list.text).toContain(`Kod: ${formatBookingCode(hasan!.booking_code!)}`);
    expect(list.text).toContain('telefonla kaydedildi');
    expect(list.text).toContain('(telefonda)');
    const admin = await logIn(t, await addUser(t, 'admin'));
    const log = await admin.get('/admin/audit');
    expect(log.text).toContain('Selin Planlamacı, telefonla arayan bir kişiyi');

    // The caller finds the sign-up on the site with the code they were told.
    const browser = request.agent(t.app);
    const find = await browser.get('/bulusmalar/kaydim');
    const found = await browser.post('/bulusmalar/kaydim').type('form').send({ _csrf: csrfFrom(find.text), phone: '05321234567', code: hasan!.booking_code!.toLowerCase() });
    expect(found.status).toBe(303);
    expect((await browser.get(found.headers.location!)).text).toContain('Kaydınız alındı');
  });

  it('follows the site rules: the waitlist when full, one sign-up per phone number, a repeated post is the same sign-up', async () => {
    await start();
    const id = await scheduleMeeting(t, { capacity: 1 });
    await signUp(request.agent(t.app), id, { name: 'Ayşe Yılmaz', phone: '0533 765 43 21' });
    const form = await planner.get(`/admin/meetings/${id}/registrations/new`);
    expect(form.text).toContain('Yerler dolu: arayan kişi yedek listeye alınır.');
    expect(form.text).toContain('Yedek listeye kaydet');

    const duplicate = await callIn(id, { name: 'Ayşe Y.', phone: '+90 533 765 43 21', notice_read: '1' });
    expect(duplicate.response.status).toBe(409);
    expect(duplicate.response.text).toContain('Bu telefon numarası ya da e-posta adresiyle bu buluşmaya zaten bir kayıt var.');
    expect(await registrations()).toHaveLength(1);

    const { response, body } = await callIn(id, { name: 'Hasan Çelik', phone: '0532 123 45 67', notice_read: '1' });
    expect(response.status).toBe(303);
    const again = await planner.post(`/admin/meetings/${id}/registrations`).type('form').send(body);
    expect(again.headers.location).toBe(response.headers.location);
    expect((await registrations()).map((r) => [r.name, r.status])).toEqual([
      ['Ayşe Yılmaz', 'confirmed'],
      ['Hasan Çelik', 'waitlisted'],
    ]);
    const saved = await planner.get(response.headers.location!);
    expect(saved.text).toContain('yedek listesine alındı. Sırası: 1.');
    // No consents were ticked: none is recorded.
    expect(await consents()).toEqual([]);
  });

  it('takes nobody after the sign-up deadline or for a cancelled meeting, and only planners may', async () => {
    await start();
    const closed = await scheduleMeeting(t, { signup_deadline_at: '2026-11-21T05:00:00.000Z' });
    const page = await planner.get(`/admin/meetings/${closed}/registrations/new`);
    expect(page.text).toContain('kayıt süresi doldu');
    expect(page.text).not.toContain('name="notice_read"');
    expect((await planner.get(`/admin/meetings/${closed}`)).text).not.toContain('/registrations/new');
    const open = await scheduleMeeting(t);
    const formPage = await planner.get(`/admin/meetings/${open}/registrations/new`);
    const post = await planner
      .post(`/admin/meetings/${closed}/registrations`)
      .type('form')
      .send({ _csrf: csrfFrom(formPage.text), request_key: 'AAAAAAAAAAAAAAAAAAAAAA', name: 'Hasan Çelik', phone: '05321234567', email: '', mahalle: 'ataturk', notice_read: '1' });
    expect(post.status).toBe(409);
    expect(await registrations()).toEqual([]);

    const viewer = await logIn(t, await addUser(t, 'viewer'));
    expect((await viewer.get(`/admin/meetings/${open}/registrations/new`)).status).toBe(403);
    expect((await request(t.app).get(`/admin/meetings/${open}/registrations/new`)).status).toBe(303);
  });

  it('e-mails a caller who gave an address the confirmation with the code, over real SMTP', async () => {
    const smtp = await createTestSmtp();
    try {
      await start({ smtpPort: smtp.port });
      const id = await scheduleMeeting(t);
      const { response } = await callIn(id, { name: 'Zeynep Ak', phone: '0532 000 11 22', email: 'Zeynep@Example.org', notice_read: '1' });
      expect(response.status).toBe(303);
      const [zeynep] = await registrations();
      expect(zeynep!.email).toBe('zeynep@example.org');
      expect(await t.worker.runOnce()).toEqual({ sent: 1, failed: 0 });
      expect(smtp.received[0]!.subject).toBe('Kaydınız alındı: Atatürk Mahallesi Buluşması');
      expect(smtp.received[0]!.text).toContain(`Kayıt kodunuz: ${formatBookingCode(zeynep!.booking_code!)}`);
      expect((await planner.get(response.headers.location!)).text).toContain('Bilgiler zeynep@example.org adresine de e-postayla gönderiliyor.');
    } finally {
      await smtp.stop();
    }
  });
});
