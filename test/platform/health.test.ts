// GET /healthz as a monitoring system reads it: a stable JSON shape, degraded with a reason when
// mail or scheduled jobs fall behind, and 503 "down" when the database does not answer or take writes.
import fs from 'node:fs';
import path from 'node:path';
import express from 'express';
import { sql } from 'kysely';
import SQLite from 'better-sqlite3';
import request from 'supertest';
import { openSqliteDatabase } from '../../server/platform/db/connection';
import { migrateToLatest } from '../../server/platform/db/migrator';
import { healthRouter } from '../../server/platform/health/health.routes';
import * as jobs from '../../server/platform/jobs/jobs';
import { createTestSmtp, type TestSmtp } from '../helpers/smtp';
import { createTestApp, queueTestMail, tempDir, type TestApp } from '../helpers/test-app';

let t: TestApp;
let smtp: TestSmtp;

beforeEach(async () => {
  smtp = await createTestSmtp();
  t = await createTestApp({ smtpPort: smtp.port });
});
afterEach(async () => {
  expect(t.logged).toEqual([]);
  await t.close();
  await smtp.stop();
});

const health = () => request(t.app).get('/healthz');
const minutes = (n: number) => {
  t.clock.now = new Date(t.clock.now.getTime() + n * 60_000);
};
const queue = (to: string) => queueTestMail(t, to);

