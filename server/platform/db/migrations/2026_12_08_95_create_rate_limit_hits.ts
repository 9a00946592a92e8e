import type { Kysely } from 'kysely';

// Request limits counted in the database, so that several processes (or machines) count one
// visitor's posts together. One row per limit and client: its hits in the current window and when
// that window ends (ms since the epoch), rewritten in one upsert per counted request.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('rate_limit_hits')
    .addColumn('bucket', 'text', (col) => col.primaryKey())
    .addColumn('hits', 'integer', (col) => col.notNull())
    .addColumn('window_ends_at', 'bigint', (col) => col.notNull())
    .execute();
  // Housekeeping deletes ended windows; a new window rewrites this, a further hit does not.
  await db.schema.createIndex('rate_limit_hits_window_ends_at').on('rate_limit_hits').column('window_ends_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('rate_limit_hits').execute();
}
