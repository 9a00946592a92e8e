import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // Paper forms typed in through the entry grid: the number written in the form's box, the batch
  // (a box or a bundle) it came in, and which pass of the double entry typed it. The first pass is
  // the counted response; a second pass only checks it and is never a response of its own.
  await db.schema
    .createTable('paper_forms')
    .addColumn('id', 'integer', (col) => col.primaryKey().autoIncrement())
    .addColumn('survey_slug', 'text', (col) => col.notNull())
    .addColumn('batch', 'text', (col) => col.notNull().defaultTo(''))
    .addColumn('form_number', 'text', (col) => col.notNull())
    .addColumn('pass', 'integer', (col) => col.notNull())
    .addColumn('channel', 'text', (col) => col.notNull())
    .addColumn('cells', 'text', (col) => col.notNull())
    .addColumn('response_id', 'integer', (col) => col.references('responses.id'))
    .addColumn('entered_by', 'integer', (col) => col.references('users.id'))
    .addColumn('entered_at', 'text', (col) => col.notNull())
    .addColumn('settled_by', 'integer', (col) => col.references('users.id'))
    .addColumn('settled_at', 'text')
    .addUniqueConstraint('paper_forms_number_unique', ['survey_slug', 'batch', 'form_number', 'pass'])
    .execute();
  await db.schema.createIndex('paper_forms_response').on('paper_forms').column('response_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('paper_forms').execute();
}
