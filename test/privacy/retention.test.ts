// KVKK retention end to end on a real database: a planner enters the plan's adoption date, the
// stored job anonymises sign-ups, invitations, self-registrations and their mail at adoption plus
// twelve months (test/fixtures: retentionMonths 12), exactly once across runners, and never
// touches what was created after the date; "anonymise now" is refused before the date.
import path from 'node:path';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { meetingService } from '../../server/meetings';
import { invitationService } from '../../server/opinions';
import { runDueJobs } from '../../server/platform/jobs/jobs';
import { retentionService } from '../../server/privacy';
import { dueCounts } from '../../server/privacy/retention.repository';
import { addUser, csrfFrom, logIn, postForm, type TestUser } from '../helpers/admin';
import { openMigratedDatabase } from '../helpers/database-template';
import { errorSummary } from '../helpers/forms';
import { htmlProblems } from '../helpers/html';
import { invitedInstitution, mailedLink } from '../helpers/invitation';
import { MEETING_START, meetingInput, scheduleMeeting, signUp } from '../helpers/meetings';
import { createTestApp, queueTestMail, TEST_BASE_URL, tempDir, type TestApp } from '../helpers/test-app';

const ADOPTED = new Date('2027-01-10T10:00:00+03:00');
/** 2027-01-05 + 12 months, from midnight in Istanbul. */
const CUTOFF = '2028-01-04T21:00:00.000Z';
const AFTER = new Date('2028-01-05T09:00:00+03:00');
const ctx = { retentionMonths: 12, timeZone: 'Europe/Istanbul' };

let t: TestApp;
let databaseFile: string;
let user: TestUser;

beforeEach(async () => {
  databaseFile = path.join(tempDir(), 'paydas.sqlite');
  t = await createTestApp({ databaseFile });
  user = await addUser(t, 'planner');
});
afterEach(async () => {
  expect(t.logged).toEqual([]);
  await t.close();
});

/** A planner's session at the clock's current time (a jump of months ends the one before). */
const planner = () => logIn(t, user);

interface Seeded {
  meetingId: number;
  ayse: number;
  mehmet: number;
  can: number;
  walkIn: number;
  invitationId: number;
  invitationLink: string;
  selfRegistrationLink: string;
  selfInvitationLink: string;
}

/** Sign-ups (one attended, one phone-only, one whose mail is still waiting), an invitation and a self-registration. */
async function seed(): Promise<Seeded> {
  const mail = { mailer: t.mailer, baseUrl: TEST_BASE_URL };
  const { link: invitationLink, id: invitationId } = await invitedInstitution(t);
  await invitationService.requestSelfRegistration(t.db, mail, {
    survey: t.catalog.find('kurum-gorus-formu')!,
    name: 'Kent Konseyi',
    group: 'kent_konseyi',
    email: 'konsey@example.org',
    contactPerson: 'Zeynep Ak',
    language: 'tr',
    now: t.clock.now,
  });
  const selfRegistrationLink = await mailedLink(t, '/kurum-gorusu/onay/');
  const form = request.agent(t.app);
  const ask = await form.get(selfRegistrationLink);
  const confirmed = await form.post(selfRegistrationLink).type('form').send({ _csrf: csrfFrom(ask.text) });
  expect(confirmed.status).toBe(303);

  const meetingId = await scheduleMeeting(t);
  const registrationId = async (name: string) => (await t.db.selectFrom('meeting_registrations').select('id').where('name', '=', name).executeTakeFirstOrThrow()).id;
  expect((await signUp(request.agent(t.app), meetingId, { name: 'Can Demir', email: 'can@example.org' })).status).toBe(303);
  expect((await signUp(request.agent(t.app), meetingId, { name: 'Mehmet Kaya', phone: '0533 765 43 21' })).status).toBe(303);
  await t.worker.runOnce();
  // Ayşe's confirmation is still waiting in the outbox when the data is anonymised.
  expect((await signUp(request.agent(t.app), meetingId, { name: 'Ayşe Yılmaz', phone: '0532 123 45 67', email: 'ayse@example.org', accessibility_need: 'Tekerlekli sandalye', accessibility_consent: '1' })).status).toBe(303);
  const ayse = await registrationId('Ayşe Yılmaz');
  // Check-in and walk-ins are taken on the meeting's day.
  const atTheDoor = new Date(MEETING_START);
  expect(await meetingService.checkIn(t.db, meetingId, ayse, true, atTheDoor, 'Europe/Istanbul')).toEqual({ kind: 'saved' });
  const added = await meetingService.addWalkIn(t.db, meetingId, { name: 'Kapıdan Gelen', mahalleId: 'ataturk' }, atTheDoor, 'Europe/Istanbul');
  if (added.kind !== 'saved') throw new Error(`walk-in refused: ${added.kind}`);
  const walkIn = added.id;
  return {
    meetingId,
    ayse,
    mehmet: await registrationId('Mehmet Kaya'),
    can: await registrationId('Can Demir'),
    walkIn,
    invitationId,
    invitationLink,
    selfRegistrationLink,
    selfInvitationLink: confirmed.headers.location!,
  };
}

