import path from 'node:path';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { openSqliteDatabase, withStatementCache } from '../../server/platform/db/connection';
import { migrateToLatest } from '../../server/platform/db/migrator';
import { migrations } from '../../server/platform/db/migrations';
import { resolveSessionSecret } from '../../server/platform/secrets';
import { openMigratedDatabase, TEMPLATE_ENV } from '../helpers/database-template';
import { tempDir } from '../helpers/test-app';

describe('openDatabase', () => {
  it('creates the folder and opens SQLite with WAL, foreign keys, a tiny busy timeout and synchronous=FULL', async () => {
    const file = path.join(tempDir(), 'nested', 'folder', 'paydas.sqlite');
    const { db, sqlite } = openSqliteDatabase(file);
    expect(sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
    // SQLite's own wait blocks the process: the driver waits for locks on timers instead (db-lock.test.ts).
    expect(sqlite.pragma('busy_timeout', { simple: true })).toBeLessThanOrEqual(5);
    expect(sqlite.pragma('synchronous', { simple: true })).toBe(2);
    await db.destroy();
  });
});

/** The SQL texts SQLite is asked to prepare, in order. */
function recordPrepares(sqlite: SQLite.Database): string[] {
  const prepared: string[] = [];
  const prepare = sqlite.prepare.bind(sqlite);
  sqlite.prepare = ((source: string) => {
    prepared.push(source);
    return prepare(source);
  }) as typeof sqlite.prepare;
  return prepared;
}

describe('the statement cache behind Kysely', () => {
  it('prepares each SQL text once, keeps the most recently used within its bound, and follows schema changes', async () => {
    const sqlite = new SQLite(path.join(tempDir(), 'cache.sqlite'));
    const prepared = recordPrepares(sqlite);
    const cache = withStatementCache(sqlite, 2);
    cache.prepare('create table t (a integer)').run([]);
    const insert = cache.prepare('insert into t (a) values (?)');
    insert.run([1]);
    expect(cache.prepare('insert into t (a) values (?)')).toBe(insert);
    cache.prepare('select a from t').all([]);
    // Bound 2: the create statement, used least recently, went; the insert stayed.
    cache.prepare('insert into t (a) values (?)').run([2]);
    expect(prepared.filter((s) => s.startsWith('insert'))).toHaveLength(1);
    cache.prepare('create table u (b integer)').run([]);
    cache.prepare('select a from t');
    expect(prepared.filter((s) => s === 'select a from t')).toHaveLength(2);
    // A kept statement still runs, and sees the new column, after the table changes under it.
    const all = cache.prepare('select * from t');
    expect(all.all([])).toEqual([{ a: 1 }, { a: 2 }]);
    sqlite.exec('alter table t add column c text');
    expect(cache.prepare('select * from t').all([])).toEqual([{ a: 1, c: null }, { a: 2, c: null }]);
    cache.close();
    expect(sqlite.open).toBe(false);
  });

  it('is what openDatabase gives Kysely: a repeated write is not prepared again on the writing connection', async () => {
    const { db, sqlite } = openSqliteDatabase(path.join(tempDir(), 'kysely.sqlite'));
    sqlite.exec('create table t (a integer)');
    const prepared = recordPrepares(sqlite);
    for (let i = 0; i < 3; i++) await sql`insert into t (a) values (${i})`.execute(db);
    expect(prepared).toEqual(['insert into t (a) values (?)']);
    expect((await sql<{ n: number }>`select count(*) as n from t`.execute(db)).rows).toEqual([{ n: 3 }]);
    await db.destroy();
  });
});

// better-sqlite3's native binding keeps the error class of the first Jest context that loaded it,
// so its errors are not `instanceof Error` here: match on the message instead of toThrow().
const failsWith = (pattern: RegExp) => expect.objectContaining({ message: expect.stringMatching(pattern) });

describe('migrateToLatest', () => {
  it('applies every migration once, in order, and is a no-op the second time', async () => {
    const { db } = openSqliteDatabase(path.join(tempDir(), 'paydas.sqlite'));
    expect(await migrateToLatest(db)).toEqual(Object.keys(migrations).sort());
    expect(await migrateToLatest(db)).toEqual([]);
    const tables = await sql<{ name: string }>`select name from sqlite_master where type = 'table' order by name`.execute(db);
    expect(tables.rows.map((r) => r.name)).toEqual(
      expect.arrayContaining(['answers', 'responses', 'settings', 'survey_definitions']),
    );
    await db.destroy();
  });

  it('enforces the stored shape: channel and status values, answers tied to a response', async () => {
    const { db } = openSqliteDatabase(path.join(tempDir(), 'paydas.sqlite'));
    await migrateToLatest(db);
    await db.insertInto('survey_definitions').values({ hash: 'h', slug: 's', definition: '{}', first_loaded_at: 'now' }).execute();
    const response = {
      survey_slug: 's',
      definition_hash: 'h',
      language: 'tr',
      status: 'draft' as const,
      started_at: 'now',
      updated_at: 'now',
    };
    await expect(db.insertInto('responses').values({ ...response, channel: 'fax' as never }).execute()).rejects.toEqual(failsWith(/CHECK/));
    await expect(db.insertInto('responses').values({ ...response, channel: 'online', status: 'done' as never }).execute()).rejects.toEqual(failsWith(/CHECK/));
    await expect(db.insertInto('responses').values({ ...response, channel: 'online', definition_hash: 'nope' }).execute()).rejects.toEqual(failsWith(/FOREIGN KEY/));
    await expect(db.insertInto('answers').values({ response_id: 999, question_id: 'q' }).execute()).rejects.toEqual(failsWith(/FOREIGN KEY/));
    await db.destroy();
  });
});

describe("the tests' database template", () => {
  const schema = async (sqlite: SQLite.Database) =>
    sqlite.prepare("select type, name, sql from sqlite_master where name not like 'sqlite_%' order by type, name").all();

  it('gives each test a copy with the same schema and migrations as migrating in place, in WAL mode', async () => {
    expect(process.env[TEMPLATE_ENV]).toBeTruthy();
    const copy = await openMigratedDatabase(path.join(tempDir(), 'copy.sqlite'));
    const inPlace = openSqliteDatabase(path.join(tempDir(), 'in-place.sqlite'));
    await migrateToLatest(inPlace.db);
    expect(await migrateToLatest(copy.db)).toEqual([]);
    expect(await schema(copy.sqlite)).toEqual(await schema(inPlace.sqlite));
    expect(copy.sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
    expect((await copy.db.selectFrom('kysely_migration' as never).select('name' as never).execute()).length).toBe(Object.keys(migrations).length);
    await copy.db.destroy();
    await inPlace.db.destroy();
  });

  it('reopens a file a test made instead of replacing it', async () => {
    const file = path.join(tempDir(), 'kept.sqlite');
    const first = await openMigratedDatabase(file);
    await first.db.insertInto('settings').values({ key: 'kept', value: 'yes', updated_at: 'now' }).execute();
    await first.db.destroy();
    const again = await openMigratedDatabase(file);
    expect(await again.db.selectFrom('settings').select('value').where('key', '=', 'kept').executeTakeFirst()).toEqual({ value: 'yes' });
    await again.db.destroy();
  });
});

describe('resolveSessionSecret', () => {
  it('uses SESSION_SECRET when set, otherwise generates one and keeps it across restarts', async () => {
    const file = path.join(tempDir(), 'paydas.sqlite');
    let { db } = openSqliteDatabase(file);
    await migrateToLatest(db);
    expect(await resolveSessionSecret(db, 'y'.repeat(32), new Date())).toBe('y'.repeat(32));
    const generated = await resolveSessionSecret(db, undefined, new Date());
    expect(generated).toMatch(/^[A-Za-z0-9_-]{64}$/);
    await db.destroy();
    ({ db } = openSqliteDatabase(file));
    expect(await resolveSessionSecret(db, undefined, new Date())).toBe(generated);
    await db.destroy();
  });
});

describe('transactions', () => {
  it('take the write lock at BEGIN, so another process cannot write between our read and our write', async () => {
    const file = path.join(tempDir(), 'paydas.sqlite');
    const { db } = openSqliteDatabase(file);
    await migrateToLatest(db);
    const other = new SQLite(file);
    other.pragma('busy_timeout = 0');
    let otherWrite: unknown;
    await db.transaction().execute(async (trx) => {
      await trx.selectFrom('settings').selectAll().execute();
      try {
        other.prepare("insert into settings (key, value, updated_at) values ('k', 'v', 'now')").run();
      } catch (error) {
        otherWrite = error;
      }
    });
    expect(otherWrite).toEqual(failsWith(/database is locked/));
    other.close();
    await db.destroy();
  });
});
