// What is recorded at a meeting (check-in, walk-ins, the head count, requests) is taken from the
// meeting's own calendar day in Istanbul, never a week ahead; and whatever the outcome tables and
// the report leave out, they say so.
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { tablesOf } from '../../server/analysis/report/report-model';
import { meetingService } from '../../server/meetings';
import { createI18n } from '../../server/platform/i18n/i18n';
import { addUser, logIn, postForm } from '../helpers/admin';
import { htmlProblems } from '../helpers/html';
import { scheduleMeeting, signUp } from '../helpers/meetings';
import { createTestApp, type TestApp } from '../helpers/test-app';
import { builtReport } from '../helpers/report';

const i18n = createI18n();
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

/** A week after the test clock's day (21 November, 10:00 Istanbul): Saturday 28 November, 19:00–21:00 Istanbul. */
const nextWeek = () =>
  scheduleMeeting(t, { starts_at: '2026-11-28T16:00:00.000Z', ends_at: '2026-11-28T18:00:00.000Z', signup_deadline_at: '2026-11-28T12:00:00.000Z' });

const registrations = (meetingId: number) => t.db.selectFrom('meeting_registrations').selectAll().where('meeting_id', '=', meetingId).orderBy('id').execute();
const requestsOf = (meetingId: number) => t.db.selectFrom('meeting_requests').selectAll().where('meeting_id', '=', meetingId).execute();

async function at(iso: string): Promise<void> {
  t.clock.now = new Date(iso);
  // A jump of hours or days outlives the session.
  planner = await logIn(t, await addUser(t, 'planner'));
}

async function report() {
  return builtReport(t);
}

describe("before the meeting's day", () => {
  it('refuses check-in, walk-ins, the head count and requests with a message saying when, and stores nothing', async () => {
    const id = await nextWeek();
    await signUp(request.agent(t.app), id, { name: 'Ayşe Yılmaz', email: 'ayse@example.org' });
    const [ayse] = await registrations(id);

    const checkIn = await postForm(planner, `/admin/meetings/${id}/check-in`, `/admin/meetings/${id}/check-in/${ayse!.id}`, { attended: '1' });
    const walkIn = await postForm(planner, `/admin/meetings/${id}/check-in`, `/admin/meetings/${id}/walk-ins`, { name: 'Erken Gelen', mahalle: 'gazi' });
    const headCount = await postForm(planner, `/admin/meetings/${id}/outcomes`, `/admin/meetings/${id}/outcome`, { attendance_count: '40', notes: 'Not' });
    const requestPost = await postForm(planner, `/admin/meetings/${id}/outcomes`, `/admin/meetings/${id}/requests`, { text: 'Otobüs seferleri artsın', area: 'ulasim_trafik', mahalle: '', supporters: '3', gzft: '' });

    // A form with mistakes gets the same answer, not field errors for a form it cannot send.
    const invalid = await postForm(planner, `/admin/meetings/${id}/outcomes`, `/admin/meetings/${id}/requests`, { text: '', area: '', mahalle: '', supporters: '0', gzft: '' });

    for (const response of [checkIn, walkIn, headCount, requestPost, invalid]) {
      expect(response.status).toBe(409);
      expect(response.text).toContain('28 Kasım 2026 Cumartesi');
      expect(response.text).toContain('Hiçbir şey kaydedilmedi.');
    }
    expect((await registrations(id)).map((r) => [r.name, r.attended_at])).toEqual([['Ayşe Yılmaz', null]]);
    expect(await requestsOf(id)).toEqual([]);
    expect(await t.db.selectFrom('meetings').select(['attendance_count', 'notes']).where('id', '=', id).executeTakeFirstOrThrow()).toEqual({ attendance_count: null, notes: null });
    // In the planner's language.
    const english = await postForm(planner, `/admin/meetings/${id}/check-in?lang=en`, `/admin/meetings/${id}/walk-ins`, { name: 'Erken Gelen', mahalle: 'gazi' });
    expect(english.status).toBe(409);
    expect(english.text).toContain('Saturday, 28 November 2026. Nothing was saved.');
    expect(await registrations(id)).toHaveLength(1);
  });

  it('shows on the check-in and outcome pages when they open instead of buttons and forms', async () => {
    const id = await nextWeek();
    await signUp(request.agent(t.app), id, { name: 'Ayşe Yılmaz', email: 'ayse@example.org' });
    const checkIn = await planner.get(`/admin/meetings/${id}/check-in`);
    expect(checkIn.status).toBe(200);
    expect(checkIn.text).toContain('Giriş (yoklama) buluşmanın günü açılır: 28 Kasım 2026 Cumartesi.');
    expect(checkIn.text).toContain('Ayşe Yılmaz');
    expect(checkIn.text).not.toMatch(/action="\/admin\/meetings\/\d+\/check-in\/\d+"/);
    expect(checkIn.text).not.toContain(`action="/admin/meetings/${id}/walk-ins"`);
    const outcomes = await planner.get(`/admin/meetings/${id}/outcomes`);
    expect(outcomes.status).toBe(200);
    expect(outcomes.text).toContain('Sonuçlar (talepler, sayım ve notlar) buluşmanın günü girilebilir: 28 Kasım 2026 Cumartesi.');
    expect(outcomes.text).not.toContain(`action="/admin/meetings/${id}/requests"`);
    expect(outcomes.text).not.toContain(`action="/admin/meetings/${id}/outcome"`);
    for (const html of [checkIn.text, outcomes.text]) expect(await htmlProblems(html)).toEqual([]);
  });

  it('goes by the calendar in Istanbul, not in UTC', async () => {
    const id = await nextWeek();
    await signUp(request.agent(t.app), id, { name: 'Ayşe Yılmaz', email: 'ayse@example.org' });
    const [ayse] = await registrations(id);
    const mark = () => meetingService.checkIn(t.db, id, ayse!.id, true, t.clock.now, 'Europe/Istanbul');
    // 23:30 on Friday in Istanbul (already 20:30 UTC): still the day before.
    t.clock.now = new Date('2026-11-27T20:30:00.000Z');
    expect(await mark()).toEqual({ kind: 'not_yet' });
    // 01:30 on Saturday in Istanbul, still Friday in UTC: the meeting's day.
    t.clock.now = new Date('2026-11-27T22:30:00.000Z');
    expect(await mark()).toEqual({ kind: 'saved' });
    expect((await registrations(id))[0]!.attended_at).toBe('2026-11-27T22:30:00.000Z');
  });
});

