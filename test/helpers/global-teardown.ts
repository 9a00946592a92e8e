import fs from 'node:fs';
import path from 'node:path';
import { dropTestDatabases, TEMPLATE_ENV, testEngine } from './database-template';
import { runPostgres, setRunPostgres } from './run-postgres';

export default async function globalTeardown(): Promise<void> {
  const template = process.env[TEMPLATE_ENV];
  if (testEngine() === 'postgres') await dropTestDatabases(template);
  else if (template) fs.rmSync(path.dirname(template), { recursive: true, force: true });
  // A server the run started goes with its folder.
  await runPostgres()?.stop();
  setRunPostgres(undefined);
}
