// KVKK data minimisation: a citizen's survey answers are stored without the address they came from
// or the browser that sent them.
import { testEngine } from '../helpers/database-template';
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import request from 'supertest';
import { changedTables, dumpDatabase } from '../helpers/database-dump';
import { completeSurvey } from '../helpers/survey-walker';
import { createTestApp, tempDir, type TestApp } from '../helpers/test-app';

const USER_AGENT = 'Mozilla/5.0 (ParmakIzi-Tarayici-7f3a9c) Gecko/20261121';
const FORWARDED_FOR = '203.0.113.199';
/** Where supertest's requests really come from: req.ip without a trusted proxy. */
const SOCKET_ADDRESSES = ['127.0.0.1', '::ffff:127.0.0.1'];

let t: TestApp;
let dir: string;
afterEach(async () => {
  expect(t.logged).toEqual([]);
  await t.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const asText = (value: unknown) => (Buffer.isBuffer(value) ? value.toString('latin1') : typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value));

describe('a citizen survey response', () => {
  it('is stored with no IP address and no user agent, in any table or column', async () => {
    dir = tempDir('paydas-no-tracking-');
    const file = path.join(dir, 'paydas.sqlite');
    t = await createTestApp({ databaseFile: file });
    const survey = t.catalog.find('vatandas-anketi')!;
    const before = await dumpDatabase(t.db);

    const agent = request.agent(t.app).set('User-Agent', USER_AGENT).set('X-Forwarded-For', FORWARDED_FOR);
    await completeSurvey(agent, survey);

    const after = await dumpDatabase(t.db);
    const responses = after.responses!;
    expect(responses).toHaveLength(1);
    expect(responses[0]).toMatchObject({ status: 'complete' });
    const touched = Object.keys(changedTables(before, after));
    expect(touched).toEqual(expect.arrayContaining(['responses', 'answers']));

    // Every value of every column of every table.
    const found: string[] = [];
    for (const [table, rows] of Object.entries(after)) {
      for (const row of rows) {
        for (const [column, value] of Object.entries(row)) {
          const text = asText(value);
          for (const needle of [USER_AGENT, 'ParmakIzi', FORWARDED_FOR, ...SOCKET_ADDRESSES]) {
            if (text.includes(needle)) found.push(`${table}.${column} holds ${needle}`);
          }
        }
      }
    }
    expect(found).toEqual([]);

    // Nor anywhere in the file's bytes (free pages, the write-ahead log): SQLite's file is ours to
    // read; PostgreSQL's storage is the server's.
    if (testEngine() === 'sqlite') {
      await sql`pragma wal_checkpoint(FULL)`.execute(t.db);
      for (const name of fs.readdirSync(dir).filter((f) => f.startsWith('paydas.sqlite'))) {
        const bytes = fs.readFileSync(path.join(dir, name)).toString('latin1');
        expect({ file: name, agent: bytes.includes('ParmakIzi'), forwarded: bytes.includes(FORWARDED_FOR) }).toEqual({ file: name, agent: false, forwarded: false });
      }
    }

    // And no table the survey wrote to has a place for them.
    for (const table of touched) {
      const { rows } =
        testEngine() === 'sqlite'
          ? await sql<{ name: string }>`select name from pragma_table_info(${table})`.execute(t.db)
          : await sql<{ name: string }>`select column_name as name from information_schema.columns where table_schema = current_schema() and table_name = ${table}`.execute(t.db);
      expect(rows.length).toBeGreaterThan(0);
      const suspicious = rows.map((r) => r.name).filter((name) => /(^|_)ip($|_)|addr|agent|forward|remote|client/i.test(name));
      expect({ table, suspicious }).toEqual({ table, suspicious: [] });
    }
  });
});
