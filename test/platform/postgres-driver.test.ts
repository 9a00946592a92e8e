// The PostgreSQL driver against a real server (the run's, on both test passes): write
// transactions take one lock, as SQLite's single writer, and give up after the write wait with an
// error the error handler answers with 503; counts arrive as numbers; the schema plugin's types.
import path from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { openDatabase, withWriteWait } from '../../server/platform/db/connection';
import { findStorageFailure, isUniqueViolation } from '../../server/platform/db/db-errors';
import { isStorageUnavailable } from '../../server/platform/http/error-handler';
import { migrateToLatest } from '../../server/platform/db/migrator';
import { dropTestDatabase, postgresDatabaseFor, postgresUrlFor, testDatabaseUrl, testPostgresUrl } from '../helpers/database-template';
import { tempDir } from '../helpers/test-app';

jest.setTimeout(60_000);

const admin = new pg.Pool({ connectionString: testPostgresUrl(), max: 1 });
let file: string;
let url: string;

beforeAll(async () => {
  file = path.join(tempDir(), 'driver.sqlite');
  const name = postgresDatabaseFor(file);
  await admin.query(`drop database if exists "${name}" with (force)`);
  await admin.query(`create database "${name}"`);
  url = postgresUrlFor(name);
  const { db } = openDatabase(url);
  await migrateToLatest(db);
  await db.destroy();
});

afterAll(async () => {
  await admin.query(`drop database if exists "${postgresDatabaseFor(file)}" with (force)`);
  await admin.end();
});

it('serialises write transactions: the second waits for the first to commit, then sees its row', async () => {
  const { db } = openDatabase(url);
  const order: string[] = [];
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  const first = db.transaction().execute(async (trx) => {
    await trx.insertInto('settings').values({ key: 'first', value: '1', updated_at: 'x' }).execute();
    order.push('first wrote');
    await held;
    order.push('first commits');
  });
  await new Promise((resolve) => setTimeout(resolve, 100));
  const second = db.transaction().execute(async (trx) => {
    order.push('second began');
    return trx.selectFrom('settings').select('key').where('key', '=', 'first').executeTakeFirst();
  });
  await new Promise((resolve) => setTimeout(resolve, 200));
  release();
  await first;
  expect(await second).toEqual({ key: 'first' });
  expect(order).toEqual(['first wrote', 'first commits', 'second began']);
  await db.destroy();
});

it('gives up after the write wait with a lock error the error handler answers with 503, writing nothing', async () => {
  // Two instances, as two processes: within one, transactions queue (first come, first served).
  const other = openDatabase(url).db;
  const { db } = openDatabase(url, { writeWaitMs: 15_000 });
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  const holder = other.transaction().execute(async () => held);
  await new Promise((resolve) => setTimeout(resolve, 100));
  const started = Date.now();
  const error = await withWriteWait(300, () =>
    db.transaction().execute(async (trx) => {
      await trx.insertInto('settings').values({ key: 'late', value: '1', updated_at: 'x' }).execute();
    }),
  ).catch((caught: unknown) => caught);
  expect(Date.now() - started).toBeLessThan(10_000);
  expect(findStorageFailure(error)).toMatchObject({ kind: 'busy', code: '55P03' });
  expect(isStorageUnavailable(error)).toBe(true);
  release();
  await holder;
  expect(await db.selectFrom('settings').select('key').where('key', '=', 'late').execute()).toEqual([]);
  await db.destroy();
  await other.destroy();
});

it('reports duplicates as unique violations, counts as numbers, and maps the migrations to PostgreSQL types', async () => {
  const { db } = openDatabase(url);
  await db.insertInto('settings').values({ key: 'twice', value: '1', updated_at: 'x' }).execute();
  const duplicate = await db.insertInto('settings').values({ key: 'twice', value: '2', updated_at: 'x' }).execute().catch((caught: unknown) => caught);
  expect(isUniqueViolation(duplicate)).toBe(true);
  expect(isStorageUnavailable(duplicate)).toBe(false);
  const counted = await db.selectFrom('settings').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
  expect(typeof counted.n).toBe('number');
  const { rows } = await sql<{ column_name: string; data_type: string; is_identity: string }>`
    select column_name, data_type, is_identity from information_schema.columns
    where table_name = 'opinion_letter_contents' or (table_name = 'responses' and column_name = 'id')
    order by table_name, column_name`.execute(db);
  expect(rows).toEqual(
    expect.arrayContaining([
      { column_name: 'content', data_type: 'bytea', is_identity: 'NO' },
      { column_name: 'id', data_type: 'bigint', is_identity: 'YES' },
    ]),
  );
  await db.destroy();
});

it('is what a test file path stands for on the PostgreSQL pass', async () => {
  // testDatabaseUrl names one database per file on PostgreSQL, and the file itself on SQLite.
  const other = path.join(tempDir(), 'other.sqlite');
  const target = await testDatabaseUrl(other);
  expect(target === other || target.endsWith(`/${postgresDatabaseFor(other)}`)).toBe(true);
  await dropTestDatabase(other);
});

it('keeps clients for reads while a crowd of transactions waits for the write lock, even reads made through db inside one', async () => {
  // Three clients, forty transactions at once: were each to hold a client while it waits, the
  // holder's own read through `db` would find none (it did: a timeout, and 500s for a crowd).
  const { db } = openDatabase(url, { poolSize: 3 });
  const outcomes = await Promise.allSettled(
    Array.from({ length: 40 }, (_, i) =>
      db.transaction().execute(async (trx) => {
        await trx.insertInto('settings').values({ key: `crowd-${i}`, value: String(i), updated_at: 'x' }).execute();
        return (await db.selectFrom('settings').select('key').where('key', 'like', 'crowd-%').execute()).length;
      }),
    ),
  );
  expect(outcomes.filter((outcome) => outcome.status === 'rejected')).toEqual([]);
  expect(await db.selectFrom('settings').select('key').where('key', 'like', 'crowd-%').execute()).toHaveLength(40);
  await db.destroy();
});
