// npm run backup -- FILE: an online copy while the database is being written, restoring it the
// way README says, and the refusals an operator may meet.
import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import SQLite from 'better-sqlite3';
import { integrityCheck } from '../../server/platform/db/backup';
import { runBackupCli } from '../../server/platform/db/backup-cli';
import { addUser, logIn } from '../helpers/admin';
import { completeSurvey } from '../helpers/survey-walker';
import { createTestApp, FIXTURE_SURVEYS, tempDir, type TestApp } from '../helpers/test-app';
import request from 'supertest';

jest.setTimeout(60_000);

/** Runs the CLI's main function as `npm run backup -- ...argv` would, collecting what it prints. */
async function backup(argv: string[], database: string, cwd: string) {
  const lines: string[] = [];
  const errors: string[] = [];
  const code = await runBackupCli(argv, {
    env: { DATABASE_URL: database },
    cwd,
    output: { log: (line) => lines.push(line), error: (line) => errors.push(line) },
  });
  return { code, lines, errors };
}

const ANSWERS_PER_RESPONSE = 8;

// A second writer on the same file, in its own thread with its own connection, as a running
// server is to the backup: each transaction stores one complete response with all its answers and
// bumps the running count, like a real submission.
const WRITER = `
const { workerData } = require('node:worker_threads');
const SQLite = require(workerData.driver);
const db = new SQLite(workerData.file);
db.pragma('busy_timeout = 5000');
// No checkpoints: the writer's commits stay in the -wal file, as they do between checkpoints on a
// live server, where a copy of the .sqlite file alone would miss them.
db.pragma('wal_autocheckpoint = 0');
const control = new Int32Array(workerData.control);
const insertResponse = db.prepare("insert into responses (survey_slug, definition_hash, language, channel, status, started_at, updated_at, submitted_at) values ('yuk-testi', ?, 'tr', 'online', 'complete', ?, ?, ?)");
const insertAnswer = db.prepare('insert into answers (response_id, question_id, value, text) values (?, ?, ?, ?)');
const count = db.prepare("insert into question_respondents (survey_slug, question_id, respondents) values ('yuk-testi', 'q0', 1) on conflict do update set respondents = respondents + 1");
const submit = db.transaction(() => {
  const at = new Date().toISOString();
  const id = insertResponse.run(workerData.hash, at, at, at).lastInsertRowid;
  for (let q = 0; q < workerData.answers; q++) insertAnswer.run(id, 'q' + q, q, 'yanıt metni '.repeat(20));
  count.run();
});
while (Atomics.load(control, 0) === 0) {
  submit();
  Atomics.add(control, 1, 1);
}
`;

