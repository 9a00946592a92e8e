import { sql, type Kysely } from 'kysely';

// Optional access codes per survey: the planner's choice of mode, batches of single-use codes for
// printed cards, and on each response the code it completed with.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('survey_access_modes')
    .addColumn('slug', 'text', (col) => col.primaryKey())
    .addColumn('mode', 'text', (col) => col.notNull().check(sql`mode in ('none', 'optional', 'required')`))
    .addColumn('updated_at', 'text', (col) => col.notNull())
    .addColumn('updated_by', 'integer', (col) => col.references('users.id'))
    .execute();
  await db.schema
    .createTable('access_code_batches')
    .addColumn('id', 'integer', (col) => col.primaryKey().autoIncrement())
    .addColumn('survey_slug', 'text', (col) => col.notNull())
    .addColumn('label', 'text', (col) => col.notNull())
    .addColumn('size', 'integer', (col) => col.notNull())
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('created_by', 'integer', (col) => col.references('users.id'))
    .execute();
  await db.schema.createIndex('access_code_batches_survey').on('access_code_batches').column('survey_slug').execute();
  await db.schema
    .createTable('access_codes')
    .addColumn('id', 'integer', (col) => col.primaryKey().autoIncrement())
    .addColumn('batch_id', 'integer', (col) => col.notNull().references('access_code_batches.id'))
    .addColumn('survey_slug', 'text', (col) => col.notNull())
    // Normalised: the alphabet's characters only, without the dash shown on the cards.
    .addColumn('code', 'text', (col) => col.notNull().unique())
    .addColumn('used_at', 'text')
    .execute();
  await db.schema.createIndex('access_codes_batch').on('access_codes').columns(['batch_id', 'used_at']).execute();
  await db.schema.alterTable('responses').addColumn('access_code_id', 'integer', (col) => col.references('access_codes.id')).execute();
  // The backstop of "one completion per code": whatever the code path, a second response cannot take it.
  await sql`create unique index responses_access_code on responses (access_code_id) where access_code_id is not null`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('responses_access_code').execute();
  await db.schema.alterTable('responses').dropColumn('access_code_id').execute();
  await db.schema.dropTable('access_codes').execute();
  await db.schema.dropTable('access_code_batches').execute();
  await db.schema.dropTable('survey_access_modes').execute();
}
