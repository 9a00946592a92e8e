import * as accountService from '../../server/admin/account.service';
import * as loginThrottle from '../../server/admin/login-throttle';
import { THROTTLE } from '../../server/admin/login-throttle';
import * as throttleRepository from '../../server/admin/login-throttle.repository';
import { hashPassword, verifyPassword } from '../../server/admin/password';
import { addUser } from '../helpers/admin';
import { createTestApp, TEST_SECRET, type TestApp } from '../helpers/test-app';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => {
  await t.close();
});

const MINUTE = 60_000;
const attempt = (email: string, password: string, overrides: Partial<accountService.LoginAttempt> = {}) => {
  const delays: number[] = [];
  return {
    delays,
    run: () =>
      accountService.logIn(t.db, { mailer: t.mailer, secret: TEST_SECRET }, {
        email,
        password,
        ip: '203.0.113.5',
        now: t.clock.now,
        sleep: async (ms) => {
          delays.push(ms);
        },
        ...overrides,
      }),
  };
};

describe('password hashing', () => {
  it('uses scrypt with a salt of its own per hash, and verifies only the right password', async () => {
    const [a, b] = [await hashPassword('aynı parola 123'), await hashPassword('aynı parola 123')];
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword('aynı parola 123', a)).toBe(true);
    expect(await verifyPassword('aynı parola 124', a)).toBe(false);
    expect(await verifyPassword('x', 'md5$abc')).toBe(false);
  });
});

