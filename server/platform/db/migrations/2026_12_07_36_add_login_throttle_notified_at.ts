import { sql, type Kysely } from 'kysely';

// Failed logins are now refused per address (and per account and address), never for the account
// as a whole; an account's counter only slows and tells its owner, once a window, when that was.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('login_throttles').addColumn('notified_at', 'text').execute();
  // Account-wide locks taken before the change would otherwise keep their owners out until they end.
  await sql`UPDATE login_throttles SET locked_until = NULL WHERE key LIKE 'account:%'`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('login_throttles').dropColumn('notified_at').execute();
}
