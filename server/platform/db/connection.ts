// Opens the database behind Kysely: a SQLite file with the pragmas every process (server, CLI,
// tests) must share, or PostgreSQL when DATABASE_URL is a postgres:// URL (postgres.ts).
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import {
  CompiledQuery,
  Kysely,
  SqliteDialect,
  SelectQueryNode,
  SqliteDriver,
  type DatabaseConnection,
  type QueryResult,
  type Driver,
  type SqliteDatabase,
  type Transaction,
  PostgresAdapter,
} from 'kysely';
import type { Database } from './database';
import { isPostgresUrl, postgresDialect, type PostgresOptions } from './postgres';
import { WriterQueue } from './writer-queue';

export type Db = Kysely<Database>;
/** Anything a repository function can run on: the database or an open transaction. */
export type Executor = Kysely<Database> | Transaction<Database>;

export type Engine = 'sqlite' | 'postgres';

export interface OpenedDatabase {
  db: Db;
  engine: Engine;
  /** SQLite's raw handle, for what Kysely does not cover (backups, pragmas, integrity checks); absent on PostgreSQL. */
  sqlite?: SQLite.Database;
}

export interface OpenedSqliteDatabase extends OpenedDatabase {
  engine: 'sqlite';
  sqlite: SQLite.Database;
}

/** Which engine a Kysely instance (or transaction) talks to. */
export function engineOf(db: Executor | Kysely<any>): Engine {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}

/** How long a write waits for another process's write lock before it fails (DB_WRITE_WAIT_MS). */
export const DEFAULT_WRITE_WAIT_MS = 15_000;
/**
 * What SQLite itself waits, synchronously, before reporting SQLITE_BUSY: better-sqlite3 blocks the
 * whole process meanwhile (every page, /healthz), so it is kept tiny and the real waiting is done
 * by retryWhileBusy, which sleeps on timers.
 */
const BUSY_TIMEOUT_MS = 2;
const FIRST_RETRY_MS = 5;
const LONGEST_RETRY_MS = 250;

/** Set by withWriteWait while its work starts; read by acquireConnection. */
let startingWait: number | undefined;

/**
 * Starts `work` with its query or transaction waiting at most `ms` for another process's lock
 * instead of the configured wait: for writes a page must not be held up by (a session's expiry, a
 * health probe). Kysely acquires a connection synchronously when a query or transaction starts,
 * so the wait is captured then (from the first tick after openDatabase on, which has Kysely
 * initialise its driver at once); a query started after an `await` inside `work` waits as usual.
 * (Not AsyncLocalStorage: on Node 20 it would slow every promise in the process.)
 */
export function withWriteWait<T>(ms: number, work: () => Promise<T>): Promise<T> {
  const outer = startingWait;
  startingWait = ms;
  try {
    return work();
  } finally {
    startingWait = outer;
  }
}

/** Set by withoutSync while its work starts; read by acquireConnection. */
let startingLight = false;

/**
 * Starts `work` with its auto-commit writes committed without waiting for the disk (WAL with
 * synchronous = NORMAL instead of FULL): a power cut may lose the last of them, but never corrupts
 * the file, and the next FULL commit makes them durable too. For counters whose loss costs nothing
 * (request limits), never for records: on this machine an fsync costs about 5 ms, a write without
 * one 0.1 ms. Captured like withWriteWait's wait; writes inside a transaction are not affected.
 */
export function withoutSync<T>(work: () => Promise<T>): Promise<T> {
  const outer = startingLight;
  startingLight = true;
  try {
    return work();
  } finally {
    startingLight = outer;
  }
}

/** Switch the writing connection's commits between waiting for the disk (the default) and not. */
const SYNC_NORMAL = CompiledQuery.raw('pragma synchronous = NORMAL');
const SYNC_FULL = CompiledQuery.raw('pragma synchronous = FULL');

function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  // SQLITE_BUSY_SNAPSHOT too: only whole statements (and BEGIN, COMMIT) outside a transaction are
  // retried, and the retry takes a fresh snapshot.
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The error SQLite gives for a lock held too long, for a write that gave up before reaching SQLite. */
function busyError(): Error {
  return new SQLite.SqliteError('database is locked', 'SQLITE_BUSY');
}

