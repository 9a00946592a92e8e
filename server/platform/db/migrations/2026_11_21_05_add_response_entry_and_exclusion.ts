import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // The planner who typed in a paper or face-to-face questionnaire.
  await db.schema.alterTable('responses').addColumn('entered_by', 'integer', (col) => col.references('users.id')).execute();
  // Excluded responses (test, spam, duplicate) stay stored but drop out of results and exports.
  await db.schema.alterTable('responses').addColumn('excluded_at', 'text').execute();
  await db.schema.alterTable('responses').addColumn('excluded_by', 'integer', (col) => col.references('users.id')).execute();
  await db.schema.alterTable('responses').addColumn('exclusion_reason', 'text').execute();
  await db.schema.alterTable('responses').addColumn('exclusion_note', 'text').execute();
  await db.schema
    .createIndex('responses_survey_channel')
    .on('responses')
    .columns(['survey_slug', 'channel'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('responses_survey_channel').execute();
  for (const column of ['exclusion_note', 'exclusion_reason', 'excluded_by', 'excluded_at', 'entered_by']) {
    await db.schema.alterTable('responses').dropColumn(column).execute();
  }
}
