// express-session's store in our own database (the sessions table, created by a migration):
// sessions survive restarts, and no other package creates tables or timers of its own.
import session from 'express-session';
import { withWriteWait, type Db, type Executor } from '../platform/db/connection';
import { isStorageUnavailable } from '../platform/http/error-handler';

/** How long a session's touch waits for another process's write lock before it is skipped. */
const TOUCH_WRITE_WAIT_MS = 50;

type Callback = (error?: unknown) => void;

export class DatabaseSessionStore extends session.Store {
  constructor(
    private readonly db: Db,
    private readonly now: () => Date,
    /** How long a session lives after its last request. */
    private readonly lifetimeMs: number,
  ) {
    super();
  }

  // Idle expiry counted on our clock: every save or touch moves it lifetimeMs ahead.
  private expiry(): string {
    return new Date(this.now().getTime() + this.lifetimeMs).toISOString();
  }

  override get(sid: string, callback: (error: unknown, data?: session.SessionData | null) => void): void {
    this.db
      .selectFrom('sessions')
      .select(['data', 'expires_at'])
      .where('sid', '=', sid)
      .executeTakeFirst()
      .then((row) => callback(null, row && row.expires_at > this.now().toISOString() ? (JSON.parse(row.data) as session.SessionData) : null))
      .catch((error: unknown) => callback(error));
  }

  override set(sid: string, data: session.SessionData, callback?: Callback): void {
    const values = { data: JSON.stringify(data), expires_at: this.expiry(), user_id: data.userId ?? null };
    this.db
      .insertInto('sessions')
      .values({ sid, ...values })
      .onConflict((oc) => oc.column('sid').doUpdateSet(values))
      .execute()
      .then(() => callback?.())
      .catch((error: unknown) => callback?.(error));
  }

  // Every back-office page touches its session: while another process holds the write lock the
  // page must not wait for it, and a missed touch only leaves the expiry where the last one put it.
  override touch(sid: string, _data: session.SessionData, callback?: Callback): void {
    withWriteWait(TOUCH_WRITE_WAIT_MS, () => this.db.updateTable('sessions').set({ expires_at: this.expiry() }).where('sid', '=', sid).execute())
      .then(() => callback?.())
      .catch((error: unknown) => callback?.(isStorageUnavailable(error) ? undefined : error));
  }

  override destroy(sid: string, callback?: Callback): void {
    this.db
      .deleteFrom('sessions')
      .where('sid', '=', sid)
      .execute()
      .then(() => callback?.())
      .catch((error: unknown) => callback?.(error));
  }
}

/** Ends every session of a user: their password changed, or the account was disabled. */
export async function endSessionsOf(db: Executor, userId: number): Promise<void> {
  await db.deleteFrom('sessions').where('user_id', '=', userId).execute();
}

/** Deletes expired sessions (run at start-up and hourly). */
export async function purgeExpiredSessions(db: Db, now: Date): Promise<number> {
  const result = await db.deleteFrom('sessions').where('expires_at', '<=', now.toISOString()).executeTakeFirst();
  return Number(result.numDeletedRows);
}
