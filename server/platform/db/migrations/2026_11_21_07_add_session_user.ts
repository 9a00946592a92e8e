import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // Whose session it is, so a password reset or a disabled account can end that user's sessions.
  await db.schema.alterTable('sessions').addColumn('user_id', 'integer').execute();
  await db.schema.createIndex('sessions_user_id').on('sessions').column('user_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('sessions_user_id').execute();
  await db.schema.alterTable('sessions').dropColumn('user_id').execute();
}
