import { sql, type Kysely } from 'kysely';

// A second planner's blind coding of a sample of the coded answers, to measure agreement (Cohen's
// kappa). Coder 1's codes are kept as they were when the second coding was made, so settling a
// disagreement (which rewrites the answer's final codes) does not change the agreement measured.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('second_codings')
    .addColumn('answer_id', 'integer', (col) => col.primaryKey().references('answers.id').onDelete('cascade'))
    .addColumn('first_coded_by', 'integer', (col) => col.references('users.id'))
    .addColumn('coded_by', 'integer', (col) => col.references('users.id'))
    .addColumn('coded_at', 'text', (col) => col.notNull())
    .addColumn('settled_by', 'integer', (col) => col.references('users.id'))
    .addColumn('settled_at', 'text')
    .execute();
  await db.schema
    .createTable('second_coding_codes')
    .addColumn('answer_id', 'integer', (col) => col.notNull().references('second_codings.answer_id').onDelete('cascade'))
    .addColumn('coder', 'integer', (col) => col.notNull().check(sql`coder in (1, 2)`))
    .addColumn('theme_id', 'integer', (col) => col.notNull().references('codebook_themes.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('second_coding_codes_pk', ['answer_id', 'coder', 'theme_id'])
    .execute();
  await db.schema.createIndex('second_coding_codes_theme').on('second_coding_codes').column('theme_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('second_coding_codes').execute();
  await db.schema.dropTable('second_codings').execute();
}
