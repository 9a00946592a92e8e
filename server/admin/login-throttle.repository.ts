// The failed-login counters, one row per account, address, or account and address.
import type { Executor } from '../platform/db/connection';
import type { ThrottleState } from './login-throttle';

export async function find(db: Executor, key: string): Promise<ThrottleState | undefined> {
  const row = await db.selectFrom('login_throttles').selectAll().where('key', '=', key).executeTakeFirst();
  return row ? { failures: row.failures, windowStartedAt: row.window_started_at, lockedUntil: row.locked_until, notifiedAt: row.notified_at } : undefined;
}

export async function save(db: Executor, key: string, state: ThrottleState): Promise<void> {
  const values = { failures: state.failures, window_started_at: state.windowStartedAt, locked_until: state.lockedUntil, notified_at: state.notifiedAt };
  await db
    .insertInto('login_throttles')
    .values({ key, ...values })
    .onConflict((oc) => oc.column('key').doUpdateSet(values))
    .execute();
}

export async function clear(db: Executor, key: string): Promise<void> {
  await db.deleteFrom('login_throttles').where('key', '=', key).execute();
}

/** Forgets counters whose window and lock are both over (housekeeping). */
export async function purgeStale(db: Executor, windowStartedBefore: Date, now: Date): Promise<void> {
  await db
    .deleteFrom('login_throttles')
    .where('window_started_at', '<', windowStartedBefore.toISOString())
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', now.toISOString())]))
    .execute();
}
