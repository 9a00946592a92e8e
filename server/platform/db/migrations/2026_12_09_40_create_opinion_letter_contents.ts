import type { Kysely } from 'kysely';

// Institutions' letters are kept in the database rather than in a folder (UPLOADS_DIR), so every
// app instance on every machine serves them and a letter is written in the same transaction as
// its row. One row per letter, apart from opinion_letters so that listing letters never reads
// their bytes. Letters uploaded before this are imported from their files at start-up.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('opinion_letter_contents')
    .addColumn('letter_id', 'integer', (col) => col.primaryKey().references('opinion_letters.id').onDelete('cascade'))
    .addColumn('content', 'blob', (col) => col.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('opinion_letter_contents').execute();
}
