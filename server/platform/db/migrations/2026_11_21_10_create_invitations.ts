import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // One institution asked for its opinion on one form; timestamps record how far it got.
  await db.schema
    .createTable('invitations')
    .addColumn('id', 'integer', (col) => col.primaryKey().autoIncrement())
    .addColumn('stakeholder_id', 'integer', (col) => col.notNull().references('stakeholders.id'))
    .addColumn('survey_slug', 'text', (col) => col.notNull())
    .addColumn('email', 'text', (col) => col.notNull())
    .addColumn('language', 'text', (col) => col.notNull())
    .addColumn('deadline_at', 'text', (col) => col.notNull())
    .addColumn('reminder_days', 'integer')
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('created_by', 'integer', (col) => col.references('users.id'))
    .addColumn('opened_at', 'text')
    .addColumn('draft_saved_at', 'text')
    .addColumn('submitted_at', 'text')
    .addColumn('reminded_at', 'text')
    .addColumn('reminder_count', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('auto_reminded_at', 'text')
    .addColumn('revoked_at', 'text')
    // The latest submitted version; each edit after submitting starts the next one.
    .addColumn('version', 'integer', (col) => col.notNull().defaultTo(1))
    .addColumn('response_id', 'integer', (col) => col.references('responses.id'))
    .addColumn('self_registered', 'integer', (col) => col.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex('invitations_stakeholder').on('invitations').column('stakeholder_id').execute();
  await db.schema.createIndex('invitations_survey').on('invitations').column('survey_slug').execute();

  // The links' tokens, hashed: every e-mail (invitation, reminder, resend) carries a token of its
  // own, and all of them open the same invitation until it is revoked.
  await db.schema
    .createTable('invitation_tokens')
    .addColumn('id', 'integer', (col) => col.primaryKey().autoIncrement())
    .addColumn('invitation_id', 'integer', (col) => col.notNull().references('invitations.id').onDelete('cascade'))
    .addColumn('token_hash', 'text', (col) => col.notNull().unique())
    .addColumn('created_at', 'text', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('invitation_tokens_invitation').on('invitation_tokens').column('invitation_id').execute();

  // The official letter an institution may attach (PDF), kept outside public/.
  await db.schema
    .createTable('opinion_letters')
    .addColumn('id', 'integer', (col) => col.primaryKey().autoIncrement())
    .addColumn('invitation_id', 'integer', (col) => col.notNull().references('invitations.id'))
    .addColumn('file_name', 'text', (col) => col.notNull())
    .addColumn('stored_name', 'text', (col) => col.notNull().unique())
    .addColumn('size', 'integer', (col) => col.notNull())
    .addColumn('sha256', 'text', (col) => col.notNull())
    .addColumn('uploaded_at', 'text', (col) => col.notNull())
    .execute();

  // An institution that was not invited asks to give its opinion; it confirms its e-mail first.
  await db.schema
    .createTable('self_registrations')
    .addColumn('id', 'integer', (col) => col.primaryKey().autoIncrement())
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('group_id', 'text', (col) => col.notNull())
    .addColumn('email', 'text', (col) => col.notNull())
    .addColumn('contact_person', 'text')
    .addColumn('language', 'text', (col) => col.notNull())
    .addColumn('survey_slug', 'text', (col) => col.notNull())
    .addColumn('token_hash', 'text', (col) => col.notNull().unique())
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('expires_at', 'text', (col) => col.notNull())
    .addColumn('confirmed_at', 'text')
    .addColumn('invitation_id', 'integer', (col) => col.references('invitations.id'))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('self_registrations').execute();
  await db.schema.dropTable('opinion_letters').execute();
  await db.schema.dropTable('invitation_tokens').execute();
  await db.schema.dropTable('invitations').execute();
}
