// All SQL of data-subject requests: the requests themselves, finding everything stored about one
// e-mail address or phone number, and correcting or deleting it.
import { sql, type Selectable } from 'kysely';
import type { Executor } from '../platform/db/connection';
import type { DataSubjectRequestTable, RequestChannel, RequestKind } from './data-subject.table';
import type { Subject } from './data-subject-rules';

export type DataSubjectRequest = Selectable<DataSubjectRequestTable> & { createdByName: string | null; answeredByName: string | null };

export interface NewRequest {
  kind: RequestKind;
  subjectEmail: string | null;
  subjectPhone: string | null;
  requesterName: string;
  channel: RequestChannel;
  receivedOn: string;
  dueOn: string;
  notes: string | null;
}

export async function insert(db: Executor, request: NewRequest, userId: number | null, now: Date): Promise<number> {
  const row = await db
    .insertInto('data_subject_requests')
    .values({
      kind: request.kind,
      subject_email: request.subjectEmail,
      subject_phone: request.subjectPhone,
      requester_name: request.requesterName,
      channel: request.channel,
      received_on: request.receivedOn,
      due_on: request.dueOn,
      notes: request.notes,
      created_at: now.toISOString(),
      created_by: userId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

function withUsers(db: Executor) {
  return db
    .selectFrom('data_subject_requests as d')
    .leftJoin('users as c', 'c.id', 'd.created_by')
    .leftJoin('users as a', 'a.id', 'd.answered_by')
    .selectAll('d')
    .select(['c.name as createdByName', 'a.name as answeredByName']);
}

export async function find(db: Executor, id: number): Promise<DataSubjectRequest | undefined> {
  return withUsers(db).where('d.id', '=', id).executeTakeFirst();
}

export async function list(db: Executor, status: 'open' | 'answered' | 'all'): Promise<DataSubjectRequest[]> {
  let query = withUsers(db);
  if (status === 'open') query = query.where('d.answered_at', 'is', null);
  if (status === 'answered') query = query.where('d.answered_at', 'is not', null);
  return query.orderBy('d.id').execute();
}

export async function markAnswered(db: Executor, id: number, note: string, userId: number | null, now: Date): Promise<boolean> {
  const result = await db
    .updateTable('data_subject_requests')
    .set({ answered_at: now.toISOString(), answered_by: userId, answer_note: note })
    .where('id', '=', id)
    .where('answered_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

// What is stored about a person. E-mail addresses are compared in lower case (older rows may
// not be), phone numbers as normalised at sign-up.

// `also`: records this request's erasure anonymised, which no longer match but are still its answer.

export async function registrationsOf(db: Executor, subject: Subject, also: number[] = []) {
  if (!subject.email && !subject.phone && also.length === 0) return [];
  return db
    .selectFrom('meeting_registrations as r')
    .innerJoin('meetings as m', 'm.id', 'r.meeting_id')
    .selectAll('r')
    .select(['m.title_tr as meetingTitle', 'm.starts_at as meetingStartsAt', 'm.cancelled_at as meetingCancelledAt'])
    .where((eb) => {
      const either = [];
      if (subject.email) either.push(eb(sql<string>`lower(r.email)`, '=', subject.email));
      if (subject.phone) either.push(eb('r.phone', '=', subject.phone));
      if (also.length > 0) either.push(eb('r.id', 'in', also));
      return eb.or(either);
    })
    .orderBy('r.id')
    .execute();
}

/** The meetings' titles in both languages, for the screen. */
export async function meetingTitles(db: Executor, ids: number[]): Promise<Map<number, { title_tr: string; title_en: string | null }>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('meetings').select(['id', 'title_tr', 'title_en']).where('id', 'in', [...new Set(ids)]).execute();
  return new Map(rows.map((m) => [m.id, { title_tr: m.title_tr, title_en: m.title_en }]));
}

export async function noticesOf(db: Executor, registrationIds: number[]) {
  if (registrationIds.length === 0) return [];
  return db
    .selectFrom('meeting_notices')
    .select(['id', 'registration_id', 'kind', 'channel', 'outbox_message_id', 'created_at', 'handled_at'])
    .where('registration_id', 'in', registrationIds)
    .orderBy('id')
    .execute();
}

export async function invitationsOf(db: Executor, email: string | null, also: number[] = []) {
  if (!email && also.length === 0) return [];
  return db
    .selectFrom('invitations as i')
    .innerJoin('stakeholders as s', 's.id', 'i.stakeholder_id')
    .select(['i.id', 'i.stakeholder_id', 'i.survey_slug', 'i.email', 'i.language', 'i.created_at', 'i.deadline_at', 'i.opened_at', 'i.submitted_at', 'i.revoked_at', 'i.response_id', 's.name as institution'])
    .where((eb) => eb.or([...(email ? [eb(sql<string>`lower(i.email)`, '=', email)] : []), ...(also.length > 0 ? [eb('i.id', 'in', also)] : [])]))
    .orderBy('i.id')
    .execute();
}

export async function selfRegistrationsOf(db: Executor, email: string | null, also: number[] = []) {
  if (!email && also.length === 0) return [];
  return db
    .selectFrom('self_registrations')
    .select(['id', 'name', 'group_id', 'email', 'contact_person', 'language', 'survey_slug', 'created_at', 'confirmed_at', 'invitation_id'])
    .where((eb) => eb.or([...(email ? [eb(sql<string>`lower(email)`, '=', email)] : []), ...(also.length > 0 ? [eb('id', 'in', also)] : [])]))
    .orderBy('id')
    .execute();
}

/** Register entries holding the address; the register is kept across plans (see the report's decision). */
export async function stakeholdersOf(db: Executor, email: string | null) {
  if (!email) return [];
  return db
    .selectFrom('stakeholder_emails as e')
    .innerJoin('stakeholders as s', 's.id', 'e.stakeholder_id')
    .select(['s.id', 's.name', 's.contact_person', 's.archived_at', 's.source', 'e.email'])
    .where(sql<string>`lower(e.email)`, '=', email)
    .orderBy('s.id')
    .execute();
}

/** Mail to the address, and mail about the records found (whatever address it went to). */
export async function outboxOf(db: Executor, email: string | null, refs: string[]) {
  if (!email && refs.length === 0) return [];
  return db
    .selectFrom('outbox_messages')
    .select(['id', 'to_address', 'subject', 'text_body', 'kind', 'ref', 'status', 'created_at', 'sent_at'])
    .where((eb) => {
      const either = [];
      if (email) either.push(eb(sql<string>`lower(to_address)`, '=', email));
      if (refs.length > 0) either.push(eb('ref', 'in', refs));
      return eb.or(either);
    })
    .orderBy('id')
    .execute();
}

/** Deletes the mail sent to an address; the notices that pointed at it keep their row. */
export async function deleteOutboxTo(db: Executor, email: string): Promise<number> {
  const ids = db.selectFrom('outbox_messages').select('id').where(sql<string>`lower(to_address)`, '=', email);
  await db.updateTable('meeting_notices').set({ outbox_message_id: null }).where('outbox_message_id', 'in', ids).execute();
  await db.deleteFrom('anonymisations').where('kind', '=', 'outbox').where('record_id', 'in', ids).execute();
  const result = await db.deleteFrom('outbox_messages').where(sql<string>`lower(to_address)`, '=', email).executeTakeFirst();
  return Number(result.numDeletedRows);
}

// Corrections.

export async function correctRegistration(db: Executor, id: number, values: { name: string; phone: string | null; email: string | null }): Promise<void> {
  await db.updateTable('meeting_registrations').set(values).where('id', '=', id).execute();
}

export async function correctInvitation(db: Executor, id: number, email: string): Promise<void> {
  await db.updateTable('invitations').set({ email }).where('id', '=', id).execute();
}

export async function correctSelfRegistration(db: Executor, id: number, values: { email: string; contact_person: string | null }): Promise<void> {
  await db.updateTable('self_registrations').set(values).where('id', '=', id).execute();
}

/** How many records each request's erasures anonymised. */
export async function erasedBy(db: Executor, requestId: number): Promise<{ kind: string; n: number }[]> {
  const rows = await db
    .selectFrom('anonymisations')
    .select((eb) => ['kind', eb.fn.countAll<number>().as('n')])
    .where('request_id', '=', requestId)
    .groupBy('kind')
    .execute();
  return rows.map((row) => ({ kind: row.kind, n: Number(row.n) }));
}

/** The records a request's erasures anonymised, by kind. */
export async function erasedIds(db: Executor, requestId: number): Promise<Record<'registration' | 'invitation' | 'self_registration', number[]>> {
  const rows = await db.selectFrom('anonymisations').select(['kind', 'record_id']).where('request_id', '=', requestId).execute();
  const of = (kind: string) => rows.filter((row) => row.kind === kind).map((row) => row.record_id);
  return { registration: of('registration'), invitation: of('invitation'), self_registration: of('self_registration') };
}
