// Jest's global set-up: runs once per `jest` run, before the workers start (they inherit process.env).
import { createDatabaseTemplate, TEMPLATE_ENV, TEST_POSTGRES_URL_ENV } from './database-template';
import { startPostgresServer } from './postgres-server';
import { setRunPostgres } from './run-postgres';

export default async function globalSetup(): Promise<void> {
  // Every run has a PostgreSQL server: the PostgreSQL pass keeps all its databases there, and the
  // SQLite pass tests the copy from SQLite to PostgreSQL.
  if (!process.env[TEST_POSTGRES_URL_ENV]) {
    const server = await startPostgresServer();
    setRunPostgres(server);
    process.env[TEST_POSTGRES_URL_ENV] = server.url;
  }
  process.env[TEMPLATE_ENV] = await createDatabaseTemplate();
}
