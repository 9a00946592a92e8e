// The failed-login counters hold no personal data: rows are keyed by an HMAC of the e-mail and the
// client address under the site secret, while refusing by address on an account and across
// accounts, and telling the owner, work as before. Migration 2026_12_09_30 drops the rows that
// were keyed by addresses in clear.
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { accountKey, addressKey, pairKey, THROTTLE, throttleKeys } from '../../server/admin/login-throttle';
import { loadConfig } from '../../server/config';
import { addUser, csrfFrom, type TestUser } from '../helpers/admin';
import { openMigratedUpTo } from '../helpers/database-template';
import { createTestApp, tempDir, TEST_SECRET, type TestApp } from '../helpers/test-app';

// Twenty-odd sign-ins, each with a scrypt check: seconds alone, longer on a loaded machine.
jest.setTimeout(120_000);

const ATTACKER = '203.0.113.66';
const OWNER = '192.0.2.10';
const HASHED_KEY = /^(account|address|pair):[A-Za-z0-9_-]{22}$/;

function browserAt(t: TestApp, ip: string) {
  const agent = request.agent(t.app);
  return {
    agent,
    async signIn(email: string, password: string) {
      const page = await agent.get('/admin/login').set('X-Forwarded-For', ip);
      return agent.post('/admin/login').set('X-Forwarded-For', ip).type('form').send({ _csrf: csrfFrom(page.text), email, password });
    },
  };
}

describe('login throttle keys', () => {
  it('are the kind and an HMAC that depends on the secret, the kind and the value', () => {
    const key = accountKey(TEST_SECRET, 'ayse@example.org');
    expect(key).toMatch(HASHED_KEY);
    expect(key.startsWith('account:')).toBe(true);
    expect(accountKey(TEST_SECRET, 'ayse@example.org')).toBe(key);
    expect(accountKey('another-secret-that-is-long-enough-0123456789', 'ayse@example.org')).not.toBe(key);
    expect(accountKey(TEST_SECRET, 'mehmet@example.org')).not.toBe(key);
    // The same text as an account and as an address is counted apart.
    expect(addressKey(TEST_SECRET, 'x').slice('address:'.length)).not.toBe(accountKey(TEST_SECRET, 'x').slice('account:'.length));
    expect(pairKey(TEST_SECRET, 'ayse@example.org', ATTACKER)).not.toBe(pairKey(TEST_SECRET, 'ayse@example.org', OWNER));
    expect(throttleKeys(TEST_SECRET, 'ayse@example.org', ATTACKER)).toEqual({
      pair: pairKey(TEST_SECRET, 'ayse@example.org', ATTACKER),
      address: addressKey(TEST_SECRET, ATTACKER),
      account: key,
    });
  });
});

