// The few SQL functions the two engines spell differently, each written once here.
import { sql, type RawBuilder } from 'kysely';
import { engineOf, type Executor } from './connection';

/**
 * One JSON text holding an array of rows, each row an array of the given columns, in `orderBy`
 * order: SQLite's json_group_array(json_array(…)), PostgreSQL's json_agg(json_build_array(…)).
 * Text on both (PostgreSQL's json would be parsed by the driver); null on PostgreSQL when there
 * are no rows, '[]' on SQLite.
 */
export function jsonRowsAgg(db: Executor, columns: string[], orderBy: string): RawBuilder<string | null> {
  const values = sql.join(columns.map((column) => sql.ref(column)));
  const order = sql.ref(orderBy);
  return engineOf(db) === 'postgres'
    ? sql<string | null>`json_agg(json_build_array(${values}) order by ${order})::text`
    : sql<string | null>`json_group_array(json_array(${values}) order by ${order})`;
}

/**
 * After rows were inserted with ids given by the code (bulk loads, the copy to PostgreSQL): moves
 * the table's id sequence past them. SQLite's AUTOINCREMENT follows explicit ids by itself;
 * PostgreSQL's identity columns do not, and the next ordinary insert would reuse an id.
 */
export async function advanceIdSequence(db: Executor, table: string): Promise<void> {
  if (engineOf(db) !== 'postgres') return;
  await sql`select setval(pg_get_serial_sequence(${table}, 'id'), coalesce((select max(id) from ${sql.table(table)}), 0) + 1, false)`.execute(db);
}
