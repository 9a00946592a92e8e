// All SQL about neighbourhood meetings.
import crypto from 'node:crypto';
import { sql, type Selectable } from 'kysely';
import type { Executor } from '../platform/db/connection';
import { includesFolded } from '../platform/text';
import { newBookingCode } from './meeting-rules';
import type { GzftKind, MeetingRegistrationTable, MeetingRequestTable, MeetingTable, NoticeKind } from './meeting.table';

export type MeetingRow = Selectable<MeetingTable>;
export type Meeting = MeetingRow & { mahalles: string[] };
export type Registration = Selectable<MeetingRegistrationTable>;
export type MeetingRequest = Selectable<MeetingRequestTable>;

/** What a planner sets on a meeting: its columns but the bookkeeping ones, and its mahalles. */
export type MeetingInput = Pick<
  MeetingRow,
  'title_tr' | 'title_en' | 'venue' | 'address' | 'starts_at' | 'ends_at' | 'capacity' | 'signup_deadline_at' | 'accessibility_tr' | 'accessibility_en' | 'description_tr' | 'description_en'
> & { mahalles: string[] };

export interface MeetingCounts {
  /** Online sign-ups holding a seat. */
  confirmed: number;
  waitlisted: number;
  /** Everyone marked present at check-in: the one attendance number (see attendanceOf). */
  attended: number;
  /** Of those present, the ones added at the door. */
  walkIns: number;
}

const withMahalles = async (db: Executor, rows: MeetingRow[]): Promise<Meeting[]> => {
  if (rows.length === 0) return [];
  const links = await db.selectFrom('meeting_mahalles').selectAll().where('meeting_id', 'in', rows.map((r) => r.id)).execute();
  return rows.map((row) => ({ ...row, mahalles: links.filter((l) => l.meeting_id === row.id).map((l) => l.mahalle_id) }));
};

async function setMahalles(db: Executor, meetingId: number, mahalles: string[]): Promise<void> {
  await db.deleteFrom('meeting_mahalles').where('meeting_id', '=', meetingId).execute();
  if (mahalles.length > 0) await db.insertInto('meeting_mahalles').values(mahalles.map((mahalle_id) => ({ meeting_id: meetingId, mahalle_id }))).execute();
}

export async function insertMeeting(db: Executor, input: MeetingInput, userId: number | null, now: Date): Promise<number> {
  const { mahalles, ...columns } = input;
  const row = await db
    .insertInto('meetings')
    .values({ ...columns, created_at: now.toISOString(), created_by: userId, updated_at: now.toISOString() })
    .returning('id')
    .executeTakeFirstOrThrow();
  await setMahalles(db, row.id, mahalles);
  return row.id;
}

export async function updateMeeting(db: Executor, id: number, input: MeetingInput, bumpVersion: boolean, now: Date): Promise<void> {
  const { mahalles, ...columns } = input;
  await db
    .updateTable('meetings')
    .set({ ...columns, updated_at: now.toISOString(), ...(bumpVersion ? { version: sql<number>`version + 1` } : {}) })
    .where('id', '=', id)
    .execute();
  await setMahalles(db, id, mahalles);
}

export async function markCancelled(db: Executor, id: number, reason: string | null, now: Date): Promise<void> {
  await db
    .updateTable('meetings')
    .set({ cancelled_at: now.toISOString(), cancel_reason: reason, version: sql<number>`version + 1`, updated_at: now.toISOString() })
    .where('id', '=', id)
    .execute();
}

export async function saveOutcome(db: Executor, id: number, outcome: { notes: string | null; attendance_count: number | null }, now: Date): Promise<void> {
  await db.updateTable('meetings').set({ ...outcome, updated_at: now.toISOString() }).where('id', '=', id).execute();
}

/** Takes the meeting's row lock (PostgreSQL) before seats are counted; a no-op in effect on SQLite. */
export async function lockSeats(db: Executor, id: number): Promise<void> {
  await db.updateTable('meetings').set({ seat_changes: sql<number>`seat_changes + 1` }).where('id', '=', id).execute();
}

export async function findMeeting(db: Executor, id: number): Promise<Meeting | undefined> {
  const row = await db.selectFrom('meetings').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? (await withMahalles(db, [row]))[0] : undefined;
}

export async function listMeetings(db: Executor, filter: { endsAfter?: Date; mahalle?: string; ids?: number[] } = {}): Promise<Meeting[]> {
  let query = db.selectFrom('meetings').selectAll().orderBy('starts_at').orderBy('id');
  if (filter.endsAfter) query = query.where('ends_at', '>', filter.endsAfter.toISOString());
  if (filter.ids) query = query.where('id', 'in', filter.ids.length > 0 ? filter.ids : [-1]);
  if (filter.mahalle) {
    const mahalle = filter.mahalle;
    query = query.where('id', 'in', (qb) => qb.selectFrom('meeting_mahalles').select('meeting_id').where('mahalle_id', '=', mahalle));
  }
  return withMahalles(db, await query.execute());
}

