// Request counters shared by every process on the database: one row per limit and client.
import type { Executor } from '../db/connection';

export interface Hits {
  hits: number;
  /** When the window ends, in ms since the epoch (app clock). */
  endsAt: number;
}

/**
 * Counts one request in `bucket` and returns the count with its window, in one statement, so two
 * processes counting at once both count: a new bucket, or one whose window has ended, starts a
 * window of `windowMs` from `now` at 1; a running one goes up by 1. Works on SQLite and PostgreSQL
 * (ON CONFLICT … DO UPDATE … RETURNING; every SET reads the row as it was).
 */
export async function hit(db: Executor, bucket: string, now: number, windowMs: number): Promise<Hits> {
  const row = await db
    .insertInto('rate_limit_hits')
    .values({ bucket, hits: 1, window_ends_at: now + windowMs })
    .onConflict((oc) =>
      oc.column('bucket').doUpdateSet((eb) => {
        const ended = eb('rate_limit_hits.window_ends_at', '<=', now);
        return {
          hits: eb.case().when(ended).then(eb.lit(1)).else(eb('rate_limit_hits.hits', '+', eb.lit(1))).end(),
          window_ends_at: eb.case().when(ended).then(eb.ref('excluded.window_ends_at')).else(eb.ref('rate_limit_hits.window_ends_at')).end(),
        };
      }),
    )
    .returning(['hits', 'window_ends_at'])
    .executeTakeFirstOrThrow();
  return { hits: Number(row.hits), endsAt: Number(row.window_ends_at) };
}

/** The running window of `bucket`, if any. */
export async function find(db: Executor, bucket: string, now: number): Promise<Hits | undefined> {
  const row = await db.selectFrom('rate_limit_hits').select(['hits', 'window_ends_at']).where('bucket', '=', bucket).where('window_ends_at', '>', now).executeTakeFirst();
  return row ? { hits: Number(row.hits), endsAt: Number(row.window_ends_at) } : undefined;
}

/** Gives one counted request back (the limiter's decrement), never below 0. */
export async function unhit(db: Executor, bucket: string, now: number): Promise<void> {
  await db
    .updateTable('rate_limit_hits')
    .set((eb) => ({ hits: eb('hits', '-', eb.lit(1)) }))
    .where('bucket', '=', bucket)
    .where('hits', '>', 0)
    .where('window_ends_at', '>', now)
    .execute();
}

export async function remove(db: Executor, bucket: string): Promise<void> {
  await db.deleteFrom('rate_limit_hits').where('bucket', '=', bucket).execute();
}

/** Forgets every count of one limit (buckets `<prefix>…`; prefixes are the limits' names, without LIKE wildcards). */
export async function removeAll(db: Executor, prefix: string): Promise<void> {
  await db.deleteFrom('rate_limit_hits').where('bucket', 'like', `${prefix}%`).execute();
}

/** Housekeeping: forgets windows that ended before `now`. Returns how many went. */
export async function purgeEnded(db: Executor, now: Date): Promise<number> {
  const result = await db.deleteFrom('rate_limit_hits').where('window_ends_at', '<=', now.getTime()).executeTakeFirst();
  return Number(result.numDeletedRows);
}
