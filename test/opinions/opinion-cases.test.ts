// The cases around the main flow: mail only while a form is open, reminders that would arrive
// too soon or twice, one institution asking twice or after being invited, merges, revocations
// with mail still waiting, corrected addresses, answers a planner excluded, storage failures (a full disk: letter-disk-full-sqlite.test.ts).
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { invitationService } from '../../server/opinions';
import { storeLetter } from '../../server/opinions/opinion-letter';
import { AppError } from '../../server/platform/http/app-error';
import { addUser, csrfFrom, logIn, postForm } from '../helpers/admin';
import { encodeForm } from '../helpers/forms';
import { invitedInstitution, mailedLink } from '../helpers/invitation';
import { LETTER_PDF } from '../helpers/letter-pdf';
import { completeSurvey, validSectionFields } from '../helpers/survey-walker';
import { createTestApp, TEST_BASE_URL, TEST_SECRET, type TestApp } from '../helpers/test-app';

const SLUG = 'kurum-gorus-formu';
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

const survey = () => t.catalog.find(SLUG)!;
const mail = () => ({ mailer: t.mailer, baseUrl: TEST_BASE_URL });
const answer = (link: string, agent = request.agent(t.app)) => completeSurvey(agent, survey(), (i) => validSectionFields(survey(), i), link);
const invitations = () => t.db.selectFrom('invitations').selectAll().orderBy('id').execute();
const outbox = () => t.db.selectFrom('outbox_messages').select(['id', 'to_address', 'kind', 'status', 'ref']).orderBy('id').execute();

async function closeForm(): Promise<void> {
  const show = await planner.get(`/admin/surveys/${SLUG}`);
  expect((await planner.post(`/admin/surveys/${SLUG}/close`).type('form').send({ _csrf: csrfFrom(show.text) })).status).toBe(303);
}

async function selfRegister(email: string, name = 'Kent Konseyi', language = 'tr'): Promise<string> {
  const form = request.agent(t.app);
  const page = await form.get('/kurum-gorusu');
  await form.post('/kurum-gorusu').type('form').send({ _csrf: csrfFrom(page.text), survey: SLUG, name, group: 'kent_konseyi', email, language, authority: '1' });
  const confirm = await mailedLink(t, '/kurum-gorusu/onay/');
  const ask = await form.get(confirm);
  const confirmed = await form.post(confirm).type('form').send({ _csrf: csrfFrom(ask.text) });
  expect(confirmed.status).toBe(303);
  return confirmed.headers.location!;
}

describe('mail only while the form is open', () => {
  it('refuses to invite, remind or resend for a closed form, and a deadline after the form closes', async () => {
    const { id } = await invitedInstitution(t);
    const sent = t.sent.length;
    const late = await postForm(planner, `/admin/opinions/${SLUG}`, `/admin/opinions/${SLUG}/invite`, { deadline: '2028-01-15', reminder_days: '', stakeholder: '1' });
    expect(late.status).toBe(422);
    expect(late.text).toContain('Son gün, formun kapanışından sonra olamaz.');

    await closeForm();
    for (const action of [`/admin/opinions/${SLUG}/remind`, `/admin/opinions/${SLUG}/invitations/${id}/resend`, `/admin/opinions/${SLUG}/invite`]) {
      const refused = await postForm(planner, `/admin/opinions/${SLUG}`, action, { deadline: '2026-12-15', reminder_days: '', stakeholder: '1' });
      expect(refused.status).toBe(303);
      expect((await planner.get(`/admin/opinions/${SLUG}`)).text).toContain('Bu form şu anda açık değil');
    }
    t.clock.now = new Date('2026-12-13T12:00:00Z');
    expect(await invitationService.sendDueReminders(t.db, mail(), t.catalog, t.clock.now)).toBe(0);
    await t.worker.runOnce();
    expect(t.sent.length).toBe(sent);
    expect(await t.db.selectFrom('outbox_messages').selectAll().where('kind', '=', 'reminder').execute()).toEqual([]);
  });

  it('accepts the deadline it pre-fills, the closing day of a form that closes at 23:59 (issue 15, item 3)', async () => {
    const created = await postForm(planner, '/admin/stakeholders/new', '/admin/stakeholders', {
      name: 'Ticaret Odası', group: 'meslek_odasi', scope: 'external', type: '', emails: 'ticaret@example.org', contact_person: '', reason: '', importance: '4', influence: '4', language: 'tr',
    });
    expect(created.status).toBe(303);
    const stakeholder = (await t.db.selectFrom('stakeholders').select('id').executeTakeFirstOrThrow()).id;
    // The bundled form closes on 31.12.2027 at 23:59 Istanbul time.
    const page = await planner.get(`/admin/opinions/${SLUG}`);
    const prefilled = /name="deadline" value="([^"]*)"/.exec(page.text)?.[1];
    expect(prefilled).toBe('2027-12-31');
    const dayAfter = await postForm(planner, `/admin/opinions/${SLUG}`, `/admin/opinions/${SLUG}/invite`, { deadline: '2028-01-01', reminder_days: '3', stakeholder: String(stakeholder) });
    expect(dayAfter.status).toBe(422);
    expect(dayAfter.text).toContain('Son gün, formun kapanışından sonra olamaz.');

    const invited = await postForm(planner, `/admin/opinions/${SLUG}`, `/admin/opinions/${SLUG}/invite`, { deadline: prefilled!, reminder_days: '3', stakeholder: String(stakeholder) });
    expect(invited.status).toBe(303);
    // The links close with the form, not a minute later.
    expect((await invitations()).map((i) => i.deadline_at)).toEqual([new Date('2027-12-31T23:59:00+03:00').toISOString()]);
    expect((await planner.get(`/admin/opinions/${SLUG}`)).text).toContain('1 kuruma davet gönderildi.');
  });

  it('keeps a link shut before the form opens', async () => {
    const { link } = await invitedInstitution(t);
    t.clock.now = new Date('2026-10-20T12:00:00+03:00');
    const page = await request(t.app).get(`${link}/1`);
    expect(page.status).toBe(403);
    expect(page.text).toContain('Görüş formu henüz açılmadı');
    expect(page.text).toContain('01.11.2026');
  });
});

