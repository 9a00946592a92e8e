// Data-subject requests (KVKK art. 11) through the back office as a planner, on a real database:
// recording with 422s, the 30-day deadline on a fixed clock, looking a person up by e-mail and by
// phone however it was written, JSON and CSV exports, corrections, deletion, answering, access.
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { invitationService } from '../../server/opinions';
import { dataSubjectService, dueOn, subjectOf } from '../../server/privacy';
import { addUser, csrfFrom, downloadBinary, logIn, postForm } from '../helpers/admin';
import { readCsvAsExcel } from '../helpers/excel-csv';
import { errorSummary } from '../helpers/forms';
import { htmlProblems } from '../helpers/html';
import { invitedInstitution } from '../helpers/invitation';
import { scheduleMeeting, signUp } from '../helpers/meetings';
import { createTestApp, TEST_BASE_URL, type TestApp } from '../helpers/test-app';

let t: TestApp;
let planner: TestAgent;
let meetingId: number;
const actor = { userId: null, email: 'test', ip: null };

beforeEach(async () => {
  t = await createTestApp();
  planner = await logIn(t, await addUser(t, 'planner'));
  meetingId = await scheduleMeeting(t);
});
afterEach(async () => {
  expect(t.logged).toEqual([]);
  await t.close();
});

const registration = (name: string) => t.db.selectFrom('meeting_registrations').selectAll().where('name', '=', name).executeTakeFirstOrThrow();

/** Ayşe (e-mail, phone, consent, accessibility need), Mehmet (phone only, a name a spreadsheet would run), Can. */
async function residents(): Promise<void> {
  for (const resident of [
    { name: 'Ayşe Yılmaz', phone: '0532 123 45 67', email: 'Ayse.Yilmaz@Example.org', accessibility_need: 'İşaret dili çevirmeni', accessibility_consent: '1', future_meetings: '1' },
    { name: '=1+2 Kaya', phone: '0533 765 43 21' },
    { name: 'Can Demir', email: 'can@example.org' },
  ]) {
    expect((await signUp(request.agent(t.app), meetingId, resident)).status).toBe(303);
  }
}

/** A request straight through the service (its form is tested on its own below). */
async function recorded(subject: { email?: string; phone?: string }, receivedOn = '2026-11-20', kind: 'access' | 'erasure' = 'access'): Promise<number> {
  const { subject: normalised } = subjectOf(subject);
  return dataSubjectService.createRequest(
    t.db,
    { kind, subjectEmail: normalised.email, subjectPhone: normalised.phone, requesterName: 'Başvuran Kişi', channel: 'email', receivedOn, dueOn: dueOn(receivedOn), notes: null },
    actor,
    t.clock.now,
  );
}