describe('failed sign-ins behind a proxy, counted under hashed keys', () => {
  let t: TestApp;
  let user: TestUser;
  beforeEach(async () => {
    t = await createTestApp({ trustProxy: loadConfig({ TRUST_PROXY: '1' }).trustProxy });
    user = await addUser(t, 'planner', 'Ayşe Yılmaz');
  });
  afterEach(async () => {
    expect(t.logged).toEqual([]);
    await t.close();
  });

  const throttleRows = () => t.db.selectFrom('login_throttles').selectAll().orderBy('key').execute();
  /** Fails if any counter row holds an e-mail address, its local part, or a client address. */
  async function expectNoPersonalData(emails: string[], addresses: string[]) {
    const rows = await throttleRows();
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row.key).toMatch(HASHED_KEY);
    const stored = JSON.stringify(rows).toLowerCase();
    for (const email of emails) {
      expect(stored).not.toContain(email.toLowerCase());
      expect(stored).not.toContain(email.toLowerCase().split('@')[0]);
    }
    for (const address of addresses) expect(stored).not.toContain(address);
    expect(stored).not.toContain('example.org');
    return rows;
  }

  it('refuses the guessing address on the account, lets the owner in from another, tells the owner once, and stores no address', async () => {
    const attacker = browserAt(t, ATTACKER);
    const answers: number[] = [];
    // The e-mail as typed in any case is one account: the key is taken of the normalised address.
    for (let i = 0; i < THROTTLE.lockPairAfter; i++) answers.push((await attacker.signIn(i % 2 ? user.email.toUpperCase() : user.email, `yanlış-${i}`)).status);
    expect(answers).toEqual([401, 401, 401, 401, 429]);
    expect((await attacker.signIn(user.email, user.password)).status).toBe(429);
    expect((await browserAt(t, OWNER).signIn(user.email, user.password)).status).toBe(303);

    const rows = await expectNoPersonalData([user.email], [ATTACKER, OWNER]);
    const keys = throttleKeys(TEST_SECRET, user.email, ATTACKER);
    const byKey = new Map(rows.map((row) => [row.key, row]));
    expect(byKey.get(keys.pair)).toMatchObject({ failures: THROTTLE.lockPairAfter, locked_until: expect.any(String) });
    expect(byKey.get(keys.address)).toMatchObject({ failures: THROTTLE.lockPairAfter });
    // The account's counter carries when its owner was told; the mail itself is in the outbox.
    expect(byKey.get(keys.account)).toMatchObject({ failures: THROTTLE.lockPairAfter, notified_at: expect.any(String) });
    const mails = await t.db.selectFrom('outbox_messages').select(['to_address', 'kind']).where('kind', '=', 'login_failures').execute();
    expect(mails).toEqual([{ to_address: user.email, kind: 'login_failures' }]);
    // The owner's own sign-in left no pair row behind (cleared on success).
    expect(byKey.has(pairKey(TEST_SECRET, user.email, OWNER))).toBe(false);
    // The audit log still names who and from where: it is the record, the counters are not.
    const audit = await t.db.selectFrom('audit_events').select(['action', 'actor', 'ip']).where('action', '=', 'login.failed').execute();
    expect(audit).toHaveLength(THROTTLE.lockPairAfter);
    expect(audit.every((e) => e.actor === user.email && e.ip === ATTACKER)).toBe(true);
  });

  it('refuses an address that fails across many accounts on every account, and no other address, storing none of them', async () => {
    const attacker = browserAt(t, ATTACKER);
    const tried = Array.from({ length: THROTTLE.lockAddressAfter - 1 }, (_, i) => `kisi${i}@example.org`);
    for (const email of tried) expect((await attacker.signIn(email, 'yanlış parola!')).status).toBe(401);
    expect((await attacker.signIn('son@example.org', 'yanlış parola!')).status).toBe(429);
    expect((await attacker.signIn(user.email, user.password)).status).toBe(429);
    expect((await browserAt(t, OWNER).signIn(user.email, user.password)).status).toBe(303);

    const rows = await expectNoPersonalData([...tried, 'son@example.org', user.email], [ATTACKER, OWNER]);
    expect(rows.find((row) => row.key === addressKey(TEST_SECRET, ATTACKER))).toMatchObject({ failures: THROTTLE.lockAddressAfter, locked_until: expect.any(String) });
    expect(rows.filter((row) => row.key.startsWith('account:'))).toHaveLength(THROTTLE.lockAddressAfter + 1);
  });
});

describe('migration 2026_12_09_30_forget_plain_login_throttle_keys', () => {
  it('deletes the counters keyed by e-mail and IP addresses in clear', async () => {
    const dir = tempDir('paydas-throttle-keys-');
    const file = path.join(dir, 'paydas.sqlite');
    const old = await openMigratedUpTo(file, '2026_12_08_95_create_rate_limit_hits');
    const row = (key: string) => ({ key, failures: 3, window_started_at: '2026-11-21T10:00:00.000Z', locked_until: null, notified_at: null });
    await old.insertInto('login_throttles').values([row('account:ayse@example.org'), row(`address:${ATTACKER}`), row(`pair:${ATTACKER} ayse@example.org`)]).execute();
    // A row the migration leaves alone, to tell the old database from a fresh one.
    await old.insertInto('settings').values({ key: 'test.marker', value: 'eski', updated_at: '2026-11-21T10:00:00.000Z' }).execute();
    await old.destroy();

    const t = await createTestApp({ databaseFile: file });
    try {
      expect(await t.db.selectFrom('login_throttles').selectAll().execute()).toEqual([]);
      expect(await t.db.selectFrom('settings').select('value').where('key', '=', 'test.marker').executeTakeFirst()).toEqual({ value: 'eski' });
    } finally {
      await t.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
