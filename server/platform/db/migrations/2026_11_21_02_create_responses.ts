import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('survey_definitions')
    .addColumn('hash', 'text', (col) => col.primaryKey())
    .addColumn('slug', 'text', (col) => col.notNull())
    .addColumn('definition', 'text', (col) => col.notNull())
    .addColumn('first_loaded_at', 'text', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('survey_definitions_slug').on('survey_definitions').column('slug').execute();

  await db.schema
    .createTable('responses')
    .addColumn('id', 'integer', (col) => col.primaryKey().autoIncrement())
    .addColumn('survey_slug', 'text', (col) => col.notNull())
    .addColumn('definition_hash', 'text', (col) => col.notNull().references('survey_definitions.hash'))
    .addColumn('language', 'text', (col) => col.notNull())
    .addColumn('channel', 'text', (col) =>
      col.notNull().check(sql`channel in ('online', 'paper', 'face_to_face')`),
    )
    .addColumn('status', 'text', (col) => col.notNull().check(sql`status in ('draft', 'complete')`))
    .addColumn('draft_token_hash', 'text', (col) => col.unique())
    .addColumn('draft_fields', 'text')
    .addColumn('idempotency_key', 'text', (col) => col.unique())
    .addColumn('started_at', 'text', (col) => col.notNull())
    .addColumn('updated_at', 'text', (col) => col.notNull())
    .addColumn('submitted_at', 'text')
    .execute();
  await db.schema
    .createIndex('responses_survey_status_submitted')
    .on('responses')
    .columns(['survey_slug', 'status', 'submitted_at'])
    .execute();
  await db.schema.createIndex('responses_definition_hash').on('responses').column('definition_hash').execute();

  await db.schema
    .createTable('answers')
    .addColumn('id', 'integer', (col) => col.primaryKey().autoIncrement())
    .addColumn('response_id', 'integer', (col) => col.notNull().references('responses.id').onDelete('cascade'))
    .addColumn('question_id', 'text', (col) => col.notNull())
    .addColumn('option_id', 'text')
    .addColumn('value', 'real')
    .addColumn('text', 'text')
    .addColumn('rank', 'integer')
    .addColumn('not_applicable', 'integer', (col) => col.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex('answers_response').on('answers').column('response_id').execute();
  await db.schema.createIndex('answers_question_option').on('answers').columns(['question_id', 'option_id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('answers').execute();
  await db.schema.dropTable('responses').execute();
  await db.schema.dropTable('survey_definitions').execute();
}
