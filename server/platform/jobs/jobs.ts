// Work due at a time, kept in the database so it survives restarts. A job's handler runs in the
// transaction that marks the job done, so its effects (e.g. mail in the outbox) exist exactly
// when the job counts as done: it runs once, whichever process or restart gets to it. Several
// processes may run jobs on one database: each takes the jobs it runs with a lease (claimDueJobs),
// and a crashed runner's jobs are taken over once its lease has run out.
import { engineOf, type Db, type Executor } from '../db/connection';
import { idIn } from '../db/portable-sql';
import { DEFAULT_LEASE_MS, newWorkerId } from '../lease';

export type JobHandler = (trx: Executor, ref: string, now: Date) => Promise<void>;

/** Creates the job, or moves one not yet done (or done, when `again`) to a new time. */
export async function schedule(db: Executor, job: { kind: string; ref: string; dueAt: Date; again?: boolean }, now: Date): Promise<void> {
  const dueAt = job.dueAt.toISOString();
  const existing = await db.selectFrom('scheduled_jobs').select(['id', 'done_at']).where('kind', '=', job.kind).where('ref', '=', job.ref).executeTakeFirst();
  if (!existing) {
    await db.insertInto('scheduled_jobs').values({ kind: job.kind, ref: job.ref, due_at: dueAt, created_at: now.toISOString() }).execute();
    return;
  }
  if (existing.done_at !== null && !job.again) return;
  // A runner's claim goes with the old time: whichever runner finds the job due at the new one runs it.
  await db
    .updateTable('scheduled_jobs')
    .set({ due_at: dueAt, done_at: null, attempts: 0, last_error: null, claimed_by: null, claimed_until: null })
    .where('id', '=', existing.id)
    .execute();
}

/** The job will not run (its subject is gone); a done job stays as it was. */
export async function unschedule(db: Executor, kind: string, ref: string, now: Date): Promise<void> {
  await db.updateTable('scheduled_jobs').set({ done_at: now.toISOString(), last_error: 'cancelled' }).where('kind', '=', kind).where('ref', '=', ref).where('done_at', 'is', null).execute();
}

export async function find(db: Executor, kind: string, ref: string) {
  return db.selectFrom('scheduled_jobs').selectAll().where('kind', '=', kind).where('ref', '=', ref).executeTakeFirst();
}

/** Minutes before a failed job is tried again: 1, 2, 4 … up to an hour. */
const retryMinutes = (attempts: number) => Math.min(60, 2 ** Math.max(0, attempts - 1));

/** Who runs jobs (one id per process, or per test app) and how long its claims hold. */
export interface JobRunner {
  workerId: string;
  leaseMs: number;
}

/** This process's runner, when the caller names none. */
const processRunner: JobRunner = { workerId: newWorkerId(), leaseMs: DEFAULT_LEASE_MS };

/** How many jobs a runner takes at a time. */
const CLAIM_BATCH = 20;

/**
 * Takes up to `limit` due jobs of these kinds for `workerId` until `now + leaseMs`, in one
 * statement: only jobs not done, due, and not claimed or whose claim has expired. Returns them in
 * the order they are due. As outboxRepository.claimDue: atomic under SQLite's write lock; on
 * PostgreSQL the inner select takes FOR UPDATE SKIP LOCKED (see outbox.repository.ts claimDue).
 */
export async function claimDueJobs(db: Executor, kinds: string[], workerId: string, now: Date, leaseMs: number, limit: number): Promise<{ id: number; kind: string; due_at: string }[]> {
  if (kinds.length === 0) return [];
  const at = now.toISOString();
  const rows = await db
    .updateTable('scheduled_jobs')
    .set({ claimed_by: workerId, claimed_until: new Date(now.getTime() + leaseMs).toISOString() })
    .where((eb) =>
      idIn(
        db,
        eb,
        db
          .selectFrom('scheduled_jobs')
          .select('id')
          .where('done_at', 'is', null)
          .where('due_at', '<=', at)
          .where('kind', 'in', kinds)
          .where((e) => e.or([e('claimed_until', 'is', null), e('claimed_until', '<', at)]))
          .orderBy('due_at')
          .orderBy('id')
          .limit(limit)
          .$if(engineOf(db) === 'postgres', (query) => query.forUpdate().skipLocked()),
      ),
    )
    .where('done_at', 'is', null)
    .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', at)]))
    .returning(['id', 'kind', 'due_at'])
    .execute();
  return rows.sort((a, b) => a.due_at.localeCompare(b.due_at) || a.id - b.id);
}

/**
 * Runs every job that is due, each in its own transaction that first renews the runner's claim
 * (so a job whose claim another runner has taken over is left to that one) and marks the job
 * done only while the claim is still the runner's. A failing handler rolls back its work; the
 * job is given back and retried later.
 */
export async function runDueJobs(
  db: Db,
  handlers: Record<string, JobHandler>,
  now: Date,
  log: (error: unknown) => void = console.error,
  runner: JobRunner = processRunner,
): Promise<{ done: number; failed: number }> {
  const { workerId, leaseMs } = runner;
  const kinds = Object.keys(handlers);
  let done = 0;
  let failed = 0;
  for (;;) {
    const claimed = await claimDueJobs(db, kinds, workerId, now, leaseMs, CLAIM_BATCH);
    if (claimed.length === 0) return { done, failed };
    for (const { id, kind } of claimed) {
      try {
        const ran = await db.transaction().execute(async (trx) => {
          // Renewing is also the lock: on PostgreSQL the row stays locked to this transaction.
          const renewed = await trx
            .updateTable('scheduled_jobs')
            .set({ claimed_until: new Date(now.getTime() + leaseMs).toISOString() })
            .where('id', '=', id)
            .where('claimed_by', '=', workerId)
            .where('done_at', 'is', null)
            .where('due_at', '<=', now.toISOString())
            .executeTakeFirst();
          if (Number(renewed.numUpdatedRows) !== 1) return false;
          const job = await trx.selectFrom('scheduled_jobs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
          await handlers[kind]!(trx, job.ref, now);
          await trx.updateTable('scheduled_jobs').set({ done_at: now.toISOString(), attempts: job.attempts + 1, claimed_until: null }).where('id', '=', id).where('claimed_by', '=', workerId).execute();
          return true;
        });
        if (ran) done++;
      } catch (error) {
        failed++;
        log(error);
        const attempts = ((await db.selectFrom('scheduled_jobs').select('attempts').where('id', '=', id).executeTakeFirst())?.attempts ?? 0) + 1;
        await db
          .updateTable('scheduled_jobs')
          .set({
            attempts,
            last_error: String((error as Error)?.message ?? error).slice(0, 500),
            due_at: new Date(now.getTime() + retryMinutes(attempts) * 60_000).toISOString(),
            claimed_by: null,
            claimed_until: null,
          })
          .where('id', '=', id)
          .where('claimed_by', '=', workerId)
          .execute();
      }
    }
  }
}