/**
 * Runs `attempt` (a statement that fails whole on SQLITE_BUSY: BEGIN IMMEDIATE, an auto-commit
 * write, COMMIT) again after pauses of 5 ms doubling to 250 ms until it succeeds or `deadline`
 * (epoch ms) passes; then the last SQLITE_BUSY propagates (the error handler makes it a 503).
 * `blocked` hears whether another process's lock is what holds it up.
 */
async function retryWhileBusy<T>(attempt: () => T, deadline: number, blocked?: (yes: boolean) => void): Promise<T> {
  for (let pause = FIRST_RETRY_MS; ; pause = Math.min(pause * 2, LONGEST_RETRY_MS)) {
    try {
      const result = attempt();
      blocked?.(false);
      return result;
    } catch (error) {
      const left = deadline - Date.now();
      if (!isBusy(error) || left <= 0) {
        blocked?.(false);
        throw error;
      }
      blocked?.(true);
      await sleep(Math.min(pause, left));
    }
  }
}

/** Statements that read only and may therefore run on the reading connection, beside any transaction. */
const PLAIN_READ = /^\s*(select|with)\b/i;

function run(database: CachedDatabase, { sql, parameters }: CompiledQuery): QueryResult<unknown> {
  const statement = database.prepare(sql);
  if (statement.reader) return { rows: statement.all(parameters) };
  const { changes, lastInsertRowid } = statement.run(parameters);
  return {
    numAffectedRows: changes !== undefined && changes !== null ? BigInt(changes) : undefined,
    insertId: lastInsertRowid !== undefined && lastInsertRowid !== null ? BigInt(lastInsertRowid) : undefined,
    rows: [],
  };
}

/**
 * What Kysely gets for each query or transaction. Outside a transaction, a read runs at once on
 * the reading connection (WAL shows it the last commit, even while another process holds the
 * write lock) and a write queues for the writing connection, so it never lands inside another
 * request's open transaction. Inside a transaction everything runs on the writing connection,
 * which the transaction holds from BEGIN to its release.
 */
class RoutedConnection implements DatabaseConnection {
  /** True from a successful BEGIN until the driver releases this connection. */
  holdsWriter = false;
  constructor(
    private readonly driver: ImmediateSqliteDriver,
    /** How long this connection's writes wait for another process's lock, in ms. */
    readonly waitMs: number,
    /** Auto-commit writes commit without an fsync (withoutSync). */
    readonly light = false,
  ) {}

  deadline(): number {
    return Date.now() + this.waitMs;
  }

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const { writer, reader, queue } = this.driver.connections();
    if (this.holdsWriter) return run(writer, query) as QueryResult<R>;
    const deadline = this.deadline();
    // A closed writer means a closed database, whichever connection the query would use.
    if (reader && this.driver.writerOpen() && PLAIN_READ.test(query.sql)) {
      const statement = reader.prepare(query.sql);
      if (statement.readonly) return (await retryWhileBusy(() => run(reader, query), deadline)) as QueryResult<R>;
    }
    await queue.lock(deadline);
    // The setting is the connection's: switched back before the next writer in the queue runs.
    const light = this.light && this.driver.writerOpen();
    try {
      if (light) run(writer, SYNC_NORMAL);
      return (await retryWhileBusy(() => run(writer, query), deadline, queue.blocked)) as QueryResult<R>;
    } finally {
      try {
        if (light && this.driver.writerOpen()) run(writer, SYNC_FULL);
      } finally {
        queue.unlock();
      }
    }
  }

  async *streamQuery<R>(query: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    if (!SelectQueryNode.is(query.query)) throw new Error('Sqlite driver only supports streaming of select queries');
    const { writer, queue } = this.driver.connections();
    // An open iterator keeps its connection busy for every other statement: the writer is held throughout.
    if (!this.holdsWriter) await queue.lock(this.deadline());
    try {
      for (const row of writer.prepare(query.sql).iterate(query.parameters)) yield { rows: [row as R] };
    } finally {
      if (!this.holdsWriter) queue.unlock();
    }
  }
}

