// The rate limits counted in a SQLite database that cannot take the count: the file locked by
// another process, or the connection read-only. The post never fails; it is counted in the
// process's memory meanwhile. And the counts are written without an fsync while everything else
// keeps one. These lock and set pragmas on the SQLite file itself, so they run on SQLite only
// (jest.config.js leaves *-sqlite.test.ts to the SQLite pass).
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import request from 'supertest';
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

describe('a count that cannot be written', () => {
  it('never fails the post: it is counted in the process’s memory meanwhile, with one warning per limit', async () => {
    const [a, b] = await twoApps(dir, apps, 'database', { visitorPostsPerMinute: 2, publicPostsPerMinute: 100 });
    const post = (t: TestApp) => request(t.app).post('/kurum-gorusu').set('Cookie', `pd_b=${'L'.repeat(22)}`);
    expect((await post(a)).status).toBe(403);

    // Another process holds the write lock, longer than a count waits for it.
    const other = new SQLite(path.join(dir, 'paydas.sqlite'));
    other.exec('BEGIN IMMEDIATE');
    try {
      const started = Date.now();
      // Counted in a's memory: one, two (still under the limit there), three refused.
      expect((await post(a)).status).toBe(403);
      expect((await post(a)).status).toBe(403);
      expect((await post(a)).status).toBe(429);
      expect(Date.now() - started).toBeLessThan(3_000);
      expect(a.warnings).toEqual([
        expect.stringMatching(/^Rate limit: the "visitor" counts could not be written to the database \(database is locked \(SQLITE_BUSY\)\); counting in this process's memory meanwhile\.$/),
        expect.stringMatching(/^Rate limit: the "address" counts could not be written/),
      ]);
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    // The lock gone, the database counts again: one there before, this is the second, then refused.
    expect((await post(b)).status).toBe(403);
    expect((await post(a)).status).toBe(429);
    expect(a.warnings).toHaveLength(2);
  });

  it('never fails the post on a read-only database either', async () => {
    const [a] = await twoApps(dir, apps, 'database', { visitorPostsPerMinute: 1, publicPostsPerMinute: 100 });
    a.sqlite.pragma('query_only = 1');
    try {
      expect((await request(a.app).post('/kurum-gorusu').set('Cookie', `pd_b=${'r'.repeat(22)}`)).status).toBe(403);
      expect((await request(a.app).post('/kurum-gorusu').set('Cookie', `pd_b=${'r'.repeat(22)}`)).status).toBe(429);
    } finally {
      a.sqlite.pragma('query_only = 0');
    }
    expect(a.warnings[0]).toMatch(/^Rate limit: the "visitor" counts could not be written to the database \(.*\(SQLITE_READONLY\)\)/);
  });

  it('leaves the connection waiting for the disk on every other commit', async () => {
    const [a] = await twoApps(dir, apps, 'database');
    expect(a.sqlite.pragma('synchronous', { simple: true })).toBe(2);
    const response = await browser().answer(a, a);
    expect(response.status).toBe(303);
    expect(await rateLimitRows(a)).toHaveLength(2);
    // FULL (2): the counts were written without an fsync, the answers and everything else with one.
    expect(a.sqlite.pragma('synchronous', { simple: true })).toBe(2);
  });
});
