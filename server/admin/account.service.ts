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
import { DEFAULT_LANGUAGE } from '../platform/i18n/i18n';
import type { Mailer } from '../platform/mail/mailer';

export type { Actor } from '../platform/audit/audit.repository';

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export type LoginOutcome =
  | { kind: 'ok'; user: User }
  | { kind: 'invalid' }
  | { kind: 'locked'; until: Date }
  /** The password was right, but the caller said no session cookie can be set on this request. */
  | { kind: 'no_session' };

export interface LoginAttempt {
  email: string;
  password: string;
  ip: string;
  now: Date;
  /** Waits before the password is checked; the route passes a real timer, tests a recorder. */
  sleep: (ms: number) => Promise<void>;
  /**
   * False when the session cookie could not reach the browser (a Secure cookie on what looks like
   * http): a right password then logs nobody in, and is recorded as such rather than as a login.
   */
  sessionPossible?: boolean;
}

/** What a login needs besides the database: the owner's e-mail goes out by the mailer, the counters are keyed under the site secret. */
export interface LoginDeps {
  mailer: Mailer;
  secret: string;
}

export async function logIn(db: Db, deps: LoginDeps, attempt: LoginAttempt): Promise<LoginOutcome> {
  const email = normalizeEmail(attempt.email);
  const { now, ip } = attempt;
  const { mailer } = deps;
  // The counters' rows hold HMACs of the e-mail and address, never the addresses themselves.
  const keys = loginThrottle.throttleKeys(deps.secret, email, ip);
  const { THROTTLE } = loginThrottle;
  const countersIn = async (trx: Executor): Promise<loginThrottle.Counters> => ({
    pair: await throttleRepository.find(trx, keys.pair),
    address: await throttleRepository.find(trx, keys.address),
    account: await throttleRepository.find(trx, keys.account),
  });

  // The attempt is counted before the password is checked: parallel guesses each take a place
  // in the count, and those past the limit are refused without a check.
  const admitted = await db.transaction().execute(async (trx) => {
    const counters = await countersIn(trx);
    const refused = loginThrottle.refusedUntil(counters, now);
    if (refused) {
      await audit.record(trx, { action: 'login.locked', actor: email, ip }, now);
      return { refused };
    }
    await throttleRepository.save(trx, keys.pair, loginThrottle.afterAttempt(counters.pair, now, THROTTLE.lockPairAfter));
    await throttleRepository.save(trx, keys.address, loginThrottle.afterAttempt(counters.address, now, THROTTLE.lockAddressAfter));
    await throttleRepository.save(trx, keys.account, loginThrottle.afterAttempt(counters.account, now));
    return { delay: loginThrottle.delayFor(counters, now) };
  });
  if ('refused' in admitted) return { kind: 'locked', until: admitted.refused! };
  await attempt.sleep(admitted.delay);

  // The slow hash runs outside any transaction, so it never holds the database's write lock.
  const user = await userRepository.findByEmailWithHash(db, email);
  const matches = await verifyPassword(attempt.password, user?.passwordHash ?? UNUSABLE_HASH);
  return db.transaction().execute(async (trx): Promise<LoginOutcome> => {
    if (user && matches && !user.disabled) {
      await throttleRepository.clear(trx, keys.pair);
      const address = loginThrottle.afterSuccess(await throttleRepository.find(trx, keys.address), now, THROTTLE.lockAddressAfter);
      if (address) await throttleRepository.save(trx, keys.address, address);
      // The account's count is not cleared, only this attempt given back: the owner signing in
      // does not end someone else's guessing, and its window decides when the owner is told again.
      const account = loginThrottle.afterSuccess(await throttleRepository.find(trx, keys.account), now);
      if (account) await throttleRepository.save(trx, keys.account, account);
      if (attempt.sessionPossible === false) {
        await audit.record(trx, { action: 'login.no_session', userId: user.id, actor: user.email, ip }, now);
        return { kind: 'no_session' };
      }
      await audit.record(trx, { action: 'login.succeeded', userId: user.id, actor: user.email, ip }, now);
      const { passwordHash: _hash, ...withoutHash } = user;
      return { kind: 'ok', user: withoutHash };
    }
    const counters = await countersIn(trx);
    await audit.record(
      trx,
      { action: 'login.failed', userId: user?.id ?? null, actor: email, ip, details: { failures: counters.pair?.failures ?? 1, account_failures: counters.account?.failures ?? 1 } },
      now,
    );
    if (user && !user.disabled && loginThrottle.ownerToBeNotified(counters.account, now)) {
      await tellOwner(trx, mailer, user, counters.account!, ip, now);
      await throttleRepository.save(trx, keys.account, loginThrottle.notified(counters.account!, now));
    }
    const until = loginThrottle.refusedUntil(counters, now);
    return until ? { kind: 'locked', until } : { kind: 'invalid' };
  });
}

/** The owner's e-mail about failed sign-ins: when and how many, no address in full, no secret. */
async function tellOwner(trx: Executor, mailer: Mailer, user: User, account: loginThrottle.ThrottleState, ip: string, now: Date): Promise<void> {
  await mailer.queue(
    trx,
    {
      to: user.email,
      language: DEFAULT_LANGUAGE,
      template: 'admin/login-failures',
      subjectKey: 'admin:login_mail.subject',
      locals: {
        name: user.name,
        email: user.email,
        failures: account.failures,
        since: account.windowStartedAt,
        last: now.toISOString(),
        network: loginThrottle.truncatedAddress(ip),
        minutes: loginThrottle.THROTTLE.windowMinutes,
      },
      kind: 'login_failures',
      ref: String(user.id),
    },
    now,
  );
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
const SETUP_SEED_KEY = 'setup_token_seed';

/**
 * On a start with no users, the one-time set-up token (printed as a link); undefined otherwise.
 * Every process and instance on the database prints the same one: it is derived from a seed the
 * first of them stores and the site secret they share, so whichever log the operator reads holds
 * the link that works. Only its hash is checked; the seed alone does not give it.
 */
export async function prepareSetup(db: Db, now: Date, secret: string): Promise<string | undefined> {
  if ((await userRepository.count(db)) > 0) return undefined;
  const seed = await settingsRepository.findOrInsert(db, SETUP_SEED_KEY, crypto.randomBytes(24).toString('base64url'), now);
  const token = crypto.createHmac('sha256', secret).update(`setup:${seed}`).digest('base64url').slice(0, 32);
  await settingsRepository.upsert(db, SETUP_TOKEN_KEY, hashToken(token), now);
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
    await settingsRepository.remove(trx, SETUP_SEED_KEY);
    await audit.record(trx, { action: 'setup.completed', userId, actor: email, ip, target: email }, now);
    return { kind: 'created', userId };
  });
}

/** Hourly: expired sessions and login counters whose window and lock are over are forgotten. */
export async function housekeeping(db: Db, now: Date): Promise<void> {
  await purgeExpiredSessions(db, now);
  await throttleRepository.purgeStale(db, new Date(now.getTime() - loginThrottle.THROTTLE.windowMinutes * 60_000), now);
}
