// Kill -9 under load: 50 citizens submit surveys over HTTP to the real server process, which is
// killed mid-load and restarted on the same database. Every submission that got its "thank you"
// redirect must be stored exactly once, and on SQLite the file must pass its integrity check.
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { loadCatalog } from '../../server/surveys';
import { openMigratedDatabase, testDatabaseUrl, testEngine } from '../helpers/database-template';
import { freePort } from '../helpers/smtp';
import { completeSurvey, validSectionFields } from '../helpers/survey-walker';
import { BUNDLED_SURVEYS, tempDir } from '../helpers/test-app';
import { startServer, type ServerProcess } from '../helpers/server-process';

jest.setTimeout(120_000);

const CLIENTS = 50;
const survey = loadCatalog(BUNDLED_SURVEYS).surveys.find((s) => s.slug === 'vatandas-anketi')!;
/** The free-text question whose answer carries each attempt's unique marker. */
const MARKED = 'iyilestirilmesi_gereken';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
async function until(condition: () => boolean, timeoutMs: number): Promise<void> {
  for (const end = Date.now() + timeoutMs; !condition() && Date.now() < end; ) await sleep(50);
}

describe('SIGKILL of the server under load', () => {
  it('keeps every acknowledged submission exactly once and the file intact', async () => {
    const dir = tempDir('paydas-kill-');
    const database = path.join(dir, 'paydas.sqlite');
    const port = await freePort();
    const env = { PORT: String(port), DATABASE_URL: await testDatabaseUrl(database), RATE_LIMIT_PUBLIC_POSTS: '1000000', SESSION_SECRET: 'kill-test-secret-that-is-long-enough-0123456789' };
    const base = `http://127.0.0.1:${port}`;

    let server: ServerProcess = await startServer(env);
    let phase: 'before' | 'after' = 'before';
    let stopping = false;
    const acknowledged: { marker: string; phase: string }[] = [];
    const failures: string[] = [];

    const client = async (id: number) => {
      for (let attempt = 0; !stopping; attempt++) {
        const marker = `kill9-${id}-${attempt}`;
        const startedIn = phase;
        try {
          await completeSurvey(request.agent(base), survey, (index) => {
            const fields = validSectionFields(survey, index);
            return MARKED in fields ? { ...fields, [MARKED]: marker } : fields;
          });
          // completeSurvey returns only once the last POST answered its redirect to the thank-you page.
          acknowledged.push({ marker, phase: startedIn === phase ? phase : 'across' });
        } catch (error) {
          // A response cut off mid-body fails as "aborted" with code ECONNRESET: the code says the server went away.
          const code = (error as NodeJS.ErrnoException).code;
          failures.push(`${code ? `${code} ` : ''}${String((error as Error).message)}`.slice(0, 80));
          await sleep(100);
        }
      }
    };
    const clients = Array.from({ length: CLIENTS }, (_, i) => client(i));

    // Under full load (the first submissions through, the other clients mid-survey), then the kill.
    await until(() => acknowledged.length >= 20, 20_000);
    const beforeKill = acknowledged.length;
    server.child.kill('SIGKILL');
    expect(await server.exited).toBe('SIGKILL');
    // Clients in the middle of a request see the server go: wait for the first to say so.
    await until(() => failures.length > 0, 20_000);
    const failuresAtKill = failures.length;
    phase = 'after';
    server = await startServer(env);
    const atRestart = acknowledged.length;
    await until(() => acknowledged.length >= atRestart + 20, 20_000);
    stopping = true;
    await Promise.all(clients);
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);

    // The kill happened mid-load: submissions went through before it and after the restart, and
    // clients saw requests fail while the server was gone.
    expect(beforeKill).toBeGreaterThan(0);
    expect(acknowledged.length).toBeGreaterThan(atRestart);
    expect(acknowledged.some((a) => a.phase === 'after')).toBe(true);
    expect(failures.length).toBeGreaterThan(0);
    expect(failuresAtKill).toBeGreaterThan(0);
    // The only failures are the server being gone: never an error page, a 429 or a refused form.
    expect(failures.filter((f) => !/ECONNRESET|ECONNREFUSED|socket hang up|EPIPE|^aborted$/.test(f))).toEqual([]);
    const kinds = new Map<string, number>();
    for (const failure of failures) kinds.set(failure.replace(/\/anket\/\S+/, '…').replace(/\d+$/, '#'), (kinds.get(failure.replace(/\/anket\/\S+/, '…').replace(/\d+$/, '#')) ?? 0) + 1);
    console.log(`kill -9: ${acknowledged.length} acknowledged (${beforeKill} before the kill), ${failures.length} attempts failed`, kinds);

    const opened = await openMigratedDatabase(database);
    const { db } = opened;
    try {
      // What a kill can break in a SQLite file; PostgreSQL recovers from its own log and checks
      // foreign keys on every write, so there is nothing of the kind to look at there.
      if (testEngine() === 'sqlite') {
        expect(opened.sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
        expect(opened.sqlite.pragma('foreign_key_check')).toEqual([]);
      }
      const stored = (
        await db
          .selectFrom('answers as a')
          .innerJoin('responses as r', 'r.id', 'a.response_id')
          .select((eb) => ['a.text as marker', 'r.status', eb.fn.countAll().as('n')])
          .where('a.question_id', '=', MARKED)
          .groupBy(['a.text', 'r.status'])
          .execute()
      ).map((row) => ({ marker: row.marker!, status: row.status, n: Number(row.n) }));
      // No marker twice: no attempt was stored as two responses.
      expect(stored.filter((row) => row.n > 1)).toEqual([]);
      expect(new Set(stored.map((row) => row.marker)).size).toBe(stored.length);
      const complete = new Set(stored.filter((row) => row.status === 'complete').map((row) => row.marker));
      const missing = acknowledged.filter((a) => !complete.has(a.marker));
      expect(missing).toEqual([]);
      // Complete responses in the database are the acknowledged ones, plus at most one per client
      // whose "thank you" was lost in the kill or the stop.
      const completeResponses = Number((await db.selectFrom('responses').select((eb) => eb.fn.countAll().as('n')).where('status', '=', 'complete').executeTakeFirstOrThrow()).n);
      expect(completeResponses).toBe(complete.size);
      expect(complete.size - acknowledged.length).toBeGreaterThanOrEqual(0);
      expect(complete.size - acknowledged.length).toBeLessThanOrEqual(CLIENTS * 2);
      // The running counts committed with each response agree with the responses after the kill.
      const respondents = await db.selectFrom('question_respondents').select('respondents').where('survey_slug', '=', survey.slug).where('question_id', '=', 'cinsiyet').executeTakeFirstOrThrow();
      expect(Number(respondents.respondents)).toBe(completeResponses);
    } finally {
      await db.destroy();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
