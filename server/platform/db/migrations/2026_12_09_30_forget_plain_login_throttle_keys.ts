import type { Kysely } from 'kysely';

// Failed-login counters are now keyed by an HMAC under the site secret (admin/login-throttle.ts)
// instead of the e-mail and IP address in clear, so login_throttles holds no personal data. The
// old rows cannot be re-keyed here: the secret may live only in SESSION_SECRET, which a migration
// does not see. They are deleted instead, which costs little: a counter lives 15 minutes (its
// window and its lock), so at worst an address being refused at the moment of the upgrade gets a
// fresh count, behind the per-address sign-in rate limit that still holds.
export async function up(db: Kysely<any>): Promise<void> {
  await db.deleteFrom('login_throttles').execute();
}

// Nothing to give back: the deleted counters were transient, and hashed keys are counted afresh.
export async function down(): Promise<void> {}