describe('recording a request', () => {
  it('says what is wrong with 422 and stores nothing', async () => {
    const page = await planner.get('/admin/privacy/requests/new');
    expect(page.status).toBe(200);
    expect(page.text).toContain('value="2026-11-21"');
    expect(await htmlProblems(page.text)).toEqual([]);
    const cases: [Record<string, string>, string[], string][] = [
      [{ kind: 'access', requester_name: '', email: '', phone: '', channel: 'email', received_on: '2026-11-20' }, ['#d-name', '#d-email'], 'Başvuranın adını yazın.'],
      [{ kind: 'access', requester_name: 'Ayşe', email: 'ayse@', phone: '', channel: 'email', received_on: '2026-11-20' }, ['#d-email'], 'E-posta adresi geçerli değil.'],
      [{ kind: 'access', requester_name: 'Ayşe', email: '', phone: '0532 12', channel: 'email', received_on: '2026-11-20' }, ['#d-phone'], 'Telefon numarası okunamadı'],
      [{ kind: 'access', requester_name: 'Ayşe', email: '', phone: '', channel: 'email', received_on: '2026-11-20' }, ['#d-email'], 'Kişinin e-posta adresini veya telefon numarasını girin.'],
      [{ kind: 'access', requester_name: 'Ayşe', email: 'a@example.org', phone: '', channel: 'email', received_on: '2026-11-22' }, ['#d-received'], 'Başvuru tarihi bugünden sonra olamaz.'],
      [{ kind: 'access', requester_name: 'Ayşe', email: 'a@example.org', phone: '', channel: 'email', received_on: '2026-02-30' }, ['#d-received'], 'Başvuru tarihi geçerli bir tarih değil.'],
      [{ kind: 'forget', requester_name: 'Ayşe', email: 'a@example.org', phone: '', channel: 'pigeon', received_on: '2026-11-20' }, ['#d-kind', '#d-channel'], 'Başvuru türünü seçin.'],
    ];
    for (const [fields, summary, message] of cases) {
      const response = await postForm(planner, '/admin/privacy/requests/new', '/admin/privacy/requests', fields);
      expect({ fields, status: response.status, summary: errorSummary(response.text) }).toEqual({ fields, status: 422, summary });
      expect(response.text).toContain(message);
    }
    const english = await postForm(planner, '/admin/privacy/requests/new?lang=en', '/admin/privacy/requests', { kind: 'access', requester_name: 'A', email: '', phone: '', channel: 'email', received_on: '2026-11-20' });
    expect(english.text).toContain("Enter the person&#39;s e-mail address or phone number.");
    expect(await t.db.selectFrom('data_subject_requests').selectAll().execute()).toEqual([]);
  });

  it('stores the contact as it is looked up, with the answer due 30 days after receipt, and audits it without the person', async () => {
    const response = await postForm(planner, '/admin/privacy/requests/new', '/admin/privacy/requests', {
      kind: 'erasure',
      requester_name: 'Ayşe Yılmaz',
      email: ' AYSE.yilmaz@example.org ',
      phone: '+90 532 123 4567',
      channel: 'kep',
      received_on: '2026-11-02',
      notes: 'Tüm kayıtlarımın silinmesini istiyorum.',
    });
    expect(response.status).toBe(303);
    const stored = await t.db.selectFrom('data_subject_requests').selectAll().executeTakeFirstOrThrow();
    expect(response.headers.location).toBe(`/admin/privacy/requests/${stored.id}`);
    expect(stored).toMatchObject({ kind: 'erasure', subject_email: 'ayse.yilmaz@example.org', subject_phone: '+905321234567', channel: 'kep', received_on: '2026-11-02', due_on: '2026-12-02', answered_at: null });
    const audit = await t.db.selectFrom('audit_events').selectAll().where('action', '=', 'privacy.request_created').executeTakeFirstOrThrow();
    expect(audit.target).toBe(`privacy_request:${stored.id}`);
    expect(audit.details).not.toMatch(/ayse|5321234567|Yılmaz/i);
    const page = await planner.get(response.headers.location!);
    expect(page.text).toContain('02.12.2026');
    expect(page.text).toContain('11 gün kaldı');
    expect(page.text).toContain('0532 123 45 67');
  });
});

describe('the list of requests', () => {
  it('shows open requests first with the due date and days left, the overdue ones marked, and answered ones only on asking', async () => {
    const late = await recorded({ email: 'late@example.org' }, '2026-10-01');
    const ahead = await recorded({ email: 'ahead@example.org' }, '2026-11-10');
    const today = await recorded({ email: 'today@example.org' }, '2026-10-22');
    const list = await planner.get('/admin/privacy/requests');
    expect(list.status).toBe(200);
    expect(await htmlProblems(list.text)).toEqual([]);
    const rows = [...list.text.matchAll(/<tr( class="overdue")?>\s*<td class="num">(\d+)<\/td>[\s\S]*?<\/tr>/g)].map((m) => ({ id: Number(m[2]), overdue: m[1] !== undefined, row: m[0] }));
    expect(rows.map((r) => [r.id, r.overdue])).toEqual([
      [late, true],
      [today, false],
      [ahead, false],
    ]);
    expect(rows[0]!.row).toContain('31.10.2026');
    expect(rows[0]!.row).toContain('Süre 21 gün geçti');
    expect(rows[1]!.row).toContain('Bugün son gün');
    expect(rows[2]!.row).toContain('10.12.2026');
    expect(rows[2]!.row).toContain('19 gün kaldı');

    const page = await planner.get(`/admin/privacy/requests/${ahead}`);
    const empty = await planner.post(`/admin/privacy/requests/${ahead}/answer`).type('form').send({ _csrf: csrfFrom(page.text), answer_note: '  ' });
    expect(empty.status).toBe(422);
    expect(empty.text).toContain('Yanıt notunu yazın.');
    const answered = await planner.post(`/admin/privacy/requests/${ahead}/answer`).type('form').send({ _csrf: csrfFrom(page.text), answer_note: 'Kayıt bulunmadığı e-postayla bildirildi.' });
    expect(answered.status).toBe(303);
    const open = await planner.get('/admin/privacy/requests');
    expect(open.text).not.toContain('ahead@example.org');
    expect(open.text).toContain('late@example.org');
    const done = await planner.get('/admin/privacy/requests?status=answered');
    expect(done.text).toContain('ahead@example.org');
    expect(done.text).not.toContain('late@example.org');
    expect(done.text).toContain('Yanıtlandı');
    const again = await planner.post(`/admin/privacy/requests/${ahead}/answer`).type('form').send({ _csrf: csrfFrom(page.text), answer_note: 'Tekrar' });
    expect(again.status).toBe(409);
    expect(await t.db.selectFrom('data_subject_requests').select(['answer_note', 'answered_at']).where('id', '=', ahead).executeTakeFirst()).toEqual({ answer_note: 'Kayıt bulunmadığı e-postayla bildirildi.', answered_at: t.clock.now.toISOString() });
    expect(await t.db.selectFrom('audit_events').select('target').where('action', '=', 'privacy.request_answered').execute()).toEqual([{ target: `privacy_request:${ahead}` }]);
  });
});

