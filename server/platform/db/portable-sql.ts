// The few SQL functions the two engines spell differently, each written once here.
import { sql, type Expression, type ExpressionBuilder, type RawBuilder, type SelectQueryBuilder, type SqlBool } from 'kysely';
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

/**
 * `id in (picked)` for a claim's UPDATE, where `picked` is a SELECT … LIMIT n that locks what it
 * picks. On PostgreSQL an IN over such a subquery may be run again for each row the update
 * visits (a rescanned semi-join) and take more than n rows, or other rows than it locked;
 * `id = any(array(…))` runs it once, before the update, as its documented claim pattern does.
 */
export function idIn<DB, TB extends keyof DB & string>(
  db: Executor,
  eb: ExpressionBuilder<DB, TB>,
  picked: SelectQueryBuilder<any, any, { id: number }>,
): Expression<SqlBool> {
  return engineOf(db) === 'postgres' ? eb(sql.ref('id'), '=', sql<number>`any(array(${picked}))`) : eb(sql.ref('id'), 'in', picked);
}
