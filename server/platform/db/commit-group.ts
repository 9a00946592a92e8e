// Group commit for submissions: the transactions that queue for the one writing connection while
// another runs are run together, each in its own savepoint, and committed at once, so a burst of
// citizens completing a survey pays one fsync between them instead of one each. Nothing is
// acknowledged early: every caller's promise settles only after the COMMIT that made its own writes
// durable (synchronous = FULL stays), and a submission that fails rolls back to its savepoint alone.
import type { ControlledTransaction, Transaction } from 'kysely';
import type { Db } from './connection';
import type { Database } from './database';

/**
 * Work for one transaction. It may run more than once (when a batch cannot commit, each of its
 * submissions is run again alone), so it must touch nothing but the transaction it is given.
 */
export type TransactionWork<T> = (trx: Transaction<Database>) => Promise<T>;

export interface CommitGroup {
  /** Runs `work` in a transaction, alone or batched with others; settles after its commit. */
  run<T>(work: TransactionWork<T>): Promise<T>;
}

interface Job {
  work: TransactionWork<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/** The savepoint every submission of a batch runs in; released before the next one starts. */
const SAVEPOINT = 'submission';
/**
 * At most this many submissions share a commit: the batch holds the writing connection meanwhile,
 * so other writes (a planner's save, a sign-up) wait for at most this many submissions' work.
 */
export const DEFAULT_BATCH = 32;

export function createCommitGroup(db: Db, options: { maxBatch?: number } = {}): CommitGroup {
  const maxBatch = options.maxBatch ?? DEFAULT_BATCH;
  const queue: Job[] = [];
  let draining = false;

  async function alone(job: Job): Promise<void> {
    try {
      job.resolve(await db.transaction().execute(job.work));
    } catch (error) {
      job.reject(error);
    }
  }

  /** Undone after a failure: the transaction may already be gone (SQLite rolls back on a full disk). */
  async function rollbackQuietly(trx: ControlledTransaction<Database>): Promise<void> {
    try {
      await trx.rollback().execute();
    } catch {
      // Nothing left to roll back.
    }
  }

  async function batch(): Promise<void> {
    let trx: ControlledTransaction<Database>;
    try {
      trx = await db.startTransaction().execute();
    } catch (error) {
      // The write lock did not come within the wait (another process holds it): every submission
      // queued now is behind the same lock, and each is answered with that error, as alone.
      for (const job of queue.splice(0)) job.reject(error);
      return;
    }
    const done: { job: Job; value: unknown }[] = [];
    /** The transaction cannot go on: those done so far are not stored, and run again, each alone. */
    const abandon = async () => {
      await rollbackQuietly(trx);
      for (const { job } of done) await alone(job);
    };
    while (queue.length > 0 && done.length < maxBatch) {
      const job = queue.shift()!;
      let inner;
      try {
        inner = await trx.savepoint(SAVEPOINT).execute();
      } catch {
        await abandon();
        return alone(job);
      }
      try {
        const value = await job.work(inner);
        await inner.releaseSavepoint(SAVEPOINT).execute();
        done.push({ job, value });
      } catch (error) {
        job.reject(error);
        try {
          await inner.rollbackToSavepoint(SAVEPOINT).execute();
          await inner.releaseSavepoint(SAVEPOINT).execute();
        } catch {
          // The whole transaction went with the error (SQLite rolls back on a full disk).
          return abandon();
        }
      }
    }
    try {
      await trx.commit().execute();
    } catch {
      // Nothing of the batch is stored: each runs again alone, so that one cannot fail the others.
      return abandon();
    }
    for (const { job, value } of done) job.resolve(value);
  }

  async function drain(): Promise<void> {
    draining = true;
    try {
      // better-sqlite3 runs a transaction without giving the event loop a turn, so submissions
      // whose requests arrived meanwhile can only join once it has had one: each round starts a
      // turn later (setImmediate: after the pending I/O, no timer delay).
      while ((await new Promise<number>((resolve) => setImmediate(() => resolve(queue.length)))) > 0) {
        // One waiting submission runs as a plain transaction: a lone citizen waits for nobody.
        if (queue.length === 1) await alone(queue.shift()!);
        else await batch();
      }
    } finally {
      draining = false;
    }
  }

  return {
    run<T>(work: TransactionWork<T>): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
        if (!draining) void drain();
      });
    },
  };
}