export interface DriverOptions {
  /** The writing connection, with its statement cache; every transaction and write runs on it. */
  writer: CachedDatabase;
  /** The writing connection's raw handle: is it open (a test may close it under Kysely's feet), in a transaction. */
  sqlite: SQLite.Database;
  /** A second connection for reads outside transactions; absent for an in-memory database. */
  reader?: CachedDatabase;
  /** The default wait for another process's write lock, in ms. */
  writeWaitMs: number;
}

/**
 * Kysely's SqliteDriver funnels every query through one connection and one mutex, and
 * better-sqlite3 waits for a lock synchronously: while another process held the write lock, one
 * waiting write froze the whole process. Here writes wait on timers (retryWhileBusy), and reads
 * outside transactions do not queue behind them.
 *
 * Transactions start IMMEDIATE: they take the write lock at BEGIN, so a transaction that reads
 * before it writes waits for another process's writer instead of failing with
 * SQLITE_BUSY_SNAPSHOT when its read snapshot turns stale.
 */
class ImmediateSqliteDriver extends SqliteDriver {
  readonly #queue = new WriterQueue(busyError);
  constructor(private readonly options: DriverOptions) {
    super({ database: options.writer });
  }

  connections() {
    return { writer: this.options.writer, reader: this.options.reader, queue: this.#queue };
  }
  writerOpen(): boolean {
    return this.options.sqlite.open;
  }
  /** The writing connection's raw handle (SQLite's own view of the transaction: `inTransaction`). */
  protected get sqlite(): SQLite.Database {
    return this.options.sqlite;
  }

  override async init(): Promise<void> {}

  override async acquireConnection(): Promise<DatabaseConnection> {
    return new RoutedConnection(this, startingWait ?? this.options.writeWaitMs, startingLight);
  }

  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    const routed = connection as RoutedConnection;
    const deadline = routed.deadline();
    await this.#queue.lock(deadline);
    try {
      await retryWhileBusy(() => run(this.options.writer, CompiledQuery.raw('begin immediate')), deadline, this.#queue.blocked);
    } catch (error) {
      this.#queue.unlock();
      throw error;
    }
    routed.holdsWriter = true;
  }

  override async commitTransaction(connection: DatabaseConnection): Promise<void> {
    // A COMMIT refused with SQLITE_BUSY leaves the transaction open: it may simply be tried again.
    if (!(connection as RoutedConnection).holdsWriter) throw new Error('commit without a transaction');
    await retryWhileBusy(() => run(this.options.writer, CompiledQuery.raw('commit')), (connection as RoutedConnection).deadline());
  }

  // Optional only to match SqliteDriver's declaration; Kysely always passes the connection.
  override async releaseConnection(connection?: DatabaseConnection): Promise<void> {
    const routed = connection as RoutedConnection | undefined;
    if (!routed?.holdsWriter) return;
    routed.holdsWriter = false;
    this.#queue.unlock();
  }

  override async destroy(): Promise<void> {
    // The reader first: the last connection to close checkpoints the WAL into the file.
    this.options.reader?.close();
    this.options.writer.close();
  }

  // On a full disk or an I/O error SQLite may already have rolled the transaction back itself;
  // a ROLLBACK then fails with "cannot rollback - no transaction is active", and Kysely would
  // throw that in place of the SQLITE_FULL/SQLITE_IOERR that says what happened.
  override async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    if (!this.sqlite.inTransaction) return;
    try {
      await super.rollbackTransaction(connection);
    } catch (error) {
      if (this.sqlite.inTransaction) throw error;
    }
  }
}

class ImmediateSqliteDialect extends SqliteDialect {
  constructor(private readonly options: DriverOptions) {
    super({ database: options.writer });
  }
  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.options);
  }
}

/** A connection whose statements say whether they only read (better-sqlite3's Statement, not Kysely's narrower type). */
export interface CachedDatabase extends SqliteDatabase {
  prepare(sql: string): SQLite.Statement;
}

/** Statements kept prepared per connection; multi-row inserts of varying length make the SQL vary. */
const STATEMENT_CACHE_SIZE = 500;

