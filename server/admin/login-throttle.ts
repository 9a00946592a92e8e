// Slows down, then refuses, repeated failed logins from one address: on one account (the pair) or
// across accounts (the address). Pure policy; the counters live in login_throttles
// (login-throttle.repository.ts) so they survive restarts.
//
// Why no account-wide lock: a lock on the account alone let anyone who knows a planner's e-mail
// keep the planner out from wherever they are (five wrong guesses every 15 minutes). Guessing is
// bounded without it: one address gets lockPairAfter guesses per account and lockAddressAfter over
// all accounts per window, behind the per-address sign-in rate limit (RATE_LIMIT_LOGIN). What is
// left is distributed guessing, each address within its own limits: N addresses get about
// N × lockPairAfter guesses per window, which a password of at least 10 characters outlasts for
// any realistic N. The account-wide count is kept for that case, but only to slow (past
// slowAccountAfter every answer on the account waits maxDelayMs, the owner's too, which costs a
// sequential guesser much and the owner a few seconds) and to e-mail the owner, so a person can
// act (change the password, have an admin disable the account). Refusing the account there
// would hand the lock-out back to anyone with a few dozen addresses.

import crypto from 'node:crypto';

export const THROTTLE = {
  /** Failures are counted within this window. */
  windowMinutes: 15,
  /** From this many failures of the pair or the address on, every further answer is delayed. */
  slowAfter: 3,
  maxDelayMs: 5_000,
  /** This many failures refuse the address on that account, for lockMinutes. */
  lockPairAfter: 5,
  /** This many failures over all accounts refuse the address on every account, for lockMinutes. */
  lockAddressAfter: 20,
  lockMinutes: 15,
  /** Failures on one account, from any addresses, after which its owner is e-mailed (once a window). */
  notifyOwnerAfter: 5,
  /** Failures on one account, from any addresses, after which every answer on it waits maxDelayMs. */
  slowAccountAfter: 50,
};

export interface ThrottleState {
  failures: number;
  windowStartedAt: string;
  lockedUntil: string | null;
  /** When the account's owner was told of this window's failures (account counters only). */
  notifiedAt: string | null;
}

/** The three counters one attempt touches. */
export interface Counters {
  pair: ThrottleState | undefined;
  address: ThrottleState | undefined;
  account: ThrottleState | undefined;
}

/**
 * The counters' keys: the kind in clear, then an HMAC under the site secret of what is counted,
 * so login_throttles holds no e-mail or IP address (the same rule as rate_limit_hits) and the
 * kind stays readable (migration 2026_12_07_36 tells account rows by their `account:` prefix).
 * The same input always gives the same key, which is all counting needs; a new site secret only
 * starts the counts afresh, and they last 15 minutes anyway. The kind is part of the HMAC's input
 * too, so an address and an e-mail that were the same text would still be counted apart.
 */
export interface ThrottleKeys {
  pair: string;
  address: string;
  account: string;
}

export function throttleKeys(secret: string, email: string, ip: string): ThrottleKeys {
  return { pair: pairKey(secret, email, ip), address: addressKey(secret, ip), account: accountKey(secret, email) };
}

export const accountKey = (secret: string, email: string) => hashedKey(secret, 'account', email);
export const addressKey = (secret: string, ip: string) => hashedKey(secret, 'address', ip);
export const pairKey = (secret: string, email: string, ip: string) => hashedKey(secret, 'pair', `${ip} ${email}`);

/** `kind:` and 132 bits of the HMAC, as database-store.ts keys its buckets. */
function hashedKey(secret: string, kind: 'account' | 'address' | 'pair', value: string): string {
  return `${kind}:${crypto.createHmac('sha256', secret).update(`login-throttle:${kind}:${value}`).digest('base64url').slice(0, 22)}`;
}

export function lockedUntil(state: ThrottleState | undefined, now: Date): Date | undefined {
  if (!state?.lockedUntil) return undefined;
  const until = new Date(state.lockedUntil);
  return until > now ? until : undefined;
}

