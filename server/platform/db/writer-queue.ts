// One writer at a time within a process, first come first served, with a deadline per waiter:
// SQLite's writing connection (connection.ts) and PostgreSQL's write transactions (postgres.ts).
interface Waiter {
  resolve: () => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
  overdue: boolean;
}

/**
 * First come, first served: writers queue for the one writing connection. A writer's deadline
 * is for another process's lock, not for ordinary queueing: a waiter whose deadline has passed
 * gives up only while the writer ahead is itself waiting for such a lock (it could not get
 * through before that one anyway); behind writers that are simply working, it keeps its place.
 */
export class WriterQueue {
  /** `timedOut` makes the error a waiter gets when its deadline passes while the holder is blocked. */
  constructor(private readonly timedOut: () => Error) {}

  #held = false;
  /** True while the holder sleeps between attempts on another process's lock. */
  #blocked = false;
  readonly #waiting: Waiter[] = [];

  lock(deadline: number): Promise<void> {
    if (!this.#held) {
      this.#held = true;
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = { resolve, reject, overdue: false, timer: setTimeout(() => this.#expire(waiter), Math.max(0, deadline - Date.now())) };
      this.#waiting.push(waiter);
    });
  }

  blocked = (yes: boolean): void => {
    this.#blocked = yes;
    if (yes) for (const waiter of this.#waiting.filter((w) => w.overdue)) this.#expire(waiter);
  };

  #expire(waiter: Waiter): void {
    waiter.overdue = true;
    if (!this.#blocked) return;
    const index = this.#waiting.indexOf(waiter);
    if (index < 0) return;
    this.#waiting.splice(index, 1);
    waiter.reject(this.timedOut());
  }

  unlock(): void {
    this.#blocked = false;
    const next = this.#waiting.shift();
    if (!next) {
      this.#held = false;
      return;
    }
    clearTimeout(next.timer);
    next.resolve();
  }
}

