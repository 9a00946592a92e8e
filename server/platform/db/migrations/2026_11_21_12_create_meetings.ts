import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // A neighbourhood meeting (mahalle buluşması). Times are UTC ISO; texts Turkish with optional English.
  await db.schema
    .createTable('meetings')
    .addColumn('id', 'integer', (col) => col.primaryKey().autoIncrement())
    .addColumn('title_tr', 'text', (col) => col.notNull())
    .addColumn('title_en', 'text')
    .addColumn('venue', 'text', (col) => col.notNull())
    .addColumn('address', 'text', (col) => col.notNull())
    .addColumn('starts_at', 'text', (col) => col.notNull())
    .addColumn('ends_at', 'text', (col) => col.notNull())
    // null: no limit on seats.
    .addColumn('capacity', 'integer')
    .addColumn('signup_deadline_at', 'text', (col) => col.notNull())
    .addColumn('accessibility_tr', 'text')
    .addColumn('accessibility_en', 'text')
    .addColumn('description_tr', 'text')
    .addColumn('description_en', 'text')
    .addColumn('cancelled_at', 'text')
    .addColumn('cancel_reason', 'text')
    // Raised at every change residents are told about; the calendar file's SEQUENCE.
    .addColumn('version', 'integer', (col) => col.notNull().defaultTo(1))
    // Bumped by every sign-up and cancellation before seats are counted: on PostgreSQL the row
    // lock this takes serialises them per meeting, as SQLite's single writer does here.
    .addColumn('seat_changes', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('notes', 'text')
    // Counted at the door by the planner; null means "as many as were checked in".
    .addColumn('attendance_count', 'integer')
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('created_by', 'integer', (col) => col.references('users.id'))
    .addColumn('updated_at', 'text', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('meetings_starts_at').on('meetings').column('starts_at').execute();

  await db.schema
    .createTable('meeting_mahalles')
    .addColumn('meeting_id', 'integer', (col) => col.notNull().references('meetings.id').onDelete('cascade'))
    .addColumn('mahalle_id', 'text', (col) => col.notNull())
    .addPrimaryKeyConstraint('meeting_mahalles_pk', ['meeting_id', 'mahalle_id'])
    .execute();
  await db.schema.createIndex('meeting_mahalles_mahalle').on('meeting_mahalles').column('mahalle_id').execute();

  // One resident's seat (or place on the waitlist). The waitlist's order is the id's.
  await db.schema
    .createTable('meeting_registrations')
    .addColumn('id', 'integer', (col) => col.primaryKey().autoIncrement())
    .addColumn('meeting_id', 'integer', (col) => col.notNull().references('meetings.id'))
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('phone', 'text')
    .addColumn('email', 'text')
    .addColumn('mahalle_id', 'text', (col) => col.notNull())
    // KVKK: an accessibility need may reveal health data; kept in its own column, never exported with the list.
    .addColumn('accessibility_need', 'text')
    .addColumn('future_meetings_consent_at', 'text')
    .addColumn('language', 'text', (col) => col.notNull())
    .addColumn('status', 'text', (col) => col.notNull().check(sql`status in ('confirmed', 'waitlisted', 'cancelled')`))
    .addColumn('source', 'text', (col) => col.notNull().check(sql`source in ('online', 'walk_in')`))
    // The sign-up form's one-time key: a repeated post finds its registration instead of a duplicate.
    .addColumn('request_key', 'text', (col) => col.unique())
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('confirmed_at', 'text')
    .addColumn('promoted_at', 'text')
    .addColumn('cancelled_at', 'text')
    .addColumn('cancelled_by', 'text')
    .addColumn('attended_at', 'text')
    .execute();
  await db.schema.createIndex('meeting_registrations_meeting').on('meeting_registrations').columns(['meeting_id', 'status']).execute();
  // One live registration per phone and per e-mail address and meeting; a cancelled one may sign up again.
  await db.schema
    .createIndex('meeting_registrations_phone')
    .on('meeting_registrations')
    .columns(['meeting_id', 'phone'])
    .unique()
    .where(sql.ref('status'), '<>', 'cancelled')
    .execute();
  await db.schema
    .createIndex('meeting_registrations_email')
    .on('meeting_registrations')
    .columns(['meeting_id', 'email'])
    .unique()
    .where(sql.ref('status'), '<>', 'cancelled')
    .execute();

  // What a resident was told, or must be told by phone (no e-mail address; SMS may come later).
  await db.schema
    .createTable('meeting_notices')
    .addColumn('id', 'integer', (col) => col.primaryKey().autoIncrement())
    .addColumn('registration_id', 'integer', (col) => col.notNull().references('meeting_registrations.id'))
    .addColumn('kind', 'text', (col) => col.notNull())
    .addColumn('channel', 'text', (col) => col.notNull().check(sql`channel in ('email', 'phone')`))
    .addColumn('outbox_message_id', 'integer', (col) => col.references('outbox_messages.id'))
    .addColumn('created_at', 'text', (col) => col.notNull())
    // A phone notice: when a planner marked it as called.
    .addColumn('handled_at', 'text')
    .addColumn('handled_by', 'integer', (col) => col.references('users.id'))
    .execute();
  await db.schema.createIndex('meeting_notices_registration').on('meeting_notices').column('registration_id').execute();

  // Requests and opinions residents raised at a meeting (T15, T15b, and T16 when given a GZFT kind).
  await db.schema
    .createTable('meeting_requests')
    .addColumn('id', 'integer', (col) => col.primaryKey().autoIncrement())
    .addColumn('meeting_id', 'integer', (col) => col.notNull().references('meetings.id'))
    .addColumn('text', 'text', (col) => col.notNull())
    .addColumn('activity_area_id', 'text', (col) => col.notNull())
    .addColumn('mahalle_id', 'text')
    .addColumn('supporters', 'integer', (col) => col.notNull().defaultTo(1))
    .addColumn('gzft_kind', 'text', (col) => col.check(sql`gzft_kind in ('strength', 'weakness', 'opportunity', 'threat')`))
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('created_by', 'integer', (col) => col.references('users.id'))
    .addColumn('updated_at', 'text', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('meeting_requests_meeting').on('meeting_requests').column('meeting_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('meeting_requests').execute();
  await db.schema.dropTable('meeting_notices').execute();
  await db.schema.dropTable('meeting_registrations').execute();
  await db.schema.dropTable('meeting_mahalles').execute();
  await db.schema.dropTable('meetings').execute();
}