/** Until when this address is refused on this account; the account's own count never refuses. */
export function refusedUntil(counters: Counters, now: Date): Date | undefined {
  const pair = lockedUntil(counters.pair, now);
  const address = lockedUntil(counters.address, now);
  if (pair && address) return pair > address ? pair : address;
  return pair ?? address;
}

/** The delay before answering an attempt, from the failures already counted. */
export function delayFor(counters: Counters, now: Date): number {
  const local = Math.max(current(counters.pair, now), current(counters.address, now));
  const fromAddress = local < THROTTLE.slowAfter ? 0 : Math.min(THROTTLE.maxDelayMs, (local - THROTTLE.slowAfter + 1) * 1000);
  const fromAccount = current(counters.account, now) >= THROTTLE.slowAccountAfter ? THROTTLE.maxDelayMs : 0;
  return Math.max(fromAddress, fromAccount);
}

function current(state: ThrottleState | undefined, now: Date): number {
  return state && !windowExpired(state, now) ? state.failures : 0;
}

function windowExpired(state: ThrottleState, now: Date): boolean {
  return now.getTime() - Date.parse(state.windowStartedAt) > THROTTLE.windowMinutes * 60_000;
}

/**
 * The counter after one more attempt; locks it when the limit is reached (no limit: never locks).
 * Attempts are counted before the password is checked, so a burst of parallel guesses cannot
 * outrun the lock.
 */
export function afterAttempt(state: ThrottleState | undefined, now: Date, limit = Infinity): ThrottleState {
  const fresh = !state || windowExpired(state, now);
  const failures = fresh ? 1 : state.failures + 1;
  const locked = failures >= limit ? new Date(now.getTime() + THROTTLE.lockMinutes * 60_000).toISOString() : fresh ? null : state.lockedUntil;
  return {
    failures,
    windowStartedAt: fresh ? now.toISOString() : state.windowStartedAt,
    lockedUntil: locked,
    notifiedAt: fresh ? null : state.notifiedAt,
  };
}

/** The counter after a successful login: the attempt counted for it is given back. */
export function afterSuccess(state: ThrottleState | undefined, now: Date, limit = Infinity): ThrottleState | undefined {
  if (!state || windowExpired(state, now)) return state;
  const failures = Math.max(0, state.failures - 1);
  return { ...state, failures, lockedUntil: failures < limit ? null : state.lockedUntil };
}

/** Whether the owner should now hear of this window's failures on their account: once a window. */
export function ownerToBeNotified(account: ThrottleState | undefined, now: Date): boolean {
  return account !== undefined && !windowExpired(account, now) && account.failures >= THROTTLE.notifyOwnerAfter && account.notifiedAt === null;
}

export function notified(account: ThrottleState, now: Date): ThrottleState {
  return { ...account, notifiedAt: now.toISOString() };
}

/**
 * An address cut to its network (IPv4 /24, IPv6 /48), for the owner's e-mail: enough to tell
 * "my office" from "somewhere else", not a stranger's full address.
 */
export function truncatedAddress(ip: string): string {
  const v4 = /^(?:::ffff:)?(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.\d{1,3}$/i.exec(ip);
  if (v4) return `${v4[1]}.${v4[2]}.${v4[3]}.x`;
  if (ip.includes(':')) {
    const groups = expandIpv6(ip);
    if (groups) return `${groups.slice(0, 3).join(':')}::/48`;
  }
  return '?';
}

function expandIpv6(ip: string): string[] | undefined {
  const halves = ip.split('::');
  if (halves.length > 2) return undefined;
  const head = halves[0] ? halves[0].split(':') : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 0) return undefined;
  const groups = [...head, ...Array<string>(Math.max(0, missing)).fill('0'), ...tail];
  return groups.every((group) => /^[0-9a-f]{1,4}$/i.test(group)) ? groups.map((group) => group.toLowerCase().replace(/^0+(?=.)/, '')) : undefined;
}
