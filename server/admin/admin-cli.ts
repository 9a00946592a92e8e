// npm run admin -- create-user --email E --name N --role admin|planner|viewer
// The password is read from standard input when it is not a terminal (scripts, pipes) and asked
// for, without echo, when it is.
import readline from 'node:readline';
import { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { ConfigError, loadConfig } from '../config';
import { openDatabase } from '../platform/db/connection';
import { migrateToLatest } from '../platform/db/migrator';
import { importLetterFiles, letterImportReport } from '../opinions';
import { ROLES } from './account.table';
import * as accountService from './account.service';
import { MIN_PASSWORD_LENGTH } from './password';

const USAGE = 'usage: npm run admin -- create-user --email E --name N --role admin|planner|viewer';

async function readPassword(): Promise<string> {
  if (!process.stdin.isTTY) {
    let input = '';
    for await (const chunk of process.stdin) input += chunk;
    return input.split(/\r?\n/)[0] ?? '';
  }
  let muted = false;
  const output = new Writable({
    write(chunk, _encoding, done) {
      if (!muted) process.stdout.write(chunk);
      done();
    },
  });
  const rl = readline.createInterface({ input: process.stdin, output, terminal: true });
  const ask = (question: string) =>
    new Promise<string>((resolve) => {
      rl.question(question, resolve);
      muted = true;
    });
  const password = await ask('Password: ');
  muted = false;
  process.stdout.write('\n');
  const again = await ask('Password again: ');
  muted = false;
  process.stdout.write('\n');
  rl.close();
  if (password !== again) throw new CliError('The passwords do not match.');
  return password;
}

class CliError extends Error {}

const Options = z.object({
  email: z.email('--email must be an e-mail address'),
  name: z.string().trim().min(1, '--name is required').max(120),
  role: z.enum(ROLES, `--role must be one of ${ROLES.join(', ')}`),
});

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { email: { type: 'string' }, name: { type: 'string' }, role: { type: 'string' } },
  });
  if (positionals[0] !== 'create-user') throw new CliError(USAGE);
  const options = Options.safeParse(values);
  if (!options.success) throw new CliError(`${options.error.issues[0]!.message}\n${USAGE}`);
  const password = await readPassword();
  if (password.length < MIN_PASSWORD_LENGTH) throw new CliError(`The password must be at least ${MIN_PASSWORD_LENGTH} characters long.`);

  const config = loadConfig();
  const { db } = openDatabase(config.database, { writeWaitMs: config.dbWriteWaitMs, poolSize: config.pgPoolSize });
  try {
    await migrateToLatest(db);
    // Like a start: a database migrated here has its old letter files imported too (letter-import.ts).
    const letters = letterImportReport(await importLetterFiles(db, config.uploadsDir), config.uploadsDir);
    if (letters.info) console.log(letters.info);
    if (letters.warning) console.warn(letters.warning);
    const outcome = await accountService.createUser(db, { ...options.data, password }, { userId: null, email: 'cli', ip: null }, new Date());
    if (outcome.kind === 'email_taken') throw new CliError(`A user with the e-mail ${options.data.email} already exists.`);
    console.log(`Created ${options.data.role} ${accountService.normalizeEmail(options.data.email)} (id ${outcome.userId}).`);
  } finally {
    await db.destroy();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof CliError || error instanceof ConfigError ? error.message : error);
  process.exitCode = 1;
});
