import { sql, type Kysely } from 'kysely';

// What planners decided about the findings Paydaş drafts from the report (T17): accepted (and the
// finding it became) or dismissed. A draft's key names its subject, not its figures, so a decision
// holds while the numbers move. A finding made from a draft keeps the draft's key; the unique index
// is the backstop against one draft becoming two findings.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('finding_draft_decisions')
    .addColumn('draft_key', 'text', (col) => col.primaryKey())
    .addColumn('decision', 'text', (col) => col.notNull().check(sql`decision in ('accepted', 'dismissed')`))
    .addColumn('finding_id', 'integer', (col) => col.references('findings.id').onDelete('set null'))
    .addColumn('decided_at', 'text', (col) => col.notNull())
    .execute();
  await db.schema.alterTable('findings').addColumn('draft_key', 'text').execute();
  await db.schema.createIndex('findings_draft_key').on('findings').column('draft_key').unique().execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('findings_draft_key').execute();
  await db.schema.alterTable('findings').dropColumn('draft_key').execute();
  await db.schema.dropTable('finding_draft_decisions').execute();
}
