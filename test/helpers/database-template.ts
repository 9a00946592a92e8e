// Migrating a database takes about 300 ms and most tests want a fresh one: Jest's global set-up
// migrates one template per run, and each test copies it. The schema is the same as migrating in
// place: the template is made by the same migrations, on every run.
//
// SQLite (the default): the template is a file, and a test's database a copy of it (about 1 ms).
// PostgreSQL (TEST_ENGINE=postgres, see README "Running the tests on PostgreSQL"): the
// template is a database, and each test "file" names a database of its own, created from the
// template with CREATE DATABASE … TEMPLATE; the same path always names the same database, so two
// apps (or a spawned server) given one file share one database, as they share the file on SQLite.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type SQLite from 'better-sqlite3';
import { Migrator, type Kysely } from 'kysely';
import pg from 'pg';
import { engineOf, openDatabase, openSqliteDatabase, type Engine, type OpenedDatabase, type OpenOptions } from '../../server/platform/db/connection';
import { migrations } from '../../server/platform/db/migrations';
import { migrateToLatest } from '../../server/platform/db/migrator';
import { PostgresSchemaPlugin } from '../../server/platform/db/portable-schema';
import { isPostgresUrl } from '../../server/platform/db/postgres';

/** Where the global set-up tells the test workers (they inherit its environment) the template is. */
export const TEMPLATE_ENV = 'PAYDAS_TEST_DATABASE_TEMPLATE';
/**
 * A PostgreSQL server the tests may create and drop databases on (its URL names any database, e.g.
 * postgres): given, or started for the run by the global set-up (postgres-server.ts).
 */
export const TEST_POSTGRES_URL_ENV = 'TEST_POSTGRES_URL';
/** `postgres` runs the whole suite on PostgreSQL; anything else (the default) on SQLite. */
export const TEST_ENGINE_ENV = 'TEST_ENGINE';
/** Every test database on PostgreSQL starts with this; the global teardown drops what is left. */
export const TEST_DATABASE_PREFIX = 'paydas_t_';

/** The engine this test run uses. */
export function testEngine(): Engine {
  return process.env[TEST_ENGINE_ENV] === 'postgres' ? 'postgres' : 'sqlite';
}

/** The run's PostgreSQL server; every run has one (the copy to PostgreSQL is tested on SQLite runs too). */
export function testPostgresUrl(): string {
  const url = process.env[TEST_POSTGRES_URL_ENV];
  if (!url || !isPostgresUrl(url)) throw new Error(`${TEST_POSTGRES_URL_ENV} is not set: run the tests through jest's global set-up (npm test), which starts a PostgreSQL server`);
  return url;
}

/** What a test opened: its SQLite handle is there only on SQLite (tests of pragmas and backups run only there). */
export interface OpenedTestDatabase extends OpenedDatabase {
  sqlite: SQLite.Database;
}

let admin: pg.Pool | undefined;
function adminPool(): pg.Pool {
  if (!admin) {
    admin = new pg.Pool({ connectionString: testPostgresUrl(), max: 2, idleTimeoutMillis: 1_000, allowExitOnIdle: true });
    // The global teardown stops the server while a test file's idle client may still be open (when
    // jest runs the file in its own process); an 'error' event without a listener would crash it.
    admin.on('error', () => {});
  }
  return admin;
}

/** The server URL with another database name. */
export function postgresUrlFor(database: string): string {
  const url = new URL(testPostgresUrl());
  url.pathname = `/${database}`;
  return url.toString();
}

/** The database a test's file path stands for on PostgreSQL. */
export function postgresDatabaseFor(file: string): string {
  return TEST_DATABASE_PREFIX + crypto.createHash('sha256').update(path.resolve(file)).digest('hex').slice(0, 24);
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Migrates a template (a file in a new temporary folder, or a database) and returns where it is. */
export async function createDatabaseTemplate(): Promise<string> {
  if (testEngine() === 'postgres') {
    const name = `paydas_tpl_${process.pid}`;
    await adminPool().query(`drop database if exists ${quote(name)} with (force)`);
    await adminPool().query(`create database ${quote(name)}`);
    const { db } = openDatabase(postgresUrlFor(name));
    await migrateToLatest(db);
    await db.destroy();
    return name;
  }
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'paydas-template-')), 'template.sqlite');
  const { db } = openSqliteDatabase(file);
  await migrateToLatest(db);
  // Closing the last connection checkpoints the WAL into the file, so the file alone is whole.
  await db.destroy();
  if (fs.existsSync(`${file}-wal`)) throw new Error(`the template's WAL was not checkpointed: ${file}-wal`);
  return file;
}

