// A survey uploaded and opened, closed or rescheduled through one process is served accordingly by
// another on the same database within a second, without a restart. Two real server processes
// (server/main.ts) prove it; two app instances in this process show the registry's finer points:
// the stored version changes with every change, and a registry reloads only then.
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { accountService } from '../../server/admin';
import * as surveyManagementRepository from '../../server/surveys/survey-management.repository';
import { REFRESH_CHECK_MS } from '../../server/surveys/survey-registry';
import { addUser, csrfFrom, logIn, postForm } from '../helpers/admin';
import { openMigratedDatabase, testDatabaseUrl } from '../helpers/database-template';
import { startServer, type ServerProcess } from '../helpers/server-process';
import { freePort } from '../helpers/smtp';
import { createTestApp, FIXTURE_SURVEYS, tempDir, type TestApp } from '../helpers/test-app';

jest.setTimeout(120_000);

let dir: string;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function definition(): string {
  const survey = JSON.parse(fs.readFileSync(path.join(FIXTURE_SURVEYS, 'tum-soru-tipleri.json'), 'utf8'));
  survey.slug = 'yeni-anket';
  survey.title = { tr: 'Başka süreçte yüklenen anket', en: 'Survey uploaded in another process' };
  return JSON.stringify(survey);
}

async function upload(agent: TestAgent): Promise<void> {
  const page = await agent.get('/admin/surveys/upload');
  const token = /action="\/admin\/surveys\/upload\?_csrf=([^"]+)"/.exec(page.text)![1]!;
  const posted = await agent.post(`/admin/surveys/upload?_csrf=${token}`).attach('definition', Buffer.from(definition()), 'yeni-anket.json');
  expect(posted.headers.location).toBe('/admin/surveys/yeni-anket');
}

/** A time as the back office's date fields take it: Istanbul's wall clock (UTC+3 all year), to the minute. */
const istanbulField = (at: number) => new Date(at + 3 * 60 * 60 * 1000).toISOString().slice(0, 16);

/**
 * Asks `url` for `urlPath` every 50 ms from the moment a change was answered (`changedAt`) until
 * a request sent REFRESH_CHECK_MS after it has its answer, which must be `status`: a process
 * looks at the stored version at most that long after its last look, so every request from then
 * on sees the change (one sent sooner may or may not). Timed by when requests are sent, not by how
 * long they take, so a loaded machine cannot fail it. Returns how soon after the change a request
 * first saw it.
 */
async function seenWithinACheck(url: string | TestApp['app'], urlPath: string, status: number, changedAt: number): Promise<number> {
  let first: number | undefined;
  for (;;) {
    const sentAt = Date.now();
    const answer = await request(url).get(urlPath);
    if (answer.status === status) first ??= sentAt - changedAt;
    if (sentAt - changedAt >= REFRESH_CHECK_MS) {
      expect(answer.status).toBe(status);
      return first!;
    }
    await sleep(50);
  }
}

