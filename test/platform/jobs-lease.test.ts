// Several processes running scheduled jobs on one database: two apps (two runners, each with its
// own claims) on one SQLite file. No job runs twice; the jobs a runner claimed and never ran (it
// died) are run by the other once the lease has run out, and not before.
import fs from 'node:fs';
import path from 'node:path';
import type { Executor } from '../../server/platform/db/connection';
import * as jobs from '../../server/platform/jobs/jobs';
import * as outboxRepository from '../../server/platform/mail/outbox.repository';
import { createTestApp, tempDir, type TestApp } from '../helpers/test-app';

jest.setTimeout(120_000);

const LEASE_MS = 60_000;
const KIND = 'test.job';
let dir: string;
let apps: TestApp[];
/** Every time a handler ran, by which runner, for which job (rolled back or not). */
let runs: string[];

beforeEach(() => {
  dir = tempDir('paydas-jobs-lease-');
  apps = [];
  runs = [];
});

afterEach(async () => {
  for (const app of apps) await app.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function twoApps(): Promise<[TestApp, TestApp]> {
  const databaseFile = path.join(dir, 'paydas.sqlite');
  const first = await createTestApp({ databaseFile, leaseMs: LEASE_MS });
  const second = await createTestApp({ databaseFile, leaseMs: LEASE_MS });
  apps.push(first, second);
  return [first, second];
}

/** Runs the test job as `t`'s process would: its effect is a message in the outbox, in the job's transaction. */
function runJobs(t: TestApp) {
  const handler = async (trx: Executor, ref: string, now: Date) => {
    runs.push(`${t.worker.id} ${ref}`);
    // A job takes a moment, so the two runners' work interleaves.
    await new Promise((resolve) => setTimeout(resolve, 2));
    await outboxRepository.insert(trx, { to: 'x@example.org', subject: ref, text: ref, html: null, language: 'tr', kind: KIND, ref }, now);
  };
  return jobs.runDueJobs(t.db, { [KIND]: handler }, t.clock.now, (error) => t.logged.push(error), { workerId: t.worker.id, leaseMs: LEASE_MS });
}

async function scheduleJobs(t: TestApp, count: number): Promise<void> {
  for (let i = 0; i < count; i++) await jobs.schedule(t.db, { kind: KIND, ref: `job-${i}`, dueAt: t.clock.now }, t.clock.now);
}

const effects = (t: TestApp) => t.db.selectFrom('outbox_messages').select('ref').where('kind', '=', KIND).execute();
const stored = (t: TestApp) => t.db.selectFrom('scheduled_jobs').selectAll().where('kind', '=', KIND).orderBy('id').execute();

describe('two job runners on one database', () => {
  it('never run the same job twice, and share the work', async () => {
    const [a, b] = await twoApps();
    await scheduleJobs(a, 60);

    const [byA, byB] = await Promise.all([runJobs(a), runJobs(b)]);

    expect(byA.failed + byB.failed).toBe(0);
    expect(byA.done).toBeGreaterThan(0);
    expect(byB.done).toBeGreaterThan(0);
    expect(byA.done + byB.done).toBe(60);
    // Each handler ran once, and each job's effect exists once.
    expect(runs).toHaveLength(60);
    expect(new Set(runs.map((r) => r.split(' ')[1])).size).toBe(60);
    const refs = (await effects(a)).map((e) => e.ref);
    expect(refs).toHaveLength(60);
    expect(new Set(refs).size).toBe(60);
    const rows = await stored(a);
    expect(rows.every((j) => j.done_at !== null && j.attempts === 1 && j.claimed_until === null)).toBe(true);
    expect(rows.filter((j) => j.claimed_by === a.worker.id)).toHaveLength(byA.done);
    expect(rows.filter((j) => j.claimed_by === b.worker.id)).toHaveLength(byB.done);
    expect(await runJobs(a)).toEqual({ done: 0, failed: 0 });
    expect(await runJobs(b)).toEqual({ done: 0, failed: 0 });
    for (const app of apps) expect(app.logged).toEqual([]);
  });

  it("run what a dead runner had claimed once its lease has run out, and only then", async () => {
    const [a, b] = await twoApps();
    await scheduleJobs(a, 30);
    const taken = await jobs.claimDueJobs(a.db, [KIND], 'dead-runner', a.clock.now, LEASE_MS, 20);
    expect(taken).toHaveLength(20);

    expect(await runJobs(b)).toEqual({ done: 10, failed: 0 });
    b.clock.now = new Date(b.clock.now.getTime() + LEASE_MS - 1);
    expect(await runJobs(b)).toEqual({ done: 0, failed: 0 });
    b.clock.now = new Date(b.clock.now.getTime() + 2);
    expect(await runJobs(b)).toEqual({ done: 20, failed: 0 });
    expect(runs).toHaveLength(30);
    expect((await effects(a)).length).toBe(30);
    expect((await stored(a)).every((j) => j.done_at !== null && j.claimed_by === b.worker.id)).toBe(true);
    expect(b.logged).toEqual([]);
  });

  it('give a failed job back, rolled back, for either runner to retry after its pause', async () => {
    const [a, b] = await twoApps();
    await scheduleJobs(a, 1);
    const failing = await jobs.runDueJobs(
      a.db,
      {
        [KIND]: async (trx, ref, now) => {
          await outboxRepository.insert(trx, { to: 'x@example.org', subject: ref, text: ref, html: null, language: 'tr', kind: KIND, ref }, now);
          throw new Error('handler failed');
        },
      },
      a.clock.now,
      () => undefined,
      { workerId: a.worker.id, leaseMs: LEASE_MS },
    );
    expect(failing).toEqual({ done: 0, failed: 1 });
    const job = (await stored(a))[0]!;
    expect([job.done_at, job.claimed_by, job.claimed_until, job.attempts, job.last_error]).toEqual([null, null, null, 1, 'handler failed']);
    expect(await effects(a)).toEqual([]);
    expect(await runJobs(b)).toEqual({ done: 0, failed: 0 });
    b.clock.now = new Date(b.clock.now.getTime() + 60_000);
    expect(await runJobs(b)).toEqual({ done: 1, failed: 0 });
    expect(await effects(a)).toEqual([{ ref: 'job-0' }]);
  });

  it('let a job moved to a new time go to whichever runner finds it due then', async () => {
    const [a, b] = await twoApps();
    await scheduleJobs(a, 1);
    await jobs.claimDueJobs(a.db, [KIND], 'dead-runner', a.clock.now, LEASE_MS, 20);
    // Moved 10 s on: within the dead runner's lease, which would otherwise hold it a minute.
    const dueAt = new Date(a.clock.now.getTime() + 10_000);
    await jobs.schedule(a.db, { kind: KIND, ref: 'job-0', dueAt }, a.clock.now);
    b.clock.now = dueAt;
    expect((await stored(a))[0]!.claimed_by).toBeNull();
    expect(await runJobs(b)).toEqual({ done: 1, failed: 0 });
  });
});
