import type { Kysely } from 'kysely';

// A survey being built or changed in the back-office editor: one draft definition per slug, kept
// apart from the published definitions so respondents never see it until it is published.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('survey_drafts')
    .addColumn('slug', 'text', (col) => col.primaryKey())
    .addColumn('definition', 'text', (col) => col.notNull())
    .addColumn('updated_at', 'text', (col) => col.notNull())
    .addColumn('updated_by', 'integer', (col) => col.references('users.id'))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('survey_drafts').execute();
}
