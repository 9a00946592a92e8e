// Start-up as a real process: what an operator sees on a fresh machine and on a bad configuration.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import request from 'supertest';
import { openDatabase } from '../server/platform/db/connection';
import { projectRoot } from '../server/platform/paths';
import { csrfFrom } from './helpers/admin';
import { createTestSmtp } from './helpers/smtp';
import { completeSurvey, validSectionFields } from './helpers/survey-walker';
import { createTestApp, FIXTURE_SURVEYS, tempDir } from './helpers/test-app';
import { testDatabaseUrl } from './helpers/database-template';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function start(env: Record<string, string>, untilListening = false): Promise<Run & { stop?: () => Promise<number | null> }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      cwd: projectRoot,
      env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', ...env },
    });
    let stdout = '';
    let stderr = '';
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      if (untilListening && stdout.includes('listening') && (stdout.includes('/admin/setup') || stdout.split('\n').length > 2)) {
        resolve({ code: null, stdout, stderr, stop: () => (child.kill('SIGTERM'), exited) });
      }
    });
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    void exited.then((code) => resolve({ code, stdout, stderr }));
  });
}

async function freePort(): Promise<number> {
  const server = net.createServer().listen(0);
  await new Promise((done) => server.once('listening', done));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise((done) => server.close(done));
  return port;
}

jest.setTimeout(30_000);