describe('looking a person up', () => {
  beforeEach(residents);

  it('finds the same sign-up by phone however the number was written, with its notices and consent, and nobody else', async () => {
    for (const phone of ['5321234567', '+90 532 123 4567', '0532-123-45-67']) {
      const id = await recorded({ phone });
      const page = await planner.get(`/admin/privacy/requests/${id}`);
      expect(page.status).toBe(200);
      expect(page.text).toContain('Ayşe Yılmaz');
      expect(page.text).toContain('ayse.yilmaz@example.org');
      expect(page.text).toContain('İşaret dili çevirmeni');
      expect(page.text).toContain('Kayıt onayı (e-posta)');
      expect(page.text).toContain('Gelecek buluşmalardan haberdar edilmek');
      expect(page.text).not.toContain('Kaya');
      expect(page.text).not.toContain('Can Demir');
      expect(await htmlProblems(page.text)).toEqual([]);
    }
  });

  it('finds by e-mail in any case the sign-up, and the mail sent to it', async () => {
    const id = await recorded({ email: 'AYSE.YILMAZ@example.org' });
    const page = await planner.get(`/admin/privacy/requests/${id}`);
    expect(page.text).toContain('Ayşe Yılmaz');
    expect(page.text).toMatch(/<h3>E-postalar<\/h3>/);
    expect(page.text).toContain('Atatürk Mahallesi Buluşması');
  });

  it('finds an institution contact in invitations, self-registrations, the register and the outbox', async () => {
    await invitedInstitution(t);
    await invitationService.requestSelfRegistration(t.db, { mailer: t.mailer, baseUrl: TEST_BASE_URL }, {
      survey: t.catalog.find('kurum-gorus-formu')!,
      name: 'Kent Konseyi',
      group: 'kent_konseyi',
      email: 'oda@example.org',
      contactPerson: 'Zeynep Ak',
      language: 'tr',
      now: t.clock.now,
    });
    const id = await recorded({ email: 'oda@example.org' });
    const page = await planner.get(`/admin/privacy/requests/${id}`);
    for (const heading of ['Davetler', 'Kurum başvuruları', 'Paydaş kaydı', 'E-postalar']) expect(page.text).toContain(`<h3>${heading}</h3>`);
    expect(page.text).toContain('Mimarlar Odası');
    expect(page.text).toContain('Zeynep Ak');
    expect(page.text).not.toContain('<h3>Buluşma kayıtları</h3>');
    expect(await htmlProblems(page.text)).toEqual([]);
  });

  it("names meetings and surveys in the reader's language, the Turkish title standing in marked lang=\"tr\"", async () => {
    await invitedInstitution(t);
    const institution = await recorded({ email: 'oda@example.org' });
    const english = await planner.get(`/admin/privacy/requests/${institution}?lang=en`);
    expect(english.text).toContain('<td>2025-2029 Strategic Plan Institutional Stakeholder Opinion Form</td>');
    expect(english.text).not.toContain('<td>kurum-gorus-formu</td>');
    const turkish = await planner.get(`/admin/privacy/requests/${institution}?lang=tr`);
    expect(turkish.text).toContain('<td>2025-2029 Stratejik Plan Kurumsal Paydaş Görüş Formu</td>');

    const person = await recorded({ email: 'can@example.org' });
    expect((await planner.get(`/admin/privacy/requests/${person}?lang=en`)).text).toContain('<th scope="row">Atatürk Neighbourhood Meeting<br>');
    await t.db.updateTable('meetings').set({ title_en: null }).where('id', '=', meetingId).execute();
    const fallback = await planner.get(`/admin/privacy/requests/${person}?lang=en`);
    expect(fallback.text).toContain('<th scope="row"><span lang="tr">Atatürk Mahallesi Buluşması</span><br>');
    expect(await htmlProblems(fallback.text)).toEqual([]);
    // The export keeps the stored Turkish title.
    const exported = await planner.get(`/admin/privacy/requests/${person}/export.json`);
    expect(JSON.parse(exported.text).registrations[0].meetingTitle).toBe('Atatürk Mahallesi Buluşması');
  });

  it('says so when nothing is stored', async () => {
    const id = await recorded({ email: 'nobody@example.org', phone: '0555 000 00 00' });
    const page = await planner.get(`/admin/privacy/requests/${id}`);
    expect(page.text).toContain('Bu e-posta adresi ve telefon numarasıyla saklanan bir kayıt bulunamadı.');
    expect(page.text).not.toContain('/erase"');
  });
});