describe('a survey changed through one of two server processes on one database', () => {
  const servers: ServerProcess[] = [];
  afterEach(() => {
    for (const server of servers.splice(0)) if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('is served by the other within a second once uploaded and opened, and refused there within a second once closed', async () => {
    dir = tempDir('paydas-registry-processes-');
    const file = path.join(dir, 'paydas.sqlite');
    const databaseUrl = await testDatabaseUrl(file);
    const { db } = await openMigratedDatabase(file);
    const planner = { email: 'planlama@example.org', password: 'planlamaci-parolasi-uzun-1' };
    const created = await accountService.createUser(db, { ...planner, name: 'Ayşe Planlamacı', role: 'planner' }, { userId: null, email: 'test', ip: null }, new Date());
    expect(created.kind).toBe('created');
    await db.destroy();

    const start = async () => {
      const port = await freePort();
      servers.push(await startServer({ PORT: String(port), DATABASE_URL: databaseUrl, SURVEYS_DIR: FIXTURE_SURVEYS, SESSION_SECRET: 'registry-processes-secret-long-enough-0123456789' }, 60_000));
      return `http://127.0.0.1:${port}`;
    };
    const [urlA, urlB] = [await start(), await start()];
    const agent = request.agent(urlA);
    const login = await agent.get('/admin/login');
    expect((await agent.post('/admin/login').type('form').send({ _csrf: csrfFrom(login.text), ...planner })).status).toBe(303);

    // B has loaded its copy and answered a request before the upload.
    expect((await request(urlB).get('/anket/yeni-anket')).status).toBe(404);
    await upload(agent);
    const opened = await postForm(agent, '/admin/surveys/yeni-anket', '/admin/surveys/yeni-anket/open', { closes_at: istanbulField(Date.now() + 30 * 24 * 60 * 60 * 1000) });
    expect(opened.status).toBe(303);
    const openedAt = Date.now();
    expect((await request(urlA).get('/anket/yeni-anket')).status).toBe(200);
    const openSeenAfter = await seenWithinACheck(urlB, '/anket/yeni-anket', 200, openedAt);
    expect((await request(urlB).get('/anket/yeni-anket')).text).toContain('Başka süreçte yüklenen anket');

    // Closed through A: B refuses new answers within a second too.
    const closed = await postForm(agent, '/admin/surveys/yeni-anket', '/admin/surveys/yeni-anket/close', {});
    expect(closed.status).toBe(303);
    const closedAt = Date.now();
    expect((await request(urlA).get('/anket/yeni-anket')).status).toBe(410);
    const closeSeenAfter = await seenWithinACheck(urlB, '/anket/yeni-anket', 410, closedAt);

    for (const server of servers) server.child.kill('SIGTERM');
    for (const server of servers) expect(await server.exited).toBe(0);
    for (const server of servers) expect(server.output()).not.toMatch(/^\s+at |Error:|not refreshed/m);
    console.log(`survey registry: opened through one process, served by the other ${openSeenAfter} ms later; closed, refused ${closeSeenAfter} ms later`);
  });
});

describe('a survey changed through one of two app instances in this process', () => {
  let a: TestApp;
  let b: TestApp;
  let agent: TestAgent;
  const now = new Date('2026-06-01T12:00:00+03:00');

  beforeEach(async () => {
    dir = tempDir('paydas-registry-');
    const databaseFile = path.join(dir, 'paydas.sqlite');
    a = await createTestApp({ surveysDir: FIXTURE_SURVEYS, now, databaseFile });
    b = await createTestApp({ surveysDir: FIXTURE_SURVEYS, now, databaseFile });
    agent = await logIn(a, await addUser(a, 'planner', 'Ayşe Planlamacı'));
  });
  afterEach(async () => {
    expect([...a.logged, ...b.logged]).toEqual([]);
    await a.close();
    await b.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const scheduleOf = (app: TestApp) => {
    const { published, opensAt, closesAt } = app.catalog.schedule('yeni-anket');
    return { published, opensAt, closesAt };
  };

  it('is served by the other within a second once uploaded and opened, and closed there when closed', async () => {
    // B has already loaded its copy and answered a request before the upload.
    expect((await request(b.app).get('/anket/yeni-anket')).status).toBe(404);
    await upload(agent);
    await postForm(agent, '/admin/surveys/yeni-anket', '/admin/surveys/yeni-anket/open', { closes_at: '2026-12-01T00:00' });
    const openedAt = Date.now();
    expect((await request(a.app).get('/anket/yeni-anket')).status).toBe(200);

    await seenWithinACheck(b.app, '/anket/yeni-anket', 200, openedAt);
    const page = await request(b.app).get('/anket/yeni-anket');
    expect(page.text).toContain('Başka süreçte yüklenen anket');
    expect(b.catalog.source('yeni-anket')).toBe('upload');

    // Closing through A: B has the closed schedule within a second.
    await postForm(agent, '/admin/surveys/yeni-anket', '/admin/surveys/yeni-anket/close', {});
    const closedAt = Date.now();
    await seenWithinACheck(b.app, '/anket/yeni-anket', 410, closedAt);
    expect(scheduleOf(b)).toEqual(scheduleOf(a));
  });

  it('changes the stored version with every upload and schedule change, and a registry reloads only then', async () => {
    const before = await surveyManagementRepository.findVersion(a.db);
    await upload(agent);
    const afterUpload = await surveyManagementRepository.findVersion(a.db);
    expect(afterUpload).toBeDefined();
    expect(afterUpload).not.toBe(before);
    await postForm(agent, '/admin/surveys/yeni-anket', '/admin/surveys/yeni-anket/open', { closes_at: '2026-12-01T00:00' });
    expect(await surveyManagementRepository.findVersion(a.db)).not.toBe(afterUpload);

    // Without a change, a check does not reload: the copy is the same object.
    await b.catalog.refresh(0);
    const loaded = b.catalog.find('yeni-anket');
    expect(loaded).toBeDefined();
    await b.catalog.refresh(0);
    expect(b.catalog.find('yeni-anket')).toBe(loaded);
    // Within the check interval the database is not asked again, even after a change.
    await postForm(agent, '/admin/surveys/yeni-anket', '/admin/surveys/yeni-anket/close', {});
    await b.catalog.refresh(60_000);
    expect(b.catalog.schedule('yeni-anket').published).toBe(true);
    expect(b.catalog.schedule('yeni-anket').closesAt).not.toBe(a.catalog.schedule('yeni-anket').closesAt);
    await b.catalog.refresh(0);
    expect(scheduleOf(b)).toEqual(scheduleOf(a));
    expect(b.catalog.find('yeni-anket')).not.toBe(loaded);
  });
});
