// npm run db -- copy --to postgres://… [--from FILE]
// Copies the SQLite database (DATABASE_URL, or --from) into an empty PostgreSQL database, checks
// the copy and prints a table of row counts. Exit code 0 when the copy is complete and matches,
// 2 when it refuses (nothing written), 1 when it failed (the target's transaction rolled back).
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../../config';
import { copySqliteToPostgres, duration, isRefusal, type CopyOutcome } from './copy-database';
import { isPostgresUrl, redactPostgresUrl } from './postgres';

const USAGE = 'usage: npm run db -- copy --to postgres://USER@HOST/DATABASE [--from FILE.sqlite]';

export interface CliOutput {
  log(line: string): void;
  error(line: string): void;
}

const START_APP = 'start the app once on it (npm start, then stop it), then run the copy again';

function refusalLine(outcome: CopyOutcome, source: string, target: string): string {
  switch (outcome.kind) {
    case 'no_source':
      return `There is no SQLite database at ${outcome.file}; nothing to copy.`;
    case 'source_not_migrated':
      return `The SQLite database ${source} lacks ${outcome.missing.length} migration(s) of this version (${outcome.missing[0]}…): ${START_APP}.`;
    case 'source_newer':
      return `The SQLite database ${source} was migrated by a newer version of Paydaş (${outcome.unknown.join(', ')}): copy it with that version.`;
    case 'letters_not_imported':
      return `${outcome.letterIds.length} institution letter(s) of ${source} are still files under UPLOADS_DIR, not in the database (ids ${outcome.letterIds.slice(0, 10).join(', ')}): ${START_APP} (it copies them in).`;
    case 'target_not_empty':
      return `The PostgreSQL database ${target} is not empty (rows in ${outcome.tables.slice(0, 5).join(', ')}${outcome.tables.length > 5 ? ', …' : ''}); the copy only fills an empty one. Nothing was written.`;
    case 'target_newer':
      return `The PostgreSQL database ${target} was migrated by a newer version of Paydaş (${outcome.unknown.join(', ')}); nothing was written.`;
    case 'schema_differs':
      return `The two databases' tables differ (${outcome.problems.slice(0, 3).join('; ')}); nothing was copied.`;
    case 'unstorable_value':
      return `Table ${outcome.table}, row ${outcome.row}, column ${outcome.column} ${outcome.reason}. Rolled back: nothing was copied. Correct that row in the SQLite database and run the copy again.`;
    case 'mismatch':
      return outcome.committed
        ? `The copy was committed but does not read back the same (${outcome.problems.slice(0, 3).join('; ')}); do not use it: drop and recreate the PostgreSQL database.`
        : `The copy did not match the source (${outcome.problems.slice(0, 3).join('; ')}); rolled back: nothing was copied.`;
    case 'copied':
      return '';
    default: {
      const exhaustive: never = outcome;
      throw new Error(`Unhandled outcome ${JSON.stringify(exhaustive)}`);
    }
  }
}

function countsTable(outcome: Extract<CopyOutcome, { kind: 'copied' }>): string[] {
  const width = Math.max(5, ...outcome.tables.map((table) => table.table.length));
  const lines = [`${'table'.padEnd(width)}  ${'SQLite'.padStart(9)}  ${'PostgreSQL'.padStart(10)}`];
  for (const table of outcome.tables) lines.push(`${table.table.padEnd(width)}  ${String(table.source).padStart(9)}  ${String(table.target).padStart(10)}`);
  const sum = (pick: (table: (typeof outcome.tables)[number]) => number) => outcome.tables.reduce((total, table) => total + pick(table), 0);
  lines.push(`${'total'.padEnd(width)}  ${String(sum((t) => t.source)).padStart(9)}  ${String(sum((t) => t.target)).padStart(10)}`);
  return lines;
}

/**
 * Runs the command on `argv` (the arguments after the script's name); returns the exit code.
 * A relative --from is taken from the folder the command was typed in (npm's INIT_CWD).
 */
export async function runDbCli(argv: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string; output?: CliOutput } = {}): Promise<number> {
  const env = options.env ?? process.env;
  const output = options.output ?? { log: (line) => console.log(line), error: (line) => console.error(line) };
  let parsed: { positionals: string[]; values: { to?: string; from?: string } };
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: { to: { type: 'string' }, from: { type: 'string' } } });
  } catch (error) {
    output.error(`${(error as Error).message} (${USAGE})`);
    return 2;
  }
  const [command, ...extra] = parsed.positionals;
  if (command !== 'copy' || extra.length > 0) {
    output.error(`Unknown command ${JSON.stringify(parsed.positionals.join(' '))} (${USAGE}).`);
    return 2;
  }
  const to = parsed.values.to?.trim();
  if (!to || !isPostgresUrl(to)) {
    output.error(`--to must be a postgres:// URL (${USAGE}).`);
    return 2;
  }
  let source: string;
  if (parsed.values.from?.trim()) {
    source = path.resolve(options.cwd ?? env.INIT_CWD ?? process.cwd(), parsed.values.from.trim());
  } else {
    try {
      source = loadConfig(env).database;
    } catch (error) {
      if (error instanceof ConfigError) {
        output.error(error.message);
        return 2;
      }
      throw error;
    }
    if (isPostgresUrl(source)) {
      output.error(`DATABASE_URL is a PostgreSQL database; say which SQLite file to copy with --from (${USAGE}).`);
      return 2;
    }
  }
  const target = redactPostgresUrl(to);
  try {
    const outcome = await copySqliteToPostgres(source, to, { log: output.log });
    if (outcome.kind !== 'copied') {
      output.error(refusalLine(outcome, source, target));
      return isRefusal(outcome) ? 2 : 1;
    }
    for (const line of countsTable(outcome)) output.log(line);
    output.log(
      `Copied ${source} to ${target}: ${outcome.tables.length} tables, row counts equal, checked ${outcome.sampleRows} sample rows column by column; total time ${duration(outcome.milliseconds)}.`,
    );
    return 0;
  } catch (error) {
    output.error(`The copy failed; its transaction was rolled back (nothing was copied): ${(error as Error).message ?? String(error)}`);
    return 1;
  }
}

if (require.main === module) {
  void runDbCli(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