describe('automatic reminders', () => {
  const sweep = () => invitationService.sendDueReminders(t.db, mail(), t.catalog, t.clock.now);

  it('are not sent to an invitation made after the reminder point, nor after a reminder by hand', async () => {
    // Deadline 15.12 with a 3-day reminder: the reminder point is 12.12 23:59:59 Istanbul.
    await invitedInstitution(t, { name: 'Erken Davet' });
    await t.db.updateTable('invitations').set({ reminder_days: 3 }).execute();
    t.clock.now = new Date('2026-12-13T08:00:00Z');
    await invitedInstitution(t, { name: 'Geç Davet' });
    await t.db.updateTable('invitations').set({ reminder_days: 3 }).execute();
    planner = await logIn(t, await addUser(t, 'planner'));
    const early = (await invitations())[0]!;
    // A planner reminded the early one by hand after the reminder point: no second one minutes later.
    const page = await planner.get(`/admin/opinions/${SLUG}`);
    await planner.post(`/admin/opinions/${SLUG}/remind`).type('form').send({ _csrf: csrfFrom(page.text), invitation: String(early.id) });
    t.clock.now = new Date('2026-12-13T09:00:00Z');
    expect(await sweep()).toBe(0);
    expect((await invitations()).map((i) => i.reminder_count)).toEqual([1, 0]);
  });
});

describe('one institution, one record', () => {
  it('gives an address that confirms twice one entry and one invitation', async () => {
    const first = await selfRegister('konsey@example.org');
    const second = await selfRegister('konsey@example.org');
    expect(second).not.toBe(first);
    expect(await t.db.selectFrom('stakeholders').select('name').execute()).toEqual([{ name: 'Kent Konseyi' }]);
    expect(await invitations()).toHaveLength(1);
    // Both links open the same invitation.
    for (const link of [first, second]) expect((await request(t.app).get(link)).text).toContain('Kurum: Kent Konseyi');
  });

  it('sends an invited institution that asks again its own invitation, in its language', async () => {
    const { id } = await invitedInstitution(t, { name: 'Chamber of Architects', language: 'en' });
    const link = await selfRegister('oda@example.org', 'Mimarlar', 'en');
    expect(link).toMatch(/\?lang=en$/);
    expect((await invitations()).map((i) => i.id)).toEqual([id]);
    expect((await request(t.app).get(link)).text).toContain('Institution: Chamber of Architects');
  });

  it('after a merge, keeps the latest answer counted and the other answer stored but superseded', async () => {
    const invited = await invitedInstitution(t, { name: 'Yeşilvadi Üniversitesi', group: 'universite' });
    await answer(invited.link);
    t.clock.now = new Date(t.clock.now.getTime() + 3_600_000);
    planner = await logIn(t, await addUser(t, 'planner'));
    const own = await selfRegister('rektorluk@example.org', 'Yeşilvadi Ünv. Rektörlüğü');
    await answer(own);
    const [university, self] = await t.db.selectFrom('stakeholders').select(['id', 'source']).orderBy('id').execute();
    expect(self!.source).toBe('self');
    const merged = await postForm(planner, `/admin/stakeholders/${self!.id}`, `/admin/stakeholders/${self!.id}/merge`, { into: String(university!.id) });
    expect(merged.status).toBe(303);

    const [first, second] = await invitations();
    expect(first).toMatchObject({ stakeholder_id: university!.id, revoked_at: t.clock.now.toISOString() });
    expect(second).toMatchObject({ stakeholder_id: university!.id, revoked_at: null });
    const responses = await t.db.selectFrom('responses').select(['id', 'exclusion_reason']).orderBy('id').execute();
    expect(responses.map((r) => r.exclusion_reason)).toEqual(['superseded', null]);
    const record = await planner.get(`/admin/opinions/${SLUG}/record`);
    const rows = /<table id="record-institutions">[\s\S]*?<\/table>/.exec(record.text)![0];
    expect(rows.match(/<tr data-institution/g)).toHaveLength(1);
    expect(rows).toContain(`/responses/${second!.response_id}"`);
  });
});