describe('exporting what was found', () => {
  beforeEach(residents);

  it('hands out JSON with every field and the mail text, personal links hidden, and audits it', async () => {
    const id = await recorded({ email: 'ayse.yilmaz@example.org' });
    const response = await downloadBinary(planner, `/admin/privacy/requests/${id}/export.json`);
    expect(response.status).toBe(200);
    expect(response.headers['content-disposition']).toBe(`attachment; filename=kvkk-basvuru-${id}.json`);
    const data = JSON.parse(String(response.body));
    expect(data.request).toEqual({ id, kind: 'access', receivedOn: '2026-11-20', email: 'ayse.yilmaz@example.org', phone: null });
    expect(data.registrations).toHaveLength(1);
    expect(data.registrations[0]).toMatchObject({ name: 'Ayşe Yılmaz', phone: '+905321234567', email: 'ayse.yilmaz@example.org', mahalle: 'Atatürk', accessibilityNeed: 'İşaret dili çevirmeni', status: 'confirmed', anonymisedAt: null });
    expect(data.registrations[0].notices).toEqual([expect.objectContaining({ kind: 'confirmed', channel: 'email' })]);
    expect(data.consents).toEqual([expect.objectContaining({ purpose: 'future_meetings', withdrawnAt: null }), expect.objectContaining({ purpose: 'accessibility_need', withdrawnAt: null })]);
    expect(data.mail).toHaveLength(1);
    expect(data.mail[0].to).toBe('ayse.yilmaz@example.org');
    expect(data.mail[0].text).toContain('Ayşe Yılmaz');
    expect(data.mail[0].text).toContain('[kişisel bağlantı gizlendi]');
    expect(data.mail[0].text).not.toContain('/bulusmalar/kayit/');
    expect(await t.db.selectFrom('audit_events').select(['target', 'details']).where('action', '=', 'export.downloaded').execute()).toEqual([{ target: `privacy_request:${id}`, details: '{"format":"json"}' }]);
  });

  it('hands out a CSV a spreadsheet cannot run, one field a row', async () => {
    const id = await recorded({ phone: '0533 765 43 21' });
    const response = await downloadBinary(planner, `/admin/privacy/requests/${id}/export.csv`);
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toBe(`attachment; filename=kvkk-basvuru-${id}.csv`);
    const text = String(response.body);
    expect(text.startsWith('\ufeff')).toBe(true);
    // As Turkish Excel opens it: fields split at semicolons, four a row.
    const [header, ...rows] = readCsvAsExcel(text, 'tr');
    expect(header).toEqual(['Kayıt türü', 'Kayıt no', 'Alan', 'Değer']);
    const reg = await registration('=1+2 Kaya');
    expect(rows).toContainEqual(['Buluşma kayıtları', String(reg.id), 'Ad soyad', "'=1+2 Kaya"]);
    expect(rows).toContainEqual(['Buluşma kayıtları', String(reg.id), 'Telefon', "'+905337654321"]);
    expect(text).not.toContain('Ayşe');
  });
});

