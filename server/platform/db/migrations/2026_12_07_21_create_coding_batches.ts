import type { Kysely } from 'kysely';

// Bulk coding from a search: each apply is a batch that keeps every answer's codes from before,
// so the whole batch can be undone exactly. A theme may keep a search as its rule (suggestions only).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('codebook_themes').addColumn('rule', 'text').execute();
  await db.schema
    .createTable('coding_batches')
    .addColumn('id', 'integer', (col) => col.primaryKey().autoIncrement())
    .addColumn('survey_slug', 'text', (col) => col.notNull())
    .addColumn('question_id', 'text', (col) => col.notNull())
    .addColumn('query', 'text', (col) => col.notNull())
    // Names as applied: the list stays readable after a theme is renamed or deleted.
    .addColumn('theme_names', 'text', (col) => col.notNull())
    .addColumn('answer_count', 'integer', (col) => col.notNull())
    .addColumn('applied_by', 'integer', (col) => col.references('users.id'))
    .addColumn('applied_at', 'text', (col) => col.notNull())
    .addColumn('undone_by', 'integer', (col) => col.references('users.id'))
    .addColumn('undone_at', 'text')
    .execute();
  await db.schema.createIndex('coding_batches_survey').on('coding_batches').columns(['survey_slug', 'applied_at']).execute();
  await db.schema
    .createTable('coding_batch_items')
    .addColumn('batch_id', 'integer', (col) => col.notNull().references('coding_batches.id').onDelete('cascade'))
    .addColumn('answer_id', 'integer', (col) => col.notNull().references('answers.id').onDelete('cascade'))
    // The state before: whether the answer was coded at all, by whom and when, and its themes (JSON list).
    .addColumn('was_coded', 'integer', (col) => col.notNull())
    .addColumn('before_coded_by', 'integer')
    .addColumn('before_coded_at', 'text')
    .addColumn('before_theme_ids', 'text', (col) => col.notNull())
    .addPrimaryKeyConstraint('coding_batch_items_pk', ['batch_id', 'answer_id'])
    .execute();
  await db.schema.createIndex('coding_batch_items_answer').on('coding_batch_items').column('answer_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('coding_batch_items').execute();
  await db.schema.dropTable('coding_batches').execute();
  await db.schema.alterTable('codebook_themes').dropColumn('rule').execute();
}
