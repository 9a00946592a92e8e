import type { Kysely } from 'kysely';

// Quality flags of survey responses (speeders, straight-lining, duplicate answers, bursts from one
// network) and the planner's review of them. Flags never exclude anything by themselves.
export async function up(db: Kysely<any>): Promise<void> {
  // One row per completed response that was assessed; its hashes find duplicates and bursts.
  await db.schema
    .createTable('response_quality')
    .addColumn('response_id', 'integer', (col) => col.primaryKey().references('responses.id'))
    .addColumn('survey_slug', 'text', (col) => col.notNull())
    .addColumn('submitted_at', 'text', (col) => col.notNull())
    .addColumn('duration_seconds', 'real')
    .addColumn('expected_seconds', 'real')
    .addColumn('answers_hash', 'text')
    // Keyed hash of the network prefix (never the address, KVKK); cleared with its day's key.
    .addColumn('network_hash', 'text')
    .addColumn('network_day', 'text')
    .addColumn('reviewed_at', 'text')
    .addColumn('reviewed_by', 'integer', (col) => col.references('users.id'))
    .addColumn('review_decision', 'text')
    .execute();
  await db.schema.createIndex('response_quality_answers').on('response_quality').columns(['survey_slug', 'answers_hash', 'submitted_at']).execute();
  await db.schema.createIndex('response_quality_network').on('response_quality').columns(['survey_slug', 'network_hash', 'submitted_at']).execute();
  await db.schema.createIndex('response_quality_network_day').on('response_quality').column('network_day').execute();

  await db.schema
    .createTable('response_flags')
    .addColumn('response_id', 'integer', (col) => col.notNull().references('responses.id'))
    .addColumn('reason', 'text', (col) => col.notNull())
    .addColumn('detail', 'text')
    .addColumn('flagged_at', 'text', (col) => col.notNull())
    .addPrimaryKeyConstraint('response_flags_pk', ['response_id', 'reason'])
    .execute();
  await db.schema.createIndex('response_flags_reason').on('response_flags').columns(['reason', 'response_id']).execute();

  // The daily keys of the network hashes: a key older than the burst window needs is dropped, and
  // the hashes made with it are cleared, so no network can be recognised across days.
  await db.schema
    .createTable('quality_network_keys')
    .addColumn('day', 'text', (col) => col.primaryKey())
    .addColumn('key', 'text', (col) => col.notNull())
    .addColumn('created_at', 'text', (col) => col.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('quality_network_keys').execute();
  await db.schema.dropTable('response_flags').execute();
  await db.schema.dropTable('response_quality').execute();
}
