import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // Work due at a time (a meeting's reminder): stored, so a restart between scheduling and the
  // due time loses nothing; done_at is set in the transaction that does the work, so it runs once.
  await db.schema
    .createTable('scheduled_jobs')
    .addColumn('id', 'integer', (col) => col.primaryKey().autoIncrement())
    .addColumn('kind', 'text', (col) => col.notNull())
    .addColumn('ref', 'text', (col) => col.notNull())
    .addColumn('due_at', 'text', (col) => col.notNull())
    .addColumn('done_at', 'text')
    .addColumn('attempts', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addUniqueConstraint('scheduled_jobs_kind_ref', ['kind', 'ref'])
    .execute();
  await db.schema.createIndex('scheduled_jobs_due').on('scheduled_jobs').columns(['done_at', 'due_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('scheduled_jobs').execute();
}
