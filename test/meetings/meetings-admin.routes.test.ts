// The planner's side of meetings over HTTP: the form and what it refuses, changes residents are
// told about, capacity and the waitlist, cancelling, calls to make, the attendance sheet,
// check-in, requests and their tables, exports, and who may see what.
import ICAL from 'ical.js';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { addUser, csrfFrom, downloadWorkbook, logIn, postForm } from '../helpers/admin';
import { readCsvAsExcel } from '../helpers/excel-csv';
import { htmlProblems } from '../helpers/html';
import { scheduleMeeting, signUp } from '../helpers/meetings';
import { createTestApp, type TestApp } from '../helpers/test-app';

let t: TestApp;
let planner: TestAgent;
beforeEach(async () => {
  t = await createTestApp();
  planner = await logIn(t, await addUser(t, 'planner'));
});
afterEach(async () => {
  expect(t.logged).toEqual([]);
  await t.close();
});

const meetingForm = (overrides: Record<string, string | string[]> = {}) => ({
  title_tr: 'Gazi Mahallesi Buluşması',
  title_en: '',
  mahalles: ['gazi', 'fatih'],
  venue: 'Gazi Muhtarlığı',
  address: 'Çınar Cad. No: 4',
  date: '2026-12-10',
  start_time: '19:00',
  end_time: '21:00',
  capacity: '2',
  deadline_date: '2026-12-09',
  deadline_time: '',
  accessibility_tr: 'Giriş katında, rampa var.',
  accessibility_en: '',
  description_tr: '',
  description_en: '',
  ...overrides,
});

async function postMeeting(fields: Record<string, string | string[]>, action = '/admin/meetings', page = '/admin/meetings/new') {
  const form = await planner.get(page);
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries({ _csrf: csrfFrom(form.text), ...fields })) for (const v of [value].flat()) params.append(name, v);
  return planner.post(action).type('form').send(params.toString());
}

/** The test clock's own day, 19:00–21:00 Istanbul: check-in is open, sign-up too until 18:00. */
const TONIGHT = { starts_at: '2026-11-21T16:00:00.000Z', ends_at: '2026-11-21T18:00:00.000Z', signup_deadline_at: '2026-11-21T15:00:00.000Z' };

const registrations = () => t.db.selectFrom('meeting_registrations').selectAll().orderBy('id').execute();
const kinds = async () => (await t.db.selectFrom('outbox_messages').select(['to_address', 'kind']).orderBy('id').execute()).map((m) => `${m.kind} ${m.to_address}`);

