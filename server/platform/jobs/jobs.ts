// Work due at a time, kept in the database so it survives restarts. A job's handler runs in the
// transaction that marks the job done, so its effects (e.g. mail in the outbox) exist exactly
// when the job counts as done: it runs once, whichever process or restart gets to it.
import type { Db, Executor } from '../db/connection';

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
  await db.updateTable('scheduled_jobs').set({ due_at: dueAt, done_at: null, attempts: 0, last_error: null }).where('id', '=', existing.id).execute();
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

/**
 * Runs every job that is due, each in its own transaction with the job re-read inside it (so two
 * runners never both do one). A failing handler rolls back its work; the job is retried later.
 */
export async function runDueJobs(db: Db, handlers: Record<string, JobHandler>, now: Date, log: (error: unknown) => void = console.error): Promise<{ done: number; failed: number }> {
  const due = await db
    .selectFrom('scheduled_jobs')
    .select(['id', 'kind'])
    .where('done_at', 'is', null)
    .where('due_at', '<=', now.toISOString())
    .where('kind', 'in', Object.keys(handlers).length > 0 ? Object.keys(handlers) : [''])
    .orderBy('due_at')
    .orderBy('id')
    .execute();
  let done = 0;
  let failed = 0;
  for (const { id, kind } of due) {
    try {
      const ran = await db.transaction().execute(async (trx) => {
        const job = await trx.selectFrom('scheduled_jobs').selectAll().where('id', '=', id).where('done_at', 'is', null).where('due_at', '<=', now.toISOString()).executeTakeFirst();
        if (!job) return false;
        await handlers[kind]!(trx, job.ref, now);
        await trx.updateTable('scheduled_jobs').set({ done_at: now.toISOString(), attempts: job.attempts + 1 }).where('id', '=', id).execute();
        return true;
      });
      if (ran) done++;
    } catch (error) {
      failed++;
      log(error);
      const attempts = ((await db.selectFrom('scheduled_jobs').select('attempts').where('id', '=', id).executeTakeFirst())?.attempts ?? 0) + 1;
      await db
        .updateTable('scheduled_jobs')
        .set({ attempts, last_error: String((error as Error)?.message ?? error).slice(0, 500), due_at: new Date(now.getTime() + retryMinutes(attempts) * 60_000).toISOString() })
        .where('id', '=', id)
        .execute();
    }
  }
  return { done, failed };
}
