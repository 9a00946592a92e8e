// All SQL about invitations, official letters and self-registrations.
import type { Selectable } from 'kysely';
import type { Executor } from '../platform/db/connection';
import { compareTurkish } from '../platform/text';
import type { KnownAddress } from './invitation-rules';
import type { InvitationTable, SelfRegistrationTable } from './opinion.table';

export type InvitationRow = Selectable<InvitationTable>;

export interface InvitationView extends InvitationRow {
  stakeholderName: string;
  stakeholderGroup: string;
  stakeholderLanguage: string;
  /** Why a planner excluded the answer that counts (test, spam…), if they did. */
  answerExclusion: string | null;
}

function withStakeholder(db: Executor) {
  return db
    .selectFrom('invitations as i')
    .innerJoin('stakeholders as s', 's.id', 'i.stakeholder_id')
    .leftJoin('responses as r', 'r.id', 'i.response_id')
    .selectAll('i')
    .select(['s.name as stakeholderName', 's.group_id as stakeholderGroup', 's.language as stakeholderLanguage', 'r.exclusion_reason as answerExclusion']);
}

export async function findByTokenHash(db: Executor, tokenHash: string): Promise<InvitationView | undefined> {
  return withStakeholder(db)
    .where((eb) => eb.exists(eb.selectFrom('invitation_tokens as k').select('k.id').whereRef('k.invitation_id', '=', 'i.id').where('k.token_hash', '=', tokenHash)))
    .executeTakeFirst();
}

export async function addToken(db: Executor, invitationId: number, tokenHash: string, now: Date): Promise<void> {
  await db.insertInto('invitation_tokens').values({ invitation_id: invitationId, token_hash: tokenHash, created_at: now.toISOString() }).execute();
}

export async function find(db: Executor, id: number): Promise<InvitationView | undefined> {
  return withStakeholder(db).where('i.id', '=', id).executeTakeFirst();
}

export async function listForStakeholder(db: Executor, stakeholderId: number): Promise<InvitationView[]> {
  return withStakeholder(db).where('i.stakeholder_id', '=', stakeholderId).orderBy('i.created_at').orderBy('i.id').execute();
}

export async function listForSurvey(db: Executor, surveySlug: string): Promise<InvitationView[]> {
  return (await withStakeholder(db).where('i.survey_slug', '=', surveySlug).orderBy('i.id').execute()).sort((a, b) => compareTurkish(a.stakeholderName, b.stakeholderName));
}

export async function openStakeholderIds(db: Executor, surveySlug: string): Promise<number[]> {
  const rows = await db.selectFrom('invitations').select('stakeholder_id').where('survey_slug', '=', surveySlug).where('revoked_at', 'is', null).execute();
  return rows.map((row) => row.stakeholder_id);
}