describe("on the meeting's day", () => {
  it('takes check-in and outcomes before the start, and the outcome pages and the report count them at once', async () => {
    const id = await nextWeek();
    await signUp(request.agent(t.app), id, { name: 'Ayşe Yılmaz', email: 'ayse@example.org' });
    const [ayse] = await registrations(id);
    // Saturday 18:30 in Istanbul: people come early, the meeting starts at 19:00.
    await at('2026-11-28T15:30:00.000Z');
    expect((await postForm(planner, `/admin/meetings/${id}/check-in`, `/admin/meetings/${id}/check-in/${ayse!.id}`, { attended: '1' })).status).toBe(303);
    expect((await postForm(planner, `/admin/meetings/${id}/check-in`, `/admin/meetings/${id}/walk-ins`, { name: 'Erken Gelen', mahalle: 'gazi' })).status).toBe(303);
    expect((await postForm(planner, `/admin/meetings/${id}/outcomes`, `/admin/meetings/${id}/requests`, { text: 'Otobüs seferleri artsın', area: 'ulasim_trafik', mahalle: '', supporters: '3', gzft: '' })).status).toBe(303);

    const overall = await planner.get('/admin/meetings/outcomes');
    const t15 = /<table id="t15"[\s\S]*?<\/table>/.exec(overall.text)![0];
    expect(t15).toContain('Atatürk Mahallesi Buluşması');
    expect(t15).not.toContain('Henüz veri yok');
    const built = await report();
    const reportT15 = tablesOf(built).find((table) => table.id === 'T15')!;
    expect(reportT15.rows.map((row) => [row.cells[0], row.cells[5]])).toEqual([['Atatürk Mahallesi Buluşması', 2]]);
    expect(tablesOf(built).find((table) => table.id === 'T15b')!.rows.map((row) => row.cells[0])).toEqual(['Ulaşım ve trafik düzenlemesi']);
  });
});

