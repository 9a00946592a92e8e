import fs from 'node:fs';
import path from 'node:path';
import { dropTestDatabases, TEMPLATE_ENV, testEngine } from './database-template';

export default async function globalTeardown(): Promise<void> {
  const template = process.env[TEMPLATE_ENV];
  if (testEngine() === 'postgres') await dropTestDatabases(template);
  else if (template) fs.rmSync(path.dirname(template), { recursive: true, force: true });
}
