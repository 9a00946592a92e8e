// "Kaydımı bul": failed attempts to open a sign-up with a phone number and a booking code,
// counted per code and per phone number. The per-visitor limit on every public post (rate-limit.ts)
// already slows one browser; this stops guessing spread over many browsers or addresses at one
// known phone number (trying codes) or one known code (trying numbers).
//
// Kept in memory like the other request limits: a restart forgets it, which only gives a guesser
// another few tries out of 34 million codes.

/** Wrong tries per phone number and per code before lookups for it stop for the window. */
export const LOOKUP_FAILURES_ALLOWED = 5;
export const LOOKUP_WINDOW_MS = 15 * 60_000;

export interface LookupLimiter {
  /** True when any of these keys has used up its tries: the lookup is refused, right or wrong. */
  blocked(keys: readonly string[]): boolean;
  /** Counts one wrong try against each key. */
  failed(keys: readonly string[]): void;
}

export function lookupLimiter(now: () => Date, allowed = LOOKUP_FAILURES_ALLOWED, windowMs = LOOKUP_WINDOW_MS): LookupLimiter {
  const failures = new Map<string, { count: number; resetAt: number }>();
  const current = (key: string) => {
    const entry = failures.get(key);
    if (entry && entry.resetAt <= now().getTime()) {
      failures.delete(key);
      return undefined;
    }
    return entry;
  };
  const sweep = () => {
    const at = now().getTime();
    for (const [key, entry] of failures) if (entry.resetAt <= at) failures.delete(key);
  };
  return {
    blocked: (keys) => keys.some((key) => (current(key)?.count ?? 0) >= allowed),
    failed: (keys) => {
      if (failures.size > 10_000) sweep();
      for (const key of keys) {
        const entry = current(key) ?? { count: 0, resetAt: now().getTime() + windowMs };
        entry.count += 1;
        failures.set(key, entry);
      }
    },
  };
}
