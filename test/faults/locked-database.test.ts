// Another process holds the database's write lock (a backup tool, a long migration, a stuck
// process: here a child `node` process in BEGIN EXCLUSIVE). Writes wait for it on timers, not
// inside better-sqlite3, so the process keeps serving: pages and /healthz answer in milliseconds
// and the event loop never stalls. Posts sent meanwhile are stored once the lock goes, or, when it
// outlasts DB_WRITE_WAIT_MS, refused with 503 + Retry-After and nothing written; none is lost.
import { spawn, type ChildProcess } from 'node:child_process';
import type { Server } from 'node:http';
import path from 'node:path';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { isStorageUnavailable } from '../../server/platform/http/error-handler';
import { projectRoot } from '../../server/platform/paths';
import { addUser, logIn } from '../helpers/admin';
import { answerSection } from '../helpers/forms';
import { scheduleMeeting, signUp } from '../helpers/meetings';
import SQLite from 'better-sqlite3';
import { loadCatalog } from '../../server/surveys';
import { startServer } from '../helpers/server-process';
import { freePort } from '../helpers/smtp';
import { completeSurvey, validSectionFields } from '../helpers/survey-walker';
import { BUNDLED_SURVEYS, createTestApp, tempDir, type TestApp } from '../helpers/test-app';

jest.setTimeout(90_000);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface LockHolder {
  child: ChildProcess;
  /** Resolves when the other process has let go of the lock (and exited). */
  released: Promise<number>;
}

/** A separate process that takes the write lock on `file`, holds it `holdMs`, then rolls back. */
async function holdLock(file: string, holdMs: number): Promise<LockHolder> {
  const script = `
    const SQLite = require('better-sqlite3');
    const db = new SQLite(process.argv[1]);
    db.exec('BEGIN EXCLUSIVE');
    console.log('locked');
    setTimeout(() => { db.exec('ROLLBACK'); db.close(); console.log('released ' + Date.now()); }, Number(process.argv[2]));`;
  const child = spawn(process.execPath, ['-e', script, file, String(holdMs)], { cwd: projectRoot });
  let output = '';
  let errors = '';
  child.stderr.on('data', (chunk) => (errors += chunk));
  const locked = new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk) => {
      output += chunk;
      if (output.includes('locked')) resolve();
    });
    child.on('exit', () => reject(new Error(`the lock holder exited early: ${errors}`)));
  });
  const released = new Promise<number>((resolve, reject) =>
    child.on('exit', (code) => {
      const at = /released (\d+)/.exec(output);
      if (code === 0 && at) resolve(Number(at[1]));
      else reject(new Error(`the lock holder failed (${code}): ${errors}`));
    }),
  );
  await locked;
  return { child, released };
}

/** The longest delay of a 10 ms timer while it runs: what a blocked event loop shows. */
function measureEventLoopLag(): () => number {
  let worst = 0;
  let expected = Date.now() + 10;
  const timer = setInterval(() => {
    const now = Date.now();
    worst = Math.max(worst, now - expected);
    expected = now + 10;
  }, 10);
  return () => {
    clearInterval(timer);
    return worst;
  };
}

let t: TestApp | undefined;
let server: Server;
let databaseFile: string;
let holder: LockHolder | undefined;

async function start(writeWaitMs?: number): Promise<TestApp> {
  databaseFile = path.join(tempDir('paydas-locked-'), 'paydas.sqlite');
  const app = await createTestApp({ databaseFile, writeWaitMs });
  t = app;
  // A real listening socket: every request goes through the same event loop the lock could block.
  server = t.app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  return app;
}

afterEach(async () => {
  holder?.child.kill('SIGKILL');
  holder = undefined;
  if (!t) return;
  // Refused posts are logged for the operator as 503s; nothing else may be.
  expect(t.logged.filter((error) => !isStorageUnavailable(error))).toEqual([]);
  await new Promise((resolve) => server.close(resolve));
  await t.close();
  t = undefined;
});

