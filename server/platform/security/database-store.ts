// express-rate-limit's store on the database (rate_limit_hits), for when several processes or
// machines answer the site: each counts every process's requests, not only its own. The same
// windows as ClockMemoryStore (a window of windowMs starts at a client's first counted request),
// on the same app clock.
//
// A count is a convenience, not a record: it is written without waiting for the disk
// (withoutSync), waits at most COUNTER_WAIT_MS for another process's write lock, and when it
// cannot be written (a lock held longer, a full disk, a read-only file) the request is counted in
// this process's memory instead and goes on: a limit must never turn a post into a 500.
import crypto from 'node:crypto';
import type { ClientRateLimitInfo, Options, Store } from 'express-rate-limit';
import { withoutSync, withWriteWait, type Db } from '../db/connection';
import { ClockMemoryStore } from './clock-store';
import * as rateLimitRepository from './rate-limit.repository';

/**
 * How long a count waits for another process's write lock. A submission holds it for a few ms;
 * longer means a backup or a stuck process, and the post is better counted in memory than kept.
 */
export const COUNTER_WAIT_MS = 200;

export interface DatabaseStoreDeps {
  db: Db;
  /** The limit's name, the start of its buckets: several limits share the table. */
  name: string;
  /** Keys are stored as an HMAC under this secret: no address or browser id goes into the database. */
  secret: string;
  now: () => Date;
  /** Told when counting in the database fails (at most once a window, not once a request). */
  warn: (message: string) => void;
}

export class DatabaseStore implements Store {
  /** Counts are shared with every process on the database. */
  readonly localKeys = false;
  /** Tells the library's double-count check the limits apart (the visitor and address keys may be one address). */
  readonly prefix: string;
  private windowMs = 60_000;
  /** Where requests are counted while the database cannot be written. */
  private readonly fallback: ClockMemoryStore;
  private warnedAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly deps: DatabaseStoreDeps) {
    this.prefix = `${deps.name}:`;
    this.fallback = new ClockMemoryStore(deps.now);
  }

  init(options: Options): void {
    this.windowMs = options.windowMs;
    this.fallback.init(options);
  }

  /** The row's key: the limit's name and 132 bits of an HMAC of the client's key. */
  bucket(key: string): string {
    return this.prefix + crypto.createHmac('sha256', this.deps.secret).update(key).digest('base64url').slice(0, 22);
  }

  async get(key: string): Promise<ClientRateLimitInfo | undefined> {
    const now = this.deps.now().getTime();
    try {
      const found = await rateLimitRepository.find(this.deps.db, this.bucket(key), now);
      return found && this.info(found, now);
    } catch (error) {
      this.failed(error, now);
      return this.fallback.get(key);
    }
  }

  async increment(key: string): Promise<ClientRateLimitInfo> {
    const now = this.deps.now().getTime();
    const bucket = this.bucket(key);
    try {
      const counted = await withWriteWait(COUNTER_WAIT_MS, () => withoutSync(() => rateLimitRepository.hit(this.deps.db, bucket, now, this.windowMs)));
      return this.info(counted, now);
    } catch (error) {
      this.failed(error, now);
      return this.fallback.increment(key);
    }
  }

  async decrement(key: string): Promise<void> {
    const now = this.deps.now().getTime();
    try {
      await withWriteWait(COUNTER_WAIT_MS, () => withoutSync(() => rateLimitRepository.unhit(this.deps.db, this.bucket(key), now)));
    } catch (error) {
      this.failed(error, now);
    }
    await this.fallback.decrement(key);
  }

  async resetKey(key: string): Promise<void> {
    await rateLimitRepository.remove(this.deps.db, this.bucket(key));
    await this.fallback.resetKey(key);
  }

  async resetAll(): Promise<void> {
    await rateLimitRepository.removeAll(this.deps.db, this.prefix);
    await this.fallback.resetAll();
  }

  /** As ClockMemoryStore.info: resetTime on the wall clock, the time left measured on the app's. */
  private info(hits: rateLimitRepository.Hits, now: number): ClientRateLimitInfo {
    return { totalHits: hits.hits, resetTime: new Date(Date.now() + (hits.endsAt - now)) };
  }

  private failed(error: unknown, now: number): void {
    if (now - this.warnedAt < this.windowMs) return;
    this.warnedAt = now;
    // Not `instanceof Error`: better-sqlite3's errors may come from another realm (Jest's sandbox).
    const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
    const cause = `${typeof message === 'string' ? message : String(error)}${typeof code === 'string' ? ` (${code})` : ''}`;
    this.deps.warn(`Rate limit: the "${this.deps.name}" counts could not be written to the database (${cause}); counting in this process's memory meanwhile.`);
  }
}