describe('accountService.logIn', () => {
  it('logs in with the right password, whatever the e-mail case, and records it', async () => {
    const user = await addUser(t, 'planner');
    const outcome = await attempt(user.email.toUpperCase(), user.password).run();
    expect(outcome).toEqual({ kind: 'ok', user: expect.objectContaining({ id: user.id, role: 'planner' }) });
    const events = await t.db.selectFrom('audit_events').select(['action', 'actor', 'ip']).execute();
    expect(events).toContainEqual({ action: 'login.succeeded', actor: user.email, ip: '203.0.113.5' });
  });

  it('refuses a wrong password, an unknown account and a disabled user alike', async () => {
    const user = await addUser(t, 'planner');
    const disabled = await addUser(t, 'viewer');
    await accountService.changeUser(t.db, disabled.id, { disabled: true }, { userId: null, email: 'test', ip: null }, t.clock.now);
    expect(await attempt(user.email, 'yanlış parola!').run()).toEqual({ kind: 'invalid' });
    expect(await attempt('kimse@example.org', 'yanlış parola!').run()).toEqual({ kind: 'invalid' });
    expect(await attempt(disabled.email, disabled.password).run()).toEqual({ kind: 'invalid' });
  });

  describe('when one address keeps failing on an account', () => {
    it('slows it down from the third failure, then refuses that address for 15 minutes, even with the right password', async () => {
      const user = await addUser(t, 'planner');
      const delays: number[] = [];
      for (let i = 0; i < THROTTLE.lockPairAfter - 1; i++) {
        const one = attempt(user.email, 'yanlış parola!');
        expect(await one.run()).toEqual({ kind: 'invalid' });
        delays.push(...one.delays);
      }
      expect(delays).toEqual([0, 0, 0, 1000]);
      const fifth = await attempt(user.email, 'yanlış parola!').run();
      expect(fifth).toEqual({ kind: 'locked', until: new Date(t.clock.now.getTime() + 15 * MINUTE) });
      expect(await attempt(user.email, user.password).run()).toMatchObject({ kind: 'locked' });

      t.clock.now = new Date(t.clock.now.getTime() + 16 * MINUTE);
      expect(await attempt(user.email, user.password).run()).toMatchObject({ kind: 'ok' });
    });

    it('lets the owner sign in from another address meanwhile, without delay', async () => {
      const user = await addUser(t, 'planner');
      for (let i = 0; i < THROTTLE.lockPairAfter; i++) await attempt(user.email, 'yanlış parola!').run();
      expect(await attempt(user.email, user.password).run()).toMatchObject({ kind: 'locked' });
      const owner = attempt(user.email, user.password, { ip: '192.0.2.44' });
      expect(await owner.run()).toMatchObject({ kind: 'ok', user: expect.objectContaining({ id: user.id }) });
      expect(owner.delays).toEqual([0]);
      const events = await t.db.selectFrom('audit_events').select(['action', 'ip']).orderBy('id').execute();
      expect(events.filter((e) => e.action === 'login.failed')).toHaveLength(THROTTLE.lockPairAfter);
      expect(events).toContainEqual({ action: 'login.locked', ip: '203.0.113.5' });
      expect(events.at(-1)).toEqual({ action: 'login.succeeded', ip: '192.0.2.44' });
    });

    it('forgets that address\'s failures on the account once a login from it succeeds', async () => {
      const user = await addUser(t, 'planner');
      for (let i = 0; i < 2; i++) await attempt(user.email, 'yanlış parola!').run();
      const pairKey = loginThrottle.pairKey(TEST_SECRET, user.email, '203.0.113.5');
      expect(await throttleRepository.find(t.db, pairKey)).toMatchObject({ failures: 2 });
      expect(await attempt(user.email, user.password).run()).toMatchObject({ kind: 'ok' });
      expect(await throttleRepository.find(t.db, pairKey)).toBeUndefined();
      // The account's own count stays: the owner signing in does not end someone else's guessing.
      expect(await throttleRepository.find(t.db, loginThrottle.accountKey(TEST_SECRET, user.email))).toMatchObject({ failures: 2 });
    });
  });

  it('counts a burst of parallel guesses from one address before checking them, so at most five are ever checked', async () => {
    const user = await addUser(t, 'planner');
    const guesses = Array.from({ length: 30 }, (_, i) => (i === 20 ? user.password : `yanlış-${i}`));
    const outcomes = await Promise.all(guesses.map((password) => attempt(user.email, password).run()));
    const checked = outcomes.filter((outcome) => outcome.kind !== 'locked');
    expect(checked.length).toBeLessThanOrEqual(4);
    expect(outcomes[20]).toMatchObject({ kind: 'locked' });
    const failures = await t.db.selectFrom('audit_events').select('action').where('action', '=', 'login.failed').execute();
    expect(failures.length).toBeLessThanOrEqual(THROTTLE.lockPairAfter);
  });

  it('never refuses the account itself: guesses from many addresses slow every answer on it, the owner\'s too, but the owner gets in', async () => {
    const user = await addUser(t, 'planner');
    // The guesses so far, each from its own address (checking each would take a scrypt hash).
    const failures = THROTTLE.slowAccountAfter - 1;
    await throttleRepository.save(t.db, loginThrottle.accountKey(TEST_SECRET, user.email), { failures, windowStartedAt: t.clock.now.toISOString(), lockedUntil: null, notifiedAt: null });
    expect(await attempt(user.email, 'yanlış parola!', { ip: '198.51.100.200' }).run()).toEqual({ kind: 'invalid' });
    const owner = attempt(user.email, user.password, { ip: '192.0.2.44' });
    expect(await owner.run()).toMatchObject({ kind: 'ok' });
    expect(owner.delays).toEqual([THROTTLE.maxDelayMs]);
  });

  it('locks an address that tries many accounts', async () => {
    for (let i = 0; i < THROTTLE.lockAddressAfter - 1; i++) {
      expect(await attempt(`deneme${i}@example.org`, 'yanlış parola!').run()).toEqual({ kind: 'invalid' });
    }
    expect(await attempt('deneme-son@example.org', 'yanlış parola!').run()).toMatchObject({ kind: 'locked' });
    const user = await addUser(t, 'admin');
    expect(await attempt(user.email, user.password).run()).toMatchObject({ kind: 'locked' });
    expect(await attempt(user.email, user.password, { ip: '192.0.2.1' }).run()).toMatchObject({ kind: 'ok' });
  });

  describe('when an account keeps failing from anywhere', () => {
    it('queues one e-mail to its owner per window, with the count and the time but no full address', async () => {
      const user = await addUser(t, 'planner');
      for (let i = 0; i < THROTTLE.notifyOwnerAfter - 1; i++) await attempt(user.email, 'yanlış parola!', { ip: `198.51.100.${i}` }).run();
      expect(await outbox(t)).toEqual([]);
      await attempt(user.email, 'yanlış parola!', { ip: '198.51.100.77' }).run();
      for (let i = 0; i < 6; i++) await attempt(user.email, 'yanlış parola!', { ip: `203.0.113.${i}` }).run();
      const mails = await outbox(t);
      expect(mails).toHaveLength(1);
      expect(mails[0]).toMatchObject({ to_address: user.email, kind: 'login_failures', subject: 'Hesabınıza hatalı giriş denemeleri' });
      expect(mails[0]!.text_body).toContain(`${THROTTLE.notifyOwnerAfter} hatalı giriş denemesi`);
      expect(mails[0]!.text_body).toContain('21.11.2026');
      expect(mails[0]!.text_body).toContain('198.51.100.x');
      expect(mails[0]!.text_body).not.toContain('198.51.100.77');

      t.clock.now = new Date(t.clock.now.getTime() + (THROTTLE.windowMinutes + 1) * MINUTE);
      for (let i = 0; i < THROTTLE.notifyOwnerAfter; i++) await attempt(user.email, 'yanlış parola!', { ip: `192.0.2.${i}` }).run();
      expect(await outbox(t)).toHaveLength(2);
    });

    it('e-mails nobody for an unknown or disabled account', async () => {
      const disabled = await addUser(t, 'viewer');
      await accountService.changeUser(t.db, disabled.id, { disabled: true }, { userId: null, email: 'test', ip: null }, t.clock.now);
      for (let i = 0; i < THROTTLE.notifyOwnerAfter + 1; i++) {
        await attempt('kimse@example.org', 'yanlış parola!', { ip: `198.51.100.${i}` }).run();
        await attempt(disabled.email, 'yanlış parola!', { ip: `198.51.100.${i}` }).run();
      }
      expect(await outbox(t)).toEqual([]);
    });
  });

  it('records a right password on a request that cannot hold a session as login.no_session, not as a login', async () => {
    const user = await addUser(t, 'planner');
    expect(await attempt(user.email, user.password, { sessionPossible: false }).run()).toEqual({ kind: 'no_session' });
    expect(await attempt(user.email, 'yanlış parola!', { sessionPossible: false }).run()).toEqual({ kind: 'invalid' });
    const actions = await t.db.selectFrom('audit_events').select('action').where('action', 'in', ['login.succeeded', 'login.failed', 'login.locked', 'login.no_session']).orderBy('id').execute();
    expect(actions.map((e) => e.action)).toEqual(['login.no_session', 'login.failed']);
  });
});