/** Drops the run's template and every test database left behind (PostgreSQL only). */
export async function dropTestDatabases(template: string | undefined): Promise<void> {
  if (testEngine() !== 'postgres') return;
  const { rows } = await adminPool().query<{ datname: string }>(`select datname from pg_database where datname like $1 or datname = $2`, [
    `${TEST_DATABASE_PREFIX}%`,
    template ?? '',
  ]);
  for (const { datname } of rows) await adminPool().query(`drop database if exists ${quote(datname)} with (force)`);
  await admin?.end();
  admin = undefined;
}

/** Creates the file's database from the template unless it is there; true when it was created now. */
async function ensurePostgresDatabase(file: string): Promise<{ url: string; created: boolean }> {
  const name = postgresDatabaseFor(file);
  const template = process.env[TEMPLATE_ENV];
  const { rowCount } = await adminPool().query('select 1 from pg_database where datname = $1', [name]);
  if (rowCount) return { url: postgresUrlFor(name), created: false };
  try {
    await adminPool().query(`create database ${quote(name)}${template ? ` template ${quote(template)}` : ''}`);
  } catch (error) {
    // Two apps of one test opening the same file at once: the other created it.
    if ((error as { code?: string }).code === '42P04') return { url: postgresUrlFor(name), created: false };
    throw error;
  }
  if (!template) {
    const { db } = openDatabase(postgresUrlFor(name));
    await migrateToLatest(db);
    await db.destroy();
  }
  return { url: postgresUrlFor(name), created: true };
}

/** Drops the database a test's file stands for on PostgreSQL (nothing to do on SQLite: the folder goes). */
export async function dropTestDatabase(file: string): Promise<void> {
  if (testEngine() !== 'postgres') return;
  await adminPool().query(`drop database if exists ${quote(postgresDatabaseFor(file))} with (force)`);
}

function withoutSqliteHandle(opened: OpenedDatabase): OpenedTestDatabase {
  return {
    db: opened.db,
    engine: opened.engine,
    get sqlite(): SQLite.Database {
      throw new Error('This test reaches into SQLite itself (pragmas, files): it runs on SQLite only');
    },
  };
}

/**
 * Opens a migrated database at `file`: a copy of the run's template when the file is new, or the
 * file itself, migrated, when a test reopens one it made.
 */
export async function openMigratedDatabase(file: string, options: OpenOptions = {}): Promise<OpenedTestDatabase> {
  if (testEngine() === 'postgres') {
    const { url } = await ensurePostgresDatabase(file);
    const opened = openDatabase(url, options);
    await migrateToLatest(opened.db);
    return withoutSqliteHandle(opened);
  }
  const template = process.env[TEMPLATE_ENV];
  if (template && !fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.copyFileSync(template, file);
    return openSqliteDatabase(file, options);
  }
  const opened = openSqliteDatabase(file, options);
  await migrateToLatest(opened.db);
  return opened;
}

/**
 * What a test gives a server process it spawns as DATABASE_URL for the database at `file`: the
 * path itself on SQLite, the URL of the file's own database on PostgreSQL.
 */
export async function testDatabaseUrl(file: string): Promise<string> {
  if (testEngine() === 'postgres') return (await ensurePostgresDatabase(file)).url;
  const opened = await openMigratedDatabase(file);
  await opened.db.destroy();
  return file;
}

/**
 * A database of the test's engine for `file`, migrated only up to the migration `name` (inclusive),
 * for tests of what a later migration does to rows written before it. It is the database
 * createTestApp / openMigratedDatabase / testDatabaseUrl open for the same file (the file itself on
 * SQLite; on PostgreSQL the file's database, created empty here rather than from the migrated
 * template), so opening it through them afterwards runs the remaining migrations on the old rows.
 */
export async function openMigratedUpTo(file: string, name: string): Promise<Kysely<any>> {
  if (!(name in migrations)) throw new Error(`no migration named ${name}`);
  let db: Kysely<any>;
  if (testEngine() === 'postgres') {
    const database = postgresDatabaseFor(file);
    await adminPool().query(`drop database if exists ${quote(database)} with (force)`);
    await adminPool().query(`create database ${quote(database)}`);
    db = openDatabase(postgresUrlFor(database)).db as unknown as Kysely<any>;
  } else {
    if (fs.existsSync(file)) throw new Error(`${file} exists: openMigratedUpTo wants a new file`);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    db = openSqliteDatabase(file).db as unknown as Kysely<any>;
  }
  // On PostgreSQL the migrations' SQLite column types are mapped, as migrateToLatest does.
  const schema = engineOf(db) === 'postgres' ? db.withPlugin(new PostgresSchemaPlugin()) : db;
  const migrator = new Migrator({ db: schema, provider: { getMigrations: async () => migrations } });
  const { error } = await migrator.migrateTo(name);
  if (error) {
    await db.destroy();
    throw error;
  }
  return db;
}
