// Planner accounts: logging in (with throttling), creating and changing users, first set-up.
// Expected situations are outcomes, not exceptions.
import crypto from 'node:crypto';
import type { Db, Executor } from '../platform/db/connection';
import * as audit from '../platform/audit/audit.repository';
import type { Actor } from '../platform/audit/audit.repository';
import * as settingsRepository from '../platform/db/settings.repository';
import type { Role } from './account.table';
import * as loginThrottle from './login-throttle';
import * as throttleRepository from './login-throttle.repository';
import { hashPassword, UNUSABLE_HASH, verifyPassword } from './password';
import { endSessionsOf, purgeExpiredSessions } from './session-store';
import * as userRepository from './user.repository';
import type { User } from './user.repository';
import { hashToken, newToken } from '../platform/tokens';

export type { Actor } from '../platform/audit/audit.repository';

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export type LoginOutcome =
  | { kind: 'ok'; user: User }
  | { kind: 'invalid' }
  | { kind: 'locked'; until: Date };

export interface LoginAttempt {
  email: string;
  password: string;
  ip: string;
  now: Date;
  /** Waits before the password is checked; the route passes a real timer, tests a recorder. */
  sleep: (ms: number) => Promise<void>;
}

export async function logIn(db: Db, attempt: LoginAttempt): Promise<LoginOutcome> {
  const email = normalizeEmail(attempt.email);
  const { now, ip } = attempt;
  const keys = { account: loginThrottle.accountKey(email), address: loginThrottle.addressKey(ip) };
  const { THROTTLE } = loginThrottle;

  // The attempt is counted before the password is checked: parallel guesses each take a place
  // in the count, and those past the limit are refused without a check.
  const admitted = await db.transaction().execute(async (trx) => {
    const account = await throttleRepository.find(trx, keys.account);
    const address = await throttleRepository.find(trx, keys.address);
    const locked = loginThrottle.lockedUntil(account, now) ?? loginThrottle.lockedUntil(address, now);
    if (locked) {
      await audit.record(trx, { action: 'login.locked', actor: email, ip }, now);
      return { locked };
    }
    await throttleRepository.save(trx, keys.account, loginThrottle.afterAttempt(account, now, THROTTLE.lockAccountAfter));
    await throttleRepository.save(trx, keys.address, loginThrottle.afterAttempt(address, now, THROTTLE.lockAddressAfter));
    return { delay: loginThrottle.delayFor([account, address], now) };
  });
  if ('locked' in admitted) return { kind: 'locked', until: admitted.locked! };
  await attempt.sleep(admitted.delay);

  // The slow hash runs outside any transaction, so it never holds the database's write lock.
  const user = await userRepository.findByEmailWithHash(db, email);
  const matches = await verifyPassword(attempt.password, user?.passwordHash ?? UNUSABLE_HASH);
  return db.transaction().execute(async (trx): Promise<LoginOutcome> => {
    if (user && matches && !user.disabled) {
      await throttleRepository.clear(trx, keys.account);
      const address = loginThrottle.afterSuccess(await throttleRepository.find(trx, keys.address), now, THROTTLE.lockAddressAfter);
      if (address) await throttleRepository.save(trx, keys.address, address);
      await audit.record(trx, { action: 'login.succeeded', userId: user.id, actor: user.email, ip }, now);
      const { passwordHash: _hash, ...withoutHash } = user;
      return { kind: 'ok', user: withoutHash };
    }
    const account = await throttleRepository.find(trx, keys.account);
    const address = await throttleRepository.find(trx, keys.address);
    await audit.record(trx, { action: 'login.failed', userId: user?.id ?? null, actor: email, ip, details: { failures: account?.failures ?? 1 } }, now);
    const until = loginThrottle.lockedUntil(account, now) ?? loginThrottle.lockedUntil(address, now);
    return until ? { kind: 'locked', until } : { kind: 'invalid' };
  });
}

export type CreateUserOutcome = { kind: 'created'; userId: number } | { kind: 'email_taken' };

export async function createUser(
  db: Db,
  input: { email: string; name: string; role: Role; password: string },
  actor: Actor,
  now: Date,
): Promise<CreateUserOutcome> {
  const email = normalizeEmail(input.email);
  const passwordHash = await hashPassword(input.password);
  return db.transaction().execute(async (trx) => {
    const userId = await userRepository.insert(trx, { email, name: input.name.trim(), role: input.role, passwordHash, now });
    if (!userId) return { kind: 'email_taken' } as const;
    await audit.record(trx, { action: 'user.created', ...audit.by(actor), target: email, details: { role: input.role } }, now);
    return { kind: 'created', userId } as const;
  });
}

