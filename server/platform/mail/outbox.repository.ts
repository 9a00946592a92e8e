// All SQL about the mail outbox.
import type { Selectable } from 'kysely';
import { engineOf, type Executor } from '../db/connection';
import { idIn } from '../db/portable-sql';
import type { OutboxMessageTable } from './outbox.table';

export type OutboxMessage = Selectable<OutboxMessageTable>;

export interface Attachment {
  filename: string;
  contentType: string;
  /** base64 */
  content: string;
}

export interface NewMessage {
  to: string;
  subject: string;
  text: string;
  html: string | null;
  attachments?: Attachment[];
  /** Sealed secrets (mail-secrets.ts). */
  secrets?: string | null;
  language: string;
  kind: string;
  ref?: string | null;
}

export async function insert(db: Executor, message: NewMessage, now: Date): Promise<number> {
  const row = await db
    .insertInto('outbox_messages')
    .values({
      to_address: message.to,
      subject: message.subject,
      text_body: message.text,
      html_body: message.html,
      attachments: message.attachments?.length ? JSON.stringify(message.attachments) : null,
      secrets: message.secrets ?? null,
      language: message.language,
      kind: message.kind,
      ref: message.ref ?? null,
      status: 'pending',
      next_attempt_at: now.toISOString(),
      created_at: now.toISOString(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/**
 * Takes up to `limit` due messages for `workerId` until `now + leaseMs`, in one statement: only
 * pending messages that are due and not claimed, or whose claim has expired (its worker died or
 * hung), so two workers never take the same message. Returns the taken messages in queue order.
 *
 * The statement is plain SQL both engines run. On SQLite it is atomic because a write holds the
 * database's one write lock. On PostgreSQL the inner select takes FOR UPDATE SKIP LOCKED, so
 * concurrent claimers pass over each other's rows instead of waiting for them and then finding
 * them taken (which left the second worker with nothing); the outer conditions are repeated
 * because PostgreSQL re-checks them on a row another claim just changed.
 */
export async function claimDue(db: Executor, workerId: string, now: Date, leaseMs: number, limit: number): Promise<OutboxMessage[]> {
  const at = now.toISOString();
  const rows = await db
    .updateTable('outbox_messages')
    .set({ claimed_by: workerId, claimed_until: new Date(now.getTime() + leaseMs).toISOString() })
    .where((eb) =>
      idIn(
        db,
        eb,
        db
          .selectFrom('outbox_messages')
          .select('id')
          .where('status', '=', 'pending')
          .where('next_attempt_at', '<=', at)
          .where((e) => e.or([e('claimed_until', 'is', null), e('claimed_until', '<', at)]))
          .orderBy('id')
          .limit(limit)
          .$if(engineOf(db) === 'postgres', (query) => query.forUpdate().skipLocked()),
      ),
    )
    .where('status', '=', 'pending')
    .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', at)]))
    .returningAll()
    .execute();
  return rows.sort((a, b) => a.id - b.id);
}

/**
 * Renews the worker's claim on one message just before it is sent, so the lease covers the
 * sending however long the batch took so far. False when the claim was taken over (it expired
 * and another worker has the message) or the message is no longer pending: then it is not sent.
 */
export async function renewClaim(db: Executor, id: number, workerId: string, now: Date, leaseMs: number): Promise<boolean> {
  const result = await db
    .updateTable('outbox_messages')
    .set({ claimed_until: new Date(now.getTime() + leaseMs).toISOString() })
    .where('id', '=', id)
    .where('claimed_by', '=', workerId)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Gives back the worker's claims on messages it did not get to (it is stopping). */
export async function releaseClaims(db: Executor, workerId: string): Promise<number> {
  const result = await db
    .updateTable('outbox_messages')
    .set({ claimed_by: null, claimed_until: null })
    .where('claimed_by', '=', workerId)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/**
 * Records that the mail server took the message. It is marked sent only while the claim is still
 * `workerId`'s: if the lease ran out during the sending and another worker took the message over,
 * that worker decides its state (it sends it again: delivery is at least once). The attempt is
 * recorded either way; returns whether the message was marked sent.
 */
export async function markSent(db: Executor, id: number, workerId: string, messageId: string, detail: string, now: Date): Promise<boolean> {
  const result = await db
    .updateTable('outbox_messages')
    .set((eb) => ({ status: 'sent', sent_at: now.toISOString(), message_id: messageId, last_error: null, secrets: null, claimed_until: null, attempts: eb('attempts', '+', 1) }))
    .where('id', '=', id)
    .where('claimed_by', '=', workerId)
    .executeTakeFirst();
  const marked = Number(result.numUpdatedRows) === 1;
  await db
    .insertInto('outbox_attempts')
    .values({ message_id: id, at: now.toISOString(), ok: 1, detail: marked ? detail : `${detail} (sent after the claim was taken over)`.slice(0, 500) })
    .execute();
  return marked;
}

/** Records a failed attempt and gives the claim back, due again at `nextAttemptAt` (while the claim is still ours). */
export async function markFailed(db: Executor, id: number, workerId: string, error: string, nextAttemptAt: Date, now: Date): Promise<void> {
  await db
    .updateTable('outbox_messages')
    .set((eb) => ({ last_error: error, next_attempt_at: nextAttemptAt.toISOString(), claimed_by: null, claimed_until: null, attempts: eb('attempts', '+', 1) }))
    .where('id', '=', id)
    .where('claimed_by', '=', workerId)
    .execute();
  await db.insertInto('outbox_attempts').values({ message_id: id, at: now.toISOString(), ok: 0, detail: error }).execute();
}

export async function list(
  db: Executor,
  filter: { status?: 'pending' | 'sent' | 'cancelled' },
  page: { limit: number; offset: number },
): Promise<{ messages: OutboxMessage[]; total: number }> {
  let query = db.selectFrom('outbox_messages');
  if (filter.status) query = query.where('status', '=', filter.status);
  const total = await query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const messages = await query.selectAll().orderBy('id', 'desc').limit(page.limit).offset(page.offset).execute();
  return { messages, total: Number(total.n) };
}

export async function find(db: Executor, id: number): Promise<OutboxMessage | undefined> {
  return db.selectFrom('outbox_messages').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function attemptsOf(db: Executor, id: number): Promise<{ at: string; ok: number; detail: string | null }[]> {
  return db.selectFrom('outbox_attempts').select(['at', 'ok', 'detail']).where('message_id', '=', id).orderBy('id').execute();
}

/** Outbox states of the messages about some records (e.g. invitation:12): for delivery tracking. */
export async function statesOf(db: Executor, kinds: string[], refs: string[]): Promise<{ kind: string; ref: string | null; status: string; sent_at: string | null }[]> {
  if (refs.length === 0) return [];
  return db
    .selectFrom('outbox_messages')
    .select(['kind', 'ref', 'status', 'sent_at'])
    .where('kind', 'in', kinds)
    .where('ref', 'in', refs)
    .execute();
}

/** The latest message of a kind about a record (e.g. the receipt for invitation:12), for telling its state. */
export async function latestAbout(db: Executor, kind: string, ref: string): Promise<{ to_address: string; status: string; attempts: number; sent_at: string | null } | undefined> {
  return db
    .selectFrom('outbox_messages')
    .select(['to_address', 'status', 'attempts', 'sent_at'])
    .where('kind', '=', kind)
    .where('ref', '=', ref)
    .orderBy('id', 'desc')
    .executeTakeFirst();
}

/**
 * Makes every waiting message due now (after the SMTP server is back, say) and gives back any
 * claim whose lease has run out. A message another worker holds under a live lease is left alone,
 * claim included: that worker is sending it right now, and releasing it would let a second worker
 * send it again. The lease test sits in the UPDATE's own WHERE, so a claim taken between a read
 * and the write cannot be released by mistake. `sending` counts the messages left alone, for the
 * planner's notice; it is read just after and only informs.
 */
export async function retryNow(db: Executor, now: Date): Promise<{ retried: number; sending: number }> {
  const at = now.toISOString();
  const result = await db
    .updateTable('outbox_messages')
    .set({ next_attempt_at: at, claimed_by: null, claimed_until: null })
    .where('status', '=', 'pending')
    .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', at)]))
    .executeTakeFirst();
  const sending = await db
    .selectFrom('outbox_messages')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('status', '=', 'pending')
    .where('claimed_until', '>=', at)
    .executeTakeFirstOrThrow();
  return { retried: Number(result.numUpdatedRows), sending: Number(sending.n) };
}

/** Mail about a record that is no longer to be sent (a revoked invitation's invitation or reminder). */
export async function cancelPending(db: Executor, ref: string): Promise<number> {
  const result = await db.updateTable('outbox_messages').set({ status: 'cancelled', secrets: null }).where('ref', '=', ref).where('status', '=', 'pending').executeTakeFirst();
  return Number(result.numUpdatedRows);
}