describe('npm run backup', () => {
  describe('while another connection keeps submitting responses', () => {
    let t: TestApp;
    let dir: string;
    let database: string;
    let writer: Worker;
    let control: Int32Array;

    beforeAll(async () => {
      dir = tempDir('paydas-backup-');
      database = path.join(dir, 'paydas.sqlite');
      t = await createTestApp({ databaseFile: database });
      const { hash } = await t.db.selectFrom('survey_definitions').select('hash').executeTakeFirstOrThrow();
      // Some megabytes, so the copy takes long enough for commits to land while it runs.
      const sqlite = new SQLite(database);
      sqlite.pragma('busy_timeout = 5000');
      const at = new Date().toISOString();
      sqlite.transaction(() => {
        const insertResponse = sqlite.prepare("insert into responses (survey_slug, definition_hash, language, channel, status, started_at, updated_at, submitted_at) values ('yuk-testi', ?, 'tr', 'online', 'complete', ?, ?, ?)");
        const insertAnswer = sqlite.prepare('insert into answers (response_id, question_id, value, text) values (?, ?, ?, ?)');
        for (let i = 0; i < 3000; i++) {
          const id = insertResponse.run(hash, at, at, at).lastInsertRowid;
          for (let q = 0; q < ANSWERS_PER_RESPONSE; q++) insertAnswer.run(id, `q${q}`, q, 'yanıt metni '.repeat(20));
        }
        sqlite.prepare("insert into question_respondents (survey_slug, question_id, respondents) values ('yuk-testi', 'q0', 3000)").run();
      })();
      sqlite.close();
      control = new Int32Array(new SharedArrayBuffer(8));
      writer = new Worker(WRITER, {
        eval: true,
        workerData: { driver: require.resolve('better-sqlite3'), file: database, hash, answers: ANSWERS_PER_RESPONSE, control: control.buffer },
      });
      // Wait until the writer is really writing.
      while (Atomics.load(control, 1) < 20) await new Promise((resolve) => setTimeout(resolve, 10));
    });
    afterAll(async () => {
      Atomics.store(control, 0, 1);
      await writer.terminate();
      await t.close();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('copies a consistent snapshot that passes the integrity check, under the final name only when complete', async () => {
      const before = Atomics.load(control, 1);
      const noFolder = await backup(['backups/copy.sqlite'], database, dir);
      expect(noFolder).toMatchObject({ code: 1, errors: [expect.stringContaining('backups does not exist')] });

      fs.mkdirSync(path.join(dir, 'backups'));
      const { code, lines, errors } = await backup(['backups/copy.sqlite'], database, dir);
      const after = Atomics.load(control, 1);
      expect(errors).toEqual([]);
      expect(code).toBe(0);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(new RegExp(`^Backed up ${database} to ${path.join(dir, 'backups', 'copy.sqlite')}: \\d+\\.\\d MB in \\d+(\\.\\d s| ms); integrity_check: ok\\.$`));
      // The writer went on during the copy, and no temporary file was left behind.
      expect(after).toBeGreaterThan(before);
      expect(fs.readdirSync(path.join(dir, 'backups'))).toEqual(['copy.sqlite']);

      const copyFile = path.join(dir, 'backups', 'copy.sqlite');
      expect(fs.statSync(copyFile).mode & 0o777).toBe(0o600);
      expect(integrityCheck(copyFile)).toEqual(['ok']);
      const copy = new SQLite(copyFile, { readonly: true });
      try {
        // One self-contained file: no WAL to carry along.
        expect(copy.pragma('journal_mode', { simple: true })).toBe('delete');
        const responses = copy.prepare("select count(*) as n, max(id) as last from responses where survey_slug = 'yuk-testi'").get() as { n: number; last: number };
        // Every response committed when the snapshot was taken, and none that came later.
        expect(responses.n).toBeGreaterThanOrEqual(3000 + before);
        expect(responses.n).toBeLessThanOrEqual(3000 + after);
        expect(responses.last).toBe(responses.n);
        const incomplete = copy
          .prepare(`select count(*) as n from responses r where (select count(*) from answers a where a.response_id = r.id) <> ?`)
          .get(ANSWERS_PER_RESPONSE) as { n: number };
        expect(incomplete.n).toBe(0);
        const tally = copy.prepare("select respondents from question_respondents where survey_slug = 'yuk-testi' and question_id = 'q0'").get() as { respondents: number };
        expect(tally.respondents).toBe(responses.n);
      } finally {
        copy.close();
      }
    });
  });

  describe('restoring a backup as README says', () => {
    it('serves the data of the backup, without what came after it', async () => {
      const dir = tempDir('paydas-restore-');
      const database = path.join(dir, 'paydas.sqlite');
      let t = await createTestApp({ surveysDir: FIXTURE_SURVEYS, databaseFile: database, now: new Date('2026-06-01T10:00:00+03:00') });
      const survey = t.catalog.find('tum-soru-tipleri')!;
      for (let i = 0; i < 5; i++) await completeSurvey(request.agent(t.app), survey);
      const { code } = await backup([path.join(dir, 'backup.sqlite')], database, dir);
      expect(code).toBe(0);
      await completeSurvey(request.agent(t.app), survey);
      const viewer = await addUser(t, 'viewer');
      expect((await (await logIn(t, viewer)).get('/admin/surveys/tum-soru-tipleri/results')).text).toContain('Bu süzgeçle 6 tamamlanmış yanıt');
      await t.close();

      // Stop the server, copy the backup over DATABASE_URL, delete stale -wal/-shm, start.
      fs.copyFileSync(path.join(dir, 'backup.sqlite'), database);
      fs.rmSync(`${database}-wal`, { force: true });
      fs.rmSync(`${database}-shm`, { force: true });
      t = await createTestApp({ surveysDir: FIXTURE_SURVEYS, databaseFile: database, now: new Date('2026-06-01T10:00:00+03:00') });
      try {
        // The viewer was created after the backup: the restored database does not know them.
        expect(await t.db.selectFrom('users').select('email').where('email', '=', viewer.email).executeTakeFirst()).toBeUndefined();
        const page = await (await logIn(t, await addUser(t, 'viewer'))).get('/admin/surveys/tum-soru-tipleri/results');
        expect(page.status).toBe(200);
        expect(page.text).toContain('Bu süzgeçle 5 tamamlanmış yanıt');
        expect(t.logged).toEqual([]);
      } finally {
        await t.close();
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  describe('refusals', () => {
    let dir: string;
    let database: string;
    beforeAll(async () => {
      dir = tempDir('paydas-backup-refusals-');
      database = path.join(dir, 'data', 'paydas.sqlite');
      const t = await createTestApp({ databaseFile: database });
      await t.close();
    });
    afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
    const listing = () => fs.readdirSync(dir).sort();

    it.each([
      [[], /^Say where the backup goes \(usage: npm run backup -- FILE \[--force\]\)\.$/],
      [['  '], /^Say where the backup goes/],
      [['a.sqlite', 'b.sqlite'], /^One FILE only, got 2/],
      [['--forse', 'a.sqlite'], /^Unknown option '--forse'.*\(usage: npm run backup -- FILE \[--force\]\)$/],
      [['data/paydas.sqlite'], /^Refusing to write the backup over the database itself \(.*paydas\.sqlite\); choose another file\.$/],
      [['data/../data/./paydas.sqlite', '--force'], /^Refusing to write the backup over the database itself/],
      [['data/paydas.sqlite-wal', '--force'], /^Refusing to write the backup over the database itself/],
      [['missing/copy.sqlite'], /^The folder .*missing does not exist; create it first\.$/],
      [['data'], /^.*data is a folder; give the backup a file name inside it\.$/],
    ])('refuses %j on one line, changing nothing', async (argv, message) => {
      const before = listing();
      const { code, lines, errors } = await backup(argv, database, dir);
      expect(code).toBe(1);
      expect(lines).toEqual([]);
      expect(errors).toHaveLength(1);
      expect(errors[0]).not.toContain('\n');
      expect(errors[0]).toMatch(message);
      expect(listing()).toEqual(before);
      expect(integrityCheck(database)).toEqual(['ok']);
    });

    it('refuses to replace an existing file unless --force is given', async () => {
      const file = path.join(dir, 'existing.sqlite');
      fs.writeFileSync(file, 'an older backup');
      const refused = await backup(['existing.sqlite'], database, dir);
      expect(refused).toMatchObject({ code: 1, errors: [`${file} already exists; add --force to replace it.`] });
      expect(fs.readFileSync(file, 'utf8')).toBe('an older backup');

      const forced = await backup(['existing.sqlite', '--force'], database, dir);
      expect(forced.code).toBe(0);
      expect(integrityCheck(file)).toEqual(['ok']);
    });

    it('keeps a copy that fails the integrity check beside the final name, and says so', async () => {
      // A database with a damaged index page: the backup API copies pages as they are.
      const damaged = path.join(dir, 'damaged.sqlite');
      const source = new SQLite(damaged);
      source.exec('create table t (x text); create index t_x on t (x);');
      const insert = source.prepare('insert into t values (?)');
      for (let n = 0; n < 50; n++) insert.run(`value-${n}`);
      const { rootpage } = source.prepare("select rootpage from sqlite_master where name = 't_x'").get() as { rootpage: number };
      const pageSize = source.pragma('page_size', { simple: true }) as number;
      source.close();
      const fd = fs.openSync(damaged, 'r+');
      fs.writeSync(fd, Buffer.from('ZZZZZZZZ'), 0, 8, rootpage * pageSize - 40);
      fs.closeSync(fd);

      const { code, lines, errors } = await backup(['damaged-copy.sqlite'], damaged, dir);
      expect(code).toBe(1);
      expect(lines).toEqual([]);
      expect(errors).toHaveLength(1);
      expect(errors[0]).not.toContain('\n');
      expect(errors[0]).toMatch(/^The copy failed its integrity check \(.*missing from index t_x.*\); it was kept as .*damaged-copy\.sqlite\.damaged, not .*damaged-copy\.sqlite\./);
      expect(fs.existsSync(path.join(dir, 'damaged-copy.sqlite'))).toBe(false);
      expect(fs.existsSync(path.join(dir, 'damaged-copy.sqlite.damaged'))).toBe(true);
    });

    it('refuses when DATABASE_URL names no database, creating none', async () => {
      const missing = path.join(dir, 'nowhere', 'paydas.sqlite');
      const { code, errors } = await backup(['copy.sqlite'], missing, dir);
      expect(code).toBe(1);
      expect(errors).toEqual([`There is no database at ${missing} (DATABASE_URL); nothing to back up.`]);
      expect(fs.existsSync(path.join(dir, 'nowhere'))).toBe(false);
      expect(fs.existsSync(path.join(dir, 'copy.sqlite'))).toBe(false);
    });

    it('refuses a bad DATABASE_URL with the configuration message', async () => {
      const { code, errors } = await backup(['copy.sqlite'], 'mysql://db.example.org/paydas', dir);
      expect(code).toBe(1);
      expect(errors).toEqual([expect.stringMatching(/^Invalid DATABASE_URL: must be a SQLite file path/)]);
    });

    it('sends a PostgreSQL database to pg_dump, copying nothing', async () => {
      const { code, errors } = await backup(['copy.sqlite'], 'postgres://db.example.org/paydas', dir);
      expect(code).toBe(1);
      expect(errors).toEqual(['DATABASE_URL is a PostgreSQL database: npm run backup copies SQLite files only. Back it up with pg_dump (README, "Running on PostgreSQL").']);
      expect(fs.existsSync(path.join(dir, 'copy.sqlite'))).toBe(false);
    });
  });
});