/** The server's job runner at the clock's time (the old meeting's reminder is due too, and does nothing). */
async function runJobs(): Promise<void> {
  expect((await t.runJobs()).failed).toBe(0);
}

const registrations = () => t.db.selectFrom('meeting_registrations').selectAll().orderBy('id').execute();
const personal = async () => ({
  registrations: await registrations(),
  invitations: await t.db.selectFrom('invitations').selectAll().orderBy('id').execute(),
  tokens: await t.db.selectFrom('invitation_tokens').selectAll().orderBy('id').execute(),
  selfRegistrations: await t.db.selectFrom('self_registrations').selectAll().orderBy('id').execute(),
  outbox: await t.db.selectFrom('outbox_messages').selectAll().orderBy('id').execute(),
  attempts: await t.db.selectFrom('outbox_attempts').selectAll().orderBy('id').execute(),
});

async function setAdoption(agent: TestAgent, date: string) {
  return postForm(agent, '/admin/privacy/retention', '/admin/privacy/retention', { adopted_on: date });
}

describe('the plan adoption date', () => {
  it('is refused with 422 and a reason when it is not a real, past date, and nothing is stored', async () => {
    t.clock.now = ADOPTED;
    const agent = await planner();
    for (const [date, message] of [
      ['2027-02-30', 'Kabul tarihi geçerli bir tarih değil'],
      ['05.01.2027', 'Kabul tarihi geçerli bir tarih değil'],
      ['', 'Kabul tarihi geçerli bir tarih değil'],
      ['2027-01-11', 'Kabul tarihi bugünden sonra olamaz'],
      ['1999-06-01', 'Kabul tarihi 2000 yılından önce olamaz'],
    ] as const) {
      const response = await setAdoption(agent, date);
      expect({ date, status: response.status }).toEqual({ date, status: 422 });
      expect(response.text).toContain(message);
      expect(errorSummary(response.text)).toEqual(['#p-adopted']);
    }
    expect(await t.db.selectFrom('settings').selectAll().where('key', '=', 'privacy.plan_adopted_on').execute()).toEqual([]);
    expect(await t.db.selectFrom('scheduled_jobs').selectAll().where('kind', '=', 'privacy.retention').execute()).toEqual([]);
  });

  it('is stored, audited, and schedules the retention job, which moves when the date changes', async () => {
    t.clock.now = ADOPTED;
    const agent = await planner();
    const saved = await setAdoption(agent, '2027-01-05');
    expect(saved.status).toBe(303);
    const page = await agent.get('/admin/privacy/retention');
    expect(page.text).toContain('Kişisel veriler 05.01.2028 tarihinde anonimleştirilecek.');
    expect(page.text).toContain('05.01.2027');
    expect(page.text).toContain('360 gün kaldı');
    // How long, and who changes it where, in words rather than a file path and a JSON key.
    expect(page.text).toContain('stratejik planın kabulünden 12 ay sonra anonimleştirilir. Toplu sonuçlar');
    expect(page.text).not.toContain('privacy.retentionMonths');
    expect(page.text).toContain('Bu süreyi planlamacılar ekrandan değiştiremez: sunucuyu işleten kişi, anket klasöründeki belediye ayarları dosyasında');
    expect((await agent.get('/admin/privacy/retention?lang=en')).text).toContain('whoever runs the server changes it in the municipality settings file');
    expect(await htmlProblems(page.text)).toEqual([]);
    const job = () => retentionService.scheduledJob(t.db);
    expect(await job()).toMatchObject({ due_at: CUTOFF, done_at: null });
    const audit = await t.db.selectFrom('audit_events').selectAll().where('action', '=', 'privacy.adoption_date_set').execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ user_id: user.id, target: 'retention' });
    expect(JSON.parse(audit[0]!.details!)).toEqual({ adoptedOn: '2027-01-05', previous: null, retentionOn: '2028-01-05', months: 12 });

    expect((await setAdoption(agent, '2027-01-07')).status).toBe(303);
    expect(await job()).toMatchObject({ due_at: '2028-01-06T21:00:00.000Z', done_at: null });
    expect(await t.db.selectFrom('scheduled_jobs').selectAll().where('kind', '=', 'privacy.retention').execute()).toHaveLength(1);
  });

  it('moves a job that already ran, so a later date runs it again', async () => {
    t.clock.now = ADOPTED;
    expect((await setAdoption(await planner(), '2027-01-05')).status).toBe(303);
    t.clock.now = AFTER;
    await runJobs();
    expect((await retentionService.scheduledJob(t.db))?.done_at).not.toBeNull();
    expect((await setAdoption(await planner(), '2027-01-08')).status).toBe(303);
    expect(await retentionService.scheduledJob(t.db)).toMatchObject({ due_at: '2028-01-07T21:00:00.000Z', done_at: null });
  });
});

