// /healthz on what only SQLite has: another connection holding the file's write lock, the
// file's folder running out of room, the file pinned at its size, the connection closed under the
// app. (On PostgreSQL a lock held elsewhere is tested in postgres-driver.test.ts.) SQLite pass only.
import fs from 'node:fs';
import path from 'node:path';
import express from 'express';
import { sql } from 'kysely';
import SQLite from 'better-sqlite3';
import request from 'supertest';
import { openSqliteDatabase } from '../../server/platform/db/connection';
import { migrateToLatest } from '../../server/platform/db/migrator';
import { healthRouter } from '../../server/platform/health/health.routes';
import { createTestSmtp, type TestSmtp } from '../helpers/smtp';
import { createTestApp, tempDir, type TestApp } from '../helpers/test-app';

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

describe('GET /healthz on SQLite', () => {
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

  });
});