/**
 * The connection as Kysely sees it, but with prepared statements reused: Kysely prepares every
 * query afresh, and preparing costs more than running most of them (about 50 µs a statement, 15
 * statements a submission). Safe because the driver runs one query at a time on this connection,
 * and SQLite re-prepares a kept statement by itself after a schema change.
 */
export function withStatementCache(sqlite: SQLite.Database, size = STATEMENT_CACHE_SIZE): CachedDatabase {
  const statements = new Map<string, SQLite.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(sql: string) {
      let statement = statements.get(sql);
      if (statement) {
        // Least recently used goes first: a hit moves to the back.
        statements.delete(sql);
      } else {
        statement = sqlite.prepare(sql);
        if (statements.size >= size) statements.delete(statements.keys().next().value!);
      }
      statements.set(sql, statement);
      return statement;
    },
  };
}

export interface OpenOptions extends PostgresOptions {
  /** How long a write waits for another process's write lock, in ms (DB_WRITE_WAIT_MS). */
  writeWaitMs?: number;
}

/** Pragmas both connections share; synchronous and foreign keys matter only where writes happen. */
function connect(file: string): SQLite.Database {
  const sqlite = new SQLite(file);
  // WAL lets readers (results pages) run while a submission commits, and while another process
  // holds the write lock.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  // Waiting for another process's lock is done on timers by the driver, not here (see BUSY_TIMEOUT_MS).
  sqlite.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  // FULL, not NORMAL: in WAL mode NORMAL may roll back the last commits after a power cut, and a
  // citizen who saw "thank you" must find the answers in the legal record; one fsync per
  // submission is cheap at campaign rates.
  sqlite.pragma('synchronous = FULL');
  return sqlite;
}

/** Opens `target`: a postgres:// URL, or else a SQLite file path (':memory:' for a throwaway one). */
export function openDatabase(target: string, options: OpenOptions = {}): OpenedDatabase {
  return isPostgresUrl(target) ? openPostgres(target, options) : openSqliteDatabase(target, options);
}

function openPostgres(url: string, options: OpenOptions): OpenedDatabase {
  const writeWaitMs = options.writeWaitMs ?? DEFAULT_WRITE_WAIT_MS;
  // withoutSync has no counterpart here: a PostgreSQL commit is flushed by the server's WAL
  // writer for many sessions at once, so a counter's commit costs no fsync of its own to save.
  const { dialect } = postgresDialect(url, { currentWait: () => startingWait ?? writeWaitMs }, options);
  const db = new Kysely<Database>({ dialect });
  // As on SQLite: Kysely initialises its driver on the first query, after an await; done now, so
  // that later transactions acquire their connection synchronously, as withWriteWait relies on.
  // (No server round trip: a connection takes a pooled client only when it runs something.)
  void db.connection().execute(async () => undefined);
  return { db, engine: 'postgres' };
}

/** Opens a SQLite file (for what only SQLite has: backups, the demo's bulk load, its tests). */
export function openSqliteDatabase(file: string, options: OpenOptions = {}): OpenedSqliteDatabase {
  const inMemory = file === ':memory:' || file === '';
  if (!inMemory) fs.mkdirSync(path.dirname(file), { recursive: true });
  const sqlite = connect(file);
  // An in-memory database exists only on its one connection: everything runs there.
  let reader: SQLite.Database | undefined;
  if (!inMemory) {
    reader = connect(file);
    // Only SELECTs are sent here; this makes sure nothing else ever is.
    reader.pragma('query_only = 1');
  }
  const db = new Kysely<Database>({
    dialect: new ImmediateSqliteDialect({
      writer: withStatementCache(sqlite),
      sqlite,
      reader: reader && withStatementCache(reader),
      writeWaitMs: options.writeWaitMs ?? DEFAULT_WRITE_WAIT_MS,
    }),
  });
  // Kysely initialises its driver on the first query, after an await: done now, so that every
  // later query acquires its connection synchronously, as withWriteWait relies on.
  void db.connection().execute(async () => undefined);
  return { db, sqlite, engine: 'sqlite' };
}