describe('the check-in list', () => {
  it('says what the button does ("Geldi olarak işaretle") and keeps "Geldi" as the badge once someone has arrived', async () => {
    const id = await nextWeek();
    await signUp(request.agent(t.app), id, { name: 'Ayşe Yılmaz', email: 'ayse@example.org' });
    await signUp(request.agent(t.app), id, { name: 'Mehmet Öz', email: 'mehmet@example.org' });
    const [ayse] = await registrations(id);
    await at('2026-11-28T15:30:00.000Z');
    expect((await postForm(planner, `/admin/meetings/${id}/check-in`, `/admin/meetings/${id}/check-in/${ayse!.id}`, { attended: '1' })).status).toBe(303);

    const item = (html: string, name: string) => [...html.matchAll(/<li id="r\d+"[^>]*>([\s\S]*?)<\/li>/g)].map((m) => m[1]!).find((li) => li.includes(name))!;
    const words = (html: string) => html.replace(/<span class="visually-hidden">[^<]*<\/span>/g, '').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();
    const tr = (await planner.get(`/admin/meetings/${id}/check-in`)).text;
    expect(words(item(tr, 'Mehmet Öz'))).toContain('Geldi olarak işaretle');
    expect(item(tr, 'Mehmet Öz')).not.toContain('class="status open"');
    expect(item(tr, 'Ayşe Yılmaz')).toContain('<span class="status open">Geldi</span>');
    expect(words(item(tr, 'Ayşe Yılmaz'))).not.toContain('işaretle');
    const en = (await planner.get(`/admin/meetings/${id}/check-in?lang=en`)).text;
    expect(words(item(en, 'Mehmet Öz'))).toContain('Mark as arrived');
    expect(item(en, 'Ayşe Yılmaz')).toContain('<span class="status open">Present</span>');
  });
});

describe('what the outcome tables leave out', () => {
  it('says how many meetings are not counted and why, on the outcomes page and in the report', async () => {
    const held = await scheduleMeeting(t, { title_tr: 'Yapılan', starts_at: '2026-11-20T16:00:00.000Z', ends_at: '2026-11-20T18:00:00.000Z', signup_deadline_at: '2026-11-20T12:00:00.000Z' });
    await nextWeek();
    const cancelled = await scheduleMeeting(t, { title_tr: 'İptal' });
    await meetingService.cancelMeeting(t.db, { mailer: t.mailer, baseUrl: 'https://katilim.example.org', secret: 'test-secret-that-is-long-enough-for-hmac-0123456789' }, cancelled, null, { userId: null, email: 'test', ip: null }, t.clock.now);
    expect(held).toBeGreaterThan(0);

    const overall = await planner.get('/admin/meetings/outcomes');
    expect(overall.text).toContain('Henüz yapılmamış 1 buluşma ve iptal edilen 1 buluşma bu tablolarda yer almıyor.');
    const built = await report();
    const t15 = tablesOf(built).find((table) => table.id === 'T15')!;
    expect(t15.rows.map((row) => row.cells[0])).toEqual(['Yapılan']);
    expect(t15.notes).toContain('Henüz yapılmamış 1 buluşma ve iptal edilen 1 buluşma bu tablolarda yer almıyor.');
  });

  it('refuses check-in and outcomes for a cancelled meeting, which the tables do not count', async () => {
    const id = await scheduleMeeting(t, { starts_at: '2026-11-21T16:00:00.000Z', ends_at: '2026-11-21T18:00:00.000Z', signup_deadline_at: '2026-11-21T12:00:00.000Z' });
    await signUp(request.agent(t.app), id, { name: 'Ayşe Yılmaz', email: 'ayse@example.org' });
    const [ayse] = await registrations(id);
    await postForm(planner, `/admin/meetings/${id}`, `/admin/meetings/${id}/cancel`, { reason: '', confirm: 'yes' });
    expect((await postForm(planner, `/admin/meetings/${id}/check-in`, `/admin/meetings/${id}/check-in/${ayse!.id}`, { attended: '1' })).status).toBe(409);
    expect((await postForm(planner, `/admin/meetings/${id}/outcomes`, `/admin/meetings/${id}/outcome`, { attendance_count: '40', notes: '' })).status).toBe(409);
    expect((await postForm(planner, `/admin/meetings/${id}/outcomes`, `/admin/meetings/${id}/requests`, { text: 'Bir talep', area: 'ulasim_trafik', mahalle: '', supporters: '1', gzft: '' })).status).toBe(409);
    expect((await registrations(id))[0]!.attended_at).toBeNull();
    expect(await requestsOf(id)).toEqual([]);
    const page = await planner.get(`/admin/meetings/${id}/check-in`);
    expect(page.text).toContain('Buluşma iptal edildi; giriş (yoklama) ve sonuç girilmez, tablolarda sayılmaz.');
  });
});
