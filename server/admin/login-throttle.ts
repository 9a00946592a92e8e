// Slows down, then locks, repeated failed logins for one account or one address. Pure policy; the
// counters live in login_throttles (login-throttle.repository.ts) so they survive restarts.

export const THROTTLE = {
  /** Failures are counted within this window. */
  windowMinutes: 15,
  /** From this many failures on, every further answer is delayed. */
  slowAfter: 3,
  maxDelayMs: 5_000,
  /** This many failures lock the account (or address) for lockMinutes. */
  lockAccountAfter: 5,
  lockAddressAfter: 20,
  lockMinutes: 15,
};

export interface ThrottleState {
  failures: number;
  windowStartedAt: string;
  lockedUntil: string | null;
}

export const accountKey = (email: string) => `account:${email}`;
export const addressKey = (ip: string) => `address:${ip}`;

export function lockedUntil(state: ThrottleState | undefined, now: Date): Date | undefined {
  if (!state?.lockedUntil) return undefined;
  const until = new Date(state.lockedUntil);
  return until > now ? until : undefined;
}

/** The delay before answering an attempt, from the failures already counted. */
export function delayFor(states: (ThrottleState | undefined)[], now: Date): number {
  const failures = Math.max(0, ...states.map((state) => (state && !windowExpired(state, now) ? state.failures : 0)));
  if (failures < THROTTLE.slowAfter) return 0;
  return Math.min(THROTTLE.maxDelayMs, (failures - THROTTLE.slowAfter + 1) * 1000);
}

function windowExpired(state: ThrottleState, now: Date): boolean {
  return now.getTime() - Date.parse(state.windowStartedAt) > THROTTLE.windowMinutes * 60_000;
}

/**
 * The counter after one more attempt; locks it when the limit is reached. Attempts are counted
 * before the password is checked, so a burst of parallel guesses cannot outrun the lock.
 */
export function afterAttempt(state: ThrottleState | undefined, now: Date, limit: number): ThrottleState {
  const fresh = !state || windowExpired(state, now);
  const failures = fresh ? 1 : state.failures + 1;
  const locked = failures >= limit ? new Date(now.getTime() + THROTTLE.lockMinutes * 60_000).toISOString() : (state?.lockedUntil ?? null);
  return { failures, windowStartedAt: fresh ? now.toISOString() : state.windowStartedAt, lockedUntil: locked };
}

/** The counter after a successful login: the attempt counted for it is given back. */
export function afterSuccess(state: ThrottleState | undefined, now: Date, limit: number): ThrottleState | undefined {
  if (!state || windowExpired(state, now)) return state;
  const failures = Math.max(0, state.failures - 1);
  return { failures, windowStartedAt: state.windowStartedAt, lockedUntil: failures < limit ? null : state.lockedUntil };
}
