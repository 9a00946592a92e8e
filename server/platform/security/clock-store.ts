// express-rate-limit's in-memory store, on the app's clock: fixed windows per key, no timers, so
// tests move the same fixed clock as everywhere else and nothing keeps running after an app is gone.
// Keys come from visitors (a browser cookie anyone can invent) as well as addresses, so the store
// holds at most `maxKeys` of them whatever arrives.
import type { ClientRateLimitInfo, Options, Store } from 'express-rate-limit';

interface Window {
  hits: number;
  /** On the app's clock, in ms. */
  endsAt: number;
}

/**
 * About 150 bytes a key (key, window, Map entry): 100,000 keys stay near 15 MB. That is a minute
 * of 1,600 posts a second each from a new browser, far past what one server process answers.
 */
export const DEFAULT_MAX_KEYS = 100_000;

export class ClockMemoryStore implements Store {
  /** Counts live in this process only: one server process, one set of counts. */
  readonly localKeys = true;
  private windowMs = 60_000;
  private readonly windows = new Map<string, Window>();
  private sweptAt = 0;

  /**
   * maxKeys: past it the oldest windows are forgotten. Forgetting a count only ever lets its owner
   * post again early, so a flood of invented keys can cost no one a refusal and cannot grow memory;
   * the per-address ceiling still counts the flood itself.
   */
  constructor(
    private readonly now: () => Date,
    private readonly maxKeys = DEFAULT_MAX_KEYS,
  ) {}

  /** Keys held now (ended windows included until they are swept). */
  get size(): number {
    return this.windows.size;
  }

  init(options: Options): void {
    this.windowMs = options.windowMs;
  }

  async get(key: string): Promise<ClientRateLimitInfo | undefined> {
    const now = this.now().getTime();
    const window = this.windows.get(key);
    return window && window.endsAt > now ? this.info(window, now) : undefined;
  }

  async increment(key: string): Promise<ClientRateLimitInfo> {
    const now = this.now().getTime();
    this.sweep(now);
    let window = this.windows.get(key);
    if (!window || window.endsAt <= now) {
      window = { hits: 0, endsAt: now + this.windowMs };
      // Re-inserted, so the Map's order stays the order windows started in (oldest first).
      this.windows.delete(key);
      this.windows.set(key, window);
      this.evictOverflow();
    }
    window.hits += 1;
    return this.info(window, now);
  }

  async decrement(key: string): Promise<void> {
    const window = this.windows.get(key);
    if (window && window.hits > 0) window.hits -= 1;
  }

  async resetKey(key: string): Promise<void> {
    this.windows.delete(key);
  }

  async resetAll(): Promise<void> {
    this.windows.clear();
  }

  /**
   * The library turns resetTime into Retry-After against the wall clock (Date.now()); the time
   * left on the app's clock is added to it, so the header is right under a fixed test clock too.
   */
  private info(window: Window, now: number): ClientRateLimitInfo {
    return { totalHits: window.hits, resetTime: new Date(Date.now() + (window.endsAt - now)) };
  }

  /**
   * Past maxKeys: forgets the windows that started first. All windows are as long, so these are
   * the ended ones, then the oldest running ones. A tenth goes at once: walking a Map from its start
   * passes over the entries deleted before, so one key at a time would cost more with each key.
   */
  private evictOverflow(): void {
    if (this.windows.size <= this.maxKeys) return;
    const keep = Math.floor(this.maxKeys * 0.9);
    for (const key of this.windows.keys()) {
      if (this.windows.size <= keep) break;
      this.windows.delete(key);
    }
  }

  /** Forgets ended windows at most once a window, so keys seen once do not pile up. */
  private sweep(now: number): void {
    if (now - this.sweptAt < this.windowMs) return;
    this.sweptAt = now;
    for (const [key, window] of this.windows) if (window.endsAt <= now) this.windows.delete(key);
  }
}