describe('correcting', () => {
  beforeEach(residents);

  it("corrects a found sign-up's name and contact, refusing bad input and another person's contact with 422", async () => {
    const id = await recorded({ phone: '0532 123 45 67' }, '2026-11-20');
    const ayse = await registration('Ayşe Yılmaz');
    const url = `/admin/privacy/requests/${id}/correct/registration/${ayse.id}`;
    const form = await planner.get(url);
    expect(form.status).toBe(200);
    expect(form.text).toContain('value="0532 123 45 67"');
    expect(await htmlProblems(form.text)).toEqual([]);
    const post = (fields: Record<string, string>) => planner.post(url).type('form').send({ _csrf: csrfFrom(form.text), ...fields });
    for (const [fields, message] of [
      [{ name: '', phone: '0532 123 45 67', email: '' }, 'Bu alanı doldurun.'],
      [{ name: 'Ayşe Yıldız', phone: '0532', email: '' }, 'Telefon numarası okunamadı'],
      [{ name: 'Ayşe Yıldız', phone: '', email: 'ayse@' }, 'E-posta adresi geçerli değil.'],
      [{ name: 'Ayşe Yıldız', phone: '', email: 'can@example.org' }, 'Bu buluşmada bu telefon numarası veya e-posta adresiyle başka bir kayıt var.'],
      [{ name: 'Ayşe Yıldız', phone: '', email: '' }, 'telefon numarası veya e-posta adresinden biri kalmalı'],
    ] as const) {
      const response = await post(fields);
      expect({ fields, status: response.status }).toEqual({ fields, status: 422 });
      expect(response.text).toContain(message);
    }
    expect(await registration('Ayşe Yılmaz')).toEqual(ayse);
    const saved = await post({ name: 'Ayşe Yıldız', phone: '+90 532 123 4567', email: 'ayse.yildiz@example.org' });
    expect(saved.status).toBe(303);
    expect(await registration('Ayşe Yıldız')).toEqual({ ...ayse, name: 'Ayşe Yıldız', email: 'ayse.yildiz@example.org' });
    const audit = await t.db.selectFrom('audit_events').select(['target', 'details']).where('action', '=', 'privacy.record_corrected').executeTakeFirstOrThrow();
    expect(audit).toEqual({ target: `privacy_request:${id}`, details: JSON.stringify({ record: `registration:${ayse.id}`, fields: ['name', 'email'] }) });

    // A record the request did not find is not this request's to change.
    const other = await registration('Can Demir');
    expect((await planner.get(`/admin/privacy/requests/${id}/correct/registration/${other.id}`)).status).toBe(404);
    expect((await planner.post(`/admin/privacy/requests/${id}/correct/registration/${other.id}`).type('form').send({ _csrf: csrfFrom(form.text), name: 'X Y', email: 'x@example.org', phone: '' })).status).toBe(404);
    expect(await registration('Can Demir')).toEqual(other);
  });

  it("corrects an invitation's address", async () => {
    const { id: invitationId } = await invitedInstitution(t);
    const id = await recorded({ email: 'oda@example.org' });
    const url = `/admin/privacy/requests/${id}/correct/invitation/${invitationId}`;
    const bad = await postForm(planner, url, url, { email: 'not an address' });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('E-posta adresi geçerli değil.');
    const good = await postForm(planner, url, url, { email: 'Sekreter@Oda.example.org' });
    expect(good.status).toBe(303);
    expect((await t.db.selectFrom('invitations').select('email').where('id', '=', invitationId).executeTakeFirstOrThrow()).email).toBe('sekreter@oda.example.org');
  });
});

