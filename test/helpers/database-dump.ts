// Every row of every table, for tests that must show a request changed nothing, or that a value
// was stored nowhere.
import { sql } from 'kysely';
import { engineOf, type Db } from '../../server/platform/db/connection';

export type Dump = Record<string, Record<string, unknown>[]>;

export async function tableNames(db: Db): Promise<string[]> {
  const { rows } =
    engineOf(db) === 'postgres'
      ? await sql<{ name: string }>`select table_name as name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE' order by table_name`.execute(db)
      : await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name`.execute(db);
  return rows.map((row) => row.name).sort();
}

export async function dumpDatabase(db: Db): Promise<Dump> {
  const dump: Dump = {};
  for (const table of await tableNames(db)) {
    const { rows } = await sql<Record<string, unknown>>`select * from ${sql.table(table)}`.execute(db);
    // In a fixed order: PostgreSQL returns rows in no particular order (an update moves a row).
    dump[table] = rows.map((row) => [JSON.stringify(row), row] as const).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, row]) => row);
  }
  return dump;
}

/** Tables whose rows differ between two dumps, with their row counts before and after. */
export function changedTables(before: Dump, after: Dump): Record<string, [number, number]> {
  const changed: Record<string, [number, number]> = {};
  for (const table of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const a = before[table] ?? [];
    const b = after[table] ?? [];
    if (JSON.stringify(a) !== JSON.stringify(b)) changed[table] = [a.length, b.length];
  }
  return changed;
}
