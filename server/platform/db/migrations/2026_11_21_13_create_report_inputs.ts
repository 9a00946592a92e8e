import { sql, type Kysely } from 'kysely';

// What planners add to the stakeholder analysis report by hand: consultation activities held
// outside Paydaş (T4), the codebook of open answers and the coding itself (T13, T16), an example
// quote per theme, and the findings with the table rows that support them (T17).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('consultation_activities')
    .addColumn('id', 'integer', (col) => col.primaryKey().autoIncrement())
    .addColumn('method', 'text', (col) => col.notNull().check(sql`method in ('focus_group', 'workshop', 'interview', 'face_to_face_survey', 'other')`))
    .addColumn('title', 'text', (col) => col.notNull())
    .addColumn('target_group', 'text', (col) => col.notNull())
    .addColumn('starts_on', 'text', (col) => col.notNull())
    .addColumn('ends_on', 'text')
    .addColumn('participants', 'integer', (col) => col.notNull())
    .addColumn('notes', 'text')
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('updated_at', 'text', (col) => col.notNull())
    .execute();
  await db.schema
    .createTable('consultation_activity_mahalles')
    .addColumn('activity_id', 'integer', (col) => col.notNull().references('consultation_activities.id').onDelete('cascade'))
    .addColumn('mahalle_id', 'text', (col) => col.notNull())
    .addPrimaryKeyConstraint('consultation_activity_mahalles_pk', ['activity_id', 'mahalle_id'])
    .execute();
  // Institutions that took part: T14 counts them as having attended a meeting.
  await db.schema
    .createTable('consultation_activity_stakeholders')
    .addColumn('activity_id', 'integer', (col) => col.notNull().references('consultation_activities.id').onDelete('cascade'))
    .addColumn('stakeholder_id', 'integer', (col) => col.notNull().references('stakeholders.id'))
    .addPrimaryKeyConstraint('consultation_activity_stakeholders_pk', ['activity_id', 'stakeholder_id'])
    .execute();

  await db.schema
    .createTable('codebook_themes')
    .addColumn('id', 'integer', (col) => col.primaryKey().autoIncrement())
    .addColumn('survey_slug', 'text', (col) => col.notNull())
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('area_id', 'text')
    .addColumn('swot_kind', 'text', (col) => col.check(sql`swot_kind in ('strength', 'weakness', 'opportunity', 'threat')`))
    // Words that suggest the theme for an uncoded answer, comma separated.
    .addColumn('keywords', 'text', (col) => col.notNull().defaultTo(''))
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('updated_at', 'text', (col) => col.notNull())
    .addUniqueConstraint('codebook_themes_survey_name', ['survey_slug', 'name'])
    .execute();
  // An answer is coded once a planner has looked at it, even when no theme fits.
  await db.schema
    .createTable('coded_answers')
    .addColumn('answer_id', 'integer', (col) => col.primaryKey().references('answers.id').onDelete('cascade'))
    .addColumn('coded_by', 'integer', (col) => col.references('users.id'))
    .addColumn('coded_at', 'text', (col) => col.notNull())
    .execute();
  await db.schema
    .createTable('answer_codes')
    .addColumn('answer_id', 'integer', (col) => col.notNull().references('coded_answers.answer_id').onDelete('cascade'))
    .addColumn('theme_id', 'integer', (col) => col.notNull().references('codebook_themes.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('answer_codes_pk', ['answer_id', 'theme_id'])
    .execute();
  await db.schema.createIndex('answer_codes_theme').on('answer_codes').column('theme_id').execute();
  // The quote printed for a theme: masked when chosen, then as the planner edited it.
  await db.schema
    .createTable('theme_quotes')
    .addColumn('theme_id', 'integer', (col) => col.primaryKey().references('codebook_themes.id').onDelete('cascade'))
    .addColumn('answer_id', 'integer', (col) => col.references('answers.id').onDelete('set null'))
    .addColumn('text', 'text', (col) => col.notNull())
    .addColumn('chosen_by', 'integer', (col) => col.references('users.id'))
    .addColumn('chosen_at', 'text', (col) => col.notNull())
    .execute();

  await db.schema
    .createTable('findings')
    .addColumn('id', 'integer', (col) => col.primaryKey().autoIncrement())
    .addColumn('finding', 'text', (col) => col.notNull())
    .addColumn('need', 'text', (col) => col.notNull())
    .addColumn('area_id', 'text')
    .addColumn('position', 'integer', (col) => col.notNull())
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('updated_at', 'text', (col) => col.notNull())
    .execute();
  // Evidence: a row of a report table, by the table's key (T10) and the row's stable key.
  await db.schema
    .createTable('finding_evidence')
    .addColumn('finding_id', 'integer', (col) => col.notNull().references('findings.id').onDelete('cascade'))
    .addColumn('table_key', 'text', (col) => col.notNull())
    .addColumn('row_key', 'text', (col) => col.notNull())
    .addPrimaryKeyConstraint('finding_evidence_pk', ['finding_id', 'table_key', 'row_key'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'finding_evidence',
    'findings',
    'theme_quotes',
    'answer_codes',
    'coded_answers',
    'codebook_themes',
    'consultation_activity_stakeholders',
    'consultation_activity_mahalles',
    'consultation_activities',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
