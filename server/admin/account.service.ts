// Planner accounts: logging in (with throttling), creating and changing users, first set-up.
// Expected situations are outcomes, not exceptions.
import crypto from 'node:crypto';
import type { Db, Executor } from '../platform/db/connection';
import * as audit from '../platform/audit/audit';
import type { Actor } from '../platform/audit/audit';
import * as settingsRepository from '../platform/db/settings.repository';
import type { Role } from './account.table';
import * as loginThrottle from './login-throttle';
import { hashPassword, UNUSABLE_HASH, verifyPassword } from './password';
import * as userRepository from './user.repository';
import type { User } from './user.repository';

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
  const { now } = attempt;
  const keys = { account: loginThrottle.accountKey(email), address: loginThrottle.addressKey(attempt.ip) };
  const states = [await loginThrottle.find(db, keys.account), await loginThrottle.find(db, keys.address)];
  const locked = states.map((state) => loginThrottle.lockedUntil(state, now)).find(Boolean);
  if (locked) {
    await audit.record(db, { action: 'login.locked', actor: email, ip: attempt.ip }, now);
    return { kind: 'locked', until: locked };
  }
  await attempt.sleep(loginThrottle.delayFor(states, now));

  // The slow hash runs outside any transaction, so it never holds the database's write lock.
  const user = await userRepository.findByEmailWithHash(db, email);
  const matches = await verifyPassword(attempt.password, user?.passwordHash ?? UNUSABLE_HASH);
  if (user && matches && !user.disabled) {
    await db.transaction().execute(async (trx) => {
      await loginThrottle.clear(trx, keys.account);
      await audit.record(trx, { action: 'login.succeeded', userId: user.id, actor: user.email, ip: attempt.ip }, now);
    });
    const { passwordHash: _hash, ...withoutHash } = user;
    return { kind: 'ok', user: withoutHash };
  }

  return db.transaction().execute(async (trx): Promise<LoginOutcome> => {
    const account = loginThrottle.afterFailure(await loginThrottle.find(trx, keys.account), now, loginThrottle.THROTTLE.lockAccountAfter);
    const address = loginThrottle.afterFailure(await loginThrottle.find(trx, keys.address), now, loginThrottle.THROTTLE.lockAddressAfter);
    await loginThrottle.save(trx, keys.account, account);
    await loginThrottle.save(trx, keys.address, address);
    await audit.record(trx, { action: 'login.failed', userId: user?.id ?? null, actor: email, ip: attempt.ip, details: { failures: account.failures } }, now);
    const until = [account, address].map((state) => loginThrottle.lockedUntil(state, now)).find(Boolean);
    return until ? { kind: 'locked', until } : { kind: 'invalid' };
  });
}

export type { Actor } from '../platform/audit/audit';

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
 * A disabled user's sessions end at their next request: every request re-reads the user.
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
      await audit.record(trx, { ...entry, action: change.disabled ? 'user.disabled' : 'user.enabled' }, now);
    } else {
      await userRepository.update(trx, userId, { passwordHash: passwordHash! }, now);
      await audit.record(trx, { ...entry, action: 'user.password_reset' }, now);
    }
    return { kind: 'changed' };
  });
}

const SETUP_TOKEN_KEY = 'setup_token_hash';
const hashToken = (token: string) => crypto.createHash('sha256').update(token).digest('hex');

/** On a start with no users, a fresh one-time set-up token (printed as a link); undefined otherwise. */
export async function prepareSetup(db: Db, now: Date): Promise<string | undefined> {
  if ((await userRepository.count(db)) > 0) return undefined;
  const token = crypto.randomBytes(24).toString('base64url');
  await db
    .insertInto('settings')
    .values({ key: SETUP_TOKEN_KEY, value: hashToken(token), updated_at: now.toISOString() })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: hashToken(token), updated_at: now.toISOString() }))
    .execute();
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
    await trx.deleteFrom('settings').where('key', '=', SETUP_TOKEN_KEY).execute();
    await audit.record(trx, { action: 'setup.completed', userId, actor: email, ip, target: email }, now);
    return { kind: 'created', userId };
  });
}