export type UserChange = { role: Role } | { disabled: boolean } | { password: string };
export type ChangeUserOutcome = { kind: 'changed' } | { kind: 'not_found' } | { kind: 'last_admin' };

/**
 * Role, disabling and password resets; the last active admin can be neither demoted nor disabled.
 * A new role applies at the user's next request (every request re-reads the user).
 */
export async function changeUser(db: Db, userId: number, change: UserChange, actor: Actor, now: Date): Promise<ChangeUserOutcome> {
  const passwordHash = 'password' in change ? await hashPassword(change.password) : undefined;
  return db.transaction().execute(async (trx): Promise<ChangeUserOutcome> => {
    const user = await userRepository.findById(trx, userId);
    if (!user) return { kind: 'not_found' };
    const losesAdmin = user.role === 'admin' && !user.disabled && (('role' in change && change.role !== 'admin') || ('disabled' in change && change.disabled));
    if (losesAdmin && (await userRepository.countActiveAdmins(trx)) <= 1) return { kind: 'last_admin' };
    const entry = { ...audit.by(actor), target: user.email };
    if ('role' in change) {
      await userRepository.update(trx, userId, { role: change.role }, now);
      await audit.record(trx, { ...entry, action: 'user.role_changed', details: { from: user.role, to: change.role } }, now);
    } else if ('disabled' in change) {
      await userRepository.update(trx, userId, { disabledAt: change.disabled ? now.toISOString() : null }, now);
      if (change.disabled) await endSessionsOf(trx, userId);
      await audit.record(trx, { ...entry, action: change.disabled ? 'user.disabled' : 'user.enabled' }, now);
    } else {
      await userRepository.update(trx, userId, { passwordHash: passwordHash! }, now);
      // Whoever knew the old password may be logged in with it: those sessions end now.
      await endSessionsOf(trx, userId);
      await audit.record(trx, { ...entry, action: 'user.password_reset' }, now);
    }
    return { kind: 'changed' };
  });
}

const SETUP_TOKEN_KEY = 'setup_token_hash';

/** On a start with no users, a fresh one-time set-up token (printed as a link); undefined otherwise. */
export async function prepareSetup(db: Db, now: Date): Promise<string | undefined> {
  if ((await userRepository.count(db)) > 0) return undefined;
  const { token, hash } = newToken(24);
  await settingsRepository.upsert(db, SETUP_TOKEN_KEY, hash, now);
  return token;
}

export async function isSetupTokenValid(db: Executor, token: string): Promise<boolean> {
  const stored = await settingsRepository.find(db, SETUP_TOKEN_KEY);
  if (!stored || (await userRepository.count(db)) > 0) return false;
  const given = Buffer.from(hashToken(token));
  return given.length === stored.length && crypto.timingSafeEqual(given, Buffer.from(stored));
}

export type SetupOutcome = { kind: 'created'; userId: number } | { kind: 'invalid_token' };

/** Creates the first admin; the token then stops working. */
export async function completeSetup(
  db: Db,
  token: string,
  input: { email: string; name: string; password: string },
  ip: string,
  now: Date,
): Promise<SetupOutcome> {
  const passwordHash = await hashPassword(input.password);
  return db.transaction().execute(async (trx): Promise<SetupOutcome> => {
    if (!(await isSetupTokenValid(trx, token))) return { kind: 'invalid_token' };
    const email = normalizeEmail(input.email);
    const userId = await userRepository.insert(trx, { email, name: input.name.trim(), role: 'admin', passwordHash, now });
    await settingsRepository.remove(trx, SETUP_TOKEN_KEY);
    await audit.record(trx, { action: 'setup.completed', userId, actor: email, ip, target: email }, now);
    return { kind: 'created', userId };
  });
}

/** Hourly: expired sessions and login counters whose window and lock are over are forgotten. */
export async function housekeeping(db: Db, now: Date): Promise<void> {
  await purgeExpiredSessions(db, now);
  await throttleRepository.purgeStale(db, new Date(now.getTime() - loginThrottle.THROTTLE.windowMinutes * 60_000), now);
}
