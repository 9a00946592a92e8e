// Two app instances on one SQLite file stand for two processes (WEB_CONCURRENCY): a survey uploaded
// and opened, closed or rescheduled through one is served accordingly by the other within a
// second, without a restart; and a registry only reloads when the stored version changed.
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import * as surveyManagementRepository from '../../server/surveys/survey-management.repository';
import { addUser, logIn, postForm } from '../helpers/admin';
import { createTestApp, FIXTURE_SURVEYS, tempDir, type TestApp } from '../helpers/test-app';

let dir: string;
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

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Polls `path` on `app` until it answers `status`; the milliseconds that took. */
async function until(app: TestApp, path: string, status: number, timeoutMs = 2_000): Promise<number> {
  const start = Date.now();
  for (;;) {
    const response = await request(app.app).get(path);
    if (response.status === status) return Date.now() - start;
    if (Date.now() - start > timeoutMs) throw new Error(`${path} still answers ${response.status}, not ${status}, after ${timeoutMs} ms`);
    await sleep(50);
  }
}

const scheduleOf = (app: TestApp) => {
  const { published, opensAt, closesAt } = app.catalog.schedule('yeni-anket');
  return { published, opensAt, closesAt };
};

function definition(): string {
  const survey = JSON.parse(fs.readFileSync(path.join(FIXTURE_SURVEYS, 'tum-soru-tipleri.json'), 'utf8'));
  survey.slug = 'yeni-anket';
  survey.title = { tr: 'Başka süreçte yüklenen anket', en: 'Survey uploaded in another process' };
  return JSON.stringify(survey);
}

async function upload(): Promise<void> {
  const page = await agent.get('/admin/surveys/upload');
  const token = /action="\/admin\/surveys\/upload\?_csrf=([^"]+)"/.exec(page.text)![1]!;
  const posted = await agent.post(`/admin/surveys/upload?_csrf=${token}`).attach('definition', Buffer.from(definition()), 'yeni-anket.json');
  expect(posted.headers.location).toBe('/admin/surveys/yeni-anket');
}

describe('a survey changed through one process', () => {
  it('is served by the other within a second once uploaded and opened, and closed there when closed', async () => {
    // B has already loaded its copy and answered a request before the upload.
    expect((await request(b.app).get('/anket/yeni-anket')).status).toBe(404);
    await upload();
    await postForm(agent, '/admin/surveys/yeni-anket', '/admin/surveys/yeni-anket/open', { closes_at: '2026-12-01T00:00' });
    expect((await request(a.app).get('/anket/yeni-anket')).status).toBe(200);

    expect(await until(b, '/anket/yeni-anket', 200)).toBeLessThan(1_000);
    const page = await request(b.app).get('/anket/yeni-anket');
    expect(page.text).toContain('Başka süreçte yüklenen anket');
    expect(b.catalog.source('yeni-anket')).toBe('upload');

    // Closing through A: B has the closed schedule within a second.
    await postForm(agent, '/admin/surveys/yeni-anket', '/admin/surveys/yeni-anket/close', {});
    const start = Date.now();
    while (b.catalog.schedule('yeni-anket').closesAt !== a.catalog.schedule('yeni-anket').closesAt) {
      if (Date.now() - start > 1_000) throw new Error('B still has the old schedule after a second');
      await request(b.app).get('/');
      await sleep(50);
    }
    expect(scheduleOf(b)).toEqual(scheduleOf(a));
  });

  it('changes the stored version with every upload and schedule change, and a registry reloads only then', async () => {
    const before = await surveyManagementRepository.findVersion(a.db);
    await upload();
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