describe('GET /healthz', () => {
  describe('when everything keeps up', () => {
    it('answers 200 "ok" with every section, uncached, without cookies or personal data', async () => {
      const response = await health();
      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toMatch(/^application\/json/);
      expect(response.headers['cache-control']).toBe('no-store');
      expect(response.headers['set-cookie']).toBeUndefined();
      expect(response.body).toEqual({
        status: 'ok',
        reasons: [],
        checkedAt: t.clock.now.toISOString(),
        database: { reachable: true, writable: true, latencyMs: expect.any(Number), migrationsPending: 0, error: null },
        disk: { freeBytes: expect.any(Number), full: false, low: false },
        outbox: { pending: 0, failing: 0, oldestPendingSeconds: null, lastSentAt: null, lastFailedAt: null, smtpConfigured: true },
        jobs: { pending: 0, overdue: 0, failing: 0, lastDoneAt: null },
      });
      expect(response.body.database.latencyMs).toBeGreaterThanOrEqual(0);
    });
  });

  describe('when mail waits in the outbox', () => {
    it('counts it, turns degraded after an hour, and reports the last send once it goes out', async () => {
      await queue('kurum@example.org');
      minutes(30);
      let body = (await health()).body;
      expect(body).toMatchObject({ status: 'ok', reasons: [], outbox: { pending: 1, failing: 0, oldestPendingSeconds: 1800 } });
      expect(JSON.stringify(body)).not.toContain('kurum@example.org');

      minutes(31);
      const response = await health();
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ status: 'degraded', reasons: ['outbox_backlog'], outbox: { pending: 1, oldestPendingSeconds: 3660 } });

      expect(await t.worker.runOnce()).toEqual({ sent: 1, failed: 0 });
      body = (await health()).body;
      expect(body).toMatchObject({ status: 'ok', reasons: [], outbox: { pending: 0, oldestPendingSeconds: null, lastSentAt: t.clock.now.toISOString() } });
      expect(smtp.received).toHaveLength(1);
    });

    it('counts messages waiting for a retry after the SMTP server refused them', async () => {
      await smtp.stop();
      await queue('a@example.org');
      await queue('b@example.org');
      expect(await t.worker.runOnce()).toEqual({ sent: 0, failed: 2 });
      const body = (await health()).body;
      expect(body.outbox).toMatchObject({ pending: 2, failing: 2, lastFailedAt: t.clock.now.toISOString(), lastSentAt: null });
      expect(JSON.stringify(body)).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|example\.org/);
      await smtp.start();
    });
  });

  describe('when scheduled jobs fall behind', () => {
    it('is degraded by a job more than ten minutes overdue, not by one just due', async () => {
      await jobs.schedule(t.db, { kind: 'test.job', ref: '1', dueAt: new Date(t.clock.now.getTime() - 5 * 60_000) }, t.clock.now);
      expect((await health()).body).toMatchObject({ status: 'ok', jobs: { pending: 1, overdue: 0 } });

      minutes(6);
      const response = await health();
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ status: 'degraded', reasons: ['jobs_overdue'], jobs: { pending: 1, overdue: 1, failing: 0 } });

      // Once the runner gets to it, it is done and counts as the last run.
      expect(await jobs.runDueJobs(t.db, { 'test.job': async () => undefined }, t.clock.now)).toEqual({ done: 1, failed: 0 });
      expect((await health()).body).toMatchObject({ status: 'ok', reasons: [], jobs: { pending: 0, overdue: 0, lastDoneAt: t.clock.now.toISOString() } });
    });

    it('is degraded by a job that keeps failing, and does not count a cancelled job as a run', async () => {
      await jobs.schedule(t.db, { kind: 'test.job', ref: '2', dueAt: t.clock.now }, t.clock.now);
      await jobs.schedule(t.db, { kind: 'test.cancelled', ref: '3', dueAt: t.clock.now }, t.clock.now);
      await jobs.unschedule(t.db, 'test.cancelled', '3', t.clock.now);
      const failing = { 'test.job': async () => Promise.reject(new Error('boom')) };
      // Retried 1 and 2 minutes after the failures before, as the runner does.
      for (const pause of [1, 2, 0]) {
        expect(await jobs.runDueJobs(t.db, failing, t.clock.now, () => undefined)).toEqual({ done: 0, failed: 1 });
        minutes(pause);
      }
      const body = (await health()).body;
      expect(body).toMatchObject({ status: 'degraded', reasons: ['jobs_failing'], jobs: { pending: 1, overdue: 0, failing: 1, lastDoneAt: null } });
      expect(JSON.stringify(body)).not.toContain('boom');
    });
  });

  describe('when the database cannot store anything', () => {
    it('answers 503 "down" while another connection holds the write lock, and 200 once it is released', async () => {
      const file = (await sql<{ file: string }>`select file from pragma_database_list where name = 'main'`.execute(t.db)).rows[0]!.file;
      const other = new SQLite(file);
      other.exec('begin immediate');
      try {
        const response = await health();
        expect(response.status).toBe(503);
        expect(response.headers['cache-control']).toBe('no-store');
        expect(response.body).toMatchObject({
          status: 'down',
          reasons: ['database_not_writable'],
          database: { reachable: true, writable: false },
          outbox: { pending: 0 },
        });
      } finally {
        other.exec('rollback');
        other.close();
      }
      expect((await health()).body).toMatchObject({ status: 'ok', database: { writable: true } });
    });
  });

  describe('when the disk runs out of room', () => {
    it('warns "low_disk" (200, degraded) when the folder has less free space than DISK_LOW_MB', async () => {
      const file = (await sql<{ file: string }>`select file from pragma_database_list where name = 'main'`.execute(t.db)).rows[0]!.file;
      const free = fs.statfsSync(path.dirname(file));
      const freeMb = (free.bavail * free.bsize) / 1024 / 1024;
      const withThreshold = (diskLowMb: number) => express().use(healthRouter({ db: t.db, now: () => t.clock.now, smtpConfigured: true, diskLowMb }));
      const low = await request(withThreshold(Math.ceil(freeMb) + 1024)).get('/healthz');
      expect(low.status).toBe(200);
      expect(low.body).toMatchObject({ status: 'degraded', reasons: ['low_disk'], disk: { full: false, low: true } });
      expect(low.body.disk.freeBytes).toBeGreaterThan(0);
      const roomy = await request(withThreshold(Math.max(0, Math.floor(freeMb) - 1024))).get('/healthz');
      expect(roomy.body).toMatchObject({ status: 'ok', reasons: [], disk: { full: false, low: false } });
    });

    it('answers 503 "disk_full" while the file cannot grow (max_page_count reached, no free page), ok again once it can', async () => {
      // No free page to reuse, and no room to add one.
      if ((t.sqlite.pragma('freelist_count', { simple: true }) as number) > 0) t.sqlite.exec('vacuum');
      t.sqlite.pragma(`max_page_count = ${t.sqlite.pragma('page_count', { simple: true }) as number}`);
      const response = await health();
      expect(response.status).toBe(503);
      expect(response.body).toMatchObject({ status: 'down', reasons: ['disk_full'], database: { writable: true }, disk: { full: true, low: true } });
      t.sqlite.pragma('max_page_count = 1073741823');
      expect((await health()).body).toMatchObject({ status: 'ok', disk: { full: false } });
    });
  });

  describe('when the database does not answer', () => {
    it('answers 503 "down" without crashing when the connection was closed', async () => {
      const dir = tempDir();
      const { db, sqlite } = openSqliteDatabase(path.join(dir, 'paydas.sqlite'));
      await migrateToLatest(db);
      sqlite.close();
      const app = express().use(healthRouter({ db, now: () => t.clock.now, smtpConfigured: false }));
      for (let i = 0; i < 2; i++) {
        const response = await request(app).get('/healthz');
        expect(response.status).toBe(503);
        expect(response.headers['cache-control']).toBe('no-store');
        expect(response.body).toEqual({
          status: 'down',
          reasons: ['database_unreachable'],
          checkedAt: t.clock.now.toISOString(),
          database: { reachable: false, writable: null, latencyMs: null, migrationsPending: null, error: 'unreachable' },
          disk: null,
          outbox: null,
          jobs: null,
        });
      }
      await db.destroy();
    });

    it('answers 503 "down" from the whole app when its database was shut down, and keeps serving', async () => {
      await t.db.destroy();
      const response = await health();
      expect(response.status).toBe(503);
      expect(response.body).toMatchObject({ status: 'down', reasons: ['database_unreachable'], outbox: null, jobs: null });
      expect((await request(t.app).get('/aydinlatma-metni')).status).toBe(200);
    });
  });
});
