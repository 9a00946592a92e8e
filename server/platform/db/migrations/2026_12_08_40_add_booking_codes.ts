import crypto from 'node:crypto';
import { type Kysely } from 'kysely';

// Every meeting sign-up gets a short booking code, so a resident without e-mail (or without the
// page's address) can find their sign-up again with their phone number and the code, or read it
// out on the phone. Unique across all meetings: a code alone names one sign-up, whoever asks.
// The alphabet is frozen here as it was when this migration was written (see meeting-rules.ts).
const ALPHABET = 'ADEFHJKMNPRTY34679';
const LENGTH = 6;

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('meeting_registrations').addColumn('booking_code', 'text').execute();
  // Sign-ups made before: each gets its code now, so old and new are found the same way.
  const rows = await db.selectFrom('meeting_registrations').select('id').orderBy('id').execute();
  const used = new Set<string>();
  for (const row of rows) {
    let code: string;
    do {
      code = Array.from({ length: LENGTH }, () => ALPHABET[crypto.randomInt(ALPHABET.length)]).join('');
    } while (used.has(code));
    used.add(code);
    await db.updateTable('meeting_registrations').set({ booking_code: code }).where('id', '=', row.id).execute();
  }
  await db.schema.createIndex('meeting_registrations_booking_code').on('meeting_registrations').column('booking_code').unique().execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('meeting_registrations_booking_code').execute();
  await db.schema.alterTable('meeting_registrations').dropColumn('booking_code').execute();
}