describe('at start-up', () => {
  it('moves a job not yet done to the date a changed retention period gives, and leaves a done one', async () => {
    t.clock.now = ADOPTED;
    expect((await setAdoption(await planner(), '2027-01-05')).status).toBe(303);
    await retentionService.syncSchedule(t.db, { ...ctx, retentionMonths: 24 }, t.clock.now);
    expect(await retentionService.scheduledJob(t.db)).toMatchObject({ due_at: '2029-01-04T21:00:00.000Z', done_at: null });
    await retentionService.syncSchedule(t.db, ctx, t.clock.now);
    t.clock.now = AFTER;
    await runJobs();
    await retentionService.syncSchedule(t.db, { ...ctx, retentionMonths: 24 }, t.clock.now);
    expect(await retentionService.scheduledJob(t.db)).toMatchObject({ due_at: CUTOFF, done_at: AFTER.toISOString() });
  });
});

describe('before the retention date', () => {
  it('refuses "anonymise now" (page and action) and the job does not run', async () => {
    const seeded = await seed();
    t.clock.now = ADOPTED;
    const agent = await planner();
    expect((await setAdoption(agent, '2027-01-05')).status).toBe(303);
    const before = await personal();
    t.clock.now = new Date('2028-01-04T23:59:00+03:00');
    const late = await planner();
    const page = await late.get('/admin/privacy/retention');
    expect(page.text).not.toContain('href="/admin/privacy/retention/run"');
    expect(page.text).toContain('1 gün kaldı');
    const confirm = await late.get('/admin/privacy/retention/run');
    expect(confirm.status).toBe(409);
    expect(confirm.text).toContain('Saklama süresi dolmadı');
    const run = await late.post('/admin/privacy/retention/run').type('form').send({ _csrf: csrfFrom(page.text), confirm: 'yes' });
    expect(run.status).toBe(409);
    await runJobs();
    expect(await retentionService.scheduledJob(t.db)).toMatchObject({ due_at: CUTOFF, done_at: null });
    expect(await personal()).toEqual(before);
    expect(await t.db.selectFrom('retention_runs').selectAll().execute()).toEqual([]);
    // Past its deadline, but still known: "closed", not "unknown".
    expect((await request(t.app).get(seeded.invitationLink)).status).toBe(410);
  });
});

