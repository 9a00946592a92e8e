import { sql, type Kysely } from 'kysely';

// KVKK records: each retention run (scheduled or by hand) with what it anonymised, the records
// anonymised (by a run or an erasure request) so nothing is done twice, and the requests people
// make about their own data (Law 6698 art. 11, answered within 30 days, art. 13).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('retention_runs')
    .addColumn('id', 'integer', (col) => col.primaryKey().autoIncrement())
    .addColumn('ran_at', 'text', (col) => col.notNull())
    .addColumn('trigger', 'text', (col) => col.notNull().check(sql`"trigger" in ('job', 'admin')`))
    .addColumn('user_id', 'integer', (col) => col.references('users.id'))
    // The plan's adoption date the run went by, and the instant before which records were anonymised.
    .addColumn('adopted_on', 'text', (col) => col.notNull())
    .addColumn('cutoff_at', 'text', (col) => col.notNull())
    .addColumn('registrations', 'integer', (col) => col.notNull())
    .addColumn('invitations', 'integer', (col) => col.notNull())
    .addColumn('invitation_tokens', 'integer', (col) => col.notNull())
    .addColumn('self_registrations', 'integer', (col) => col.notNull())
    .addColumn('outbox_messages', 'integer', (col) => col.notNull())
    .execute();

  await db.schema
    .createTable('data_subject_requests')
    .addColumn('id', 'integer', (col) => col.primaryKey().autoIncrement())
    .addColumn('kind', 'text', (col) => col.notNull().check(sql`kind in ('access', 'rectification', 'erasure', 'objection', 'other')`))
    // Normalised (lower-case e-mail, phone as +90…) so the lookup compares like with like.
    .addColumn('subject_email', 'text')
    .addColumn('subject_phone', 'text')
    .addColumn('requester_name', 'text', (col) => col.notNull())
    .addColumn('channel', 'text', (col) => col.notNull())
    .addColumn('received_on', 'text', (col) => col.notNull())
    .addColumn('due_on', 'text', (col) => col.notNull())
    .addColumn('notes', 'text')
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('created_by', 'integer', (col) => col.references('users.id'))
    .addColumn('answered_at', 'text')
    .addColumn('answered_by', 'integer', (col) => col.references('users.id'))
    .addColumn('answer_note', 'text')
    .addCheckConstraint('data_subject_requests_contact', sql`subject_email is not null or subject_phone is not null`)
    .execute();
  await db.schema.createIndex('data_subject_requests_open').on('data_subject_requests').columns(['answered_at', 'due_on']).execute();

  // One row per anonymised record; kind is registration, invitation, self_registration or outbox.
  await db.schema
    .createTable('anonymisations')
    .addColumn('kind', 'text', (col) => col.notNull())
    .addColumn('record_id', 'integer', (col) => col.notNull())
    .addColumn('anonymised_at', 'text', (col) => col.notNull())
    .addColumn('run_id', 'integer', (col) => col.references('retention_runs.id'))
    .addColumn('request_id', 'integer', (col) => col.references('data_subject_requests.id'))
    .addPrimaryKeyConstraint('anonymisations_pk', ['kind', 'record_id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('anonymisations').execute();
  await db.schema.dropTable('data_subject_requests').execute();
  await db.schema.dropTable('retention_runs').execute();
}
