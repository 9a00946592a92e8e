// Several processes sending one outbox: two apps (two workers, each with its own claims) on one
// SQLite file and one real SMTP server. Every message goes out exactly once; the messages a
// worker claimed and never sent (it died) go out from the other once the lease has run out.
import fs from 'node:fs';
import path from 'node:path';
import * as outboxRepository from '../../server/platform/mail/outbox.repository';
import type { MailTransport } from '../../server/platform/mail/outbox-worker';
import { addUser, csrfFrom, logIn } from '../helpers/admin';
import { createTestSmtp, type TestSmtp } from '../helpers/smtp';
import { createTestApp, queueTestMail, tempDir, testTransport, type TestApp } from '../helpers/test-app';

jest.setTimeout(120_000);

const LEASE_MS = 60_000;
let smtp: TestSmtp;
let dir: string;
let apps: TestApp[];

beforeEach(async () => {
  smtp = await createTestSmtp();
  dir = tempDir('paydas-lease-');
  apps = [];
});

afterEach(async () => {
  for (const app of apps) expect(app.logged).toEqual([]);
  for (const app of apps) await app.close();
  await smtp.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Two "processes" on one database file, sending to the test's SMTP server. */
async function twoApps(options: { transport?: MailTransport } = {}): Promise<[TestApp, TestApp]> {
  const databaseFile = path.join(dir, 'paydas.sqlite');
  const first = await createTestApp({ databaseFile, smtpPort: smtp.port, leaseMs: LEASE_MS, ...options });
  const second = await createTestApp({ databaseFile, smtpPort: smtp.port, leaseMs: LEASE_MS });
  apps.push(first, second);
  return [first, second];
}

const stored = (t: TestApp) => t.db.selectFrom('outbox_messages').selectAll().orderBy('id').execute();
const recipients = () => smtp.received.map((m) => (Array.isArray(m.to) ? m.to[0] : m.to)!.text);
const later = (t: TestApp, ms: number) => {
  t.clock.now = new Date(t.clock.now.getTime() + ms);
};

describe('two outbox workers on one database', () => {
  it('deliver 200 queued mails exactly once between them', async () => {
    const [a, b] = await twoApps();
    for (let i = 0; i < 200; i++) await queueTestMail(a, `kisi${i}@example.org`);

    const [sentByA, sentByB] = await Promise.all([a.worker.runOnce(), b.worker.runOnce()]);

    // Both worked, concurrently, and together they sent each message once.
    expect(sentByA.failed + sentByB.failed).toBe(0);
    expect(sentByA.sent).toBeGreaterThan(0);
    expect(sentByB.sent).toBeGreaterThan(0);
    expect(sentByA.sent + sentByB.sent).toBe(200);
    expect(smtp.received).toHaveLength(200);
    expect(new Set(recipients()).size).toBe(200);
    expect(new Set(smtp.received.map((m) => m.messageId)).size).toBe(200);
    const rows = await stored(a);
    expect(rows.every((m) => m.status === 'sent' && m.attempts === 1 && m.claimed_until === null)).toBe(true);
    // Each message names the worker that sent it, and the counts agree with what each reported.
    expect(rows.filter((m) => m.claimed_by === a.worker.id)).toHaveLength(sentByA.sent);
    expect(rows.filter((m) => m.claimed_by === b.worker.id)).toHaveLength(sentByB.sent);
    const attempts = await a.db.selectFrom('outbox_attempts').select(['message_id', 'ok']).execute();
    expect(attempts).toHaveLength(200);
    expect(attempts.every((x) => x.ok === 1)).toBe(true);
    // Nothing left to send for either.
    expect(await a.worker.runOnce()).toEqual({ sent: 0, failed: 0 });
    expect(await b.worker.runOnce()).toEqual({ sent: 0, failed: 0 });
  });

  it("send what a dead worker had claimed once its lease has run out, and only then", async () => {
    const [a, b] = await twoApps();
    for (let i = 0; i < 30; i++) await queueTestMail(a, `kisi${i}@example.org`);
    // A worker claims 20 messages and dies before sending any.
    const taken = await outboxRepository.claimDue(a.db, 'dead-worker', a.clock.now, LEASE_MS, 20);
    expect(taken.map((m) => m.id)).toEqual((await stored(a)).slice(0, 20).map((m) => m.id));

    // The other sends what is not claimed, and leaves the claimed ones while the lease holds.
    expect(await b.worker.runOnce()).toEqual({ sent: 10, failed: 0 });
    later(b, LEASE_MS - 1);
    expect(await b.worker.runOnce()).toEqual({ sent: 0, failed: 0 });
    expect(smtp.received).toHaveLength(10);
    later(b, 2);
    expect(await b.worker.runOnce()).toEqual({ sent: 20, failed: 0 });
    expect(smtp.received).toHaveLength(30);
    expect(new Set(recipients()).size).toBe(30);
    expect((await stored(a)).every((m) => m.status === 'sent' && m.claimed_by === b.worker.id)).toBe(true);

    // Were the dead worker to come back and send anyway, it could not mark the message as its own.
    expect(await outboxRepository.renewClaim(a.db, taken[0]!.id, 'dead-worker', b.clock.now, LEASE_MS)).toBe(false);
    expect(await outboxRepository.markSent(a.db, taken[0]!.id, 'dead-worker', '<late@x>', '250 late', b.clock.now)).toBe(false);
    const first = await outboxRepository.find(a.db, taken[0]!.id);
    expect([first!.status, first!.claimed_by, first!.attempts]).toEqual(['sent', b.worker.id, 1]);
  });

  it('give a failed message back with its pause, for either worker to retry', async () => {
    const [a, b] = await twoApps();
    await queueTestMail(a, 'kurum@example.org');
    await smtp.stop();
    expect(await a.worker.runOnce()).toEqual({ sent: 0, failed: 1 });
    const failed = (await stored(a))[0]!;
    expect([failed.claimed_by, failed.claimed_until, failed.attempts]).toEqual([null, null, 1]);
    await smtp.start();
    // Not before the pause is over, then by the other worker: the claim was given back.
    expect(await b.worker.runOnce()).toEqual({ sent: 0, failed: 0 });
    later(b, 60_000);
    expect(await b.worker.runOnce()).toEqual({ sent: 1, failed: 0 });
    expect(smtp.received).toHaveLength(1);
  });

  it('give back at once, when stopping, what a worker claimed and did not send', async () => {
    let stopping: Promise<void> | undefined;
    const transport = testTransport(smtp.port);
    const [a, b] = await twoApps({
      transport: {
        async sendMail(message) {
          const info = await transport.sendMail(message);
          // The server is shut down after the first message of a batch of 20.
          stopping ??= a.worker.stop();
          return info;
        },
      },
    });
    for (let i = 0; i < 25; i++) await queueTestMail(a, `kisi${i}@example.org`);
    expect(await a.worker.runOnce()).toEqual({ sent: 1, failed: 0 });
    await stopping;
    const rows = await stored(a);
    expect(rows.filter((m) => m.status === 'pending').every((m) => m.claimed_by === null && m.claimed_until === null)).toBe(true);
    // The other sends the rest at once, without waiting for a lease to run out.
    expect(await b.worker.runOnce()).toEqual({ sent: 24, failed: 0 });
    expect(new Set(recipients()).size).toBe(25);
    expect(smtp.received).toHaveLength(25);
  });
});

describe('"retry now" while another worker is sending', () => {
  /** Four messages: held under a live lease, held under a lease run out, failing and paused, sent. */
  async function mixedOutbox(a: TestApp) {
    for (const to of ['tutulan@example.org', 'suresi-dolan@example.org', 'bekleyen@example.org', 'giden@example.org']) await queueTestMail(a, to);
    const [held, expired, paused, sent] = await stored(a);
    const at = (ms: number) => new Date(a.clock.now.getTime() + ms).toISOString();
    await a.db.updateTable('outbox_messages').set({ claimed_by: 'busy-worker', claimed_until: at(LEASE_MS) }).where('id', '=', held!.id).execute();
    await a.db.updateTable('outbox_messages').set({ claimed_by: 'dead-worker', claimed_until: at(-1), next_attempt_at: at(3_600_000) }).where('id', '=', expired!.id).execute();
    await a.db.updateTable('outbox_messages').set({ next_attempt_at: at(3_600_000), attempts: 2 }).where('id', '=', paused!.id).execute();
    await a.db.updateTable('outbox_messages').set({ status: 'sent', sent_at: at(0) }).where('id', '=', sent!.id).execute();
    return { held: held!, heldUntil: at(LEASE_MS), expired: expired!, paused: paused!, sent: sent! };
  }

  it('leaves a message under a live lease with its claim and releases the others (repository)', async () => {
    const [a, b] = await twoApps();
    const m = await mixedOutbox(a);

    expect(await outboxRepository.retryNow(a.db, a.clock.now)).toEqual({ retried: 2, sending: 1 });

    const byId = new Map((await stored(a)).map((row) => [row.id, row]));
    // The held message is untouched: its worker keeps the claim and its date.
    const held = byId.get(m.held.id)!;
    expect([held.claimed_by, held.claimed_until, held.next_attempt_at]).toEqual(['busy-worker', m.heldUntil, m.held.next_attempt_at]);
    // The expired claim is given back and the paused one made due, both now.
    for (const id of [m.expired.id, m.paused.id]) {
      const row = byId.get(id)!;
      expect([row.claimed_by, row.claimed_until, row.next_attempt_at]).toEqual([null, null, a.clock.now.toISOString()]);
    }
    expect(byId.get(m.sent.id)!.status).toBe('sent');

    // The other worker sends the two released messages and not the held one; its worker can still finish it.
    expect(await b.worker.runOnce()).toEqual({ sent: 2, failed: 0 });
    expect(recipients().sort()).toEqual(['bekleyen@example.org', 'suresi-dolan@example.org']);
    expect(await outboxRepository.renewClaim(a.db, m.held.id, 'busy-worker', a.clock.now, LEASE_MS)).toBe(true);
    expect(await outboxRepository.markSent(a.db, m.held.id, 'busy-worker', '<held@x>', '250 ok', a.clock.now)).toBe(true);
  });

  it('keeps a lease to its last millisecond and releases it once past', async () => {
    const [a] = await twoApps();
    await queueTestMail(a, 'kisi@example.org');
    const [row] = await stored(a);
    const until = new Date(a.clock.now.getTime() + 1).toISOString();
    await a.db.updateTable('outbox_messages').set({ claimed_by: 'busy-worker', claimed_until: until }).where('id', '=', row!.id).execute();
    expect(await outboxRepository.retryNow(a.db, a.clock.now)).toEqual({ retried: 0, sending: 1 });
    later(a, 2);
    expect(await outboxRepository.retryNow(a.db, a.clock.now)).toEqual({ retried: 1, sending: 0 });
    expect((await stored(a))[0]!.claimed_by).toBeNull();
  });

  it('tells the planner, in Turkish and English, that a held message is being sent right now (route)', async () => {
    const [a] = await twoApps();
    const m = await mixedOutbox(a);
    const planner = await logIn(a, await addUser(a, 'planner'));

    const list = await planner.get('/admin/outbox');
    // The list says so too, for the held message only.
    expect(list.text.match(/Şu anda gönderiliyor/g)).toHaveLength(1);
    const retried = await planner.post('/admin/outbox/retry').type('form').send({ _csrf: csrfFrom(list.text) });
    expect(retried.status).toBe(303);
    const after = (await planner.get('/admin/outbox')).text;
    expect(after).toContain('2 bekleyen e-posta yeniden deneniyor.');
    expect(after).toContain('1 e-posta şu anda gönderiliyor; onlara dokunulmadı.');
    const held = await outboxRepository.find(a.db, m.held.id);
    expect([held!.claimed_by, held!.next_attempt_at]).toEqual(['busy-worker', m.held.next_attempt_at]);
    const audit = await a.db.selectFrom('audit_events').select('details').where('action', '=', 'outbox.retried').executeTakeFirstOrThrow();
    expect(JSON.parse(audit.details!)).toEqual({ count: 2, sending: 1 });

    // The retry woke this app's worker: once it is done, only the held message waits.
    await a.worker.runOnce();
    expect(recipients().sort()).toEqual(['bekleyen@example.org', 'suresi-dolan@example.org']);
    const english = await planner.get('/admin/outbox?lang=en');
    await planner.post('/admin/outbox/retry').type('form').send({ _csrf: csrfFrom(english.text) });
    const afterEn = (await planner.get('/admin/outbox?lang=en')).text;
    expect(afterEn).toContain('Retrying 0 waiting e-mails.');
    expect(afterEn).toContain('1 e-mail is being sent right now; it was left alone.');
    expect(afterEn.match(/Being sent right now/g)).toHaveLength(1);
  });

  it('says nothing of messages being sent when none is held', async () => {
    const [a] = await twoApps();
    await queueTestMail(a, 'kisi@example.org');
    const planner = await logIn(a, await addUser(a, 'planner'));
    const list = await planner.get('/admin/outbox');
    await planner.post('/admin/outbox/retry').type('form').send({ _csrf: csrfFrom(list.text) });
    const after = (await planner.get('/admin/outbox')).text;
    expect(after).toContain('1 bekleyen e-posta yeniden deneniyor.');
    expect(after).not.toContain('şu anda gönderiliyor');
  });
});
