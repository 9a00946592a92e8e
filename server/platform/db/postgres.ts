// PostgreSQL behind Kysely, for deployments with several app instances (DATABASE_URL=postgres://…).
//
// Every write transaction first takes one transaction-scoped advisory lock, the equivalent of
// SQLite's BEGIN IMMEDIATE: the services were written, and are proven under load, against one
// writer at a time (count the seats, then insert; read the tallies, then add), and under READ
// COMMITTED two such transactions on two instances could both see the last seat free. One lock
// keeps those rules true on both engines without auditing each read-then-write; it costs
// parallelism only between writes, which last a few milliseconds. Reads outside transactions never
// wait for it.
import { CompiledQuery, PostgresDialect, PostgresDriver, type DatabaseConnection, type Driver, type TransactionSettings } from 'kysely';
import pg from 'pg';

/** The advisory lock's key: any constant the application's own lock calls do not use ('Paydaş' in ASCII). */
const WRITE_LOCK_KEY = 0x5061796461;

// int8 (count(*), sum over integers, bigint ids) and numeric (avg) arrive as strings by default,
// for values past 2^53; ours are counts, ids and epoch milliseconds, far below it.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => {
  const number = Number(value);
  if (!Number.isSafeInteger(number)) throw new RangeError(`integer out of range for JavaScript: ${value}`);
  return number;
});
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (value) => Number(value));

export function isPostgresUrl(target: string): boolean {
  return /^postgres(ql)?:\/\//i.test(target);
}

/** The URL with its password replaced, for logs and error messages. */
export function redactPostgresUrl(url: string): string {
  return url.replace(/^(postgres(?:ql)?:\/\/[^:/@]*:)[^@]*@/i, '$1***@');
}

export interface PostgresWaits {
  /** The wait a new connection's transaction uses (withWriteWait's, captured when the query starts). */
  currentWait(): number;
}

class LockingPostgresDriver extends PostgresDriver {
  readonly #waits = new WeakMap<DatabaseConnection, number>();
  constructor(
    config: ConstructorParameters<typeof PostgresDriver>[0],
    private readonly waits: PostgresWaits,
  ) {
    super(config);
  }

  override async acquireConnection(): Promise<DatabaseConnection> {
    // Read before the first await: withWriteWait sets it only while its work starts.
    const wait = this.waits.currentWait();
    const connection = await super.acquireConnection();
    this.#waits.set(connection, wait);
    return connection;
  }

  override async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    await super.beginTransaction(connection, settings);
    const wait = Math.max(1, Math.round(this.#waits.get(connection) ?? 15_000));
    // lock_timeout bounds the wait for the lock below and for any row lock after it: past it the
    // statement fails with 55P03, which db-errors.ts reads as busy (503, try again).
    await connection.executeQuery(CompiledQuery.raw(`set local lock_timeout = ${wait}`));
    await connection.executeQuery(CompiledQuery.raw(`select pg_advisory_xact_lock(${WRITE_LOCK_KEY})`));
  }
}

class LockingPostgresDialect extends PostgresDialect {
  constructor(
    private readonly config: ConstructorParameters<typeof PostgresDialect>[0],
    private readonly waits: PostgresWaits,
  ) {
    super(config);
  }
  override createDriver(): Driver {
    return new LockingPostgresDriver(this.config, this.waits);
  }
}

export interface PostgresOptions {
  /** Connections this process keeps open at most (PG_POOL_SIZE). */
  poolSize?: number;
}

export const DEFAULT_POOL_SIZE = 10;

export function postgresDialect(url: string, waits: PostgresWaits, options: PostgresOptions = {}): { dialect: PostgresDialect; pool: pg.Pool } {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? DEFAULT_POOL_SIZE,
    // A server that does not answer is a 503 after this, not a request hanging for minutes.
    connectionTimeoutMillis: 10_000,
    idleTimeoutMillis: 30_000,
  });
  // An idle client's connection dropped by the server (a restart) must not crash the process:
  // the pool discards it and opens another on the next query.
  pool.on('error', () => undefined);
  return { dialect: new LockingPostgresDialect({ pool }, waits), pool };
}
