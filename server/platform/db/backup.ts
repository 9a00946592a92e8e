// An online copy of the SQLite database, safe while the server writes to it: SQLite's backup API
// reads one consistent snapshot (WAL lets writers go on meanwhile), the copy is written under a
// temporary name in the destination's folder and renamed only once it is complete and checked,
// so a file with the backup's name is always a whole backup.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';

export type BackupOutcome =
  | { kind: 'done'; file: string; bytes: number; milliseconds: number }
  | { kind: 'no_database'; database: string }
  | { kind: 'same_as_database'; file: string }
  | { kind: 'no_folder'; folder: string }
  | { kind: 'is_folder'; file: string }
  | { kind: 'exists'; file: string }
  /** The copy failed SQLite's integrity check; it is kept beside, never under the final name. */
  | { kind: 'damaged'; file: string; kept: string; problems: string[] };

/** The path with its folder's symbolic links resolved, so two spellings of one file compare equal. */
function canonical(file: string): string {
  const absolute = path.resolve(file);
  try {
    return path.join(fs.realpathSync(path.dirname(absolute)), path.basename(absolute));
  } catch {
    return absolute;
  }
}

/** Up to `limit` lines of PRAGMA integrity_check on a file opened read-only; ['ok'] when sound. */
export function integrityCheck(file: string, limit = 20): string[] {
  const db = new SQLite(file, { readonly: true, fileMustExist: true });
  try {
    const rows = db.pragma(`integrity_check(${limit})`) as { integrity_check: string }[];
    return rows.map((row) => String(row.integrity_check));
  } finally {
    db.close();
  }
}

/** Makes sure the rename itself is on disk, not only the file's content. */
function syncFolder(folder: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(folder, 'r');
    fs.fsyncSync(fd);
  } catch {
    // Some file systems refuse fsync on a folder; the data itself was synced already.
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/**
 * Copies `database` to `destination`. Guards first (nothing is written when one fails), then the
 * copy under a temporary name, the integrity check, and the rename.
 */
export async function backupDatabase(database: string, destination: string, options: { force?: boolean } = {}): Promise<BackupOutcome> {
  const source = canonical(database);
  const file = canonical(destination);
  const folder = path.dirname(file);
  if (!fs.existsSync(source)) return { kind: 'no_database', database: source };
  // The database's own journal files count as the database: writing over them corrupts it.
  if ([source, `${source}-wal`, `${source}-shm`, `${source}-journal`].includes(file)) return { kind: 'same_as_database', file };
  if (!fs.existsSync(folder) || !fs.statSync(folder).isDirectory()) return { kind: 'no_folder', folder };
  if (fs.existsSync(file)) {
    if (fs.statSync(file).isDirectory()) return { kind: 'is_folder', file };
    if (!options.force) return { kind: 'exists', file };
  }

  const started = performance.now();
  const temporary = path.join(folder, `.${path.basename(file)}.${randomBytes(6).toString('hex')}.partial`);
  const db = new SQLite(source, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    // After a first small step, copy everything else in one step: that step reads one snapshot,
    // so a write committed meanwhile cannot restart the copy again and again under a busy server.
    await db.backup(temporary, { progress: () => 0x7fffffff });
    // It holds personal data (KVKK): readable by the operator's account only, whatever the umask.
    fs.chmodSync(temporary, 0o600);
  } catch (error) {
    fs.rmSync(temporary, { force: true });
    throw error;
  } finally {
    db.close();
  }

  try {
    // The copy carries the source's WAL flag; a backup is one self-contained file instead.
    const copy = new SQLite(temporary, { fileMustExist: true });
    try {
      copy.pragma('journal_mode = DELETE');
    } finally {
      copy.close();
    }
    const problems = integrityCheck(temporary);
    if (problems.length !== 1 || problems[0] !== 'ok') {
      const kept = `${file}.damaged`;
      fs.renameSync(temporary, kept);
      return { kind: 'damaged', file, kept, problems };
    }
    const fd = fs.openSync(temporary, 'r+');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(temporary, file);
    syncFolder(folder);
  } catch (error) {
    fs.rmSync(temporary, { force: true });
    throw error;
  }
  return { kind: 'done', file, bytes: fs.statSync(file).size, milliseconds: performance.now() - started };
}
