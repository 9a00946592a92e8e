import { type Kysely } from 'kysely';

// Planners sign up residents who call the municipality. The sign-up keeps who entered it; each
// consent keeps how it was given ('online' on the form, 'phone' read out by a planner) and, for
// the phone, which planner recorded it, so a consent given by phone can be shown for what it is.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('meeting_registrations').addColumn('registered_by', 'integer', (col) => col.references('users.id')).execute();
  await db.schema.alterTable('consents').addColumn('channel', 'text', (col) => col.notNull().defaultTo('online')).execute();
  await db.schema.alterTable('consents').addColumn('recorded_by', 'integer', (col) => col.references('users.id')).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('consents').dropColumn('recorded_by').execute();
  await db.schema.alterTable('consents').dropColumn('channel').execute();
  await db.schema.alterTable('meeting_registrations').dropColumn('registered_by').execute();
}