describe('planning', () => {
  it('creates a meeting from the form, in Istanbul time, with its reminder scheduled', async () => {
    const response = await postMeeting(meetingForm());
    expect(response.status).toBe(303);
    const meeting = await t.db.selectFrom('meetings').selectAll().executeTakeFirstOrThrow();
    expect(meeting).toMatchObject({
      title_tr: 'Gazi Mahallesi Buluşması',
      title_en: null,
      starts_at: '2026-12-10T16:00:00.000Z',
      ends_at: '2026-12-10T18:00:00.000Z',
      signup_deadline_at: '2026-12-09T20:59:00.000Z',
      capacity: 2,
      accessibility_tr: 'Giriş katında, rampa var.',
    });
    expect(response.headers.location).toBe(`/admin/meetings/${meeting.id}`);
    expect((await t.db.selectFrom('meeting_mahalles').select('mahalle_id').orderBy('mahalle_id').execute()).map((m) => m.mahalle_id)).toEqual(['fatih', 'gazi']);
    expect(await t.db.selectFrom('scheduled_jobs').select(['kind', 'ref', 'due_at']).execute()).toEqual([{ kind: 'meeting_reminder', ref: String(meeting.id), due_at: '2026-12-09T16:00:00.000Z' }]);
    expect(await t.db.selectFrom('audit_events').select('action').where('action', '=', 'meeting.created').execute()).toHaveLength(1);
    const publicPage = await request(t.app).get(`/bulusmalar/${meeting.id}`);
    expect(publicPage.text).toContain('Gazi Muhtarlığı');
    expect(publicPage.text).toContain('Kapsanan mahalleler: Fatih, Gazi');
  });

  it.each([
    ['no mahalle', { mahalles: [] }, 'mahalles'],
    ['an end before the start', { end_time: '18:00' }, 'end_time'],
    ['a deadline after the start', { deadline_date: '2026-12-11' }, 'deadline_date'],
    ['a date in the past', { date: '2026-11-01', deadline_date: '' }, 'date'],
    ['a date that does not exist', { date: '2026-02-30' }, 'date'],
    ['a time that is not one', { start_time: '25:00' }, 'start_time'],
    ['a capacity of zero', { capacity: '0' }, 'capacity'],
    ['a capacity that is not a number', { capacity: '=1+1' }, 'capacity'],
    ['an unknown mahalle', { mahalles: ['gazi', 'atlantis'] }, 'mahalles'],
  ])('refuses %s with 422 and stores nothing', async (_case, overrides, field) => {
    const response = await postMeeting(meetingForm(overrides as Record<string, string>));
    expect(response.status).toBe(422);
    expect(response.text).toContain('class="error-summary"');
    expect(response.text).toMatch(new RegExp(`href="#m-[a-z-]+"`));
    expect(field).toBeTruthy();
    expect(await t.db.selectFrom('meetings').selectAll().execute()).toEqual([]);
  });

  it('tells everyone signed up when the time changes, with the updated calendar entry, and moves the reminder', async () => {
    const id = await scheduleMeeting(t, { capacity: 1 });
    await signUp(request.agent(t.app), id, { name: 'Ayşe Yılmaz', email: 'ayse@example.org' });
    await signUp(request.agent(t.app), id, { name: 'Mehmet Öz', email: 'mehmet@example.org' });
    await signUp(request.agent(t.app), id, { name: 'Hasan Kaya', phone: '05327654321' });
    const edit = await planner.get(`/admin/meetings/${id}/edit`);
    expect(edit.text).toContain('value="2026-12-05"');
    expect(edit.text).toContain('value="19:00"');
    const fields = { ...meetingForm({ title_tr: 'Atatürk Mahallesi Buluşması', mahalles: ['ataturk'], venue: 'Atatürk Kültür Merkezi', address: 'Okul Sokak No: 3', date: '2026-12-06', start_time: '14:00', end_time: '16:00', capacity: '1', deadline_date: '' }) };
    const response = await postMeeting(fields, `/admin/meetings/${id}`, `/admin/meetings/${id}/edit`);
    expect(response.status).toBe(303);
    expect(await kinds()).toEqual([
      'meeting_confirmed ayse@example.org',
      'meeting_waitlisted mehmet@example.org',
      'meeting_changed ayse@example.org',
      'meeting_changed mehmet@example.org',
    ]);
    expect((await t.db.selectFrom('meeting_notices').select(['kind', 'channel']).where('channel', '=', 'phone').execute()).map((n) => n.kind)).toEqual(['changed']);
    await t.worker.runOnce();
    const changed = t.sent.find((m) => m.to === 'ayse@example.org' && m.subject.startsWith('Buluşma bilgileri değişti'))!;
    expect(changed.text).toContain('6 Aralık 2026 Pazar, 14:00–16:00');
    const event = new ICAL.Event(new ICAL.Component(ICAL.parse(changed.attachments![0]!.content.toString())).getFirstSubcomponent('vevent')!);
    expect(event.startDate.toJSDate().toISOString()).toBe('2026-12-06T11:00:00.000Z');
    expect(event.sequence).toBe(2);
    expect(await t.db.selectFrom('scheduled_jobs').select('due_at').executeTakeFirstOrThrow()).toEqual({ due_at: '2026-12-05T11:00:00.000Z' });
    // Saving without changing the time or place tells nobody.
    await postMeeting({ ...fields, description_tr: 'Yeni açıklama' }, `/admin/meetings/${id}`, `/admin/meetings/${id}/edit`);
    expect(await kinds()).toHaveLength(4);
  });

  it('promotes the waitlist in order when the capacity is raised', async () => {
    const id = await scheduleMeeting(t, { capacity: 2 });
    for (const [name, email] of [['Bir', 'bir'], ['İki', 'iki'], ['Üç', 'uc'], ['Dört', 'dort'], ['Beş', 'bes']]) {
      await signUp(request.agent(t.app), id, { name: `${name} Kişi`, email: `${email}@example.org` });
    }
    const edit = await planner.get(`/admin/meetings/${id}/edit`);
    const values = Object.fromEntries([...edit.text.matchAll(/name="([a-z_]+)" value="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]));
    const response = await postMeeting({ ...meetingForm({ title_tr: values.title_tr!, mahalles: ['ataturk'], venue: values.venue!, address: values.address!, date: values.date!, start_time: values.start_time!, end_time: values.end_time!, deadline_date: values.deadline_date!, deadline_time: values.deadline_time! }), capacity: '4' }, `/admin/meetings/${id}`, `/admin/meetings/${id}/edit`);
    expect(response.status).toBe(303);
    expect((await registrations()).map((r) => `${r.name}:${r.status}`)).toEqual(['Bir Kişi:confirmed', 'İki Kişi:confirmed', 'Üç Kişi:confirmed', 'Dört Kişi:confirmed', 'Beş Kişi:waitlisted']);
    expect((await kinds()).slice(5)).toEqual(['meeting_promoted uc@example.org', 'meeting_promoted dort@example.org']);
    const page = await planner.get(`/admin/meetings/${id}`);
    expect(page.text).toContain('Kesin kayıtlar (4)');
    expect(page.text).toContain('Yedek liste (1)');
  });

  it('asks before cancelling a meeting, saying how many people will be told; an unconfirmed post changes nothing', async () => {
    const id = await scheduleMeeting(t, { capacity: 2 });
    await signUp(request.agent(t.app), id, { name: 'Ayşe Yılmaz', email: 'ayse@example.org' });
    await signUp(request.agent(t.app), id, { name: 'Hasan Kaya', phone: '05327654321' });
    await signUp(request.agent(t.app), id, { name: 'Zeynep Ak', email: 'zeynep@example.org' });
    const state = async () => ({
      meeting: await t.db.selectFrom('meetings').selectAll().execute(),
      registrations: await t.db.selectFrom('meeting_registrations').selectAll().execute(),
      outbox: await t.db.selectFrom('outbox_messages').selectAll().execute(),
      jobs: await t.db.selectFrom('scheduled_jobs').selectAll().execute(),
    });
    const before = await state();

    const asked = await postForm(planner, `/admin/meetings/${id}`, `/admin/meetings/${id}/cancel`, { reason: 'Salon <onarımda>' });
    expect(asked.status).toBe(200);
    expect(asked.text).toContain('3 kişiye iptal bildirimi gidecek.');
    expect(asked.text).toContain('İptal nedeni olarak iletilecek: Salon &lt;onarımda&gt;');
    expect(asked.text).toContain('name="reason" value="Salon &lt;onarımda&gt;"');
    expect(asked.text).toContain('name="confirm" value="yes"');
    expect(asked.text).toContain('Evet, buluşmayı iptal et');
    expect(asked.text).toContain(`<a href="/admin/meetings/${id}">Vazgeç, buluşmaya dön</a>`);
    expect(await state()).toEqual(before);
    expect((await postForm(planner, `/admin/meetings/${id}`, `/admin/meetings/${id}/cancel`, { reason: '', confirm: 'no' })).status).toBe(200);
    expect(await state()).toEqual(before);

    // The confirmation page's own form cancels, with the reason it carried.
    const confirmed = await planner.post(`/admin/meetings/${id}/cancel`).type('form').send({ _csrf: csrfFrom(asked.text), confirm: 'yes', reason: 'Salon <onarımda>' });
    expect(confirmed.status).toBe(303);
    expect(await t.db.selectFrom('meetings').select('cancel_reason').executeTakeFirstOrThrow()).toEqual({ cancel_reason: 'Salon <onarımda>' });
    expect((await planner.get(`/admin/meetings/${id}`)).text).toContain('Buluşma iptal edildi; 3 kişiye haber veriliyor.');
  });

  it('says when nobody will be told, in English too', async () => {
    const id = await scheduleMeeting(t);
    const asked = await postForm(planner, `/admin/meetings/${id}`, `/admin/meetings/${id}/cancel?lang=en`, { reason: '' });
    expect(asked.text).toContain('Nobody is signed up; no notice will go out.');
    expect(asked.text).toContain('Yes, cancel the meeting');
    expect(await t.db.selectFrom('meetings').select('cancelled_at').executeTakeFirstOrThrow()).toEqual({ cancelled_at: null });
  });

  it('cancels the meeting: everyone is told, phone-only residents are listed to call, sign-up and the reminder stop', async () => {
    const id = await scheduleMeeting(t, { capacity: 1 });
    await signUp(request.agent(t.app), id, { name: 'Ayşe Yılmaz', email: 'ayse@example.org' });
    await signUp(request.agent(t.app), id, { name: 'Hasan Kaya', phone: '05327654321' });
    const response = await postForm(planner, `/admin/meetings/${id}`, `/admin/meetings/${id}/cancel`, { reason: 'Salon onarımda', confirm: 'yes' });
    expect(response.status).toBe(303);
    expect(await kinds()).toEqual(['meeting_confirmed ayse@example.org', 'meeting_meeting_cancelled ayse@example.org']);
    const page = await planner.get(`/admin/meetings/${id}`);
    expect(page.text).toContain('İptal edildi');
    expect(page.text).toContain('0532\u00a0765\u00a043\u00a021');
    expect(page.text).toMatch(/Buluşma iptal edildi<\/td>/);
    expect(await t.db.selectFrom('scheduled_jobs').select(['done_at', 'last_error']).executeTakeFirstOrThrow()).toEqual({ done_at: t.clock.now.toISOString(), last_error: 'cancelled' });
    expect((await planner.get(`/admin/meetings/${id}/edit`)).status).toBe(409);
    // Cancelling twice tells nobody twice.
    await postForm(planner, `/admin/meetings/${id}`, `/admin/meetings/${id}/cancel`, { reason: '', confirm: 'yes' });
    expect(await kinds()).toHaveLength(2);
  });
});

describe('once the meeting starts', () => {
  it('cancels nobody and promotes nobody, lets a finished meeting be corrected silently, and sends no late reminder', async () => {
    const id = await scheduleMeeting(t, { capacity: 1, signup_deadline_at: '2026-12-05T16:00:00.000Z' });
    await signUp(request.agent(t.app), id, { name: 'Ayşe Yılmaz', email: 'ayse@example.org' });
    await signUp(request.agent(t.app), id, { name: 'Mehmet Öz', email: 'mehmet@example.org' });
    // Left empty on the form: the deadline is "until it starts", and moves with the start.
    const edit = await planner.get(`/admin/meetings/${id}/edit`);
    expect(edit.text).toContain('name="deadline_date" value=""');

    // The server was down until 40 minutes before the start: the reminder is no use any more.
    t.clock.now = new Date('2026-12-05T15:20:00.000Z');
    planner = await logIn(t, await addUser(t, 'planner'));
    expect(await t.runJobs()).toEqual({ done: 1, failed: 0 });
    expect((await kinds()).filter((k) => k.startsWith('meeting_reminder'))).toEqual([]);

    t.clock.now = new Date('2026-12-05T16:30:00.000Z');
    const [ayse] = await registrations();
    const show = await planner.get(`/admin/meetings/${id}`);
    expect(show.text).not.toContain(`/registrations/${ayse!.id}/cancel`);
    expect(show.text).not.toContain('id="cancel-heading"');
    expect((await postForm(planner, `/admin/meetings/${id}/check-in`, `/admin/meetings/${id}/registrations/${ayse!.id}/cancel`)).status).toBe(409);
    expect((await registrations()).map((r) => r.status)).toEqual(['confirmed', 'waitlisted']);

    t.clock.now = new Date('2026-12-06T09:00:00.000Z');
    planner = await logIn(t, await addUser(t, 'planner'));
    const fields = meetingForm({ title_tr: 'Atatürk Mahallesi Buluşması', mahalles: ['ataturk'], venue: 'Atatürk Kültür Merkezi (B salonu)', address: 'Okul Sokak No: 3', date: '2026-12-05', start_time: '19:00', end_time: '21:00', capacity: '1', deadline_date: '' });
    expect((await postMeeting(fields, `/admin/meetings/${id}`, `/admin/meetings/${id}/edit`)).status).toBe(303);
    expect(await t.db.selectFrom('meetings').select('venue').executeTakeFirstOrThrow()).toEqual({ venue: 'Atatürk Kültür Merkezi (B salonu)' });
    expect((await kinds()).filter((k) => k.startsWith('meeting_changed'))).toEqual([]);
    expect((await planner.get(`/admin/meetings/${id}`)).text).toContain('Aranması gereken kimse yok.');
  });

  it('removes a walk-in added by mistake and takes none for a cancelled meeting', async () => {
    const id = await scheduleMeeting(t, TONIGHT);
    await postForm(planner, `/admin/meetings/${id}/check-in`, `/admin/meetings/${id}/walk-ins`, { name: 'Yanlış Kayıt', mahalle: 'gazi' });
    const [walkIn] = await registrations();
    expect((await postForm(planner, `/admin/meetings/${id}/check-in`, `/admin/meetings/${id}/walk-ins/${walkIn!.id}/delete`)).status).toBe(303);
    expect(await registrations()).toEqual([]);
    await signUp(request.agent(t.app), id, { name: 'Ayşe Yılmaz', email: 'ayse@example.org' });
    const [ayse] = await registrations();
    // A signed-up resident is cancelled, never deleted.
    expect((await postForm(planner, `/admin/meetings/${id}/check-in`, `/admin/meetings/${id}/walk-ins/${ayse!.id}/delete`)).status).toBe(404);
    await postForm(planner, `/admin/meetings/${id}`, `/admin/meetings/${id}/cancel`, { reason: '', confirm: 'yes' });
    expect((await postForm(planner, `/admin/meetings/${id}/check-in`, `/admin/meetings/${id}/walk-ins`, { name: 'Geç Gelen', mahalle: 'gazi' })).status).toBe(409);
    expect(await registrations()).toHaveLength(1);
  });
});

describe('the sign-up list', () => {
  it('lets a planner cancel a sign-up, which promotes the first waiting, and tick off calls once made', async () => {
    const id = await scheduleMeeting(t, { capacity: 1 });
    await signUp(request.agent(t.app), id, { name: 'Ayşe Yılmaz', email: 'ayse@example.org' });
    await signUp(request.agent(t.app), id, { name: 'Hasan Kaya', phone: '05327654321' });
    const [ayse] = await registrations();
    expect((await postForm(planner, `/admin/meetings/${id}`, `/admin/meetings/${id}/registrations/${ayse!.id}/cancel`, { confirm: 'yes' })).status).toBe(303);
    expect((await registrations()).map((r) => r.status)).toEqual(['cancelled', 'confirmed']);
    expect((await registrations())[0]!.cancelled_by).toBe('planner');
    let page = await planner.get(`/admin/meetings/${id}`);
    // Hasan, who gave only a phone number, was promoted: a call to make.
    const calls = /<h2 id="calls">[\s\S]*?<\/table>/.exec(page.text)![0];
    expect(calls).toContain('Yer açıldı, kaydı kesinleşti');
    expect(calls).not.toContain('Yedek listeye alındı');
    const notices = await t.db.selectFrom('meeting_notices').select(['id', 'kind']).where('channel', '=', 'phone').orderBy('id').execute();
    for (const notice of notices) await postForm(planner, `/admin/meetings/${id}`, `/admin/meetings/${id}/notices/${notice.id}/called`);
    page = await planner.get(`/admin/meetings/${id}`);
    expect(page.text).toContain('Aranması gereken kimse yok.');
    expect(await t.db.selectFrom('audit_events').select('action').where('action', '=', 'registration.cancelled').execute()).toHaveLength(1);
    // A registration of another meeting cannot be cancelled through this one.
    const other = await scheduleMeeting(t);
    expect((await postForm(planner, `/admin/meetings/${other}`, `/admin/meetings/${other}/registrations/${ayse!.id}/cancel`, { confirm: 'yes' })).status).toBe(404);
    expect((await planner.get(`/admin/meetings/${other}/registrations/${ayse!.id}/cancel`)).status).toBe(404);
  });

  it('asks before cancelling one sign-up, saying who is told and who gets the seat; only confirm=yes cancels', async () => {
    const id = await scheduleMeeting(t, { capacity: 1 });
    await signUp(request.agent(t.app), id, { name: 'Ayşe Yılmaz', email: 'ayse@example.org' });
    await signUp(request.agent(t.app), id, { name: 'Hasan Kaya', phone: '05327654321' });
    const [ayse, hasan] = await registrations();
    const state = async () => ({
      registrations: await registrations(),
      outbox: await t.db.selectFrom('outbox_messages').selectAll().execute(),
      notices: await t.db.selectFrom('meeting_notices').selectAll().execute(),
      audit: await t.db.selectFrom('audit_events').selectAll().where('action', '=', 'registration.cancelled').execute(),
    });
    const before = await state();
    const action = `/admin/meetings/${id}/registrations/${ayse!.id}/cancel`;

    // The list's button leads to the question; opening the question's address changes nothing either.
    const page = await planner.get(`/admin/meetings/${id}`);
    expect(page.text).toContain(`action="${action}"`);
    const viaGet = await planner.get(action);
    expect(viaGet.status).toBe(200);
    expect(viaGet.text).toContain('Ayşe Yılmaz adlı kişinin kaydı iptal edilsin mi?');
    expect(viaGet.text).toContain('ayse@example.org adresine iptal bildirimi gidecek.');
    expect(viaGet.text).toContain('Yedek listedeki ilk kişi, Hasan Kaya, kesin kayda alınacak ve kendisine haber verilecek.');
    expect(viaGet.text).toContain('name="confirm" value="yes"');
    expect(viaGet.text).toContain('Evet, kaydı iptal et');
    expect(await state()).toEqual(before);
    const asked = await postForm(planner, `/admin/meetings/${id}`, action);
    expect(asked.status).toBe(200);
    expect(asked.text).toContain('Evet, kaydı iptal et');
    expect((await postForm(planner, `/admin/meetings/${id}`, action, { confirm: 'no' })).status).toBe(200);
    expect(await state()).toEqual(before);

    // Hasan (phone only, waiting) would be called; nobody gets a seat from his place.
    const hasanAsked = await planner.get(`/admin/meetings/${id}/registrations/${hasan!.id}/cancel?lang=en`);
    expect(hasanAsked.text).toContain('No e-mail address: the cancellation is added to the calls to make');
    expect(hasanAsked.text).toContain('Their place on the waiting list will be removed.');
    expect(hasanAsked.text).toContain('Nobody on the waiting list gets a seat from this.');

    // The question's own form cancels.
    const confirmed = await planner.post(action).type('form').send({ _csrf: csrfFrom(asked.text), confirm: 'yes' });
    expect(confirmed.status).toBe(303);
    expect((await registrations()).map((r) => r.status)).toEqual(['cancelled', 'confirmed']);
    expect(await kinds()).toEqual(['meeting_confirmed ayse@example.org', 'meeting_registration_cancelled ayse@example.org']);
    // Asked again after it is done: back to the list, nothing more happens.
    expect((await planner.get(action)).status).toBe(303);
  });

  it('prints an A4 attendance sheet with names and mahalles but no phone numbers or e-mail addresses', async () => {
    const id = await scheduleMeeting(t, { capacity: 1 });
    await signUp(request.agent(t.app), id, { name: 'Ayşe Yılmaz', phone: '0532 123 45 67', email: 'ayse@example.org', accessibility_need: 'İşitme cihazı kullanıyorum', accessibility_consent: '1' });
    await signUp(request.agent(t.app), id, { name: 'Hasan Kaya', phone: '0532 765 43 21', mahalle: 'gazi' });
    const sheet = await planner.get(`/admin/meetings/${id}/sheet`);
    expect(sheet.status).toBe(200);
    expect(sheet.text).toContain('Ayşe Yılmaz');
    expect(sheet.text).toContain('Hasan Kaya (yedek)');
    expect(sheet.text).toContain('<th scope="col" class="signature">İmza</th>');
    expect(sheet.text).toContain('Gazi');
    // What the page shows (not the random tokens of its logout form) holds no contact detail.
    const printed = sheet.text.slice(sheet.text.indexOf('<main'), sheet.text.indexOf('</main>'));
    for (const secret of ['ayse@example.org', '@', '532', '+90', '765', 'İşitme']) expect(printed).not.toContain(secret);
    const css = await planner.get(/href="(\/static\/css\/admin\.[a-f0-9]+\.css)"/.exec(sheet.text)![1]!);
    expect(css.text).toContain('@page{size:A4');
  });

  it('checks people in at the door: search by name the Turkish way, mark, undo, add walk-ins who take no seat', async () => {
    const id = await scheduleMeeting(t, { ...TONIGHT, capacity: 2 });
    await signUp(request.agent(t.app), id, { name: 'İsmail Işık', phone: '05320000001' });
    await signUp(request.agent(t.app), id, { name: 'Şule Çelik', phone: '05320000002' });
    const found = await planner.get(`/admin/meetings/${id}/check-in?q=ismail%20isik`);
    expect(found.text).toContain('İsmail Işık');
    expect(found.text).not.toContain('Şule Çelik');
    const [ismail] = await registrations();
    await postForm(planner, `/admin/meetings/${id}/check-in`, `/admin/meetings/${id}/check-in/${ismail!.id}`, { attended: '1' });
    expect((await registrations())[0]!.attended_at).toBe(t.clock.now.toISOString());
    await postForm(planner, `/admin/meetings/${id}/check-in`, `/admin/meetings/${id}/check-in/${ismail!.id}`, { attended: '0' });
    expect((await registrations())[0]!.attended_at).toBeNull();
    await postForm(planner, `/admin/meetings/${id}/check-in`, `/admin/meetings/${id}/check-in/${ismail!.id}`, { attended: '1' });

    expect((await postForm(planner, `/admin/meetings/${id}/check-in`, `/admin/meetings/${id}/walk-ins`, { name: '', mahalle: 'gazi' })).status).toBe(422);
    expect((await postForm(planner, `/admin/meetings/${id}/check-in`, `/admin/meetings/${id}/walk-ins`, { name: 'Kapıdan Gelen', mahalle: 'gazi' })).status).toBe(303);
    const walkIn = (await registrations())[2]!;
    expect(walkIn).toMatchObject({ source: 'walk_in', status: 'confirmed', attended_at: t.clock.now.toISOString(), phone: null, email: null });
    // The walk-in took no seat: a resident can still sign up for the second one.
    expect((await signUp(request.agent(t.app), id, { name: 'Son Kişi', phone: '05320000003' })).status).toBe(303);
    expect((await registrations())[3]!.status).toBe('waitlisted');
    const page = await planner.get(`/admin/meetings/${id}/check-in`);
    expect(page.text).toContain('Katılan: 2 · Kesin kayıt: 2');
    expect((await postForm(planner, `/admin/meetings/${id}/check-in`, `/admin/meetings/${id}/check-in/999`, { attended: '1' })).status).toBe(404);
  });
});

describe('outcomes', () => {
  async function heldMeeting(overrides: Parameters<typeof scheduleMeeting>[1] = {}) {
    return scheduleMeeting(t, { starts_at: '2026-11-20T16:00:00.000Z', ends_at: '2026-11-20T18:00:00.000Z', signup_deadline_at: '2026-11-20T12:00:00.000Z', ...overrides });
  }
  const addRequest = (id: number, fields: Record<string, string>) => postForm(planner, `/admin/meetings/${id}/outcomes`, `/admin/meetings/${id}/requests`, { mahalle: '', gzft: '', supporters: '1', ...fields });

  it('marks a meeting title standing in Turkish on an English screen lang="tr" in the outcome tables, and only there', async () => {
    const a = await heldMeeting({ title_tr: 'Atatürk Buluşması', title_en: 'Atatürk Meeting' });
    const b = await heldMeeting({ title_tr: 'Gazi Buluşması', title_en: null, starts_at: '2026-11-19T16:00:00.000Z', ends_at: '2026-11-19T18:00:00.000Z' });
    await addRequest(a, { text: 'Otobüs seferleri artsın', area: 'ulasim_trafik' });
    await addRequest(b, { text: 'Yeni park', area: 'park_bahce' });
    const english = (await planner.get('/admin/meetings/outcomes?lang=en')).text;
    const t15 = /<table id="t15"[\s\S]*?<\/table>/.exec(english)![0];
    expect(t15).toContain('<th scope="row" lang="tr">Gazi Buluşması</th>');
    expect(t15).toContain('<th scope="row">Atatürk Meeting</th>');
    expect(await htmlProblems(english)).toEqual([]);
    // The export keeps the plain title.
    const csv = (await planner.get('/admin/meetings/requests.csv?lang=en')).text;
    expect(csv).toContain('Gazi Buluşması');
    expect(csv).not.toContain('lang=');
    const turkish = (await planner.get('/admin/meetings/outcomes?lang=tr')).text;
    expect(turkish).not.toContain('lang="tr">Gazi');
    expect(turkish).toContain('<th scope="row">Gazi Buluşması</th>');
  });

  it('records requests, refuses bad ones, and counts them by activity area and mahalle per meeting and overall (T15, T15b)', async () => {
    const a = await heldMeeting({ title_tr: 'Atatürk', mahalles: ['ataturk'] });
    const b = await heldMeeting({ title_tr: 'Gazi', mahalles: ['gazi', 'fatih'], starts_at: '2026-11-19T16:00:00.000Z', ends_at: '2026-11-19T18:00:00.000Z' });
    expect((await addRequest(a, { text: '', area: 'ulasim_trafik' })).status).toBe(422);
    expect((await addRequest(a, { text: 'Otobüs seferleri artsın', area: 'atlantis' })).status).toBe(422);
    expect((await addRequest(a, { text: 'Otobüs seferleri artsın', area: 'ulasim_trafik', supporters: '0' })).status).toBe(422);
    expect(await t.db.selectFrom('meeting_requests').selectAll().execute()).toEqual([]);

    await addRequest(a, { text: 'Otobüs seferleri artsın', area: 'ulasim_trafik', mahalle: 'ataturk', supporters: '12' });
    await addRequest(a, { text: 'Durak yanına sundurma', area: 'ulasim_trafik', mahalle: 'ataturk', supporters: '4' });
    await addRequest(a, { text: 'Parka aydınlatma', area: 'park_bahce', supporters: '7', gzft: 'weakness' });
    await addRequest(b, { text: 'Çöp toplama saatleri', area: 'temizlik_atik', mahalle: 'gazi', supporters: '9' });
    await addRequest(b, { text: 'Yeni park', area: 'park_bahce', mahalle: 'fatih', supporters: '20', gzft: 'opportunity' });
    const requests = await t.db.selectFrom('meeting_requests').selectAll().orderBy('id').execute();
    expect(requests).toHaveLength(5);
    expect(requests[2]).toMatchObject({ activity_area_id: 'park_bahce', mahalle_id: null, supporters: 7, gzft_kind: 'weakness' });

    const page = await planner.get(`/admin/meetings/${a}/outcomes`);
    const byArea = /<table id="by-area"[\s\S]*?<\/table>/.exec(page.text)![0];
    const rows = [...byArea.matchAll(/<tr><th scope="row">([^<]+)<\/th><td class="num" data-value="(\d+)">\d+<\/td><td class="num"[^>]*>([^<]+)<\/td><td class="num" data-value="(\d+)"/g)].map((m) => [m[1], Number(m[2]), m[3], Number(m[4])]);
    expect(rows).toEqual([
      ['Ulaşım ve trafik düzenlemesi', 2, '66,7', 16],
      ['Park, bahçe ve yeşil alanlar', 1, '33,3', 7],
    ]);

    const overall = await planner.get('/admin/meetings/outcomes');
    expect(overall.status).toBe(200);
    const t15 = /<table id="t15"[\s\S]*?<\/table>/.exec(overall.text)![0];
    // Meetings in date order: Gazi (19 Nov) first.
    expect(t15.indexOf('Gazi')).toBeLessThan(t15.indexOf('Atatürk'));
    expect(t15).toContain('<td>Fatih, Gazi</td>');
    expect(t15).toContain('<td>Ulaşım ve trafik düzenlemesi; Park, bahçe ve yeşil alanlar</td>');
    const t15b = /<table id="t15b"[\s\S]*?<\/table>/.exec(overall.text)![0];
    const matrix = [...t15b.matchAll(/<tr><th scope="row">([^<]+)<\/th>((?:<td[^>]*>[^<]*<\/td>)+)<\/tr>/g)].map((m) => [m[1], ...[...m[2]!.matchAll(/>(\d+)</g)].map((c) => Number(c[1]))]);
    expect(matrix).toEqual([
      ['Temizlik ve atık yönetimi', 1, 0, 1],
      ['Park, bahçe ve yeşil alanlar', 1, 1, 2],
      ['Ulaşım ve trafik düzenlemesi', 0, 2, 2],
      ['Toplam', 2, 3, 5],
    ]);
    expect(overall.text).toContain('data-chart="bar"');
    expect(overall.text).toContain('/static/vendor/chart.umd');
  });

  it('edits and deletes a request, and records the attendance count and notes', async () => {
    const id = await heldMeeting();
    await addRequest(id, { text: 'Otobüs seferleri artsın', area: 'ulasim_trafik' });
    const [req] = await t.db.selectFrom('meeting_requests').selectAll().execute();
    const edit = await planner.get(`/admin/meetings/${id}/requests/${req!.id}/edit`);
    expect(edit.text).toContain('Otobüs seferleri artsın</textarea>');
    await postForm(planner, `/admin/meetings/${id}/outcomes`, `/admin/meetings/${id}/requests/${req!.id}`, { text: 'Gece otobüsü', area: 'ulasim_trafik', mahalle: '', supporters: '3', gzft: '' });
    expect(await t.db.selectFrom('meeting_requests').select(['text', 'supporters']).execute()).toEqual([{ text: 'Gece otobüsü', supporters: 3 }]);
    await postForm(planner, `/admin/meetings/${id}/outcomes`, `/admin/meetings/${id}/requests/${req!.id}/delete`);
    expect(await t.db.selectFrom('meeting_requests').selectAll().execute()).toEqual([]);
    expect((await postForm(planner, `/admin/meetings/${id}/outcomes`, `/admin/meetings/${id}/requests/${req!.id}/delete`)).status).toBe(404);

    expect((await postForm(planner, `/admin/meetings/${id}/outcomes`, `/admin/meetings/${id}/outcome`, { attendance_count: 'kırk', notes: '' })).status).toBe(422);
    await postForm(planner, `/admin/meetings/${id}/outcomes`, `/admin/meetings/${id}/outcome`, { attendance_count: '42', notes: 'Muhtar da katıldı.' });
    expect(await t.db.selectFrom('meetings').select(['attendance_count', 'notes']).executeTakeFirstOrThrow()).toEqual({ attendance_count: 42, notes: 'Muhtar da katıldı.' });
    expect((await planner.get('/admin/meetings/outcomes')).text).toMatch(/<td class="num" data-value="42">42<\/td>/);
  });
});

describe('exports and access', () => {
  it('exports attendees and the waitlist (CSV, XLSX) for planners, formula-safe, audited, without accessibility needs', async () => {
    const id = await scheduleMeeting(t, { capacity: 1 });
    await signUp(request.agent(t.app), id, { name: '=HYPERLINK("http://x")', email: 'a@example.org', accessibility_need: 'Rampa gerekli', accessibility_consent: '1' });
    await signUp(request.agent(t.app), id, { name: 'Hasan Kaya', phone: '05327654321' });
    const csv = await planner.get(`/admin/meetings/${id}/registrations.csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers['content-disposition']).toContain('.csv');
    expect(csv.text).toContain(`"'=HYPERLINK(""http://x"")"`);
    expect(csv.text).toContain('0532 765 43 21');
    expect(csv.text).toContain('Yedek (sıra 1)');
    expect(csv.text).not.toContain('Rampa');
    // Times as the planner reads them on the page, in Istanbul time.
    expect(csv.text).toContain('2026-11-21 10:00');
    // As Turkish Excel opens it: fields split at semicolons, eight a row.
    const cells = readCsvAsExcel(csv.text, 'tr');
    expect(cells.map((row) => row.length)).toEqual([8, 8, 8]);
    expect(cells.find((row) => row[1] === 'Hasan Kaya')!.slice(3, 6)).toEqual(['0532 765 43 21', '', 'Yedek (sıra 1)']);

    const { status, book } = await downloadWorkbook(planner, `/admin/meetings/${id}/registrations.xlsx`);
    expect(status).toBe(200);
    const sheet = book.worksheets[0]!;
    // A typed text cell, shown as written: XLSX runs no text, so it needs no apostrophe.
    expect(sheet.getRow(2).getCell(2).value).toBe(`=HYPERLINK("http://x")`);
    expect(sheet.getRow(3).getCell(4).value).toBe('0532 765 43 21');
    expect(sheet.getRow(3).getCell(6).value).toBe('Yedek (sıra 1)');

    const requestsCsv = await planner.get(`/admin/meetings/requests.csv?meeting=${id}`);
    expect(requestsCsv.status).toBe(200);
    const audits = await t.db.selectFrom('audit_events').select(['action', 'target', 'details']).where('action', '=', 'export.downloaded').execute();
    expect(audits.map((a) => JSON.parse(a.details!).what)).toEqual(['registrations', 'registrations', 'requests']);
  });

  it('lets viewers read outcomes but not personal data, and sends the logged-out to the login', async () => {
    const id = await scheduleMeeting(t);
    await signUp(request.agent(t.app), id, { name: 'Ayşe Yılmaz', email: 'ayse@example.org' });
    const viewer = await logIn(t, await addUser(t, 'viewer'));
    expect((await viewer.get('/admin/meetings')).status).toBe(200);
    expect((await viewer.get('/admin/meetings/outcomes')).status).toBe(200);
    const outcomes = await viewer.get(`/admin/meetings/${id}/outcomes`);
    expect(outcomes.status).toBe(200);
    expect(outcomes.text).not.toContain('name="_csrf" value="" ');
    expect(outcomes.text).not.toContain('action="/admin/meetings/');
    for (const path of [`/admin/meetings/${id}`, `/admin/meetings/${id}/sheet`, `/admin/meetings/${id}/check-in`, `/admin/meetings/${id}/registrations.csv`, '/admin/meetings/new']) {
      expect([path, (await viewer.get(path)).status]).toEqual([path, 403]);
    }
    expect((await request(t.app).get(`/admin/meetings/${id}`)).status).toBe(303);
  });
});