const outbox = (app: TestApp) => app.db.selectFrom('outbox_messages').select(['to_address', 'kind', 'subject', 'text_body']).orderBy('id').execute();

describe('accountService.changeUser', () => {
  const actor = { userId: null, email: 'test', ip: null };

  it('refuses to demote or disable the last active admin, and allows it when another exists', async () => {
    const admin = await addUser(t, 'admin');
    expect(await accountService.changeUser(t.db, admin.id, { role: 'planner' }, actor, t.clock.now)).toEqual({ kind: 'last_admin' });
    expect(await accountService.changeUser(t.db, admin.id, { disabled: true }, actor, t.clock.now)).toEqual({ kind: 'last_admin' });
    await addUser(t, 'admin');
    expect(await accountService.changeUser(t.db, admin.id, { role: 'viewer' }, actor, t.clock.now)).toEqual({ kind: 'changed' });
  });

  it('resets a password so only the new one works', async () => {
    const user = await addUser(t, 'viewer');
    await accountService.changeUser(t.db, user.id, { password: 'yepyeni-parola-42' }, actor, t.clock.now);
    expect(await attempt(user.email, user.password).run()).toEqual({ kind: 'invalid' });
    expect(await attempt(user.email, 'yepyeni-parola-42', { ip: '192.0.2.7' }).run()).toMatchObject({ kind: 'ok' });
  });
});

describe('first set-up', () => {
  it('gives a token while there are no users, which creates one admin and then stops working', async () => {
    const token = (await accountService.prepareSetup(t.db, t.clock.now, TEST_SECRET))!;
    expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    // Another process or instance starting on the same database prints the same link.
    expect(await accountService.prepareSetup(t.db, t.clock.now, TEST_SECRET)).toBe(token);
    expect(await accountService.isSetupTokenValid(t.db, token)).toBe(true);
    expect(await accountService.isSetupTokenValid(t.db, 'yanlış')).toBe(false);
    const input = { email: 'Yonetici@Example.org', name: 'İlk Yönetici', password: 'ilk-yonetici-parolasi' };
    expect(await accountService.completeSetup(t.db, token, input, '127.0.0.1', t.clock.now)).toMatchObject({ kind: 'created' });
    expect(await accountService.completeSetup(t.db, token, { ...input, email: 'ikinci@example.org' }, '127.0.0.1', t.clock.now)).toEqual({ kind: 'invalid_token' });
    expect(await accountService.prepareSetup(t.db, t.clock.now, TEST_SECRET)).toBeUndefined();
    const users = await t.db.selectFrom('users').select(['email', 'role']).execute();
    expect(users).toEqual([{ email: 'yonetici@example.org', role: 'admin' }]);
  });
});

describe('housekeeping', () => {
  it('forgets expired sessions and login counters whose window and lock are over', async () => {
    const user = await addUser(t, 'planner');
    for (let i = 0; i < 5; i++) await attempt(user.email, `yanlış-${i}`).run();
    await t.db.insertInto('sessions').values({ sid: 'eski', data: '{}', expires_at: '2020-01-01T00:00:00.000Z', user_id: null }).execute();
    await accountService.housekeeping(t.db, t.clock.now);
    expect(await t.db.selectFrom('login_throttles').select('key').execute()).toHaveLength(3);
    expect(await t.db.selectFrom('sessions').select('sid').execute()).toEqual([]);
    await accountService.housekeeping(t.db, new Date(t.clock.now.getTime() + 20 * MINUTE));
    expect(await t.db.selectFrom('login_throttles').select('key').execute()).toEqual([]);
  });
});
