// Opens the SQLite file behind Kysely with the pragmas every process (server, CLI, tests) must share.
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import {
  CompiledQuery,
  Kysely,
  SqliteDialect,
  SqliteDriver,
  type DatabaseConnection,
  type Driver,
  type SqliteDatabase,
  type SqliteDialectConfig,
  type Transaction,
} from 'kysely';
import type { Database } from './database';

export type Db = Kysely<Database>;
/** Anything a repository function can run on: the database or an open transaction. */
export type Executor = Kysely<Database> | Transaction<Database>;

export interface OpenedDatabase {
  db: Db;
  /** The raw handle, for what Kysely does not cover (backups, pragmas, integrity checks). */
  sqlite: SQLite.Database;
}

// Transactions start IMMEDIATE: they take the write lock at BEGIN, so a transaction that reads
// before it writes waits for another process's writer (busy_timeout) instead of failing with
// SQLITE_BUSY_SNAPSHOT when its read snapshot turns stale.
class ImmediateSqliteDriver extends SqliteDriver {
  constructor(
    config: SqliteDialectConfig,
    private readonly sqlite: SQLite.Database,
  ) {
    super(config);
  }

  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
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
  constructor(
    private readonly settings: SqliteDialectConfig,
    private readonly sqlite: SQLite.Database,
  ) {
    super(settings);
  }
  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.settings, this.sqlite);
  }
}

/** Statements kept prepared per connection; multi-row inserts of varying length make the SQL vary. */
const STATEMENT_CACHE_SIZE = 500;

/**
 * The connection as Kysely sees it, but with prepared statements reused: Kysely prepares every
 * query afresh, and preparing costs more than running most of them (about 50 µs a statement, 15
 * statements a submission). Safe because the driver runs one query at a time on this connection,
 * and SQLite re-prepares a kept statement by itself after a schema change.
 */
export function withStatementCache(sqlite: SQLite.Database, size = STATEMENT_CACHE_SIZE): SqliteDatabase {
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

export function openDatabase(file: string): OpenedDatabase {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const sqlite = new SQLite(file);
  // WAL lets readers (results pages) run while a submission commits.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  // Concurrent processes (server plus an admin CLI, a backup) wait instead of failing with SQLITE_BUSY.
  sqlite.pragma('busy_timeout = 5000');
  // FULL, not NORMAL: in WAL mode NORMAL may roll back the last commits after a power cut, and a
  // citizen who saw "thank you" must find the answers in the legal record; one fsync per
  // submission is cheap at campaign rates.
  sqlite.pragma('synchronous = FULL');
  const db = new Kysely<Database>({ dialect: new ImmediateSqliteDialect({ database: withStatementCache(sqlite) }, sqlite) });
  return { db, sqlite };
}