describe('deleting', () => {
  beforeEach(residents);

  it('anonymises exactly what was found as retention does, deletes the mail to the address, and keeps the answer record', async () => {
    const id = await recorded({ email: 'ayse.yilmaz@example.org', phone: '0532 123 45 67' }, '2026-11-20', 'erasure');
    const ayse = await registration('Ayşe Yılmaz');
    const others = await t.db.selectFrom('meeting_registrations').selectAll().where('id', '<>', ayse.id).orderBy('id').execute();
    const otherMail = await t.db.selectFrom('outbox_messages').selectAll().where('to_address', '<>', 'ayse.yilmaz@example.org').orderBy('id').execute();
    expect(otherMail.length).toBeGreaterThan(0);

    const confirm = await planner.get(`/admin/privacy/requests/${id}/erase`);
    expect(confirm.status).toBe(200);
    expect(confirm.text).toContain('1 buluşma kaydı: ad «Anonim» olur');
    expect(confirm.text).toContain('1 e-posta silinir');
    // Her seat at the coming meeting: deleting does not free it.
    expect(confirm.text).toContain('henüz yapılmamış 1 buluşmada yeri var');
    expect(await htmlProblems(confirm.text)).toEqual([]);
    const unconfirmed = await planner.post(`/admin/privacy/requests/${id}/erase`).type('form').send({ _csrf: csrfFrom(confirm.text) });
    expect(unconfirmed.status).toBe(422);
    expect(await registration('Ayşe Yılmaz')).toEqual(ayse);

    const erased = await planner.post(`/admin/privacy/requests/${id}/erase`).type('form').send({ _csrf: csrfFrom(confirm.text), confirm: 'yes' });
    expect(erased.status).toBe(303);
    const after = await t.db.selectFrom('meeting_registrations').selectAll().where('id', '=', ayse.id).executeTakeFirstOrThrow();
    expect(after).toEqual({ ...ayse, name: 'Anonim', phone: null, email: null, accessibility_need: null });
    expect(await t.db.selectFrom('meeting_registrations').selectAll().where('id', '<>', ayse.id).orderBy('id').execute()).toEqual(others);
    expect(await t.db.selectFrom('outbox_messages').selectAll().orderBy('id').execute()).toEqual(otherMail);
    expect(await t.db.selectFrom('meeting_notices').select('outbox_message_id').where('registration_id', '=', ayse.id).execute()).toEqual([{ outbox_message_id: null }]);
    expect(await t.db.selectFrom('anonymisations').select(['kind', 'record_id', 'request_id', 'run_id']).execute()).toEqual([{ kind: 'registration', record_id: ayse.id, request_id: id, run_id: null }]);
    const audit = await t.db.selectFrom('audit_events').select('details').where('action', '=', 'privacy.records_erased').executeTakeFirstOrThrow();
    expect(JSON.parse(audit.details!)).toMatchObject({ registrations: 1, invitations: 0, selfRegistrations: 0, mailDeleted: 1 });

    const page = await planner.get(`/admin/privacy/requests/${id}`);
    expect(page.text).toContain('Silindi: 1 buluşma kaydı');
    expect(page.text).toContain('Bu başvuru üzerine anonimleştirilenler: 1 buluşma kaydı');
    expect(page.text).toContain('Anonimleştirildi (21.11.2026)');
    expect(page.text).not.toContain('Ayşe');
    expect(page.text).not.toContain(`/correct/registration/${ayse.id}"`);
  });
});

describe('access', () => {
  it('is for planners (with a KVKK link) and admins; viewers get 403 and logged-out visitors the login page', async () => {
    const id = await recorded({ email: 'a@example.org' });
    expect((await planner.get('/admin/surveys')).text).toContain('<a href="/admin/privacy/requests">KVKK</a>');
    const admin = await logIn(t, await addUser(t, 'admin'));
    expect((await admin.get('/admin/privacy/retention')).status).toBe(200);
    const viewer = await logIn(t, await addUser(t, 'viewer'));
    expect((await viewer.get('/admin/surveys')).text).not.toContain('/admin/privacy');
    for (const url of ['/admin/privacy/requests', '/admin/privacy/requests/new', `/admin/privacy/requests/${id}`, `/admin/privacy/requests/${id}/export.json`, `/admin/privacy/requests/${id}/export.csv`, '/admin/privacy/retention', '/admin/privacy/retention/run']) {
      expect({ url, status: (await viewer.get(url)).status }).toEqual({ url, status: 403 });
      const anonymous = await request(t.app).get(url);
      expect({ url, status: anonymous.status, location: anonymous.headers.location?.split('?')[0] }).toEqual({ url, status: 303, location: '/admin/login' });
    }
    const token = csrfFrom((await viewer.get('/admin/surveys')).text);
    expect((await viewer.post(`/admin/privacy/requests/${id}/answer`).type('form').send({ _csrf: token, answer_note: 'x' })).status).toBe(403);
    expect((await planner.post(`/admin/privacy/requests/${id}/answer`).type('form').send({ answer_note: 'x' })).status).toBe(403);
    expect((await t.db.selectFrom('data_subject_requests').select('answered_at').executeTakeFirstOrThrow()).answered_at).toBeNull();
    expect((await planner.get('/admin/privacy/requests/999')).status).toBe(404);
    expect((await planner.get('/admin/privacy/requests/abc')).status).toBe(404);
    expect((await planner.get(`/admin/privacy/requests/${id}/correct/nothing/1`)).status).toBe(404);
  });
});
