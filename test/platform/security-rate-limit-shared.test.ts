// The rate limits with several processes on one database (RATE_LIMIT_STORE=database): two apps on
// one database (SQLite file or PostgreSQL database) stand for two server processes. They count one
// visitor, one address and one sign-in address together; the table keeps no address or browser
// id; ended windows are purged. That a count which cannot be written never fails the request is
// in security-rate-limit-sqlite.test.ts (it locks and write-protects the SQLite file).
import fs from 'node:fs';
import request from 'supertest';
import { DEFAULT_RATE_LIMITS } from '../../server/platform/security/rate-limit';
import * as rateLimitRepository from '../../server/platform/security/rate-limit.repository';
import { browser, rateLimitRows, twoApps } from '../helpers/rate-limit';
import { tempDir, type TestApp } from '../helpers/test-app';

jest.setTimeout(60_000);

let dir: string;
let apps: TestApp[];

beforeEach(() => {
  dir = tempDir('paydas-rate-limit-');
  apps = [];
});

afterEach(async () => {
  for (const app of apps) expect(app.logged).toEqual([]);
  for (const app of apps) await app.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('two processes counting in the database', () => {
  it('count one visitor together: the 31st post in a minute, over both, gets 429', async () => {
    const [a, b] = await twoApps(dir, apps, 'database');
    const person = browser();
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) statuses.push((await person.answer(a, i % 2 === 0 ? a : b)).status);
    expect(statuses).toEqual(Array(30).fill(303));

    const refused = await person.answer(b, b);
    expect(refused.status).toBe(429);
    expect(refused.headers['ratelimit-policy']).toMatch(/^"visitor"; q=30; w=60/);
    expect((await person.answer(a, a)).status).toBe(429);
    // Another phone on the same address is its own visitor.
    expect((await browser().answer(a, b)).status).toBe(303);
    // A minute after the first post, the window is over in both.
    for (const t of [a, b]) t.clock.now = new Date(t.clock.now.getTime() + 60_000);
    expect((await person.answer(b, b)).status).toBe(303);
  });

  it('count every post, and only once, when both take a burst from one visitor at the same moment', async () => {
    const [a, b] = await twoApps(dir, apps, 'database', { visitorPostsPerMinute: 30, publicPostsPerMinute: 3000 });
    const id = 'q'.repeat(22);
    // No form token: each post is refused (403) once counted, or refused by the limit (429).
    const statuses = await Promise.all(Array.from({ length: 60 }, (_, i) => request((i % 2 === 0 ? a : b).app).post('/kurum-gorusu').set('Cookie', `pd_b=${id}`).then((r) => r.status)));
    expect(statuses.filter((s) => s === 403)).toHaveLength(30);
    expect(statuses.filter((s) => s === 429)).toHaveLength(30);
    // Each limit one row: 60 hits of the visitor, 30 of the address (the refused ones are not passed on to it).
    expect((await rateLimitRows(a)).map((row) => [row.bucket.split(':')[0], Number(row.hits)])).toEqual(
      expect.arrayContaining([
        ['visitor', 60],
        ['address', 30],
      ]),
    );
  });

  it('share the address ceiling and the sign-in limit too', async () => {
    const [a, b] = await twoApps(dir, apps, 'database', { visitorPostsPerMinute: 100, publicPostsPerMinute: 3, loginPer15Minutes: 2 });
    const post = (t: TestApp, i: number) => request(t.app).post('/kurum-gorusu').set('Cookie', `pd_b=${String(i).padStart(22, 'v')}`);
    expect([(await post(a, 1)).status, (await post(b, 2)).status, (await post(a, 3)).status]).toEqual([403, 403, 403]);
    const ceiling = await post(b, 4);
    expect(ceiling.status).toBe(429);
    expect(ceiling.headers['ratelimit-policy']).toMatch(/"address"; q=3; w=60/);

    expect((await request(a.app).post('/admin/login')).status).toBe(403);
    expect((await request(b.app).post('/admin/login')).status).toBe(403);
    const signIn = await request(a.app).post('/admin/login');
    expect(signIn.status).toBe(429);
    expect(signIn.headers['retry-after']).toBe('900');
  });

  it('keep no address or browser id: each client is the limit’s name and an HMAC under the site secret', async () => {
    const [a, b] = await twoApps(dir, apps, 'database', DEFAULT_RATE_LIMITS, { trustProxy: true });
    const id = 'B'.repeat(22);
    for (const t of [a, b, a]) await request(t.app).post('/kurum-gorusu').set('X-Forwarded-For', '203.0.113.7').set('Cookie', `pd_b=${id}`);
    await request(b.app).post('/admin/login').set('X-Forwarded-For', '2001:db8:1:2:3:4:5:6');

    const stored = await rateLimitRows(a);
    expect(stored.map((row) => row.bucket)).toEqual([
      expect.stringMatching(/^address:[\w-]{22}$/),
      expect.stringMatching(/^sign-in:[\w-]{22}$/),
      expect.stringMatching(/^visitor:[\w-]{22}$/),
    ]);
    expect(stored.map((row) => Number(row.hits))).toEqual([3, 1, 3]);
    const text = JSON.stringify(stored);
    for (const secret of ['203.0.113', '2001:db8', 'db8', id, 'BBBB']) expect(text).not.toContain(secret);
  });
});

describe('two processes counting in memory', () => {
  it('count alone: one visitor gets the limit once in each (why several processes need the database)', async () => {
    const [a, b] = await twoApps(dir, apps, 'memory');
    const person = browser();
    const statuses: number[] = [];
    for (let i = 0; i < 40; i++) statuses.push((await person.answer(a, i % 2 === 0 ? a : b)).status);
    expect(statuses).toEqual(Array(40).fill(303));
    expect(await rateLimitRows(a)).toEqual([]);
  });
});

describe('ended windows', () => {
  it('are purged by housekeeping; running ones stay', async () => {
    const [a] = await twoApps(dir, apps, 'database', { visitorPostsPerMinute: 100, publicPostsPerMinute: 100, loginPer15Minutes: 100 });
    await request(a.app).post('/kurum-gorusu').set('Cookie', `pd_b=${'o'.repeat(22)}`);
    await request(a.app).post('/admin/login');
    a.clock.now = new Date(a.clock.now.getTime() + 30_000);
    await request(a.app).post('/kurum-gorusu').set('Cookie', `pd_b=${'n'.repeat(22)}`);
    expect(await rateLimitRows(a)).toHaveLength(4);

    // 61 s after the first posts: their minute windows are over (the address's started with the
    // first post); the second visitor's and the sign-in's run on.
    const later = (seconds: number) => new Date(a.clock.now.getTime() + seconds * 1000);
    expect(await rateLimitRepository.purgeEnded(a.db, later(31))).toBe(2);
    expect((await rateLimitRows(a)).map((row) => [row.bucket.split(':')[0], Number(row.hits)])).toEqual([
      ['sign-in', 1],
      ['visitor', 1],
    ]);
    expect(await rateLimitRepository.purgeEnded(a.db, later(59))).toBe(0);
    expect(await rateLimitRepository.purgeEnded(a.db, later(60))).toBe(1);
    expect(await rateLimitRepository.purgeEnded(a.db, later(15 * 60))).toBe(1);
    expect(await rateLimitRows(a)).toEqual([]);
  });
});