/**
 * Seats and attendance per meeting, the one query every screen and table counts with. Seats
 * taken count only online sign-ups: walk-ins added at the door take nobody's seat.
 */
export async function countsOf(db: Executor, meetingIds: number[]): Promise<Map<number, MeetingCounts>> {
  const counts = new Map<number, MeetingCounts>(meetingIds.map((id) => [id, { confirmed: 0, waitlisted: 0, attended: 0, walkIns: 0 }]));
  if (meetingIds.length === 0) return counts;
  const rows = await db
    .selectFrom('meeting_registrations')
    .select((eb) => [
      'meeting_id',
      'status',
      'source',
      eb.fn.countAll<number>().as('n'),
      eb.fn.count<number>('attended_at').as('attended'),
    ])
    .where('meeting_id', 'in', meetingIds)
    .groupBy(['meeting_id', 'status', 'source'])
    .execute();
  for (const row of rows) {
    const entry = counts.get(row.meeting_id)!;
    if (row.source === 'walk_in') entry.walkIns += Number(row.attended);
    else if (row.status === 'confirmed') entry.confirmed += Number(row.n);
    else if (row.status === 'waitlisted') entry.waitlisted += Number(row.n);
    // Whoever came counts, even someone who had cancelled or was still waiting.
    entry.attended += Number(row.attended);
  }
  return counts;
}

/**
 * Stores a registration with a new booking code. The code is drawn and the row inserted in one
 * statement that skips the row when the code is taken, and the code is drawn again then: no window
 * between a check and the insert, whatever lock the engine holds around it (today every write
 * transaction is serialised on both engines), and one read less per sign-up. 34 million codes: a
 * redraw is rare. Any other unique index (one live sign-up per phone and address, the form's key)
 * still refuses the row.
 */
export async function insertRegistration(
  db: Executor,
  row: Omit<Registration, 'id' | 'confirmed_at' | 'promoted_at' | 'cancelled_at' | 'cancelled_by' | 'attended_at' | 'booking_code' | 'registered_by'> & {
    confirmed_at?: string | null;
    attended_at?: string | null;
    registered_by?: number | null;
  },
): Promise<number> {
  for (;;) {
    const inserted = await db
      .insertInto('meeting_registrations')
      .values({ ...row, booking_code: newBookingCode(crypto.randomInt) })
      .onConflict((oc) => oc.column('booking_code').doNothing())
      .returning('id')
      .executeTakeFirst();
    if (inserted) return inserted.id;
  }
}

/** The live or cancelled sign-up with this booking code and phone number (both normalised). */
export async function findByPhoneAndCode(db: Executor, phone: string, code: string): Promise<Registration | undefined> {
  return db.selectFrom('meeting_registrations').selectAll().where('booking_code', '=', code).where('phone', '=', phone).executeTakeFirst();
}

