// Copies an existing SQLite database into an empty PostgreSQL one (npm run db -- copy), for an
// installation moving to several app instances. The source is only read, in one read transaction
// (one consistent snapshot even if the app still writes to it); the target is written in one
// transaction, so a copy that fails at any point leaves it as empty as it was, and is checked by
// row counts and a sample of rows compared column by column before and after the commit.
import crypto from 'node:crypto';
import fs from 'node:fs';
import SQLite from 'better-sqlite3';
import { sql, type Kysely, type Transaction } from 'kysely';
import { openDatabase } from './connection';
import { migrations } from './migrations';
import { migrateToLatest } from './migrator';
import { advanceIdSequence } from './portable-sql';
import { redactPostgresUrl } from './postgres';

/** Kysely's own bookkeeping: the target gets it from running the same migrations, not from the copy. */
const MIGRATION_TABLES = new Set(['kysely_migration', 'kysely_migration_lock']);
/** Rows per multi-row insert, unless the columns would pass PostgreSQL's 65,535 bind parameters. */
const BATCH_ROWS = 500;
const MAX_PARAMETERS = 60_000;
/** A batch is sent early once its values reach this many bytes (letters are up to 5 MB each). */
const BATCH_BYTES = 8 * 1024 * 1024;
/** Rows per table compared column by column after the copy, spread over the table's key order. */
export const SAMPLE_ROWS = 50;

export interface TableCopy {
  table: string;
  /** Rows in the source's snapshot. */
  source: number;
  /** Rows the target holds after the commit. */
  target: number;
  milliseconds: number;
}

export type CopyOutcome =
  | { kind: 'copied'; tables: TableCopy[]; sampleRows: number; milliseconds: number }
  // Refusals: nothing was written to the target (beyond migrating an empty one).
  | { kind: 'no_source'; file: string }
  | { kind: 'source_not_migrated'; missing: string[] }
  | { kind: 'source_newer'; unknown: string[] }
  | { kind: 'letters_not_imported'; letterIds: number[] }
  | { kind: 'target_not_empty'; tables: string[] }
  | { kind: 'target_newer'; unknown: string[] }
  | { kind: 'schema_differs'; problems: string[] }
  // Failures: the target's transaction was rolled back (or, for a mismatch found only after the commit, it was not).
  | { kind: 'unstorable_value'; table: string; row: string; column: string; reason: string }
  | { kind: 'mismatch'; problems: string[]; committed: boolean };

export type Refusal = Extract<CopyOutcome, { kind: 'no_source' | 'source_not_migrated' | 'source_newer' | 'letters_not_imported' | 'target_not_empty' | 'target_newer' | 'schema_differs' }>;

export function isRefusal(outcome: CopyOutcome): outcome is Refusal {
  return ['no_source', 'source_not_migrated', 'source_newer', 'letters_not_imported', 'target_not_empty', 'target_newer', 'schema_differs'].includes(outcome.kind);
}

export interface CopyOptions {
  /** Progress lines (one per table). */
  log?: (line: string) => void;
  /** Rows per insert (tests make it small to cross batch boundaries). */
  batchRows?: number;
  sampleRows?: number;
  /** Called once the source's snapshot is taken, before anything is copied (a test writes to the source then). */
  afterSnapshot?: () => Promise<void> | void;
}

/** How PostgreSQL stores a column, as far as copying and comparing values goes. */
type ColumnKind = 'integer' | 'float' | 'text' | 'bytes' | 'other';

interface SourceTable {
  name: string;
  columns: string[];
  /** The primary key's columns in key order; empty for a table without one (then rowid orders it). */
  key: string[];
  count: number;
}

