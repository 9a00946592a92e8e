import type { Kysely } from 'kysely';

// Several processes (or machines) may send the outbox and run the scheduled jobs on one database:
// each takes what it works on with a lease, a claim column and its expiry set in one statement,
// so no two take the same row, and a crashed process's claims are taken over once they expire.
export async function up(db: Kysely<any>): Promise<void> {
  for (const table of ['outbox_messages', 'scheduled_jobs']) {
    await db.schema.alterTable(table).addColumn('claimed_by', 'text').execute();
    await db.schema.alterTable(table).addColumn('claimed_until', 'text').execute();
    await db.schema.createIndex(`${table}_claimed_by`).on(table).column('claimed_by').execute();
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['outbox_messages', 'scheduled_jobs']) {
    await db.schema.dropIndex(`${table}_claimed_by`).execute();
    await db.schema.alterTable(table).dropColumn('claimed_until').execute();
    await db.schema.alterTable(table).dropColumn('claimed_by').execute();
  }
}
