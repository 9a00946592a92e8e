// The mail server goes down while the outbox worker is sending invitations and meeting
// confirmations, and comes back on the same port: every message arrives exactly once.
import request from 'supertest';
import { invitationService } from '../../server/opinions';
import { stakeholderService } from '../../server/stakeholders';
import { INVITATION_DEADLINE } from '../helpers/invitation';
import { scheduleMeeting, signUp } from '../helpers/meetings';
import { createTestSmtp, type TestSmtp } from '../helpers/smtp';
import { createTestApp, TEST_BASE_URL, type TestApp } from '../helpers/test-app';

jest.setTimeout(60_000);

let t: TestApp;
let smtp: TestSmtp;
const actor = { userId: null, email: 'test', ip: null };
const INSTITUTIONS = 20;
const RESIDENTS = 10;

beforeEach(async () => {
  smtp = await createTestSmtp();
  t = await createTestApp({ smtpPort: smtp.port });
});

afterEach(async () => {
  await t.close();
  await smtp.stop();
});

const outbox = () => t.db.selectFrom('outbox_messages').select(['id', 'status', 'message_id', 'to_address', 'attempts']).orderBy('id').execute();

describe('an SMTP outage while the outbox is sending', () => {
  it('delivers every invitation and meeting confirmation exactly once after the server is back', async () => {
    const ids: number[] = [];
    for (let i = 0; i < INSTITUTIONS; i++) {
      ids.push(
        await stakeholderService.create(
          t.db,
          { name: `Kurum ${i}`, group: 'meslek_odasi', scope: 'external', type: null, emails: [`kurum${i}@example.org`], contactPerson: null, areas: [], reason: null, importance: 3, influence: 3, language: i % 2 ? 'en' : 'tr' },
          actor,
          t.clock.now,
        ),
      );
    }
    await invitationService.invite(t.db, { mailer: t.mailer, baseUrl: TEST_BASE_URL }, {
      survey: t.catalog.find('kurum-gorus-formu')!,
      stakeholderIds: ids,
      deadline: INVITATION_DEADLINE,
      reminderDays: null,
      actor,
      now: t.clock.now,
    });

    // The worker starts on the invitations; the mail server stops after the first few arrive.
    const round = t.worker.runOnce();
    await smtp.waitForMessages(4);
    const stopped = smtp.stop();
    // Residents keep signing up during the outage: each sign-up wakes the worker, whose
    // attempts are refused and recorded.
    const meeting = await scheduleMeeting(t, { capacity: 100 });
    await stopped;
    const signUps = [];
    for (let i = 0; i < RESIDENTS; i++) signUps.push((await signUp(request.agent(t.app), meeting, { name: `Komşu ${i}`, email: `komsu${i}@example.org` })).status);
    expect(signUps).toEqual(Array(RESIDENTS).fill(303));
    await round;
    await t.worker.runOnce();
    const duringOutage = smtp.received.length;
    expect(duringOutage).toBeGreaterThanOrEqual(4);
    expect(duringOutage).toBeLessThan(INSTITUTIONS + RESIDENTS);
    const waiting = (await outbox()).filter((m) => m.status !== 'sent');
    expect(waiting.length).toBe(INSTITUTIONS + RESIDENTS - duringOutage);
    expect(waiting.every((m) => m.attempts >= 1)).toBe(true);

    // Back on the same port; the worker's next rounds (its pause has passed) send the rest.
    await smtp.start();
    for (let round = 0; round < 10 && (await outbox()).some((m) => m.status !== 'sent'); round++) {
      t.clock.now = new Date(t.clock.now.getTime() + 61 * 60_000);
      await t.worker.runOnce();
    }
    const stored = await outbox();
    expect(stored.map((m) => m.status)).toEqual(Array(INSTITUTIONS + RESIDENTS).fill('sent'));
    // Exactly once: as many mails as messages, each Message-ID once, each recipient once.
    expect(smtp.received).toHaveLength(INSTITUTIONS + RESIDENTS);
    const messageIds = smtp.received.map((m) => m.messageId);
    expect(new Set(messageIds).size).toBe(messageIds.length);
    expect(new Set(messageIds)).toEqual(new Set(stored.map((m) => m.message_id)));
    const recipients = smtp.received.map((m) => (Array.isArray(m.to) ? m.to[0] : m.to)!.text).sort();
    expect(recipients).toEqual(stored.map((m) => m.to_address).sort());
    expect(recipients.filter((r) => r.startsWith('kurum'))).toHaveLength(INSTITUTIONS);
    expect(recipients.filter((r) => r.startsWith('komsu'))).toHaveLength(RESIDENTS);
    // Nothing more goes out on later rounds. A round the sign-ups' wake-ups queued behind this
    // one may still run: stop() waits for it, and a message counts as received before the
    // server's 250 lets the worker's round go on, so what was sent is in `received` by then.
    t.clock.now = new Date(t.clock.now.getTime() + 2 * 60 * 60_000);
    expect(await t.worker.runOnce()).toEqual({ sent: 0, failed: 0 });
    await t.worker.stop();
    expect(smtp.received).toHaveLength(INSTITUTIONS + RESIDENTS);
    expect(t.logged).toEqual([]);
  });
});