describe('when the retention date comes', () => {
  let seeded: Seeded;
  let later: { meetingId: number; registrationId: number };

  beforeEach(async () => {
    seeded = await seed();
    t.clock.now = ADOPTED;
    expect((await setAdoption(await planner(), '2027-01-05')).status).toBe(303);
    // A new consultation after the date: its sign-up is not the old plan's data.
    t.clock.now = AFTER;
    const meetingId = await meetingService.createMeeting(
      t.db,
      meetingInput({ starts_at: '2028-02-01T16:00:00.000Z', ends_at: '2028-02-01T18:00:00.000Z', signup_deadline_at: '2028-02-01T12:00:00.000Z' }),
      { userId: null, email: 'test', ip: null },
      t.clock.now,
    );
    expect((await signUp(request.agent(t.app), meetingId, { name: 'Yeni Katılımcı', email: 'ayse@example.org', phone: '0532 123 45 67' })).status).toBe(303);
    const registrationId = (await t.db.selectFrom('meeting_registrations').select('id').where('name', '=', 'Yeni Katılımcı').executeTakeFirstOrThrow()).id;
    later = { meetingId, registrationId };
  });

  it('anonymises the sign-ups field by field, keeping what the counts rest on', async () => {
    const before = new Map((await registrations()).map((r) => [r.id, r]));
    await runJobs();
    const after = new Map((await registrations()).map((r) => [r.id, r]));
    for (const id of [seeded.ayse, seeded.mehmet, seeded.can, seeded.walkIn]) {
      const old = before.get(id)!;
      expect(after.get(id)).toEqual({ ...old, name: 'Anonim', phone: null, email: null, accessibility_need: null });
    }
    expect(after.get(seeded.ayse)).toMatchObject({ meeting_id: seeded.meetingId, mahalle_id: 'ataturk', status: 'confirmed', source: 'online' });
    expect(after.get(seeded.ayse)!.attended_at).not.toBeNull();
    expect(after.get(later.registrationId)).toEqual(before.get(later.registrationId));
    expect(after.get(later.registrationId)).toMatchObject({ name: 'Yeni Katılımcı', email: 'ayse@example.org', phone: '+905321234567' });
  });

  it('blanks the invitations and self-registrations and kills their links', async () => {
    const invitationsBefore = await t.db.selectFrom('invitations').selectAll().orderBy('id').execute();
    expect(invitationsBefore).toHaveLength(2);
    const form = request.agent(t.app);
    const ask = await form.get(seeded.selfRegistrationLink);
    expect((await form.post(seeded.selfRegistrationLink).type('form').send({ _csrf: csrfFrom(ask.text) })).status).toBe(409);

    await runJobs();

    const invitations = await t.db.selectFrom('invitations').selectAll().orderBy('id').execute();
    expect(invitations).toEqual(invitationsBefore.map((i) => ({ ...i, email: '' })));
    expect(await t.db.selectFrom('invitation_tokens').selectAll().execute()).toEqual([]);
    expect((await request(t.app).get(seeded.invitationLink)).status).toBe(404);
    expect((await request(t.app).get(seeded.selfInvitationLink)).status).toBe(404);
    const self = await t.db.selectFrom('self_registrations').selectAll().executeTakeFirstOrThrow();
    expect(self).toMatchObject({ name: 'Kent Konseyi', group_id: 'kent_konseyi', email: '', contact_person: null, token_hash: `anonymised:${self.id}` });
    expect(self.confirmed_at).not.toBeNull();
    expect(self.invitation_id).toBe(invitations[1]!.id);
    const again = await form.post(seeded.selfRegistrationLink).type('form').send({ _csrf: csrfFrom(ask.text) });
    expect(again.status).toBe(404);
    // The stakeholder register is kept (see the retention page): the institutions' addresses stay.
    expect((await t.db.selectFrom('stakeholder_emails').select('email').orderBy('email').execute()).map((e) => e.email)).toEqual(['konsey@example.org', 'oda@example.org']);
  });

  it('blanks the mail sent to those people, cancels what was still waiting, and leaves later mail alone', async () => {
    const before = await personal();
    const laterMail = before.outbox.filter((m) => m.ref === `registration:${later.registrationId}`);
    expect(laterMail).toHaveLength(1);
    const waiting = before.outbox.find((m) => m.ref === `registration:${seeded.ayse}`)!;
    expect(waiting.status).toBe('pending');
    expect(before.outbox.filter((m) => m.to_address === 'oda@example.org' && m.status === 'sent').length).toBeGreaterThan(0);

    await runJobs();
    const after = await personal();
    const old = after.outbox.filter((m) => m.ref !== `registration:${later.registrationId}`);
    expect(old.length).toBe(before.outbox.length - 1);
    for (const message of old) {
      const was = before.outbox.find((m) => m.id === message.id)!;
      expect(message).toEqual({
        ...was,
        to_address: '',
        text_body: '',
        html_body: null,
        attachments: null,
        secrets: null,
        last_error: null,
        status: was.status === 'pending' ? 'cancelled' : was.status,
      });
    }
    expect(after.outbox.find((m) => m.id === waiting.id)!.status).toBe('cancelled');
    expect(after.outbox.filter((m) => m.ref === `registration:${later.registrationId}`)).toEqual(laterMail);
    expect(after.attempts.every((a) => a.detail === null || !old.some((m) => m.id === a.message_id))).toBe(true);
    // Nothing left would go out.
    await t.worker.runOnce();
    expect(t.sent.filter((m) => m.to === 'ayse@example.org' && String(m.subject).includes('Atatürk Mahallesi Buluşması'))).toHaveLength(1);
    expect(t.sent.filter((m) => m.to === '')).toEqual([]);
  });

  it('counts for the confirmation page exactly what the run then anonymises', async () => {
    // A self-registration mail to an address no due self-registration has: the run leaves it.
    const now = t.clock.now;
    t.clock.now = ADOPTED;
    await queueTestMail(t, 'baska@example.org', { kind: 'self_registration' });
    t.clock.now = now;
    const preview = await dueCounts(t.db, CUTOFF);
    await runJobs();
    const [run] = await t.db.selectFrom('retention_runs').select(['registrations', 'invitations', 'self_registrations', 'outbox_messages']).execute();
    expect(preview).toEqual({ registrations: run!.registrations, invitations: run!.invitations, selfRegistrations: run!.self_registrations, outboxMessages: run!.outbox_messages });
    expect(preview.outboxMessages).toBeGreaterThan(0);
  });

  it('runs once across two runners and a planner pressing the button after it, and logs every run', async () => {
    await runJobs();
    const once = await personal();
    // Another process on the same database (file, or PostgreSQL database) finds the job done.
    const second = await openMigratedDatabase(databaseFile);
    try {
      expect(await runDueJobs(second.db, retentionService.jobHandlers(ctx), t.clock.now)).toEqual({ done: 0, failed: 0 });
    } finally {
      await second.db.destroy();
    }
    const agent = await planner();
    const confirm = await agent.get('/admin/privacy/retention/run');
    expect(confirm.status).toBe(200);
    expect(confirm.text).toContain('0 buluşma kaydı');
    expect(await htmlProblems(confirm.text)).toEqual([]);
    const unconfirmed = await agent.post('/admin/privacy/retention/run').type('form').send({ _csrf: csrfFrom(confirm.text) });
    expect(unconfirmed.status).toBe(422);
    expect(unconfirmed.text).toContain('Devam etmek için onay kutusunu işaretleyin.');
    expect(await t.db.selectFrom('retention_runs').selectAll().execute()).toHaveLength(1);
    const pressed = await agent.post('/admin/privacy/retention/run').type('form').send({ _csrf: csrfFrom(confirm.text), confirm: 'yes' });
    expect(pressed.status).toBe(303);
    expect(await personal()).toEqual(once);

    const runs = await t.db.selectFrom('retention_runs').selectAll().orderBy('id').execute();
    expect(runs.map(({ id: _id, ...run }) => run)).toEqual([
      { ran_at: AFTER.toISOString(), trigger: 'job', user_id: null, adopted_on: '2027-01-05', cutoff_at: CUTOFF, registrations: 4, invitations: 2, invitation_tokens: 2, self_registrations: 1, outbox_messages: runs[0]!.outbox_messages },
      { ran_at: AFTER.toISOString(), trigger: 'admin', user_id: user.id, adopted_on: '2027-01-05', cutoff_at: CUTOFF, registrations: 0, invitations: 0, invitation_tokens: 0, self_registrations: 0, outbox_messages: 0 },
    ]);
    expect(runs[0]!.outbox_messages).toBe(once.outbox.filter((m) => m.to_address === '').length);
    const audit = await t.db.selectFrom('audit_events').select(['action', 'actor', 'user_id', 'details']).where('action', '=', 'privacy.retention_run').orderBy('id').execute();
    expect(audit.map((a) => [a.actor, a.user_id, JSON.parse(a.details!).trigger, JSON.parse(a.details!).registrations])).toEqual([
      ['system', null, 'job', 4],
      [user.email, user.id, 'admin', 0],
    ]);
    const page = await agent.get('/admin/privacy/retention');
    expect(page.text).toContain('Anonimleştirildi: 0 buluşma kaydı, 0 davet, 0 kurum başvurusu, 0 e-posta.');
    expect(page.text).toContain('Zamanlanmış iş</td>');
    expect(page.text).toContain(`Elle (${user.name})`);
    expect(page.text).toMatch(/Çalıştı \(05\.01\.2028/);
    expect(await htmlProblems(page.text)).toEqual([]);
  });

  it('is what the server runs: the job is due at the date and the handler is wired into the runner', async () => {
    expect(await retentionService.scheduledJob(t.db)).toMatchObject({ due_at: CUTOFF, done_at: null });
    await runJobs();
    expect(await t.db.selectFrom('retention_runs').select('trigger').execute()).toEqual([{ trigger: 'job' }]);
    expect(await retentionService.scheduledJob(t.db)).toMatchObject({ done_at: AFTER.toISOString(), attempts: 1, last_error: null });
  });
});
