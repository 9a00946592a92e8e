import type { Kysely } from 'kysely';

// A letter now belongs to the answer it was sent with: until the institution submits, it may be
// replaced or removed (response_id null); submitting attaches it to that version for good. Its
// page count is read when it is checked, so planners see what they will download.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('opinion_letters').addColumn('response_id', 'integer', (col) => col.references('responses.id')).execute();
  await db.schema.alterTable('opinion_letters').addColumn('pages', 'integer').execute();
  // Letters uploaded before: part of the answer that counts now, if there is one (they were shown as such).
  await db
    .updateTable('opinion_letters')
    .set((eb) => ({
      response_id: eb.selectFrom('invitations').select('invitations.response_id').whereRef('invitations.id', '=', 'opinion_letters.invitation_id'),
    }))
    .execute();
  await db.schema.createIndex('opinion_letters_invitation').on('opinion_letters').columns(['invitation_id', 'response_id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('opinion_letters_invitation').execute();
  await db.schema.alterTable('opinion_letters').dropColumn('pages').execute();
  await db.schema.alterTable('opinion_letters').dropColumn('response_id').execute();
}
