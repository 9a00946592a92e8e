import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // Survey definitions uploaded through the back office (the files in surveys/ are the others).
  await db.schema
    .createTable('uploaded_surveys')
    .addColumn('slug', 'text', (col) => col.primaryKey())
    .addColumn('definition', 'text', (col) => col.notNull())
    .addColumn('uploaded_at', 'text', (col) => col.notNull())
    .addColumn('uploaded_by', 'integer', (col) => col.references('users.id'))
    .execute();

  // Dates and publication set by planners; they override the dates in the definition.
  await db.schema
    .createTable('survey_schedules')
    .addColumn('slug', 'text', (col) => col.primaryKey())
    .addColumn('published', 'integer', (col) => col.notNull())
    .addColumn('opens_at', 'text', (col) => col.notNull())
    .addColumn('closes_at', 'text', (col) => col.notNull())
    .addColumn('updated_at', 'text', (col) => col.notNull())
    .addColumn('updated_by', 'integer', (col) => col.references('users.id'))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('survey_schedules').execute();
  await db.schema.dropTable('uploaded_surveys').execute();
}
