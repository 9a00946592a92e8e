// npm run db -- copy: a SQLite database holding the demo consultation, a letter and unusual text
// is copied into empty PostgreSQL databases on the run's PostgreSQL server (TEST_POSTGRES_URL,
// which the global set-up starts when it is not given).
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { sql, type Kysely } from 'kysely';
import pg from 'pg';
import { seedDemoData } from '../../server/demo/demo-data';
import { exportColumns, exportedResponses, exportHeader, exportRow, type ExportWords } from '../../server/analysis/response-export';
import { surveyResults } from '../../server/analysis/results.service';
import type { Database } from '../../server/platform/db/database';
import { openDatabase, openSqliteDatabase, type Db } from '../../server/platform/db/connection';
import { copySqliteToPostgres, foreignKeyOrder, normalise, samplePositions, type CopyOutcome } from '../../server/platform/db/copy-database';
import { runDbCli } from '../../server/platform/db/db-cli';
import { migrateToLatest } from '../../server/platform/db/migrator';
import { writeCsv } from '../../server/platform/export/writers';
import { createI18n } from '../../server/platform/i18n/i18n';
import { createMailer } from '../../server/platform/mail/mailer';
import { insertLetter } from '../../server/opinions/invitation.repository';
import { loadCatalog, surveyDefinitionRepository, SurveyRegistry, type Survey } from '../../server/surveys';
import { testPostgresUrl } from '../helpers/database-template';
import { BUNDLED_SURVEYS, DURING_SURVEY, TEST_BASE_URL, TEST_SECRET, tempDir } from '../helpers/test-app';

const SERVER_URL = testPostgresUrl();

/** Every table of the Database interface: a table added there without being listed here does not compile. */
const DATABASE_TABLES: { [table in keyof Database]: true } = {
  settings: true, survey_definitions: true, responses: true, answers: true, paper_forms: true, answer_tallies: true,
  question_respondents: true, users: true, sessions: true, login_throttles: true, rate_limit_hits: true, audit_events: true,
  uploaded_surveys: true, survey_schedules: true, survey_drafts: true, survey_access_modes: true, access_code_batches: true,
  access_codes: true, outbox_messages: true, outbox_attempts: true, stakeholders: true, stakeholder_emails: true,
  stakeholder_areas: true, invitations: true, invitation_tokens: true, opinion_letters: true, opinion_letter_contents: true,
  self_registrations: true, scheduled_jobs: true, meetings: true, meeting_mahalles: true, meeting_registrations: true,
  meeting_notices: true, meeting_requests: true, consultation_activities: true, consultation_activity_mahalles: true,
  consultation_activity_stakeholders: true, codebook_themes: true, coded_answers: true, answer_codes: true, second_codings: true,
  second_coding_codes: true, theme_quotes: true, coding_batches: true, coding_batch_items: true, answer_segments: true,
  segment_codes: true, findings: true, finding_evidence: true, finding_draft_decisions: true, report_templates: true,
  retention_runs: true, anonymisations: true, data_subject_requests: true, consents: true, swot_items: true, swot_reviews: true,
  response_quality: true, response_flags: true, quality_network_keys: true,
};

/** Turkish letters, emoji, both quotes, a backslash, tabs and both newlines. */
const UNUSUAL = 'Çağrı Öztürk, İĞÜŞÖÇ ığüşöç — "çift" \'tek\' “kıvrık” 🏛️🇹🇷 \\ sekme\tsatır\nyeni\r\nson';
/** Every byte value once, NUL and 0xFF included, then a PDF-like tail. */
const LETTER = Buffer.concat([Buffer.from(Array.from({ length: 256 }, (_, i) => i)), Buffer.from('%PDF-1.4\n%âãÏÓ\n%%EOF\n', 'latin1')]);
/** A real that is not exactly representable in fewer than 17 digits. */
const AWKWARD_REAL = 0.1 + 0.2;

const admin = new pg.Pool({ connectionString: SERVER_URL, max: 2, idleTimeoutMillis: 1_000, allowExitOnIdle: true });
const created: string[] = [];

/** A new empty PostgreSQL database on the test server, dropped after the file. */
async function emptyTarget(): Promise<string> {
  const name = `paydas_copy_${process.pid}_${crypto.randomBytes(4).toString('hex')}`;
  await admin.query(`create database "${name}"`);
  created.push(name);
  const url = new URL(SERVER_URL!);
  url.pathname = `/${name}`;
  return url.toString();
}

const sha256 = (file: string) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