const survey = () => t!.catalog.find('vatandas-anketi')!;
const lastSection = () => survey().sections.length;
const count = async (table: 'responses' | 'meeting_registrations' | 'answers') =>
  Number((await t!.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
const completed = async () =>
  Number((await t!.db.selectFrom('responses').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'complete').executeTakeFirstOrThrow()).n);

/** Answers every section but the last: the last post is the one that completes the response. */
async function upToLastSection(agent: TestAgent): Promise<string> {
  for (let index = 0; index < lastSection() - 1; index++) {
    const { response } = await answerSection(agent, `/anket/${survey().slug}/${index + 1}`, validSectionFields(survey(), index));
    expect(response.status).toBe(303);
  }
  return `/anket/${survey().slug}/${lastSection()}`;
}

interface Outcome {
  kind: 'survey' | 'signup';
  status: number;
  retryAfter: string | undefined;
  /** When the answer arrived (epoch ms). */
  at: number;
}

/** Completes `surveys` responses and signs `signups` residents up, all at once; resolves with each outcome. */
async function sendPosts(meeting: number, agents: TestAgent[], lasts: string[], signups: number): Promise<Outcome[]> {
  const outcome = (kind: Outcome['kind']) => (response: request.Response) => ({
    kind,
    status: response.status,
    retryAfter: response.headers['retry-after'] as string | undefined,
    at: Date.now(),
  });
  return Promise.all([
    ...agents.map((agent, i) => answerSection(agent, lasts[i]!, validSectionFields(survey(), lastSection() - 1)).then((r) => outcome('survey')(r.response))),
    ...Array.from({ length: signups }, (_, i) =>
      signUp(request.agent(server), meeting, { name: `Komşu ${i}`, phone: `0532 000 01 ${String(i).padStart(2, '0')}` }).then(outcome('signup')),
    ),
  ]);
}

interface Sample {
  url: string;
  status: number;
  ms: number;
  endedAt: number;
}

/** GETs `urls` one after another, again and again, until `until` resolves; returns each latency. */
async function pollPages(agent: TestAgent, urls: string[], until: Promise<unknown>): Promise<Sample[]> {
  let done = false;
  void until.finally(() => (done = true));
  const samples: Sample[] = [];
  while (!done) {
    for (const url of urls) {
      const started = performance.now();
      const response = await agent.get(url);
      samples.push({ url, status: response.status, ms: performance.now() - started, endedAt: Date.now() });
    }
    await sleep(100);
  }
  return samples;
}

describe('a database locked by another process', () => {
  it('keeps pages, /healthz and the back office answering within 200 ms for 10 s, and stores every post once the lock goes', async () => {
    const t = await start();
    const meeting = await scheduleMeeting(t);
    const agents = Array.from({ length: 8 }, () => request.agent(server));
    const lasts = await Promise.all(agents.map(upToLastSection));
    const staff = await logIn(t, await addUser(t, 'admin'));
    // Someone half-way through the survey, reloading their section page during the lock.
    const respondent = request.agent(server);
    expect((await answerSection(respondent, `/anket/${survey().slug}/1`, validSectionFields(survey(), 0))).response.status).toBe(303);
    const sectionPage = `/anket/${survey().slug}/2`;
    const before = { complete: await completed(), registrations: await count('meeting_registrations') };

    // Every page rendered once before, as on a running site: the first render compiles its templates.
    for (const url of ['/aydinlatma-metni', `/anket/${survey().slug}`, `/bulusmalar/${meeting}`, '/healthz']) await request(server).get(url);
    for (const url of ['/admin/surveys', '/admin/meetings']) expect((await staff.get(url)).status).toBe(200);
    expect((await respondent.get(sectionPage)).status).toBe(200);
    const lag = measureEventLoopLag();
    holder = await holdLock(databaseFile, 10_000);
    const lockedAt = Date.now();
    // Measured while the lock is held: the burst of posts answered after it is ordinary work.
    const lagWhileLocked = holder.released.then(() => lag());
    const posts = sendPosts(meeting, agents, lasts, 8);
    // Pages are timed once the 16 posts (and the form pages they load first) are in and waiting:
    // their arrival is a burst of work on this one process, lock or no lock.
    await sleep(500);
    const publicPages = pollPages(request.agent(server), ['/aydinlatma-metni', `/anket/${survey().slug}`, `/bulusmalar/${meeting}`, '/healthz'], holder.released);
    const backOffice = pollPages(staff, ['/admin/surveys', '/admin/meetings'], holder.released);
    const ownSection = pollPages(respondent, [sectionPage], holder.released);
    const releasedAt = await holder.released;
    // A request still running when the lock went queues behind the posts it released: not counted.
    const samples = [...(await publicPages), ...(await backOffice), ...(await ownSection)].filter((sample) => sample.endedAt < releasedAt);
    const outcomes = await posts;
    const worstLag = await lagWhileLocked;

    expect(releasedAt - lockedAt).toBeGreaterThanOrEqual(9_500);
    // Many rounds of every page while the lock was held, each answered quickly.
    expect(samples.length).toBeGreaterThan(50);
    // Within 200 ms: all of them when this runs alone (max ~160 ms measured); the fault suite runs
    // its files side by side on a shared machine, so a few may catch a busy CPU or garbage
    // collection, but none comes near a synchronous wait (5 s per queued write, the whole lock).
    const within = samples.filter((sample) => sample.ms < 200).length;
    expect(within / samples.length).toBeGreaterThanOrEqual(0.95);
    expect(samples.filter((sample) => sample.ms >= 1_000)).toEqual([]);
    for (const sample of samples) {
      // /healthz says what is wrong (503 "down", database_not_writable) instead of hanging.
      expect([sample.url, sample.status]).toEqual([sample.url, sample.url === '/healthz' ? expect.any(Number) : 200]);
    }
    expect(samples.some((sample) => sample.url === '/healthz' && sample.status === 503)).toBe(true);
    // Render bursts and garbage collection in this process (server and clients) take tens of ms;
    // a synchronous wait for the lock shows as seconds.
    expect(worstLag).toBeLessThan(500);

    // Posts waited for the lock rather than failing, and were answered once it was gone.
    expect(outcomes.map((o) => o.status)).toEqual(Array(16).fill(303));
    expect(Math.min(...outcomes.map((o) => o.at))).toBeGreaterThanOrEqual(releasedAt - 50);
    expect(await completed()).toBe(before.complete + outcomes.filter((o) => o.kind === 'survey' && o.status === 303).length);
    expect(await count('meeting_registrations')).toBe(before.registrations + outcomes.filter((o) => o.kind === 'signup' && o.status === 303).length);
    const percentile = (p: number) => samples.map((s) => s.ms).sort((a, b) => a - b)[Math.floor((samples.length - 1) * p)]!;
    console.log(
      `locked 10 s: ${samples.length} GETs, ${within} under 200 ms, median ${percentile(0.5).toFixed(1)} ms, p99 ${percentile(0.99).toFixed(1)} ms, max ${percentile(1).toFixed(1)} ms; ` +
        `event loop lag max ${worstLag} ms; 16 posts answered ${outcomes.map((o) => o.at - releasedAt).sort((a, b) => a - b).join(',')} ms after release, all 303`,
    );
  });

  it('refuses posts with 503 + Retry-After once DB_WRITE_WAIT_MS passes, writes nothing, and accepts them after', async () => {
    const t = await start(1_000);
    const meeting = await scheduleMeeting(t);
    const agents = Array.from({ length: 4 }, () => request.agent(server));
    const lasts = await Promise.all(agents.map(upToLastSection));
    const before = { complete: await completed(), registrations: await count('meeting_registrations'), answers: await count('answers') };

    holder = await holdLock(databaseFile, 4_000);
    const lockedAt = Date.now();
    const outcomes = await sendPosts(meeting, agents, lasts, 4);
    const answeredAfter = Math.max(...outcomes.map((o) => o.at)) - lockedAt;
    expect(outcomes.map((o) => [o.status, o.retryAfter])).toEqual(Array(8).fill([503, '30']));
    // Refused once the wait ran out, not at once and not after the lock went.
    expect(Math.min(...outcomes.map((o) => o.at)) - lockedAt).toBeGreaterThanOrEqual(900);
    expect(answeredAfter).toBeLessThan(3_000);
    expect({ complete: await completed(), registrations: await count('meeting_registrations'), answers: await count('answers') }).toEqual(before);

    await holder.released;
    const again = await sendPosts(meeting, agents, lasts, 4);
    expect(again.map((o) => o.status)).toEqual(Array(8).fill(303));
    expect(await completed()).toBe(before.complete + 4);
    expect(await count('meeting_registrations')).toBe(before.registrations + 4);
    console.log(`lock past a 1 s wait: 8 posts answered 503 + Retry-After ${Math.min(...outcomes.map((o) => o.at)) - lockedAt}–${answeredAfter} ms into the lock; all 8 stored when sent again`);
  });
});

describe('the real server (server/main.ts) with its database locked by another process', () => {
  it('serves pages and /healthz in milliseconds and completes the surveys started during the lock', async () => {
    const dir = tempDir('paydas-locked-server-');
    const database = path.join(dir, 'paydas.sqlite');
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const running = await startServer({ PORT: String(port), DATABASE_URL: database, RATE_LIMIT_PUBLIC_POSTS: '1000000', SESSION_SECRET: 'locked-test-secret-that-is-long-enough-0123456789' });
    try {
      const slug = 'vatandas-anketi';
      const citizen = loadCatalog(BUNDLED_SURVEYS).surveys.find((s) => s.slug === slug)!;
      for (const url of ['/aydinlatma-metni', `/anket/${slug}`, '/healthz']) await request(base).get(url);
      holder = await holdLock(database, 6_000);
      // Six people start the survey during the lock: each waits at its first post.
      const clients = Array.from({ length: 6 }, () => completeSurvey(request.agent(base), citizen).then(() => Date.now()));
      await sleep(300);
      const samples = await pollPages(request.agent(base), ['/aydinlatma-metni', `/anket/${slug}`, '/healthz'], holder.released);
      const releasedAt = await holder.released;
      const during = samples.filter((sample) => sample.endedAt < releasedAt);
      const finished = await Promise.all(clients);
      expect(during.length).toBeGreaterThan(30);
      expect(during.filter((sample) => sample.ms < 200).length / during.length).toBeGreaterThanOrEqual(0.95);
      expect(during.filter((sample) => sample.ms >= 1_000)).toEqual([]);
      expect(Math.min(...finished)).toBeGreaterThanOrEqual(releasedAt - 50);
      running.child.kill('SIGTERM');
      expect(await running.exited).toBe(0);
      const check = new SQLite(database, { readonly: true });
      try {
        expect(check.prepare("select count(*) as n from responses where status = 'complete'").get()).toEqual({ n: 6 });
      } finally {
        check.close();
      }
      const ms = during.map((sample) => sample.ms).sort((a, b) => a - b);
      console.log(`real server, locked 6 s: ${during.length} GETs, median ${ms[Math.floor(ms.length / 2)]!.toFixed(1)} ms, max ${ms[ms.length - 1]!.toFixed(1)} ms; 6 surveys completed ${Math.min(...finished) - releasedAt}–${Math.max(...finished) - releasedAt} ms after release`);
    } finally {
      running.child.kill('SIGKILL');
    }
  });
});