export async function insert(
  db: Executor,
  values: {
    stakeholderId: number;
    surveySlug: string;
    email: string;
    language: string;
    deadlineAt: string;
    reminderDays: number | null;
    createdBy: number | null;
    selfRegistered?: boolean;
  },
  now: Date,
): Promise<number> {
  const { id } = await db
    .insertInto('invitations')
    .values({
      stakeholder_id: values.stakeholderId,
      survey_slug: values.surveySlug,
      email: values.email,
      language: values.language,
      deadline_at: values.deadlineAt,
      reminder_days: values.reminderDays,
      created_at: now.toISOString(),
      created_by: values.createdBy,
      self_registered: values.selfRegistered ? 1 : 0,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

export async function update(
  db: Executor,
  id: number,
  changes: Partial<Pick<InvitationRow, 'opened_at' | 'draft_saved_at' | 'submitted_at' | 'reminded_at' | 'auto_reminded_at' | 'revoked_at' | 'response_id' | 'version' | 'email'>>,
): Promise<void> {
  await db.updateTable('invitations').set(changes).where('id', '=', id).execute();
}

/**
 * Counts a reminder. An automatic one is counted only once per invitation: false when another
 * sweep counted it first (the write is conditional, so it holds under PostgreSQL's row locks too).
 */
export async function countReminder(db: Executor, id: number, now: Date, automatic: boolean): Promise<boolean> {
  const result = await db
    .updateTable('invitations')
    .set((eb) => ({
      reminded_at: now.toISOString(),
      reminder_count: eb('reminder_count', '+', 1),
      ...(automatic ? { auto_reminded_at: now.toISOString() } : {}),
    }))
    .where('id', '=', id)
    .$if(automatic, (qb) => qb.where('auto_reminded_at', 'is', null))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * Whether an invitation is due its automatic reminder now: not answered, not revoked, not yet
 * reminded automatically, the deadline near but not passed. Not one invited after the reminder
 * point (the invitation itself is fresh news), nor one a planner reminded by hand since that point.
 */
export function isDueForReminder(
  row: Pick<InvitationRow, 'submitted_at' | 'revoked_at' | 'auto_reminded_at' | 'reminder_days' | 'deadline_at' | 'created_at' | 'reminded_at'>,
  now: Date,
): boolean {
  if (row.submitted_at || row.revoked_at || row.auto_reminded_at || row.reminder_days === null) return false;
  if (Date.parse(row.deadline_at) <= now.getTime()) return false;
  const remindAt = Date.parse(row.deadline_at) - row.reminder_days * 86_400_000;
  return remindAt <= now.getTime() && Date.parse(row.created_at) < remindAt && !(row.reminded_at && Date.parse(row.reminded_at) >= remindAt);
}

/** Invitations due an automatic reminder (isDueForReminder). */
export async function dueForReminder(db: Executor, now: Date): Promise<InvitationView[]> {
  const rows = await withStakeholder(db)
    .where('i.submitted_at', 'is', null)
    .where('i.revoked_at', 'is', null)
    .where('i.auto_reminded_at', 'is', null)
    .where('i.reminder_days', 'is not', null)
    .where('i.deadline_at', '>', now.toISOString())
    .execute();
  return rows.filter((row) => isDueForReminder(row, now));
}

/** The letter's row and its bytes, written together (the caller's transaction). */
export async function insertLetter(
  db: Executor,
  values: { invitationId: number; fileName: string; storedName: string; size: number; sha256: string; pages: number | null; content: Buffer },
  now: Date,
): Promise<number> {
  const { id } = await db
    .insertInto('opinion_letters')
    .values({
      invitation_id: values.invitationId,
      file_name: values.fileName,
      stored_name: values.storedName,
      size: values.size,
      sha256: values.sha256,
      pages: values.pages,
      uploaded_at: now.toISOString(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db.insertInto('opinion_letter_contents').values({ letter_id: id, content: values.content }).execute();
  return id;
}

export interface LetterSummary {
  id: number;
  invitation_id: number;
  file_name: string;
  size: number;
  pages: number | null;
  uploaded_at: string;
  /** Null while not yet submitted (replaceable); else the answer it went with. */
  response_id: number | null;
}

const LETTER_COLUMNS = ['id', 'invitation_id', 'file_name', 'size', 'pages', 'uploaded_at', 'response_id'] as const;

export async function lettersOf(db: Executor, invitationIds: number[]): Promise<LetterSummary[]> {
  if (invitationIds.length === 0) return [];
  return db.selectFrom('opinion_letters').select(LETTER_COLUMNS).where('invitation_id', 'in', invitationIds).orderBy('id').execute();
}

/** Letters uploaded for the answer not yet submitted: the ones the institution may still replace or remove. */
export async function pendingLetters(db: Executor, invitationId: number): Promise<LetterSummary[]> {
  return db.selectFrom('opinion_letters').select(LETTER_COLUMNS).where('invitation_id', '=', invitationId).where('response_id', 'is', null).orderBy('id').execute();
}

export async function lettersOfResponse(db: Executor, responseId: number): Promise<LetterSummary[]> {
  return db.selectFrom('opinion_letters').select(LETTER_COLUMNS).where('response_id', '=', responseId).orderBy('id').execute();
}

/** Submitting an answer takes the letters uploaded for it along; from then on they cannot change. */
export async function attachPendingLetters(db: Executor, invitationId: number, responseId: number): Promise<void> {
  await db.updateTable('opinion_letters').set({ response_id: responseId }).where('invitation_id', '=', invitationId).where('response_id', 'is', null).execute();
}

/**
 * Deletes a letter of this invitation, bytes and row, only while it is not submitted (the
 * condition is in the DELETEs themselves, so a submission committed meanwhile wins); true when
 * one was deleted. The bytes go first and explicitly, whatever the engine does with the cascade.
 */
export async function deletePendingLetter(db: Executor, invitationId: number, letterId: number): Promise<boolean> {
  const pending = db
    .selectFrom('opinion_letters')
    .select('id')
    .where('id', '=', letterId)
    .where('invitation_id', '=', invitationId)
    .where('response_id', 'is', null);
  await db.deleteFrom('opinion_letter_contents').where('letter_id', 'in', pending).execute();
  const result = await db.deleteFrom('opinion_letters').where('id', 'in', pending).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export async function findLetter(db: Executor, id: number) {
  return db.selectFrom('opinion_letters').selectAll().where('id', '=', id).executeTakeFirst();
}

/** One letter's bytes, read on their own: a download never reads any other letter. */
export async function letterContent(db: Executor, letterId: number): Promise<Buffer | undefined> {
  const row = await db.selectFrom('opinion_letter_contents').select('content').where('letter_id', '=', letterId).executeTakeFirst();
  return row?.content;
}

/** Letters whose bytes are not in the database yet: uploaded when they were kept as files. */
export async function lettersWithoutContent(db: Executor): Promise<{ id: number; stored_name: string; size: number; sha256: string }[]> {
  return db
    .selectFrom('opinion_letters as l')
    .leftJoin('opinion_letter_contents as c', 'c.letter_id', 'l.id')
    .select(['l.id', 'l.stored_name', 'l.size', 'l.sha256'])
    .where('c.letter_id', 'is', null)
    .orderBy('l.id')
    .execute();
}

/** Stores a letter's bytes unless they are there already (another process imported them first); true when stored. */
export async function insertLetterContent(db: Executor, letterId: number, content: Buffer): Promise<boolean> {
  const result = await db
    .insertInto('opinion_letter_contents')
    .values({ letter_id: letterId, content })
    .onConflict((oc) => oc.column('letter_id').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

export type SelfRegistrationRow = Selectable<SelfRegistrationTable>;

export async function insertSelfRegistration(
  db: Executor,
  values: Omit<SelfRegistrationRow, 'id' | 'confirmed_at' | 'invitation_id'>,
): Promise<number> {
  const { id } = await db.insertInto('self_registrations').values(values).returning('id').executeTakeFirstOrThrow();
  return id;
}

export async function findSelfRegistration(db: Executor, tokenHash: string): Promise<SelfRegistrationRow | undefined> {
  return db.selectFrom('self_registrations').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
}

/** Requests from one address in the last `hours`, confirmed or not: a cap on the mail a stranger can trigger. */
export async function recentSelfRegistrations(db: Executor, email: string, since: Date): Promise<number> {
  const row = await db
    .selectFrom('self_registrations')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('email', '=', email)
    .where('created_at', '>', since.toISOString())
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * What the register and the invitations to a form know of an address, compared trimmed and
 * without regard to capitals (addresses typed by hand, or imported before they were lowercased).
 */
export async function knownAddress(db: Executor, surveySlug: string, email: string): Promise<KnownAddress> {
  const address = email.trim().toLowerCase();
  const holders = await db
    .selectFrom('stakeholder_emails as e')
    .innerJoin('stakeholders as s', 's.id', 'e.stakeholder_id')
    .select(['s.id', 's.name', 's.archived_at'])
    .where((eb) => eb(eb.fn('lower', [eb.fn('trim', ['e.email'])]), '=', address))
    .orderBy('s.id')
    .execute();
  const ids = [...new Set(holders.map((h) => h.id))];
  const invitations = await withStakeholder(db)
    .where('i.survey_slug', '=', surveySlug)
    .where((eb) => eb.or([eb(eb.fn('lower', [eb.fn('trim', ['i.email'])]), '=', address), ...(ids.length > 0 ? [eb('i.stakeholder_id', 'in', ids)] : [])]))
    .orderBy('i.id')
    .execute();
  const entries = holders.filter((h, index) => h.archived_at === null && holders.findIndex((other) => other.id === h.id) === index).map((h) => ({ id: h.id, name: h.name }));
  return { entries, invitations };
}

/** The deadline planners gave the latest round of invitations to a form (self-registrations are no round). */
export async function latestRoundDeadline(db: Executor, surveySlug: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('invitations')
    .select('deadline_at')
    .where('survey_slug', '=', surveySlug)
    .where('self_registered', '=', 0)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .executeTakeFirst();
  return row?.deadline_at;
}

export async function confirmSelfRegistration(db: Executor, id: number, invitationId: number, now: Date): Promise<void> {
  await db.updateTable('self_registrations').set({ confirmed_at: now.toISOString(), invitation_id: invitationId }).where('id', '=', id).execute();
}