/** Every table's rows, sorted by their JSON (the engines order text keys by different collations). */
async function allRows(db: Kysely<any>, tables: string[]): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const table of tables) {
    const rows = await db.selectFrom(table).selectAll().execute();
    const spelled = rows.map((row) => JSON.stringify(row, (_key, value: unknown) => (value && typeof value === 'object' && (value as { type?: unknown }).type === 'Buffer' ? Buffer.from((value as { data: number[] }).data).toString('hex') : value)));
    out[table] = spelled.sort();
  }
  return out;
}

async function countsOf(db: Kysely<any>, tables: string[]): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of tables) counts[table] = Number((await sql<{ n: unknown }>`select count(*) as n from ${sql.table(table)}`.execute(db)).rows[0]!.n);
  return counts;
}

const WORDS: ExportWords = {
  text: (value) => (typeof value === 'string' ? value : value.tr),
  fixed: { id: 'id', submittedAt: 'submitted', channel: 'channel', language: 'language' },
  chosen: 'chosen',
  rank: 'rank',
  notApplicable: 'n/a',
  other: 'other',
  otherText: 'other text',
  otherTextCodes: 'other codes',
  band: 'band',
  outsideBands: 'outside',
};

/** The responses export of a survey as the CSV bytes the route sends. */
async function csvExport(db: Db, survey: Survey): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (chunk: Buffer) => chunks.push(chunk));
  const columns = exportColumns(survey, WORDS);
  async function* rows() {
    for await (const response of exportedResponses(db, survey.slug, { answers: [] })) yield exportRow(columns, response);
  }
  await writeCsv(out, exportHeader(columns), rows(), 'tr');
  out.end();
  return Buffer.concat(chunks);
}

const lines: string[] = [];
const cli = () => ({ log: (line: string) => lines.push(line), error: (line: string) => lines.push(`ERROR ${line}`) });