describe('server start-up', () => {
  it('serves the bundled surveys on an embedded SQLite file with nothing configured but a port', async () => {
    const dir = tempDir();
    const port = await freePort();
    const database = path.join(dir, 'data', 'paydas.sqlite');
    const run = await start({ PORT: String(port), DATABASE_URL: database }, true);
    try {
      expect(run.stdout).toContain(`listening on http://localhost:${port}`);
      const home = await request(`http://localhost:${port}`).get('/');
      expect(home.status).toBe(200);
      expect(home.text).toContain('href="/anket/vatandas-anketi"');
      // No users yet: the console shows a one-time set-up link that works.
      const link = /(\/admin\/setup\?token=[A-Za-z0-9_-]+)/.exec(run.stdout)?.[1];
      expect(link).toBeDefined();
      expect((await request(`http://localhost:${port}`).get(link!)).status).toBe(200);
    } finally {
      expect(await run.stop!()).toBe(0);
    }
    const { db } = openDatabase(database);
    const secret = await db.selectFrom('settings').select('value').where('key', '=', 'session_secret').executeTakeFirst();
    expect(secret?.value).toMatch(/^[A-Za-z0-9_-]{64}$/);
    const slugs = await db.selectFrom('survey_definitions').select('slug').orderBy('slug').execute();
    expect(slugs.map((r) => r.slug)).toEqual(['kurum-gorus-formu', 'vatandas-anketi']);
    await db.destroy();
  });

  it('sends mail through SMTP_URL from the outbox, From the municipality at BASE_URL\'s host', async () => {
    const smtp = await createTestSmtp();
    const port = await freePort();
    const dir = tempDir();
    const run = await start(
      { PORT: String(port), DATABASE_URL: path.join(dir, 'paydas.sqlite'), UPLOADS_DIR: path.join(dir, 'uploads'), SMTP_URL: `smtp://127.0.0.1:${smtp.port}?ignoreTLS=true`, BASE_URL: 'http://katilim.example.org' },
      true,
    );
    try {
      expect(run.stdout).not.toContain('SMTP_URL is not set');
      const site = request.agent(`http://localhost:${port}`);
      const page = await site.get('/kurum-gorusu');
      const sent = await site
        .post('/kurum-gorusu')
        .type('form')
        .send({ _csrf: csrfFrom(page.text), survey: 'kurum-gorus-formu', name: 'Kent Konseyi', group: 'kent_konseyi', email: 'konsey@example.org', language: 'tr', authority: '1' });
      expect(sent.status).toBe(200);
      // Woken by the queued mail, the worker sends it without waiting for its 15 s interval: the
      // mail is awaited as it arrives, for at most 10 s.
      let bound: NodeJS.Timeout | undefined;
      await Promise.race([smtp.waitForMessages(1), new Promise((done) => (bound = setTimeout(done, 10_000)))]);
      clearTimeout(bound);
      expect(smtp.received).toHaveLength(1);
      expect(smtp.received[0]!.from!.value[0]).toMatchObject({ name: 'Yeşilvadi Belediyesi (Demo)', address: 'no-reply@katilim.example.org' });
      // Replies go to the municipality's contact address from surveys/municipality.json, not to no-reply.
      expect(smtp.received[0]!.replyTo?.value.map((a) => a.address)).toEqual(['strateji@example.org']);
      expect(smtp.received[0]!.text).toContain('http://katilim.example.org/kurum-gorusu/onay/');
    } finally {
      expect(await run.stop!()).toBe(0);
      await smtp.stop();
    }
  });

  it('warns in one line at start-up when BASE_URL is https and TRUST_PROXY is unset', async () => {
    const dir = tempDir();
    const run = await start({ PORT: String(await freePort()), DATABASE_URL: path.join(dir, 'paydas.sqlite'), BASE_URL: 'https://katilim.example.org' }, true);
    try {
      const warnings = run.stderr.split('\n').filter((line) => line.includes('TRUST_PROXY'));
      expect(warnings).toEqual([expect.stringMatching(/^Warning: BASE_URL is https but TRUST_PROXY is not set\./)]);
    } finally {
      expect(await run.stop!()).toBe(0);
    }
  });

  it('stops with a one-line message naming a bad variable', async () => {
    const run = await start({ PORT: 'seksen' });
    expect(run.code).toBe(1);
    expect(run.stderr.trim()).toMatch(/^Invalid PORT="seksen": [^\n]+$/);
  });

  it('stops with the file, JSON path and problem of a malformed survey, before touching the database', async () => {
    const dir = tempDir();
    fs.copyFileSync(path.join(FIXTURE_SURVEYS, 'municipality.json'), path.join(dir, 'municipality.json'));
    const survey = JSON.parse(fs.readFileSync(path.join(FIXTURE_SURVEYS, 'tum-soru-tipleri.json'), 'utf8'));
    survey.sections[1].questions[0].scale = 'bes';
    fs.writeFileSync(path.join(dir, 'tum-soru-tipleri.json'), JSON.stringify(survey));
    const database = path.join(dir, 'db', 'paydas.sqlite');
    const run = await start({ SURVEYS_DIR: dir, DATABASE_URL: database, PORT: String(await freePort()) });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('tum-soru-tipleri.json: $.sections[1].questions[0].scale: ');
    expect(fs.existsSync(database)).toBe(false);
  });

  it('refuses to start when a changed survey would leave stored answers unreadable', async () => {
    const dir = tempDir();
    for (const name of fs.readdirSync(FIXTURE_SURVEYS)) fs.copyFileSync(path.join(FIXTURE_SURVEYS, name), path.join(dir, name));
    const file = path.join(tempDir(), 'paydas.sqlite');
    const app = await createTestApp({ surveysDir: dir, now: new Date('2026-06-01T12:00:00+03:00'), databaseFile: file });
    const fixture = app.catalog.find('tum-soru-tipleri')!;
    await completeSurvey(request.agent(app.app), fixture, (i) => validSectionFields(fixture, i));
    await app.close();
    const survey = JSON.parse(fs.readFileSync(path.join(dir, 'tum-soru-tipleri.json'), 'utf8'));
    survey.sections[2].questions = survey.sections[2].questions.filter((q: { id: string }) => q.id !== 'yas');
    fs.writeFileSync(path.join(dir, 'tum-soru-tipleri.json'), JSON.stringify(survey));
    const run = await start({ SURVEYS_DIR: dir, DATABASE_URL: await testDatabaseUrl(file), PORT: String(await freePort()) });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('surveys/tum-soru-tipleri.json: question "yas" was removed, but 1 stored answers use it');
  });
});