type Row = Record<string, unknown>;

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * The tables in an order where every table comes after the tables its foreign keys point to
 * (Kahn's algorithm; among tables ready at once, by name, so the order is the same every time).
 * A table's references to itself are left out; a cycle between tables is an error.
 */
export function foreignKeyOrder(tables: string[], parentsOf: (table: string) => string[]): string[] {
  const known = new Set(tables);
  const waitingFor = new Map(tables.map((table) => [table, new Set(parentsOf(table).filter((parent) => parent !== table && known.has(parent)))]));
  const order: string[] = [];
  while (waitingFor.size > 0) {
    const ready = [...waitingFor].filter(([, parents]) => parents.size === 0).map(([table]) => table).sort();
    if (ready.length === 0) throw new Error(`The tables ${[...waitingFor.keys()].sort().join(', ')} refer to each other in a cycle: no foreign-key order exists`);
    for (const table of ready) {
      order.push(table);
      waitingFor.delete(table);
      for (const parents of waitingFor.values()) parents.delete(table);
    }
  }
  return order;
}

/** Which rows (0-based positions in key order) are compared: the first, the last, and evenly spread between. */
export function samplePositions(count: number, size = SAMPLE_ROWS): number[] {
  if (count <= size) return Array.from({ length: count }, (_, i) => i);
  if (size <= 1) return [0];
  return [...new Set(Array.from({ length: size }, (_, i) => Math.round((i * (count - 1)) / (size - 1))))];
}

/** A sampled value already in its comparable spelling: a letter's bytes are kept as their digest, not 5 MB each. */
class Spelled {
  constructor(readonly text: string) {}
}

/** A value in one comparable spelling: numbers and numeric strings alike, bytes by their length and SHA-256. */
export function normalise(value: unknown, kind: ColumnKind = 'other'): string {
  if (value === null || value === undefined) return 'null';
  if (value instanceof Spelled) return value.text;
  if (Buffer.isBuffer(value) || value instanceof Uint8Array) return `bytes:${value.length}:${crypto.createHash('sha256').update(value).digest('hex')}`;
  if (typeof value === 'bigint') return `number:${value}`;
  if (typeof value === 'number') return Number.isInteger(value) && Number.isSafeInteger(value) ? `number:${BigInt(value)}` : `number:${value}`;
  if (typeof value === 'string' && (kind === 'integer' || kind === 'float') && value.trim() !== '' && !Number.isNaN(Number(value))) {
    return normalise(/^-?\d+$/.test(value) ? BigInt(value) : Number(value));
  }
  if (typeof value === 'string') return `text:${value}`;
  return `other:${String(value)}`;
}

function kindOf(dataType: string): ColumnKind {
  switch (dataType) {
    case 'bigint':
    case 'integer':
    case 'smallint':
      return 'integer';
    case 'double precision':
    case 'real':
    case 'numeric':
      return 'float';
    case 'text':
    case 'character varying':
    case 'character':
      return 'text';
    case 'bytea':
      return 'bytes';
    default:
      return 'other';
  }
}

/** Raised inside the target's transaction so that it rolls back; turned into an outcome outside. */
class CopyStopped extends Error {
  constructor(readonly outcome: CopyOutcome) {
    super(outcome.kind);
  }
}

function short(value: unknown): string {
  const text = Buffer.isBuffer(value) ? `${value.length} bytes` : value instanceof Spelled ? value.text : typeof value === 'bigint' || typeof value === 'number' ? String(value) : (JSON.stringify(value) ?? String(value));
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** The value as the target's column takes it, or why it cannot be stored there. */
function storable(value: unknown, kind: ColumnKind): { value: unknown } | { reason: string } {
  if (value === null) return { value };
  switch (kind) {
    case 'integer':
      if (typeof value === 'bigint') return { value };
      if (typeof value === 'number' && Number.isInteger(value)) return { value };
      return { reason: `holds ${short(value)} where PostgreSQL expects a whole number` };
    case 'float':
      if (typeof value === 'number') return { value };
      if (typeof value === 'bigint') return { value: Number(value) };
      return { reason: `holds ${short(value)} where PostgreSQL expects a number` };
    case 'text':
      if (typeof value !== 'string') return { reason: `holds ${short(value)} where PostgreSQL expects text` };
      // PostgreSQL's text cannot hold the NUL character at all; SQLite's can.
      if (value.includes('\0')) return { reason: 'contains a NUL character (\\0), which PostgreSQL cannot store in text' };
      return { value };
    case 'bytes':
      if (Buffer.isBuffer(value)) return { value };
      return { reason: `holds ${short(value)} where PostgreSQL expects bytes` };
    default:
      return { value };
  }
}

function describeRow(table: SourceTable, row: Row, position: number): string {
  if (table.key.length === 0) return `row ${position + 1}`;
  return table.key.map((column) => `${column}=${short(row[column])}`).join(', ');
}

// ---- the source (SQLite, read only) ----

function sourceTables(source: SQLite.Database): SourceTable[] {
  const names = (source.prepare(`select name from sqlite_master where type = 'table' and name not like 'sqlite\\_%' escape '\\' order by name`).all() as { name: string }[])
    .map((row) => row.name)
    .filter((name) => !MIGRATION_TABLES.has(name));
  return names.map((name) => {
    const info = source.pragma(`table_info(${quote(name)})`) as { name: string; pk: number }[];
    const key = info.filter((column) => column.pk > 0).sort((a, b) => a.pk - b.pk).map((column) => column.name);
    const { count } = source.prepare(`select count(*) as count from ${quote(name)}`).get() as { count: number };
    return { name, columns: info.map((column) => column.name), key, count: Number(count) };
  });
}

function sourceParents(source: SQLite.Database, table: string): string[] {
  return (source.pragma(`foreign_key_list(${quote(table)})`) as { table: string }[]).map((fk) => fk.table);
}

function appliedMigrations(source: SQLite.Database): string[] {
  const exists = source.prepare(`select 1 from sqlite_master where type = 'table' and name = 'kysely_migration'`).get();
  if (!exists) return [];
  return (source.prepare('select name from kysely_migration order by name').all() as { name: string }[]).map((row) => row.name);
}

/** Letters still kept as files (imported into the database on the app's next start): the copy cannot read them. */
function lettersWithoutContent(source: SQLite.Database): number[] {
  return (
    source
      .prepare('select l.id from opinion_letters l left join opinion_letter_contents c on c.letter_id = l.id where c.letter_id is null order by l.id')
      .all() as { id: number }[]
  ).map((row) => Number(row.id));
}

function orderBy(table: SourceTable): string {
  return table.key.length > 0 ? table.key.map(quote).join(', ') : 'rowid';
}

/** Each table's sampled rows (in the source's snapshot), keyed by table. */
type Samples = Map<string, Row[]>;

// ---- the target (PostgreSQL) ----

interface TargetColumn {
  table_name: string;
  column_name: string;
  data_type: string;
  is_identity: string;
}

async function targetTables(db: Kysely<any>): Promise<string[]> {
  const { rows } = await sql<{ table_name: string }>`
    select table_name from information_schema.tables
    where table_schema = current_schema() and table_type = 'BASE TABLE' order by table_name`.execute(db);
  return rows.map((row) => row.table_name);
}

async function targetColumns(db: Kysely<any>): Promise<TargetColumn[]> {
  const { rows } = await sql<TargetColumn>`
    select table_name, column_name, data_type, is_identity from information_schema.columns
    where table_schema = current_schema() order by table_name, ordinal_position`.execute(db);
  return rows;
}

/** Tables (other than Kysely's own) that hold at least one row. */
async function tablesWithRows(db: Kysely<any>): Promise<string[]> {
  const filled: string[] = [];
  for (const table of await targetTables(db)) {
    if (MIGRATION_TABLES.has(table)) continue;
    const { rows } = await sql`select 1 from ${sql.table(table)} limit 1`.execute(db);
    if (rows.length > 0) filled.push(table);
  }
  return filled;
}

async function targetMigrations(db: Kysely<any>): Promise<string[]> {
  if (!(await targetTables(db)).includes('kysely_migration')) return [];
  const { rows } = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(db);
  return rows.map((row) => row.name);
}

function schemaProblems(tables: SourceTable[], columns: TargetColumn[]): string[] {
  const problems: string[] = [];
  const byTable = new Map<string, string[]>();
  for (const column of columns) byTable.set(column.table_name, [...(byTable.get(column.table_name) ?? []), column.column_name]);
  for (const table of tables) {
    const target = byTable.get(table.name);
    if (!target) {
      problems.push(`table ${table.name} is missing in PostgreSQL`);
      continue;
    }
    const missing = table.columns.filter((column) => !target.includes(column));
    const extra = target.filter((column) => !table.columns.includes(column));
    if (missing.length > 0) problems.push(`${table.name}: PostgreSQL lacks column(s) ${missing.join(', ')}`);
    if (extra.length > 0) problems.push(`${table.name}: SQLite lacks column(s) ${extra.join(', ')}`);
  }
  const copied = new Set(tables.map((table) => table.name));
  for (const table of byTable.keys()) if (!copied.has(table) && !MIGRATION_TABLES.has(table)) problems.push(`table ${table} is missing in SQLite`);
  return problems;
}

/** Inserts one table's rows in multi-row batches, keeping the sampled ones; throws CopyStopped on a value PostgreSQL cannot hold. */
async function copyTable(source: SQLite.Database, trx: Transaction<any>, table: SourceTable, kinds: Map<string, ColumnKind>, options: CopyOptions): Promise<Row[]> {
  const batchRows = Math.max(1, Math.min(options.batchRows ?? BATCH_ROWS, Math.floor(MAX_PARAMETERS / table.columns.length)));
  const wanted = new Set(samplePositions(table.count, options.sampleRows));
  const sampled: Row[] = [];
  const statement = source.prepare(`select ${table.columns.map(quote).join(', ')} from ${quote(table.name)} order by ${orderBy(table)}`);
  let batch: Row[] = [];
  let bytes = 0;
  let position = 0;
  // better-sqlite3's iterator keeps the source connection busy: only the target is used until it ends.
  for (const row of statement.safeIntegers(true).iterate() as IterableIterator<Row>) {
    const converted: Row = {};
    for (const column of table.columns) {
      const result = storable(row[column], kinds.get(column) ?? 'other');
      if ('reason' in result) {
        throw new CopyStopped({ kind: 'unstorable_value', table: table.name, row: describeRow(table, row, position), column, reason: result.reason });
      }
      converted[column] = result.value;
      const value = row[column];
      bytes += Buffer.isBuffer(value) ? value.length : typeof value === 'string' ? value.length : 8;
    }
    if (wanted.has(position)) sampled.push(Object.fromEntries(Object.entries(row).map(([column, value]) => [column, Buffer.isBuffer(value) ? new Spelled(normalise(value)) : value])));
    batch.push(converted);
    position++;
    if (batch.length >= batchRows || bytes >= BATCH_BYTES) {
      await trx.insertInto(table.name).values(batch).execute();
      batch = [];
      bytes = 0;
    }
  }
  if (batch.length > 0) await trx.insertInto(table.name).values(batch).execute();
  return sampled;
}

/** Counts and sampled rows read back from the target, compared with the source's; the problems found. */
async function verify(db: Kysely<any>, tables: SourceTable[], samples: Samples, kinds: Map<string, Map<string, ColumnKind>>): Promise<{ problems: string[]; counts: Map<string, number>; checked: number }> {
  const problems: string[] = [];
  const counts = new Map<string, number>();
  let checked = 0;
  for (const table of tables) {
    const { rows } = await sql<{ count: unknown }>`select count(*) as count from ${sql.table(table.name)}`.execute(db);
    const count = Number(rows[0]?.count);
    counts.set(table.name, count);
    if (count !== table.count) problems.push(`${table.name}: ${table.count} rows in SQLite, ${count} in PostgreSQL`);
    const wanted = samples.get(table.name) ?? [];
    if (wanted.length === 0) continue;
    const columnKinds = kinds.get(table.name) ?? new Map<string, ColumnKind>();
    // Without a primary key a row is found by all its values (but bytes, kept only as a digest).
    const key = table.key.length > 0 ? table.key : table.columns.filter((column) => columnKinds.get(column) !== 'bytes');
    const keyOf = (row: Row) => key.map((column) => normalise(row[column], columnKinds.get(column))).join('|');
    const found = new Map<string, Row>();
    // Rows holding letters are read a few at a time: each may be 5 MB.
    const chunkRows = [...columnKinds.values()].includes('bytes') ? 5 : 100;
    for (let i = 0; i < wanted.length; i += chunkRows) {
      const chunk = wanted.slice(i, i + chunkRows);
      const read = await db
        .selectFrom(table.name)
        .selectAll()
        .where((eb) => eb.or(chunk.map((row) => eb.and(key.map((column) => eb(column, row[column] === null ? 'is' : '=', row[column] as never))))))
        .execute();
      for (const row of read) found.set(keyOf(row), row);
    }
    for (const row of wanted) {
      checked++;
      const copy = found.get(keyOf(row));
      const where = describeRow(table, row, 0);
      if (!copy) {
        problems.push(`${table.name} ${where}: not found in PostgreSQL`);
        continue;
      }
      for (const column of table.columns) {
        const kind = columnKinds.get(column);
        if (normalise(row[column], kind) !== normalise(copy[column], kind)) {
          problems.push(`${table.name} ${where}: column ${column} is ${short(row[column])} in SQLite, ${short(copy[column])} in PostgreSQL`);
        }
      }
    }
  }
  return { problems, counts, checked };
}

/**
 * Copies the SQLite database at `sourceFile` into the PostgreSQL database at `targetUrl`: guards
 * first (nothing written when one refuses), then the target migrated, then every table in one
 * transaction, checked before the commit (a mismatch rolls it back) and read back after it.
 */
export async function copySqliteToPostgres(sourceFile: string, targetUrl: string, options: CopyOptions = {}): Promise<CopyOutcome> {
  const log = options.log ?? (() => undefined);
  const started = performance.now();
  if (!fs.existsSync(sourceFile) || !fs.statSync(sourceFile).isFile()) return { kind: 'no_source', file: sourceFile };
  const source = new SQLite(sourceFile, { readonly: true, fileMustExist: true });
  try {
    // One read transaction from the first read to the last: every table comes from one snapshot,
    // even while the app still commits (WAL), so no answer is copied without its response.
    source.exec('begin');
    const known = Object.keys(migrations).sort();
    const applied = appliedMigrations(source);
    const unknown = applied.filter((name) => !known.includes(name));
    if (unknown.length > 0) return { kind: 'source_newer', unknown };
    const missing = known.filter((name) => !applied.includes(name));
    if (missing.length > 0) return { kind: 'source_not_migrated', missing };
    const letterIds = lettersWithoutContent(source);
    if (letterIds.length > 0) return { kind: 'letters_not_imported', letterIds };
    const byName = new Map(sourceTables(source).map((table) => [table.name, table]));
    const tables = foreignKeyOrder([...byName.keys()], (table) => sourceParents(source, table)).map((name) => byName.get(name)!);
    await options.afterSnapshot?.();

    const { db } = openDatabase(targetUrl);
    const target = db as unknown as Kysely<any>;
    try {
      // Guards on the target before anything is written to it, migrations included.
      const filled = await tablesWithRows(target);
      if (filled.length > 0) return { kind: 'target_not_empty', tables: filled };
      const newer = (await targetMigrations(target)).filter((name) => !known.includes(name));
      if (newer.length > 0) return { kind: 'target_newer', unknown: newer };
      await migrateToLatest(target);
      const targetApplied = await targetMigrations(target);
      if (targetApplied.join('\n') !== known.join('\n')) return { kind: 'schema_differs', problems: ['the migrations applied to PostgreSQL are not the ones this version has'] };
      const columns = await targetColumns(target);
      const problems = schemaProblems(tables, columns);
      if (problems.length > 0) return { kind: 'schema_differs', problems };
      const kinds = new Map<string, Map<string, ColumnKind>>();
      for (const column of columns) {
        const table = kinds.get(column.table_name) ?? new Map<string, ColumnKind>();
        table.set(column.column_name, kindOf(column.data_type));
        kinds.set(column.table_name, table);
      }
      const identities = new Set(columns.filter((column) => column.column_name === 'id' && column.is_identity === 'YES').map((column) => column.table_name));

      const total = tables.reduce((sum, table) => sum + table.count, 0);
      log(`Copying ${tables.length} tables (${total} rows) from ${sourceFile} to ${redactPostgresUrl(targetUrl)} in one transaction:`);
      const samples: Samples = new Map();
      const times = new Map<string, number>();
      let checked = 0;
      try {
        await target.transaction().execute(async (trx) => {
          // Checked again under the write lock the transaction holds: another copy may have begun meanwhile.
          const filledNow = await tablesWithRows(trx);
          if (filledNow.length > 0) throw new CopyStopped({ kind: 'target_not_empty', tables: filledNow });
          for (const table of tables) {
            const tableStarted = performance.now();
            samples.set(table.name, await copyTable(source, trx, table, kinds.get(table.name) ?? new Map(), options));
            if (identities.has(table.name)) await advanceIdSequence(trx, table.name);
            times.set(table.name, performance.now() - tableStarted);
            log(`  ${table.name.padEnd(36)} ${String(table.count).padStart(9)} rows  ${duration(times.get(table.name)!)}`);
          }
          const before = await verify(trx, tables, samples, kinds);
          if (before.problems.length > 0) throw new CopyStopped({ kind: 'mismatch', problems: before.problems, committed: false });
          log(`Checked before the commit: row counts and ${before.checked} sample rows match; committing.`);
        });
      } catch (error) {
        if (error instanceof CopyStopped) return error.outcome;
        throw error;
      }
      // Read back through the pool after the commit, as the app will see it.
      let after: Awaited<ReturnType<typeof verify>>;
      try {
        after = await verify(target, tables, samples, kinds);
      } catch (error) {
        return { kind: 'mismatch', problems: [`could not read the copy back: ${(error as Error).message}`], committed: true };
      }
      if (after.problems.length > 0) return { kind: 'mismatch', problems: after.problems, committed: true };
      checked = after.checked;
      return {
        kind: 'copied',
        tables: tables.map((table) => ({ table: table.name, source: table.count, target: after.counts.get(table.name) ?? 0, milliseconds: times.get(table.name) ?? 0 })),
        sampleRows: checked,
        milliseconds: performance.now() - started,
      };
    } finally {
      await db.destroy();
    }
  } finally {
    if (source.inTransaction) source.exec('rollback');
    source.close();
  }
}

export function duration(milliseconds: number): string {
  return milliseconds < 1000 ? `${Math.round(milliseconds)} ms` : `${(milliseconds / 1000).toFixed(1)} s`;
}