export async function findRegistration(db: Executor, id: number): Promise<Registration | undefined> {
  return db.selectFrom('meeting_registrations').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findByRequestKey(db: Executor, key: string): Promise<Registration | undefined> {
  return db.selectFrom('meeting_registrations').selectAll().where('request_key', '=', key).executeTakeFirst();
}

/**
 * A registration for the meeting, not cancelled, with this phone number or e-mail address; other
 * than `exceptId`, when a correction asks whether the new contact would clash with someone else.
 */
export async function findLive(db: Executor, meetingId: number, contact: { phone: string | null; email: string | null }, exceptId?: number): Promise<Registration | undefined> {
  if (!contact.phone && !contact.email) return undefined;
  return db
    .selectFrom('meeting_registrations')
    .selectAll()
    .where('meeting_id', '=', meetingId)
    .where('status', '<>', 'cancelled')
    .$if(exceptId !== undefined, (qb) => qb.where('id', '<>', exceptId!))
    .where((eb) => {
      const either = [];
      if (contact.phone) either.push(eb('phone', '=', contact.phone));
      if (contact.email) either.push(eb('email', '=', contact.email));
      return eb.or(either);
    })
    .executeTakeFirst();
}

/** When the meeting's latest online sign-up (the resident's own or by phone) was stored. */
export async function lastSignUpAt(db: Executor, meetingId: number): Promise<string | undefined> {
  const row = await db
    .selectFrom('meeting_registrations')
    .select('created_at')
    .where('meeting_id', '=', meetingId)
    .where('source', '=', 'online')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.created_at;
}

/** Waitlisted registrations in waitlist order. */
export async function waitlist(db: Executor, meetingId: number): Promise<number[]> {
  const rows = await db.selectFrom('meeting_registrations').select('id').where('meeting_id', '=', meetingId).where('status', '=', 'waitlisted').orderBy('id').execute();
  return rows.map((r) => r.id);
}

/** 1 for the first person waiting. */
export async function waitlistPosition(db: Executor, registration: Pick<Registration, 'id' | 'meeting_id'>): Promise<number> {
  const row = await db
    .selectFrom('meeting_registrations')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('meeting_id', '=', registration.meeting_id)
    .where('status', '=', 'waitlisted')
    .where('id', '<=', registration.id)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function promote(db: Executor, ids: number[], now: Date): Promise<void> {
  if (ids.length === 0) return;
  await db.updateTable('meeting_registrations').set({ status: 'confirmed', confirmed_at: now.toISOString(), promoted_at: now.toISOString() }).where('id', 'in', ids).execute();
}

export async function cancelRegistration(db: Executor, id: number, by: 'resident' | 'planner', now: Date): Promise<void> {
  await db.updateTable('meeting_registrations').set({ status: 'cancelled', cancelled_at: now.toISOString(), cancelled_by: by }).where('id', '=', id).execute();
}

export async function setAttended(db: Executor, id: number, attendedAt: string | null): Promise<void> {
  await db.updateTable('meeting_registrations').set({ attended_at: attendedAt }).where('id', '=', id).execute();
}

export async function registrationsOf(db: Executor, meetingId: number, filter: { statuses?: Registration['status'][]; name?: string } = {}): Promise<Registration[]> {
  let query = db.selectFrom('meeting_registrations').selectAll().where('meeting_id', '=', meetingId);
  if (filter.statuses) query = query.where('status', 'in', filter.statuses);
  const rows = await query.orderBy('id').execute();
  // Matched in JavaScript: SQL's lower() does not know that "İ" is "i" in Turkish.
  const name = filter.name;
  return name ? rows.filter((r) => includesFolded(r.name, name)) : rows;
}

export async function liveRegistrations(db: Executor, meetingId: number, statuses: Registration['status'][]): Promise<Registration[]> {
  return db.selectFrom('meeting_registrations').selectAll().where('meeting_id', '=', meetingId).where('status', 'in', statuses).where('source', '=', 'online').orderBy('id').execute();
}

// Notices.

export async function insertNotice(db: Executor, notice: { registrationId: number; kind: NoticeKind; channel: 'email' | 'phone'; outboxMessageId: number | null }, now: Date): Promise<void> {
  await db
    .insertInto('meeting_notices')
    .values({ registration_id: notice.registrationId, kind: notice.kind, channel: notice.channel, outbox_message_id: notice.outboxMessageId, created_at: now.toISOString() })
    .execute();
}

export async function noticesOf(db: Executor, meetingId: number) {
  return db
    .selectFrom('meeting_notices as n')
    .innerJoin('meeting_registrations as r', 'r.id', 'n.registration_id')
    .leftJoin('outbox_messages as o', 'o.id', 'n.outbox_message_id')
    .select(['n.id', 'n.registration_id', 'n.kind', 'n.channel', 'n.created_at', 'n.handled_at', 'r.name', 'r.phone', 'r.cancelled_by', 'o.status as mail_status', 'o.sent_at as mail_sent_at'])
    .where('r.meeting_id', '=', meetingId)
    .orderBy('n.id')
    .execute();
}

export async function markNoticeHandled(db: Executor, meetingId: number, noticeId: number, userId: number | null, now: Date): Promise<boolean> {
  const result = await db
    .updateTable('meeting_notices')
    .set({ handled_at: now.toISOString(), handled_by: userId })
    .where('id', '=', noticeId)
    .where('channel', '=', 'phone')
    .where('handled_at', 'is', null)
    .where('registration_id', 'in', (qb) => qb.selectFrom('meeting_registrations').select('id').where('meeting_id', '=', meetingId))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

// Requests raised at the meeting.

export interface RequestInput {
  text: string;
  activity_area_id: string;
  mahalle_id: string | null;
  supporters: number;
  gzft_kind: GzftKind | null;
}

export async function insertRequest(db: Executor, meetingId: number, input: RequestInput, userId: number | null, now: Date): Promise<number> {
  const row = await db
    .insertInto('meeting_requests')
    .values({ ...input, meeting_id: meetingId, created_at: now.toISOString(), created_by: userId, updated_at: now.toISOString() })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function updateRequest(db: Executor, meetingId: number, id: number, input: RequestInput, now: Date): Promise<boolean> {
  const result = await db.updateTable('meeting_requests').set({ ...input, updated_at: now.toISOString() }).where('id', '=', id).where('meeting_id', '=', meetingId).executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Removes a walk-in added by mistake; signed-up residents are cancelled, never deleted. */
export async function deleteWalkIn(db: Executor, meetingId: number, id: number): Promise<boolean> {
  const result = await db.deleteFrom('meeting_registrations').where('id', '=', id).where('meeting_id', '=', meetingId).where('source', '=', 'walk_in').executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export async function deleteRequest(db: Executor, meetingId: number, id: number): Promise<boolean> {
  const result = await db.deleteFrom('meeting_requests').where('id', '=', id).where('meeting_id', '=', meetingId).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export async function requestsOf(db: Executor, meetingIds?: number[]): Promise<MeetingRequest[]> {
  let query = db.selectFrom('meeting_requests').selectAll().orderBy('meeting_id').orderBy('id');
  if (meetingIds) query = query.where('meeting_id', 'in', meetingIds.length > 0 ? meetingIds : [-1]);
  return query.execute();
}
