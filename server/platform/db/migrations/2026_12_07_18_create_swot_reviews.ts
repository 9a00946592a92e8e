import { sql, type Kysely } from 'kysely';

// The planner's review of the GZFT candidate statements (T16): the items they made (a statement
// as written or edited, several merged into one) and one decision per candidate, keyed by the
// candidate's stable key (source, line, hash of its text) so decisions survive rebuilding the report.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('swot_items')
    .addColumn('id', 'integer', (col) => col.primaryKey().autoIncrement())
    .addColumn('kind', 'text', (col) => col.notNull().check(sql`kind in ('strength', 'weakness', 'opportunity', 'threat')`))
    .addColumn('text', 'text', (col) => col.notNull())
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('updated_at', 'text', (col) => col.notNull())
    .execute();
  await db.schema
    .createTable('swot_reviews')
    .addColumn('candidate_key', 'text', (col) => col.primaryKey())
    .addColumn('decision', 'text', (col) => col.notNull().check(sql`decision in ('accepted', 'edited', 'merged', 'dropped')`))
    // Null exactly when dropped.
    .addColumn('item_id', 'integer', (col) => col.references('swot_items.id').onDelete('cascade'))
    .addColumn('reviewed_by', 'integer', (col) => col.references('users.id'))
    .addColumn('reviewed_at', 'text', (col) => col.notNull())
    .addCheckConstraint('swot_reviews_item', sql`(decision = 'dropped') = (item_id is null)`)
    .execute();
  await db.schema.createIndex('swot_reviews_item').on('swot_reviews').column('item_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('swot_reviews').execute();
  await db.schema.dropTable('swot_items').execute();
}
