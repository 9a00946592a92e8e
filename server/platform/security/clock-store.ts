// express-rate-limit's in-memory store, on the app's clock: fixed windows per key, no timers, so
// tests move the same fixed clock as everywhere else and nothing keeps running after an app is gone.
import type { ClientRateLimitInfo, Options, Store } from 'express-rate-limit';

interface Window {
  hits: number;
  /** On the app's clock, in ms. */
  endsAt: number;
}

export class ClockMemoryStore implements Store {
  /** Counts live in this process only: one server process, one set of counts. */
  readonly localKeys = true;
  private windowMs = 60_000;
  private readonly windows = new Map<string, Window>();
  private sweptAt = 0;

  constructor(private readonly now: () => Date) {}

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
      this.windows.set(key, window);
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

  /** Forgets ended windows at most once a window, so addresses seen once do not pile up. */
  private sweep(now: number): void {
    if (now - this.sweptAt < this.windowMs) return;
    this.sweptAt = now;
    for (const [key, window] of this.windows) if (window.endsAt <= now) this.windows.delete(key);
  }
}
