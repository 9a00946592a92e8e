// Sends what the outbox holds: due messages in order, each attempt recorded, failures retried
// later with a growing pause. Without an SMTP server configured it sends nothing, and mail waits.
// Several workers (one per process, on one machine or several) may share one database: each takes
// the messages it sends with a lease (outboxRepository.claimDue), so a message goes out once, and
// the messages of a worker that died are taken over once its lease has run out.
import type { Db } from '../db/connection';
import { DEFAULT_LEASE_MS, newWorkerId } from '../lease';
import { fill, open, secretsKey } from './mail-secrets';
import * as outboxRepository from './outbox.repository';
import type { OutboxMessage } from './outbox.repository';

/** What the worker needs from nodemailer: one message out, its id back. */
export interface MailTransport {
  sendMail(message: {
    from: string;
    replyTo: string;
    to: string;
    subject: string;
    text: string;
    html?: string;
    messageId: string;
    attachments?: { filename: string; contentType: string; content: Buffer }[];
  }): Promise<{ messageId?: string; response?: string }>;
}

/** Minutes to wait after the nth failed attempt: 1, 2, 4, … up to an hour. */
export function backoffMinutes(attempts: number): number {
  return Math.min(60, 2 ** Math.max(0, attempts - 1));
}

/**
 * The Message-ID of an outbox message, the same on every attempt: made only of what is stored
 * with the message (its id and creation time) and the site's host, never of the attempt's time or
 * the process. When a server takes a message but its reply is lost, the message is sent again
 * (at least once); the copy carries this same id, so receiving systems and mail clients can tell
 * it is the same message. The creation time keeps ids apart if a restored backup reuses ids.
 */
export function outboxMessageId(message: Pick<OutboxMessage, 'id' | 'created_at'>, host: string): string {
  return `<outbox-${message.id}.${message.created_at.replace(/\D/g, '')}@${host}>`;
}

export interface OutboxWorker {
  /** This worker's id in the claims it makes (claimed_by). */
  readonly id: string;
  /** Sends every message due now; returns how many went out and how many failed. */
  runOnce(): Promise<{ sent: number; failed: number }>;
  /** Runs soon (after the current transaction has committed), e.g. when mail was just queued. */
  wake(): void;
  start(intervalMs: number): void;
  stop(): Promise<void>;
}

export function createOutboxWorker(options: {
  db: Db;
  transport: MailTransport | undefined;
  from: string;
  /**
   * Where "Reply" goes: the municipality's contact address. Mail is sent from a no-reply
   * address, so without it a resident's or an institution's answer would be lost. Set here, on
   * the one path every message takes, so no kind of mail can go without it.
   */
  replyTo: string;
  /** The host part of Message-IDs (BASE_URL's host), so a retried message keeps its id. */
  host: string;
  /** The site's secret: opens the sealed secrets of a message (see mail-secrets.ts). */
  secret: string;
  now: () => Date;
  log?: (error: unknown) => void;
  batchSize?: number;
  /** Unique among the workers on the database; a fresh one by default. */
  workerId?: string;
  /**
   * How long a claim holds (OUTBOX_LEASE_MS): renewed just before each message is sent, so it must
   * outlast one SMTP exchange; a dead worker's messages wait this long before another sends them.
   */
  leaseMs?: number;
}): OutboxWorker {
  const { db, transport } = options;
  const log = options.log ?? console.error;
  const key = secretsKey(options.secret);
  let running: Promise<{ sent: number; failed: number }> | undefined;
  let again = false;
  let timer: NodeJS.Timeout | undefined;
  let stopping = false;
  const workerId = options.workerId ?? newWorkerId();
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;

  /** Sends one claimed message: true when the server took it, false when it failed, undefined when the claim was lost. */
  async function send(message: OutboxMessage): Promise<boolean | undefined> {
    // The batch may have taken a while: the lease is renewed for this message, or it is left to
    // the worker that took it over.
    if (!(await outboxRepository.renewClaim(db, message.id, workerId, options.now(), leaseMs))) return undefined;
    const messageId = outboxMessageId(message, options.host);
    let info: { messageId?: string; response?: string };
    try {
      const secrets = message.secrets ? open(key, message.secrets) : {};
      const attachments = message.attachments
        ? (JSON.parse(message.attachments) as outboxRepository.Attachment[]).map((a) => ({ ...a, content: Buffer.from(a.content, 'base64') }))
        : undefined;
      info = await transport!.sendMail({
        from: options.from,
        replyTo: options.replyTo,
        to: message.to_address,
        subject: message.subject,
        text: fill(message.text_body, secrets, false),
        ...(message.html_body ? { html: fill(message.html_body, secrets, true) } : {}),
        messageId,
        ...(attachments ? { attachments } : {}),
      });
    } catch (error) {
      const now = options.now();
      const next = new Date(now.getTime() + backoffMinutes(message.attempts + 1) * 60_000);
      await db.transaction().execute((trx) => outboxRepository.markFailed(trx, message.id, workerId, (error as Error).message?.slice(0, 500) ?? String(error), next, now));
      return false;
    }
    // The server has the message: recording that must not fail into "send it again". A busy
    // database is waited out; only if it stays unwritable does the message go out twice.
    for (let attempt = 1; ; attempt++) {
      try {
        const marked = await db.transaction().execute((trx) =>
          outboxRepository.markSent(trx, message.id, workerId, info.messageId ?? messageId, String(info.response ?? 'accepted').slice(0, 500), options.now()),
        );
        // Only when a single exchange outlasted the lease: the worker that took the message over decides.
        if (!marked) log(new Error(`Outbox message ${message.id} was sent after its claim had been taken over (OUTBOX_LEASE_MS=${leaseMs} is too short?)`));
        return true;
      } catch (error) {
        if (attempt >= 5) throw error;
        await new Promise((resolve) => setTimeout(resolve, attempt * 1000));
      }
    }
  }

  async function run(): Promise<{ sent: number; failed: number }> {
    const total = { sent: 0, failed: 0 };
    if (!transport || stopping) return total;
    let ended = false;
    try {
      for (;;) {
        const batch = await outboxRepository.claimDue(db, workerId, options.now(), leaseMs, options.batchSize ?? 20);
        if (batch.length === 0) break;
        for (const message of batch) {
          if (stopping) break;
          const outcome = await send(message);
          if (outcome === true) total.sent++;
          else if (outcome === false) total.failed++;
        }
        // A batch in which everything failed means the server is down: wait for the next round.
        if (total.sent === 0 || stopping) break;
      }
      ended = true;
    } finally {
      // Stopping, or an error (the database): what this worker claimed but did not send is given
      // back at once rather than when the lease runs out.
      if (stopping || !ended) await outboxRepository.releaseClaims(db, workerId).catch(log);
    }
    return total;
  }

  const worker: OutboxWorker = {
    id: workerId,
    async runOnce() {
      if (running) {
        again = true;
        return running;
      }
      running = run().finally(() => {
        running = undefined;
      });
      const result = await running;
      if (again) {
        again = false;
        void worker.runOnce().catch(log);
      }
      return result;
    },
    wake() {
      setImmediate(() => void worker.runOnce().catch(log));
    },
    start(intervalMs) {
      timer = setInterval(() => void worker.runOnce().catch(log), intervalMs);
      timer.unref();
      worker.wake();
    },
    async stop() {
      stopping = true;
      if (timer) clearInterval(timer);
      await running;
    },
  };
  return worker;
}
