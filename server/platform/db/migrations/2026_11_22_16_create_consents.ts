import { type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // KVKK art. 5/1 explicit consents for optional uses, each with the notice version the person was
  // shown, so a consent can be proven and withdrawn on its own. The subject is a meeting
  // registration for now; other subjects get their own nullable column later.
  await db.schema
    .createTable('consents')
    .addColumn('id', 'integer', (col) => col.primaryKey().autoIncrement())
    .addColumn('purpose', 'text', (col) => col.notNull())
    .addColumn('registration_id', 'integer', (col) => col.references('meeting_registrations.id'))
    .addColumn('notice_version', 'text', (col) => col.notNull())
    .addColumn('given_at', 'text', (col) => col.notNull())
    .addColumn('withdrawn_at', 'text')
    // sha256 of the withdrawal link's token: how the link finds its consent, without the database
    // alone yielding a working link. Null until first needed for consents copied below.
    .addColumn('withdrawal_token_hash', 'text', (col) => col.unique())
    .execute();
  await db.schema.createIndex('consents_registration').on('consents').column('registration_id').execute();

  // Consents given before this table existed. The notice version shown then was never recorded:
  // 'unknown' says so, where the current version would claim something nobody can prove.
  await db
    .insertInto('consents')
    .columns(['purpose', 'registration_id', 'notice_version', 'given_at'])
    .expression((eb) =>
      eb
        .selectFrom('meeting_registrations')
        .select((s) => [s.val('future_meetings').as('purpose'), 'id', s.val('unknown').as('notice_version'), 'future_meetings_consent_at'])
        .where('future_meetings_consent_at', 'is not', null)
        .orderBy('id'),
    )
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('consents').execute();
}
