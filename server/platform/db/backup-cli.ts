// npm run backup -- FILE [--force]
// Copies the database (DATABASE_URL) to FILE while the server runs, checks the copy and says how
// it went on one line. Exit code 1, with one line saying why, when it refuses or fails.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../../config';
import { backupDatabase, type BackupOutcome } from './backup';

const USAGE = 'usage: npm run backup -- FILE [--force]';

export interface CliOutput {
  log(line: string): void;
  error(line: string): void;
}

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function duration(milliseconds: number): string {
  return milliseconds < 1000 ? `${Math.round(milliseconds)} ms` : `${(milliseconds / 1000).toFixed(1)} s`;
}

function message(outcome: BackupOutcome, database: string): { ok: boolean; line: string } {
  switch (outcome.kind) {
    case 'done':
      return {
        ok: true,
        line: `Backed up ${database} to ${outcome.file}: ${megabytes(outcome.bytes)} in ${duration(outcome.milliseconds)}; integrity_check: ok.`,
      };
    case 'no_database':
      return { ok: false, line: `There is no database at ${outcome.database} (DATABASE_URL); nothing to back up.` };
    case 'same_as_database':
      return { ok: false, line: `Refusing to write the backup over the database itself (${outcome.file}); choose another file.` };
    case 'no_folder':
      return { ok: false, line: `The folder ${outcome.folder} does not exist; create it first.` };
    case 'is_folder':
      return { ok: false, line: `${outcome.file} is a folder; give the backup a file name inside it.` };
    case 'exists':
      return { ok: false, line: `${outcome.file} already exists; add --force to replace it.` };
    case 'damaged':
      return {
        ok: false,
        line: `The copy failed its integrity check (${outcome.problems.slice(0, 3).join('; ').replace(/\s*\n\s*/g, ' ')}); it was kept as ${outcome.kept}, not ${outcome.file}. Check the database itself with PRAGMA integrity_check.`,
      };
    default: {
      const exhaustive: never = outcome;
      throw new Error(`Unhandled outcome ${JSON.stringify(exhaustive)}`);
    }
  }
}

/**
 * Runs the command on `argv` (the arguments after the script's name); returns the exit code.
 * `cwd` resolves a relative FILE: npm runs scripts from the project root, so the folder the
 * operator typed the command in comes from INIT_CWD.
 */
export async function runBackupCli(
  argv: string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string; output?: CliOutput } = {},
): Promise<number> {
  const env = options.env ?? process.env;
  const output = options.output ?? { log: (line) => console.log(line), error: (line) => console.error(line) };
  let parsed: { positionals: string[]; values: { force?: boolean } };
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: { force: { type: 'boolean' } } });
  } catch (error) {
    output.error(`${(error as Error).message} (${USAGE})`);
    return 1;
  }
  const [target, ...extra] = parsed.positionals;
  if (!target?.trim() || extra.length > 0) {
    output.error(target?.trim() ? `One FILE only, got ${parsed.positionals.length} (${USAGE}).` : `Say where the backup goes (${USAGE}).`);
    return 1;
  }
  let database: string;
  try {
    const config = loadConfig(env);
    if (config.databaseEngine === 'postgres') {
      // SQLite's online backup API copies a file; a PostgreSQL server has its own tools.
      output.error('DATABASE_URL is a PostgreSQL database: npm run backup copies SQLite files only. Back it up with pg_dump (README, "Running on PostgreSQL").');
      return 1;
    }
    database = config.database;
  } catch (error) {
    if (error instanceof ConfigError) {
      output.error(error.message);
      return 1;
    }
    throw error;
  }
  const file = path.resolve(options.cwd ?? env.INIT_CWD ?? process.cwd(), target);
  try {
    const { ok, line } = message(await backupDatabase(database, file, { force: parsed.values.force }), database);
    (ok ? output.log : output.error)(line);
    return ok ? 0 : 1;
  } catch (error) {
    output.error(`The backup failed: ${(error as Error).message ?? String(error)}`);
    return 1;
  }
}

if (require.main === module) {
  void runBackupCli(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
