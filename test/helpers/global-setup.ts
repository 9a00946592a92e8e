// Jest's global set-up: runs once per `jest` run, before the workers start (they inherit process.env).
import { createDatabaseTemplate, TEMPLATE_ENV } from './database-template';

export default async function globalSetup(): Promise<void> {
  process.env[TEMPLATE_ENV] = await createDatabaseTemplate();
}
