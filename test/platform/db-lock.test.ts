// The driver in connection.ts: writes queue for one writing connection and wait for another
// process's lock on timers; reads outside transactions go to a second connection. These are the
// guarantees the rest of the code relies on (the whole-site behaviour: faults/locked-database.test.ts).
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { openSqliteDatabase, withWriteWait, type OpenedSqliteDatabase } from '../../server/platform/db/connection';
import { tempDir } from '../helpers/test-app';

let opened: OpenedSqliteDatabase;
let file: string;

function open(options = {}) {
  file = path.join(tempDir(), 'lock.sqlite');
  opened = openSqliteDatabase(file, options);
  opened.sqlite.exec('create table t (a integer)');
}

afterEach(async () => {
  if (opened.sqlite.open) await opened.db.destroy();
});

const rows = async () => (await sql<{ a: number }>`select a from t order by a`.execute(opened.db)).rows.map((r) => r.a);

describe('the locking driver', () => {
  it('never runs a write from outside a transaction inside another one: it waits for the commit or rollback', async () => {
    open();
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const transaction = opened.db.transaction().execute(async (trx) => {
      await sql`insert into t (a) values (1)`.execute(trx);
      await held;
      throw new Error('rolled back on purpose');
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const outside = sql`insert into t (a) values (2)`.execute(opened.db);
    // A read outside the transaction neither waits for it nor sees its uncommitted row.
    expect(await rows()).toEqual([]);
    release();
    await expect(transaction).rejects.toThrow('rolled back on purpose');
    await outside;
    expect(await rows()).toEqual([2]);
  });

  it('reads inside a transaction see its own writes', async () => {
    open();
    const seen = await opened.db.transaction().execute(async (trx) => {
      await sql`insert into t (a) values (7)`.execute(trx);
      return (await sql<{ a: number }>`select a from t`.execute(trx)).rows;
    });
    expect(seen).toEqual([{ a: 7 }]);
  });

  it('waits for another process\'s lock without blocking the event loop, then writes', async () => {
    open();
    const other = new SQLite(file);
    other.exec('begin exclusive');
    const started = Date.now();
    const write = sql`insert into t (a) values (3)`.execute(opened.db);
    const ticks: number[] = [];
    const timer = setInterval(() => ticks.push(Date.now()), 10);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await rows()).toEqual([]);
    other.exec('rollback');
    other.close();
    await write;
    clearInterval(timer);
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    // A driver that waited synchronously would freeze the loop for the whole 300 ms: no tick at all
    // until the lock goes. Counted loosely, so a loaded machine's late timers do not fail it.
    const gaps = ticks.map((tick, i) => tick - (i === 0 ? started : ticks[i - 1]!));
    expect(ticks.length).toBeGreaterThanOrEqual(5);
    expect(Math.max(...gaps)).toBeLessThan(250);
    expect(await rows()).toEqual([3]);
  });

  it('gives up with SQLITE_BUSY after the wait it was given, for transactions and single writes, and those queued behind', async () => {
    open({ writeWaitMs: 200 });
    const other = new SQLite(file);
    other.exec('begin exclusive');
    try {
      const started = Date.now();
      const outcomes = await Promise.allSettled([
        opened.db.transaction().execute(async (trx) => sql`insert into t (a) values (1)`.execute(trx)),
        sql`insert into t (a) values (2)`.execute(opened.db),
        withWriteWait(0, () => sql`insert into t (a) values (3)`.execute(opened.db)),
      ]);
      expect(outcomes.map((o) => o.status === 'rejected' && (o.reason as { code?: string }).code)).toEqual(['SQLITE_BUSY', 'SQLITE_BUSY', 'SQLITE_BUSY']);
      expect(Date.now() - started).toBeLessThan(1_000);
    } finally {
      other.exec('rollback');
      other.close();
    }
    expect(await rows()).toEqual([]);
    await sql`insert into t (a) values (4)`.execute(opened.db);
    expect(await rows()).toEqual([4]);
  });

  it('lets a write that must not hold up a page wait less than the configured wait (withWriteWait)', async () => {
    open({ writeWaitMs: 5_000 });
    // Once Kysely has initialised its driver (openDatabase starts that; any await finishes it).
    await rows();
    const other = new SQLite(file);
    other.exec('begin exclusive');
    try {
      const started = Date.now();
      await expect(withWriteWait(50, () => sql`insert into t (a) values (1)`.execute(opened.db))).rejects.toMatchObject({ code: 'SQLITE_BUSY' });
      await expect(withWriteWait(50, () => opened.db.transaction().execute(async (trx) => sql`insert into t (a) values (2)`.execute(trx)))).rejects.toMatchObject({ code: 'SQLITE_BUSY' });
      expect(Date.now() - started).toBeLessThan(1_000);
      // Outside withWriteWait, the configured wait applies again.
      const waiting = sql`insert into t (a) values (3)`.execute(opened.db);
      await new Promise((resolve) => setTimeout(resolve, 300));
      other.exec('rollback');
      await waiting;
    } finally {
      if (other.inTransaction) other.exec('rollback');
      other.close();
    }
    expect(await rows()).toEqual([3]);
  });

  it('does not fail a write that waited past its deadline behind ordinary work (no other process)', async () => {
    open();
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const slow = opened.db.transaction().execute(async (trx) => {
      await sql`insert into t (a) values (1)`.execute(trx);
      await held;
    });
    const short = withWriteWait(10, () => sql`insert into t (a) values (2)`.execute(opened.db));
    await new Promise((resolve) => setTimeout(resolve, 100));
    release();
    await Promise.all([slow, short]);
    expect(await rows()).toEqual([1, 2]);
  });

  it('works on an in-memory database, where there is only one connection', async () => {
    opened = openSqliteDatabase(':memory:');
    await sql`create table t (a integer)`.execute(opened.db);
    await opened.db.transaction().execute(async (trx) => sql`insert into t (a) values (5)`.execute(trx));
    await sql`insert into t (a) values (6)`.execute(opened.db);
    expect(await rows()).toEqual([5, 6]);
  });

  it('reports a closed database on reads too, once the writing connection is closed', async () => {
    open();
    opened.sqlite.close();
    await expect(rows()).rejects.toThrow(/not open/);
  });
});
