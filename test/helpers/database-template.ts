// Migrating a database takes about 300 ms and most tests want a fresh one: Jest's global set-up
// migrates one template file per run, and each test copies it (about 1 ms). The schema is the
// same as migrating in place: the template is made by the same migrations, on every run.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase, type OpenedDatabase, type OpenOptions } from '../../server/platform/db/connection';
import { migrateToLatest } from '../../server/platform/db/migrator';

/** Where the global set-up tells the test workers (they inherit its environment) the template is. */
export const TEMPLATE_ENV = 'PAYDAS_TEST_DATABASE_TEMPLATE';

/** Migrates a template file in a new temporary folder and returns its path. */
export async function createDatabaseTemplate(): Promise<string> {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'paydas-template-')), 'template.sqlite');
  const { db } = openDatabase(file);
  await migrateToLatest(db);
  // Closing the last connection checkpoints the WAL into the file, so the file alone is whole.
  await db.destroy();
  if (fs.existsSync(`${file}-wal`)) throw new Error(`the template's WAL was not checkpointed: ${file}-wal`);
  return file;
}

/**
 * Opens a migrated database at `file`: a copy of the run's template when the file is new, or the
 * file itself, migrated, when a test reopens one it made.
 */
export async function openMigratedDatabase(file: string, options: OpenOptions = {}): Promise<OpenedDatabase> {
  const template = process.env[TEMPLATE_ENV];
  if (template && !fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.copyFileSync(template, file);
    return openDatabase(file, options);
  }
  const opened = openDatabase(file, options);
  await migrateToLatest(opened.db);
  return opened;
}

/**
 * What a test gives a server process it spawns as DATABASE_URL for the database at `file`: the
 * path itself on SQLite. (The PostgreSQL pass maps each file to a database of its own.)
 */
export async function testDatabaseUrl(file: string): Promise<string> {
  const opened = await openMigratedDatabase(file);
  await opened.db.destroy();
  return file;
}
