// GET /healthz as a monitoring system reads it: a stable JSON shape, degraded with a reason when
// mail or scheduled jobs fall behind, and 503 "down" when the database does not answer or take writes.
import request from 'supertest';
import * as jobs from '../../server/platform/jobs/jobs';
import { testEngine } from '../helpers/database-template';
import { createTestSmtp, type TestSmtp } from '../helpers/smtp';
import { createTestApp, queueTestMail, type TestApp } from '../helpers/test-app';

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
        // PostgreSQL's disk is the server's: no figure for it here.
        disk: { freeBytes: testEngine() === 'sqlite' ? expect.any(Number) : null, full: false, low: false },
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

  describe('when the database does not answer', () => {
    it('answers 503 "down" from the whole app when its database was shut down, and keeps serving', async () => {
      await t.db.destroy();
      const response = await health();
      expect(response.status).toBe(503);
      expect(response.body).toMatchObject({ status: 'down', reasons: ['database_unreachable'], outbox: null, jobs: null });
      expect((await request(t.app).get('/aydinlatma-metni')).status).toBe(200);
    });
  });
});
