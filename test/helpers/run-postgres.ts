// The server the global set-up started, for the global teardown (both run in Jest's parent process).
import type { PostgresServer } from './postgres-server';

let server: PostgresServer | undefined;

export function setRunPostgres(started: PostgresServer | undefined): void {
  server = started;
}

export function runPostgres(): PostgresServer | undefined {
  return server;
}
