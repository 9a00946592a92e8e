import { type Kysely } from 'kysely';

// Parts of an open answer coded one by one (an answer listing several points). An answer without
// segments is coded as a whole, as before. A split answer's themes per part live in segment_codes;
// coded_answers/answer_codes keep holding the answer's themes as a whole (the union of its parts,
// written once every part is reviewed), so a person is counted once per theme however many of
// their parts carry it. The part's text is stored: it is what the planner confirmed.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('answer_segments')
    .addColumn('id', 'integer', (col) => col.primaryKey().autoIncrement())
    .addColumn('answer_id', 'integer', (col) => col.notNull().references('answers.id').onDelete('cascade'))
    .addColumn('position', 'integer', (col) => col.notNull())
    .addColumn('text', 'text', (col) => col.notNull())
    // Null until a planner has coded the part (with or without a theme).
    .addColumn('reviewed_at', 'text')
    .addColumn('reviewed_by', 'integer', (col) => col.references('users.id'))
    .addUniqueConstraint('answer_segments_answer_position', ['answer_id', 'position'])
    .execute();
  await db.schema
    .createTable('segment_codes')
    .addColumn('segment_id', 'integer', (col) => col.notNull().references('answer_segments.id').onDelete('cascade'))
    .addColumn('theme_id', 'integer', (col) => col.notNull().references('codebook_themes.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('segment_codes_pk', ['segment_id', 'theme_id'])
    .execute();
  await db.schema.createIndex('segment_codes_theme').on('segment_codes').column('theme_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('segment_codes').execute();
  await db.schema.dropTable('answer_segments').execute();
}
