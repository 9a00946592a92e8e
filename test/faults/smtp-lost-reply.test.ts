// The mail server takes a message but its reply never arrives (the connection drops after DATA):
// the outbox cannot know the message arrived, so it sends it again (at least once). Every copy,
// across retries and across a restart of the server process, carries the same Message-ID, so the
// receiving side can recognise the duplicate.
import fs from 'node:fs';
import path from 'node:path';
import { outboxMessageId } from '../../server/platform/mail/outbox-worker';
import { createTestSmtp, type TestSmtp } from '../helpers/smtp';
import { createTestApp, queueTestMail, tempDir, TEST_BASE_URL, type TestApp } from '../helpers/test-app';

jest.setTimeout(30_000);

let smtp: TestSmtp;
let dir: string;
const apps: TestApp[] = [];

beforeEach(async () => {
  smtp = await createTestSmtp();
  dir = tempDir();
});

afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
  await smtp.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

const later = (t: TestApp, minutes: number) => new Date(t.clock.now.getTime() + minutes * 60_000);

describe('a reply lost after the mail server took the message', () => {
  it('sends the message again, with the same Message-ID on every attempt and after a restart', async () => {
    const databaseFile = path.join(dir, 'paydas.sqlite');
    const first = await createTestApp({ smtpPort: smtp.port, databaseFile });
    apps.push(first);
    const id = await queueTestMail(first, 'kurum@example.org');
    const row = await first.db.selectFrom('outbox_messages').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    const expected = outboxMessageId(row, new URL(TEST_BASE_URL).hostname);
    expect(expected).toMatch(new RegExp(`^<outbox-${id}\\.\\d+@katilim\\.example\\.org>$`));

    // Twice the server takes the message and the connection drops before its "250".
    smtp.loseReplies = 2;
    expect(await first.worker.runOnce()).toEqual({ sent: 0, failed: 1 });
    expect(smtp.received).toHaveLength(1);
    first.clock.now = later(first, 1);
    expect(await first.worker.runOnce()).toEqual({ sent: 0, failed: 1 });
    expect(smtp.received).toHaveLength(2);
    const waiting = await first.db.selectFrom('outbox_messages').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect([waiting.status, waiting.attempts]).toEqual(['pending', 2]);
    expect(waiting.last_error).toBeTruthy();
    expect(first.logged).toEqual([]);
    const restartAt = later(first, 3);
    await first.close();
    apps.splice(0);

    // A new process on the same database: the message is still due and goes out with the same id.
    const second = await createTestApp({ smtpPort: smtp.port, databaseFile, now: restartAt });
    apps.push(second);
    expect(await second.worker.runOnce()).toEqual({ sent: 1, failed: 0 });
    expect(smtp.received).toHaveLength(3);
    expect(smtp.received.map((m) => m.messageId)).toEqual([expected, expected, expected]);
    expect(smtp.received.map((m) => m.headers.get('message-id'))).toEqual([expected, expected, expected]);
    const sent = await second.db.selectFrom('outbox_messages').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect([sent.status, sent.attempts, sent.message_id]).toEqual(['sent', 3, expected]);
    const attempts = await second.db.selectFrom('outbox_attempts').select('ok').where('message_id', '=', id).orderBy('id').execute();
    expect(attempts.map((a) => a.ok)).toEqual([0, 0, 1]);

    // Sent is sent: no further copy, and the next message has an id of its own.
    second.clock.now = later(second, 120);
    expect(await second.worker.runOnce()).toEqual({ sent: 0, failed: 0 });
    await queueTestMail(second, 'baska@example.org');
    expect(await second.worker.runOnce()).toEqual({ sent: 1, failed: 0 });
    expect(smtp.received).toHaveLength(4);
    expect(smtp.received[3]!.messageId).not.toBe(expected);
    expect(second.logged).toEqual([]);
  });

  it('derives the id from the stored message and the host alone', () => {
    const message = { id: 7, created_at: '2026-11-21T07:00:00.123Z' };
    expect(outboxMessageId(message, 'katilim.example.org')).toBe('<outbox-7.20261121070000123@katilim.example.org>');
    expect(outboxMessageId({ ...message }, 'katilim.example.org')).toBe(outboxMessageId(message, 'katilim.example.org'));
    // A restored backup that hands out id 7 again, to a message made at another time, gets another id.
    expect(outboxMessageId({ id: 7, created_at: '2026-12-01T07:00:00.000Z' }, 'katilim.example.org')).not.toBe(outboxMessageId(message, 'katilim.example.org'));
  });
});
