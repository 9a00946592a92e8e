import * as accountService from '../../server/admin/account.service';
import { THROTTLE } from '../../server/admin/login-throttle';
import { hashPassword, verifyPassword } from '../../server/admin/password';
import { addUser } from '../helpers/admin';
import { createTestApp, type TestApp } from '../helpers/test-app';

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
      accountService.logIn(t.db, {
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

  describe('when an account keeps failing', () => {
    it('slows down from the third failure, then locks for 15 minutes, even for the right password', async () => {
      const user = await addUser(t, 'planner');
      const delays: number[] = [];
      for (let i = 0; i < THROTTLE.lockAccountAfter - 1; i++) {
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

    it('forgets failures once a login succeeds', async () => {
      const user = await addUser(t, 'planner');
      for (let i = 0; i < 3; i++) await attempt(user.email, 'yanlış parola!', { ip: `198.51.100.${i}` }).run();
      await attempt(user.email, user.password, { ip: '198.51.100.9' }).run();
      const next = attempt(user.email, 'yanlış parola!', { ip: '198.51.100.10' });
      expect(await next.run()).toEqual({ kind: 'invalid' });
      expect(next.delays).toEqual([0]);
    });
  });

  it('counts a burst of parallel guesses before checking them, so at most five are ever checked', async () => {
    const user = await addUser(t, 'planner');
    const guesses = Array.from({ length: 30 }, (_, i) => (i === 20 ? user.password : `yanlış-${i}`));
    const outcomes = await Promise.all(guesses.map((password, i) => attempt(user.email, password, { ip: `198.51.100.${i}` }).run()));
    const checked = outcomes.filter((outcome) => outcome.kind !== 'locked');
    expect(checked.length).toBeLessThanOrEqual(4);
    expect(outcomes[20]).toMatchObject({ kind: 'locked' });
    const failures = await t.db.selectFrom('audit_events').select('action').where('action', '=', 'login.failed').execute();
    expect(failures.length).toBeLessThanOrEqual(THROTTLE.lockAccountAfter);
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
});

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
    const token = (await accountService.prepareSetup(t.db, t.clock.now))!;
    expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(await accountService.isSetupTokenValid(t.db, 'yanlış')).toBe(false);
    const input = { email: 'Yonetici@Example.org', name: 'İlk Yönetici', password: 'ilk-yonetici-parolasi' };
    expect(await accountService.completeSetup(t.db, token, input, '127.0.0.1', t.clock.now)).toMatchObject({ kind: 'created' });
    expect(await accountService.completeSetup(t.db, token, { ...input, email: 'ikinci@example.org' }, '127.0.0.1', t.clock.now)).toEqual({ kind: 'invalid_token' });
    expect(await accountService.prepareSetup(t.db, t.clock.now)).toBeUndefined();
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
    expect(await t.db.selectFrom('login_throttles').select('key').execute()).toHaveLength(2);
    expect(await t.db.selectFrom('sessions').select('sid').execute()).toEqual([]);
    await accountService.housekeeping(t.db, new Date(t.clock.now.getTime() + 20 * MINUTE));
    expect(await t.db.selectFrom('login_throttles').select('key').execute()).toEqual([]);
  });
});
