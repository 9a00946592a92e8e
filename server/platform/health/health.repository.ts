// The queries behind /healthz. Each is answered from an index or a small table: monitoring asks
// every few seconds, and an outbox row's later columns sit behind its (large) bodies on disk.
import { sql } from 'kysely';
import { engineOf, withWriteWait, type Db, type Executor } from '../db/connection';

/** Milliseconds a trivial query takes; throws when the database does not answer. */
export async function ping(db: Executor): Promise<number> {
  const started = performance.now();
  await sql`select 1`.execute(db);
  return performance.now() - started;
}

/**
 * How long the probe waits for the write lock: a monitor must get its answer in milliseconds, and
 * a lock held longer than this is worth reporting, whereas another process's ordinary write is not.
 */
const PROBE_WRITE_WAIT_MS = 100;

/**
 * True when the write lock can be taken: an empty IMMEDIATE transaction (see connection.ts)
 * writes nothing, but fails on a read-only file or a lock held longer than PROBE_WRITE_WAIT_MS.
 */
export async function canWrite(db: Executor): Promise<boolean> {
  if (db.isTransaction) return true;
  try {
    await withWriteWait(PROBE_WRITE_WAIT_MS, () => db.transaction().execute(async () => undefined));
    return true;
  } catch {
    return false;
  }
}

export async function appliedMigrations(db: Executor): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`select name from kysely_migration`.execute(db);
  return rows.map((row) => row.name);
}

export interface OutboxStats {
  pending: number;
  /** Pending messages whose next attempt is later than now: the last one failed. */
  failing: number;
  oldestPendingCreatedAt: string | null;
  lastSentAt: string | null;
  lastFailedAt: string | null;
}

export async function outboxStats(db: Executor, now: Date): Promise<OutboxStats> {
  // Covered by outbox_messages_due (status, next_attempt_at, rowid): no message row is read.
  const counts = await db
    .selectFrom('outbox_messages')
    .select((eb) => [
      eb.fn.countAll<number>().as('pending'),
      eb.fn.sum<number | null>(sql`case when next_attempt_at > ${now.toISOString()} then 1 else 0 end`).as('failing'),
      eb.fn.min('id').as('oldest_id'),
    ])
    .where('status', '=', 'pending')
    .executeTakeFirstOrThrow();
  const oldest =
    counts.oldest_id === null ? undefined : await db.selectFrom('outbox_messages').select('created_at').where('id', '=', counts.oldest_id).executeTakeFirst();
  // Attempts are appended in time order: the last of each kind is found from the end.
  const lastAttempt = (ok: number) => db.selectFrom('outbox_attempts').select('at').where('ok', '=', ok).orderBy('id', 'desc').limit(1).executeTakeFirst();
  return {
    pending: Number(counts.pending),
    failing: Number(counts.failing ?? 0),
    oldestPendingCreatedAt: oldest?.created_at ?? null,
    lastSentAt: (await lastAttempt(1))?.at ?? null,
    lastFailedAt: (await lastAttempt(0))?.at ?? null,
  };
}

export interface JobStats {
  pending: number;
  /** Not done, due before `overdueBefore`. */
  overdue: number;
  /** Not done, tried at least `failingAttempts` times. */
  failing: number;
  lastDoneAt: string | null;
}

export async function jobStats(db: Executor, overdueBefore: Date, failingAttempts: number): Promise<JobStats> {
  const open = await db
    .selectFrom('scheduled_jobs')
    .select((eb) => [
      eb.fn.countAll<number>().as('pending'),
      eb.fn.sum<number | null>(sql`case when due_at < ${overdueBefore.toISOString()} then 1 else 0 end`).as('overdue'),
      eb.fn.sum<number | null>(sql`case when attempts >= ${failingAttempts} then 1 else 0 end`).as('failing'),
    ])
    .where('done_at', 'is', null)
    .executeTakeFirstOrThrow();
  // A cancelled job is marked done without running (jobs.ts unschedule); it is not a run.
  const last = await db
    .selectFrom('scheduled_jobs')
    .select((eb) => eb.fn.max('done_at').as('at'))
    .where('done_at', 'is not', null)
    .where((eb) => eb.or([eb('last_error', 'is', null), eb('last_error', '!=', 'cancelled')]))
    .executeTakeFirst();
  return {
    pending: Number(open.pending),
    overdue: Number(open.overdue ?? 0),
    failing: Number(open.failing ?? 0),
    lastDoneAt: last?.at ?? null,
  };
}

/** The main database's file, as SQLite opened it; empty for an in-memory database and on PostgreSQL (its disk is the server's). */
export async function databaseFile(db: Executor): Promise<string> {
  if (engineOf(db) === 'postgres') return '';
  const { rows } = await sql<{ file: string | null }>`select file from pragma_database_list where name = 'main'`.execute(db);
  return rows[0]?.file ?? '';
}

/**
 * True when no page can be added: the file has reached max_page_count (a size limit set on the
 * connection) and holds no free page to reuse, so the next write that needs a page fails with SQLITE_FULL.
 */
export async function atPageLimit(db: Db): Promise<boolean> {
  // PostgreSQL has no such limit: a full disk there shows as writes failing (53100).
  if (engineOf(db) === 'postgres') return false;
  // max_page_count is a setting of a connection, and the writing connection's is the one that
  // matters: read inside a momentary transaction (which runs there), waiting no longer than the
  // write probe, so /healthz never queues behind writes held up by another process's lock.
  try {
    return await withWriteWait(PROBE_WRITE_WAIT_MS, () =>
      db.transaction().execute(async (trx) => {
        const { rows } = await sql<{ pages: number; max: number; free: number }>`
          select p.page_count as pages, m.max_page_count as max, f.freelist_count as free
          from pragma_page_count() p, pragma_max_page_count() m, pragma_freelist_count() f`.execute(trx);
        const row = rows[0];
        return row !== undefined && row.pages >= row.max && row.free === 0;
      }),
    );
  } catch {
    return false;
  }
}