describe('copySqliteToPostgres (npm run db -- copy)', () => {
  const dir = tempDir('paydas-copy-');
  const source = path.join(dir, 'source.sqlite');
  let catalog: SurveyRegistry;
  let tables: string[];
  let letterId: number;
  let answerWithText: number;

  beforeAll(async () => {
    const { db } = openSqliteDatabase(source);
    await migrateToLatest(db);
    catalog = await SurveyRegistry.open(db, loadCatalog(BUNDLED_SURVEYS));
    for (const survey of catalog.surveys) await surveyDefinitionRepository.saveDefinition(db, survey, DURING_SURVEY);
    const i18n = createI18n();
    const mailer = createMailer({ i18n, locals: { municipality: catalog.municipality, baseUrl: TEST_BASE_URL }, timeZone: 'Europe/Istanbul', secret: TEST_SECRET, cache: true });
    const seeded = await seedDemoData(db, catalog, { now: DURING_SURVEY, citizenResponses: 120, seed: 7, mailer, baseUrl: TEST_BASE_URL, secret: TEST_SECRET, i18n, timeZone: 'Europe/Istanbul' });
    expect(seeded.kind).toBe('seeded');
    const invitation = await db.selectFrom('invitations').select('id').orderBy('id').executeTakeFirstOrThrow();
    letterId = await insertLetter(
      db,
      { invitationId: invitation.id, fileName: `${UNUSUAL}.pdf`, storedName: crypto.randomBytes(16).toString('hex'), size: LETTER.length, sha256: crypto.createHash('sha256').update(LETTER).digest('hex'), pages: 1, content: LETTER },
      DURING_SURVEY,
    );
    await db.insertInto('settings').values({ key: 'copy-test', value: UNUSUAL, updated_at: DURING_SURVEY.toISOString() }).execute();
    const response = await db.selectFrom('responses').select('id').orderBy('id', 'desc').executeTakeFirstOrThrow();
    answerWithText = (
      await db.insertInto('answers').values({ response_id: response.id, question_id: 'copy-test', option_id: null, value: AWKWARD_REAL, text: UNUSUAL, rank: null, not_applicable: 0 }).returning('id').executeTakeFirstOrThrow()
    ).id;
    tables = (await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'sqlite%' and name not like 'kysely%'`.execute(db)).rows.map((row) => row.name);
    // Closing checkpoints the WAL: the file alone is the whole database, and its hash means something.
    await db.destroy();
  }, 300_000);

  afterAll(async () => {
    for (const name of created) await admin.query(`drop database if exists "${name}" with (force)`);
    await admin.end();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  describe('into an empty database', () => {
    let target: string;
    let outcome: CopyOutcome;
    let sourceHash: string;
    let pgDb: Db;
    let sqliteDb: Db;

    beforeAll(async () => {
      sourceHash = sha256(source);
      target = await emptyTarget();
      outcome = await copySqliteToPostgres(source, target, { batchRows: 97 });
      pgDb = openDatabase(target).db;
      sqliteDb = openSqliteDatabase(source).db;
    }, 180_000);
    afterAll(async () => {
      await pgDb.destroy();
      await sqliteDb.destroy();
    });

    it('copies every table of the Database interface, with equal row counts, and says how many sample rows it compared', () => {
      expect(outcome.kind).toBe('copied');
      if (outcome.kind !== 'copied') return;
      expect(outcome.tables.map((table) => table.table).sort()).toEqual(Object.keys(DATABASE_TABLES).sort());
      expect(outcome.tables.map((table) => table.table).sort()).toEqual([...tables].sort());
      for (const table of outcome.tables) expect(table.target).toBe(table.source);
      expect(outcome.tables.find((table) => table.table === 'answers')!.source).toBeGreaterThan(1000);
      // Up to 50 per table; the small tables whole.
      expect(outcome.sampleRows).toBeGreaterThan(500);
      // Parents before children: a response's answers after it, a letter's bytes after the letter.
      const order = outcome.tables.map((table) => table.table);
      expect(order.indexOf('responses')).toBeLessThan(order.indexOf('answers'));
      expect(order.indexOf('opinion_letters')).toBeLessThan(order.indexOf('opinion_letter_contents'));
      expect(order.indexOf('survey_definitions')).toBeLessThan(order.indexOf('responses'));
    });

    it('holds exactly the same rows in every table, bytes, reals and unusual text included', async () => {
      const [fromSqlite, fromPostgres] = [await allRows(sqliteDb, tables), await allRows(pgDb, tables)];
      for (const table of tables) expect({ table, rows: fromPostgres[table] }).toEqual({ table, rows: fromSqlite[table] });
      const letter = await pgDb.selectFrom('opinion_letter_contents').select('content').where('letter_id', '=', letterId).executeTakeFirstOrThrow();
      expect(Buffer.compare(letter.content, LETTER)).toBe(0);
      const answer = await pgDb.selectFrom('answers').select(['text', 'value']).where('id', '=', answerWithText).executeTakeFirstOrThrow();
      expect(answer).toEqual({ text: UNUSUAL, value: AWKWARD_REAL });
      const setting = await pgDb.selectFrom('settings').select('value').where('key', '=', 'copy-test').executeTakeFirstOrThrow();
      expect(setting.value).toBe(UNUSUAL);
    }, 60_000);

    it('gives the same survey results and the same CSV export bytes on both engines', async () => {
      for (const survey of catalog.surveys) {
        const whole = { answers: [] };
        const online = { answers: [], channel: 'online' as const };
        expect(await surveyResults(pgDb, survey, whole)).toEqual(await surveyResults(sqliteDb, survey, whole));
        expect(await surveyResults(pgDb, survey, online)).toEqual(await surveyResults(sqliteDb, survey, online));
        const [fromPostgres, fromSqlite] = [await csvExport(pgDb, survey), await csvExport(sqliteDb, survey)];
        expect(fromPostgres.length).toBeGreaterThan(1000);
        expect(fromPostgres.equals(fromSqlite)).toBe(true);
      }
      expect((await surveyResults(pgDb, catalog.find('vatandas-anketi')!, { answers: [] })).n).toBe(120);
    }, 60_000);

    it('moves every id sequence past the copied ids, so a new row gets a fresh id', async () => {
      const maxAnswer = Number((await sqliteDb.selectFrom('answers').select((eb) => eb.fn.max('id').as('max')).executeTakeFirstOrThrow()).max);
      const response = await pgDb.selectFrom('responses').select('id').orderBy('id').executeTakeFirstOrThrow();
      const inserted = await pgDb
        .insertInto('answers')
        .values({ response_id: response.id, question_id: 'after-copy', option_id: null, value: null, text: null, rank: null, not_applicable: 0 })
        .returning('id')
        .executeTakeFirstOrThrow();
      expect(inserted.id).toBe(maxAnswer + 1);
      const swot = await pgDb.insertInto('swot_items').values({ kind: 'strength', text: 'yeni', created_at: 'x', updated_at: 'x' }).returning('id').executeTakeFirstOrThrow();
      const maxSwot = Number((await sqliteDb.selectFrom('swot_items').select((eb) => eb.fn.max('id').as('max')).executeTakeFirstOrThrow()).max);
      expect(swot.id).toBe(maxSwot + 1);
      await pgDb.deleteFrom('answers').where('id', '=', inserted.id).execute();
      await pgDb.deleteFrom('swot_items').where('id', '=', swot.id).execute();
    });

    it('never writes to the source file', () => {
      expect(sha256(source)).toBe(sourceHash);
    });

    it('refuses a target that holds rows, with exit code 2 and one line, changing nothing', async () => {
      const before = await countsOf(pgDb, tables);
      lines.length = 0;
      const code = await runDbCli(['copy', '--to', target, '--from', source], { output: cli() });
      expect(code).toBe(2);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^ERROR The PostgreSQL database .* is not empty \(rows in .*\); the copy only fills an empty one\. Nothing was written\.$/);
      expect(await countsOf(pgDb, tables)).toEqual(before);
    }, 60_000);
  });

  describe('through the command line', () => {
    it('prints each table with its rows, a table of counts, the sample checked and the total time, and exits 0', async () => {
      const target = await emptyTarget();
      lines.length = 0;
      const code = await runDbCli(['copy', '--to', target], { env: { ...process.env, DATABASE_URL: source }, output: cli() });
      expect(lines.filter((line) => line.startsWith('ERROR'))).toEqual([]);
      expect(code).toBe(0);
      expect(lines[0]).toMatch(/^Copying 60 tables \(\d+ rows\) from .*source\.sqlite to postgres:\/\/.* in one transaction:$/);
      expect(lines).toContainEqual(expect.stringMatching(/^ {2}answers +\d+ rows {2}\d/));
      expect(lines).toContainEqual(expect.stringMatching(/^table +SQLite +PostgreSQL$/));
      const answers = lines.find((line) => /^answers\s+\d+\s+\d+$/.test(line))!.split(/\s+/);
      expect(answers[1]).toBe(answers[2]);
      expect(lines.at(-1)).toMatch(/^Copied .* 60 tables, row counts equal, checked \d+ sample rows column by column; total time [\d.]+ m?s\.$/);
    }, 120_000);
  });

  describe('while the app still writes to the source', () => {
    it('copies the snapshot taken at its start: a response committed meanwhile stays behind, and every count matches', async () => {
      const file = path.join(dir, 'live.sqlite');
      fs.copyFileSync(source, file);
      const live = openSqliteDatabase(file).db;
      const target = await emptyTarget();
      let written = 0;
      const outcome = await copySqliteToPostgres(file, target, {
        afterSnapshot: async () => {
          const response = await live.selectFrom('responses').selectAll().orderBy('id').executeTakeFirstOrThrow();
          const { id } = await live.insertInto('responses').values({ ...response, id: undefined, idempotency_key: 'after-snapshot', draft_token_hash: null }).returning('id').executeTakeFirstOrThrow();
          await live.insertInto('answers').values({ response_id: id, question_id: 'after-snapshot', option_id: null, value: null, text: null, rank: null, not_applicable: 0 }).execute();
          written = id;
        },
      });
      expect(written).toBeGreaterThan(0);
      expect(outcome.kind).toBe('copied');
      const { db } = openDatabase(target);
      const copied = await db.selectFrom('responses').select('id').where('id', '=', written).execute();
      const counts = await countsOf(db as unknown as Kysely<any>, ['responses', 'answers']);
      await db.destroy();
      const now = await countsOf(live as unknown as Kysely<any>, ['responses', 'answers']);
      await live.destroy();
      expect(copied).toEqual([]);
      expect(counts).toEqual({ responses: now.responses! - 1, answers: now.answers! - 1 });
    }, 120_000);
  });

  describe('when the source is not ready', () => {
    /** A copy of the source with `change` made to it. */
    async function changedSource(name: string, change: (db: Db) => Promise<unknown>): Promise<string> {
      const file = path.join(dir, name);
      fs.copyFileSync(source, file);
      const { db } = openSqliteDatabase(file);
      await change(db);
      await db.destroy();
      return file;
    }

    it('refuses a source that lacks a migration, writing nothing to the target', async () => {
      const file = await changedSource('old.sqlite', (db) => sql`delete from kysely_migration where name = (select max(name) from kysely_migration)`.execute(db));
      const target = await emptyTarget();
      lines.length = 0;
      expect(await runDbCli(['copy', '--to', target, '--from', file], { output: cli() })).toBe(2);
      expect(lines).toEqual([expect.stringMatching(/^ERROR The SQLite database .* lacks 1 migration\(s\) of this version .*start the app once on it/)]);
      const { db } = openDatabase(target);
      const { rows } = await sql`select table_name from information_schema.tables where table_schema = current_schema()`.execute(db);
      await db.destroy();
      expect(rows).toEqual([]);
    }, 60_000);

    it('refuses a source whose letters are still files, and tells the operator to start the app once', async () => {
      const file = await changedSource('letters.sqlite', (db) => db.deleteFrom('opinion_letter_contents').execute());
      const outcome = await copySqliteToPostgres(file, await emptyTarget());
      expect(outcome).toEqual({ kind: 'letters_not_imported', letterIds: [letterId] });
    }, 60_000);

    it('rolls everything back when a text cannot be stored midway (a NUL character), naming the table, row and column', async () => {
      let nulAnswer = 0;
      const file = await changedSource('nul.sqlite', async (db) => {
        const response = await db.selectFrom('responses').select('id').orderBy('id').executeTakeFirstOrThrow();
        nulAnswer = (
          await db.insertInto('answers').values({ response_id: response.id, question_id: 'nul', option_id: null, value: null, text: 'a\0b', rank: null, not_applicable: 0 }).returning('id').executeTakeFirstOrThrow()
        ).id;
      });
      const target = await emptyTarget();
      lines.length = 0;
      expect(await runDbCli(['copy', '--to', target, '--from', file], { output: cli() })).toBe(1);
      // Tables before answers were inserted (the progress says so), then all of it rolled back.
      expect(lines).toContainEqual(expect.stringMatching(/^ {2}responses +\d+ rows/));
      expect(lines.at(-1)).toBe(
        `ERROR Table answers, row id=${nulAnswer}, column text contains a NUL character (\\0), which PostgreSQL cannot store in text. Rolled back: nothing was copied. Correct that row in the SQLite database and run the copy again.`,
      );
      const { db } = openDatabase(target);
      const counts = await countsOf(db as unknown as Kysely<any>, tables);
      await db.destroy();
      expect(Object.values(counts).every((count) => count === 0)).toBe(true);
      // And the empty (migrated) target takes a corrected copy afterwards.
      const fixed = await changedSource('nul-fixed.sqlite', (db) => db.updateTable('answers').set({ text: 'ab' }).where('id', '=', nulAnswer).execute());
      expect((await copySqliteToPostgres(fixed, target)).kind).toBe('copied');
    }, 120_000);
  });
});

describe('foreignKeyOrder', () => {
  it('puts every table after the tables it refers to, ignoring references to itself', () => {
    const parents: Record<string, string[]> = { answers: ['responses'], responses: ['users', 'survey_definitions'], users: [], survey_definitions: [], notes: ['notes'] };
    expect(foreignKeyOrder(Object.keys(parents), (table) => parents[table]!)).toEqual(['notes', 'survey_definitions', 'users', 'responses', 'answers']);
  });

  it('refuses a cycle, naming its tables', () => {
    const parents: Record<string, string[]> = { a: ['b'], b: ['a'], c: [] };
    expect(() => foreignKeyOrder(['a', 'b', 'c'], (table) => parents[table]!)).toThrow('The tables a, b refer to each other in a cycle');
  });
});

describe('samplePositions', () => {
  it('takes every row of a small table, and of a large one the first, the last and 48 spread evenly between', () => {
    expect(samplePositions(3)).toEqual([0, 1, 2]);
    const positions = samplePositions(10_000);
    expect(positions).toHaveLength(50);
    expect(positions[0]).toBe(0);
    expect(positions.at(-1)).toBe(9_999);
    expect(positions[25]).toBe(Math.round((25 * 9_999) / 49));
  });
});

describe('normalise', () => {
  it('spells a number the same whether it came as a number, a bigint or a numeric string, and keeps text apart', () => {
    expect(normalise(42n, 'integer')).toBe(normalise(42, 'integer'));
    expect(normalise('42', 'integer')).toBe(normalise(42, 'integer'));
    expect(normalise('0.30000000000000004', 'float')).toBe(normalise(AWKWARD_REAL, 'float'));
    expect(normalise('42', 'text')).not.toBe(normalise(42, 'text'));
    expect(normalise(0.3, 'float')).not.toBe(normalise(AWKWARD_REAL, 'float'));
    expect(normalise(null)).not.toBe(normalise(''));
  });

  it('compares bytes by their content, so one changed byte differs', () => {
    const changed = Buffer.from(LETTER);
    changed[100] = changed[100]! ^ 1;
    expect(normalise(Buffer.from(LETTER))).toBe(normalise(new Uint8Array(LETTER)));
    expect(normalise(changed)).not.toBe(normalise(LETTER));
  });
});
