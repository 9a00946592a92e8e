// PostgreSQL behind Kysely, for deployments with several app instances (DATABASE_URL=postgres://…).
//
// Every write transaction first takes one transaction-scoped advisory lock, the equivalent of
// SQLite's BEGIN IMMEDIATE: the services were written, and are proven under load, against one
// writer at a time (count the seats, then insert; read the tallies, then add), and under READ
// COMMITTED two such transactions on two instances could both see the last seat free. One lock
// keeps those rules true on both engines without auditing each read-then-write; it costs
// parallelism only between writes, which last a few milliseconds. Reads outside transactions never
// wait for it.
import { CompiledQuery, PostgresDialect, PostgresDriver, type DatabaseConnection, type Driver, type QueryResult, type TransactionSettings } from 'kysely';
import pg from 'pg';
import { WriterQueue } from './writer-queue';

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

/** The error a transaction gets when its write wait ran out while queued in this process (as 55P03). */
function lockWaitError(): Error {
  return Object.assign(new Error('canceling statement due to lock timeout (queued for the write lock in this process)'), { code: '55P03' });
}

/**
 * A client from the pool. pg's "timeout exceeded when trying to connect" (every client busy for
 * connectionTimeoutMillis) has no code: it is given too_many_connections', which db-errors.ts
 * reads as busy (503, try again), like SQLite's lock held too long.
 */
async function connectClient(pool: pg.Pool): Promise<pg.PoolClient> {
  try {
    return await pool.connect();
  } catch (error) {
    if (error instanceof Error && !('code' in error) && /timeout exceeded when trying to connect/.test(error.message)) Object.assign(error, { code: '53300' });
    throw error;
  }
}

/**
 * A connection that takes a pooled client only when it needs one: a plain query borrows one from
 * the pool for its own duration; a transaction first queues in this process (one write
 * transaction per process at a time: they are serialised across processes by the advisory lock
 * anyway), and only then takes a client for its whole span. Otherwise a crowd of sign-ups held
 * every pooled client while waiting for the lock, and the reads (or the lock holder's own reads
 * through `db`) found none: a timeout and a 500 for most of a 1,020-person crowd.
 */
class LazyConnection implements DatabaseConnection {
  client?: pg.PoolClient;
  inTransaction = false;
  constructor(
    private readonly pool: pg.Pool,
    /** How long this connection's transaction waits for the write lock, in ms. */
    readonly waitMs: number,
  ) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const own = this.client === undefined;
    const client = this.client ?? (await connectClient(this.pool));
    try {
      const { command, rowCount, rows } = await client.query(query.sql, [...query.parameters]);
      return {
        numAffectedRows: command === 'INSERT' || command === 'UPDATE' || command === 'DELETE' || command === 'MERGE' ? BigInt(rowCount ?? 0) : undefined,
        rows: (rows ?? []) as R[],
      };
    } finally {
      if (own) client.release();
    }
  }

  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('streaming is not used on PostgreSQL (no cursor module)');
  }
}

class LockingPostgresDriver extends PostgresDriver {
  readonly #queue = new WriterQueue(lockWaitError);
  constructor(
    private readonly pool: pg.Pool,
    private readonly waits: PostgresWaits,
  ) {
    super({ pool });
  }

  override async init(): Promise<void> {}

  override async acquireConnection(): Promise<DatabaseConnection> {
    // Read before any await: withWriteWait sets it only while its work starts.
    return new LazyConnection(this.pool, this.waits.currentWait());
  }

  override async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    const lazy = connection as LazyConnection;
    const wait = Math.max(1, Math.round(lazy.waitMs));
    await this.#queue.lock(Date.now() + wait);
    try {
      lazy.client = await connectClient(this.pool);
      lazy.inTransaction = true;
      await super.beginTransaction(connection, settings);
      // lock_timeout bounds the wait for the lock below and for any row lock after it: past it the
      // statement fails with 55P03, which db-errors.ts reads as busy (503, try again).
      await connection.executeQuery(CompiledQuery.raw(`set local lock_timeout = ${wait}`));
      this.#queue.blocked(true);
      try {
        await connection.executeQuery(CompiledQuery.raw(`select pg_advisory_xact_lock(${WRITE_LOCK_KEY})`));
      } finally {
        this.#queue.blocked(false);
      }
    } catch (error) {
      await this.releaseConnection(connection, true);
      throw error;
    }
  }

  override async releaseConnection(connection: DatabaseConnection, failedBegin = false): Promise<void> {
    const lazy = connection as LazyConnection;
    const client = lazy.client;
    lazy.client = undefined;
    if (client) {
      // A BEGIN that failed halfway leaves the transaction open on the client: rolled back first.
      if (failedBegin) await client.query('rollback').catch(() => undefined);
      client.release();
    }
    if (lazy.inTransaction) {
      lazy.inTransaction = false;
      this.#queue.unlock();
    } else if (failedBegin) {
      this.#queue.unlock();
    }
  }

  override async destroy(): Promise<void> {
    await this.pool.end();
  }
}

class LockingPostgresDialect extends PostgresDialect {
  constructor(
    private readonly pool: pg.Pool,
    private readonly waits: PostgresWaits,
  ) {
    super({ pool });
  }
  override createDriver(): Driver {
    return new LockingPostgresDriver(this.pool, this.waits);
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
  return { dialect: new LockingPostgresDialect(pool, waits), pool };
}