describe('revoking, resending, excluding', () => {
  it('cancels mail still waiting for a revoked invitation', async () => {
    const { id } = await invitedInstitution(t, { mailed: false });
    expect(await postForm(planner, `/admin/opinions/${SLUG}`, `/admin/opinions/${SLUG}/invitations/${id}/revoke`, { confirm: 'yes' }).then((r) => r.status)).toBe(303);
    expect((await outbox()).map((m) => m.status)).toEqual(['cancelled']);
    await t.worker.runOnce();
    expect(t.sent).toEqual([]);
    expect((await planner.get('/admin/outbox')).text).toContain('İptal edildi (gönderilmeyecek)');
  });

  it('resends to the address the register has now, and records it', async () => {
    const { id } = await invitedInstitution(t);
    const stakeholder = (await invitations())[0]!.stakeholder_id;
    await t.db.updateTable('stakeholder_emails').set({ email: 'dogru@example.org' }).where('stakeholder_id', '=', stakeholder).execute();
    await postForm(planner, `/admin/opinions/${SLUG}`, `/admin/opinions/${SLUG}/invitations/${id}/resend`);
    await t.worker.runOnce();
    expect(t.sent.at(-1)!.to).toBe('dogru@example.org');
    expect((await invitations())[0]!.email).toBe('dogru@example.org');
  });

  it('does not count an answer a planner excluded as test or spam', async () => {
    const { link } = await invitedInstitution(t);
    await answer(link);
    const responseId = (await invitations())[0]!.response_id!;
    await postForm(planner, `/admin/surveys/${SLUG}/responses/${responseId}`, `/admin/surveys/${SLUG}/responses/${responseId}/exclude`, { reason: 'test', note: '' });
    const record = await planner.get(`/admin/opinions/${SLUG}/record`);
    expect(/<table id="record-institutions">[\s\S]*?<\/table>/.exec(record.text)![0]).toContain('Yanıtlamadı');
    expect(/<table id="record-groups">[\s\S]*?<\/table>/.exec(record.text)![0]).toMatch(/Toplam<\/th><td class="num">1<\/td><td class="num">0<\/td>/);
  });
});

describe('failures on the institution side', () => {
  it('refuses writes through a link revoked after it was checked, inside the transaction', async () => {
    const { id } = await invitedInstitution(t);
    await invitationService.revoke(t.db, survey(), id, { userId: null, email: 'test', ip: null }, t.clock.now);
    const pdf = LETTER_PDF;
    await expect(storeLetter(t.db, { secret: TEST_SECRET }, { invitationId: id, originalName: 'y.pdf', content: pdf }, t.clock.now)).rejects.toThrow(AppError);
    await expect(t.db.transaction().execute((trx) => invitationService.recordDraftSaved(trx, id, t.clock.now))).rejects.toMatchObject({ status: 410 });
    expect(await t.db.selectFrom('opinion_letters').selectAll().execute()).toEqual([]);
    expect(await t.db.selectFrom('opinion_letter_contents').selectAll().execute()).toEqual([]);
  });

  it('offers the way back to the link page when a form token expired on an upload or an edit', async () => {
    const { link } = await invitedInstitution(t);
    const stale = await request(t.app).post(`${link}/duzenle`).type('form').send(encodeForm({ _csrf: 'eskimis' }));
    expect(stale.status).toBe(403);
    expect(stale.text).toContain(`href="${link}"`);
  });
});
