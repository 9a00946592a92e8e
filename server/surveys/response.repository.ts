// All SQL about responses, answers and stored survey definitions.
import type { Executor } from '../platform/db/connection';
import * as answerTallyRepository from './answer-tally.repository';
import type { AnswerRow, FormFields } from './survey-answers';
import type { ExclusionReason, ResponseChannel } from './response.table';
import type { Survey } from './survey-definition';

export interface StoredResponse {
  id: number;
  status: 'draft' | 'complete';
  fields: FormFields;
  updatedAt: string;
}

function parseFields(json: string | null): FormFields {
  if (!json) return {};
  const parsed: unknown = JSON.parse(json);
  return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as FormFields) : {};
}

/** The response of a survey behind a browser's draft token, draft or complete. */
export async function findByTokenHash(db: Executor, surveySlug: string, tokenHash: string): Promise<StoredResponse | undefined> {
  const row = await db
    .selectFrom('responses')
    .select(['id', 'status', 'draft_fields', 'updated_at'])
    .where('draft_token_hash', '=', tokenHash)
    .where('survey_slug', '=', surveySlug)
    .executeTakeFirst();
  return row ? { id: row.id, status: row.status, fields: parseFields(row.draft_fields), updatedAt: row.updated_at } : undefined;
}

/** Starts a response as a draft (a response completed in one post also starts here). */
export async function insertResponse(
  db: Executor,
  values: {
    survey: Survey;
    tokenHash: string;
    fields: FormFields;
    language: string;
    channel: ResponseChannel;
    enteredBy?: number | null;
    now: Date;
  },
): Promise<number> {
  const now = values.now.toISOString();
  const row = await db
    .insertInto('responses')
    .values({
      survey_slug: values.survey.slug,
      definition_hash: values.survey.hash,
      language: values.language,
      channel: values.channel,
      status: 'draft',
      draft_token_hash: values.tokenHash,
      draft_fields: JSON.stringify(values.fields),
      entered_by: values.enteredBy ?? null,
      started_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function updateDraft(db: Executor, id: number, fields: FormFields, language: string, now: Date): Promise<void> {
  await db
    .updateTable('responses')
    .set({ draft_fields: JSON.stringify(fields), language, updated_at: now.toISOString() })
    .where('id', '=', id)
    .where('status', '=', 'draft')
    .execute();
}

export async function findCompleteByIdempotencyKey(db: Executor, key: string): Promise<{ id: number } | undefined> {
  return db
    .selectFrom('responses')
    .select('id')
    .where('idempotency_key', '=', key)
    .where('status', '=', 'complete')
    .executeTakeFirst();
}

/**
 * Marks a draft complete. Its saved fields are dropped (the answers now live in rows); its token
 * hash stays, so a browser whose "thank you" got lost on the way is recognised as done.
 */
export async function markComplete(
  db: Executor,
  id: number,
  values: { idempotencyKey: string; language: string; definitionHash: string; now: Date },
  /** The answers the caller has just stored, counted as given instead of read back. */
  stored?: { surveySlug: string; answers: AnswerRow[] },
): Promise<boolean> {
  const now = values.now.toISOString();
  const result = await db
    .updateTable('responses')
    .set({
      status: 'complete',
      idempotency_key: values.idempotencyKey,
      language: values.language,
      definition_hash: values.definitionHash,
      draft_fields: null,
      updated_at: now,
      submitted_at: now,
    })
    .where('id', '=', id)
    .where('status', '=', 'draft')
    .executeTakeFirst();
  // Counted only by the update that completed it: a concurrent second one changes no row.
  if (Number(result.numUpdatedRows) !== 1) return false;
  if (stored) await answerTallyRepository.count(db, stored.surveySlug, [stored.answers], 1);
  else await answerTallyRepository.countResponse(db, id, 1);
  return true;
}

export async function startedAt(db: Executor, id: number): Promise<string> {
  const row = await db.selectFrom('responses').select('started_at').where('id', '=', id).executeTakeFirstOrThrow();
  return row.started_at;
}

export async function insertAnswers(db: Executor, responseId: number, rows: AnswerRow[]): Promise<void> {
  // SQLite allows 32766 bound variables; 7 columns a row keeps chunks well below that.
  const chunk = 500;
  for (let i = 0; i < rows.length; i += chunk) {
    await db
      .insertInto('answers')
      .values(rows.slice(i, i + chunk).map((row) => ({ ...row, response_id: responseId })))
      .execute();
  }
}

/** How many stored answers of a survey use a question id, optionally one of its option ids or values. */
export async function countAnswersUsing(
  db: Executor,
  surveySlug: string,
  usage: { questionId: string; optionId?: string; value?: number; notApplicable?: true; rankAbove?: number },
): Promise<number> {
  let query = db
    .selectFrom('answers as a')
    .innerJoin('responses as r', 'r.id', 'a.response_id')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('r.survey_slug', '=', surveySlug)
    .where('r.status', '=', 'complete')
    .where('a.question_id', '=', usage.questionId);
  if (usage.optionId !== undefined) query = query.where('a.option_id', '=', usage.optionId);
  if (usage.value !== undefined) query = query.where('a.value', '=', usage.value);
  if (usage.notApplicable) query = query.where('a.not_applicable', '=', 1);
  if (usage.rankAbove !== undefined) query = query.where('a.rank', '>', usage.rankAbove);
  const row = await query.executeTakeFirstOrThrow();
  return Number(row.count);
}

export async function countComplete(db: Executor, surveySlug: string): Promise<number> {
  const row = await db
    .selectFrom('responses')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('survey_slug', '=', surveySlug)
    .where('status', '=', 'complete')
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/** Slugs with complete responses, to notice a survey file that disappeared. */
export async function slugsWithResponses(db: Executor): Promise<string[]> {
  const rows = await db.selectFrom('responses').select('survey_slug').where('status', '=', 'complete').distinct().execute();
  return rows.map((row) => row.survey_slug);
}

/**
 * Empties drafts nobody can resume any more: their free texts may hold personal data (KVKK).
 * The rows stay, so partial responses can still be counted.
 */
export async function clearExpiredDrafts(db: Executor, cutoff: Date, keptSlugs: string[] = []): Promise<number> {
  let query = db
    .updateTable('responses')
    .set({ draft_fields: null, draft_token_hash: null })
    .where('status', '=', 'draft')
    .where('updated_at', '<', cutoff.toISOString())
    .where('draft_token_hash', 'is not', null);
  if (keptSlugs.length > 0) query = query.where('survey_slug', 'not in', keptSlugs);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export interface SurveyCounts {
  complete: number;
  excluded: number;
  partial: number;
  lastSubmittedAt: string | null;
}

/** Complete (not excluded), excluded and partial responses, and the last submission, per survey. */
export async function countsBySurvey(db: Executor): Promise<Map<string, SurveyCounts>> {
  const rows = await db
    .selectFrom('responses')
    .select((eb) => [
      'survey_slug',
      eb.fn.sum<number>(eb.case().when(eb.and([eb('status', '=', 'complete'), eb('excluded_at', 'is', null)])).then(1).else(0).end()).as('complete'),
      eb.fn.sum<number>(eb.case().when(eb.and([eb('status', '=', 'complete'), eb('excluded_at', 'is not', null)])).then(1).else(0).end()).as('excluded'),
      eb.fn.sum<number>(eb.case().when('status', '=', 'draft').then(1).else(0).end()).as('partial'),
      eb.fn.max('submitted_at').as('last_submitted_at'),
    ])
    .groupBy('survey_slug')
    .execute();
  return new Map(
    rows.map((row) => [
      row.survey_slug,
      { complete: Number(row.complete), excluded: Number(row.excluded), partial: Number(row.partial), lastSubmittedAt: row.last_submitted_at },
    ]),
  );
}

/** Excluded complete responses of a survey, per reason. */
export async function exclusionCounts(db: Executor, surveySlug: string): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('responses')
    .select((eb) => ['exclusion_reason', eb.fn.countAll<number>().as('n')])
    .where('survey_slug', '=', surveySlug)
    .where('status', '=', 'complete')
    .where('excluded_at', 'is not', null)
    .groupBy('exclusion_reason')
    .execute();
  return new Map(rows.map((row) => [row.exclusion_reason ?? 'other', Number(row.n)]));
}

export interface ResponseFilter {
  /** ISO instants, inclusive from, exclusive to; on the submission time (start time for drafts). */
  from?: string;
  to?: string;
  channel?: ResponseChannel;
  /** complete: complete and not excluded, the responses results count. */
  status?: 'complete' | 'draft' | 'excluded';
  /** Responses that chose each of these options (e.g. mahalle = cami). */
  answers?: { questionId: string; optionId: string }[];
  /** Responses completed with an access code, or without one. */
  accessCode?: 'with' | 'without';
}

export interface ResponseSummary {
  id: number;
  status: 'draft' | 'complete';
  channel: ResponseChannel;
  language: string;
  startedAt: string;
  submittedAt: string | null;
  excludedAt: string | null;
  exclusionReason: string | null;
  exclusionNote: string | null;
  enteredBy: string | null;
}

/** The responses of a survey that match a filter; the one place such filters are written. */
export function responsesMatching(db: Executor, surveySlug: string, filter: ResponseFilter) {
  let query = db.selectFrom('responses as r').where('r.survey_slug', '=', surveySlug);
  if (filter.from) query = query.where((eb) => eb(eb.fn.coalesce('r.submitted_at', 'r.started_at'), '>=', filter.from!));
  if (filter.to) query = query.where((eb) => eb(eb.fn.coalesce('r.submitted_at', 'r.started_at'), '<', filter.to!));
  if (filter.channel) query = query.where('r.channel', '=', filter.channel);
  if (filter.status === 'draft') query = query.where('r.status', '=', 'draft');
  if (filter.status === 'complete') query = query.where('r.status', '=', 'complete').where('r.excluded_at', 'is', null);
  if (filter.status === 'excluded') query = query.where('r.excluded_at', 'is not', null);
  if (filter.accessCode) query = query.where('r.access_code_id', filter.accessCode === 'with' ? 'is not' : 'is', null);
  for (const { questionId, optionId } of filter.answers ?? []) {
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('answers as f')
          .select('f.id')
          .whereRef('f.response_id', '=', 'r.id')
          .where('f.question_id', '=', questionId)
          .where('f.option_id', '=', optionId),
      ),
    );
  }
  return query;
}

const SUMMARY_COLUMNS = [
  'r.id',
  'r.status',
  'r.channel',
  'r.language',
  'r.started_at',
  'r.submitted_at',
  'r.excluded_at',
  'r.exclusion_reason',
  'r.exclusion_note',
  'r.definition_hash',
  'u.name as entered_by_name',
] as const;

function toSummary(row: {
  id: number;
  status: 'draft' | 'complete';
  channel: ResponseChannel;
  language: string;
  started_at: string;
  submitted_at: string | null;
  excluded_at: string | null;
  exclusion_reason: string | null;
  exclusion_note: string | null;
  entered_by_name: string | null;
}): ResponseSummary {
  return {
    id: row.id,
    status: row.status,
    channel: row.channel,
    language: row.language,
    startedAt: row.started_at,
    submittedAt: row.submitted_at,
    excludedAt: row.excluded_at,
    exclusionReason: row.exclusion_reason,
    exclusionNote: row.exclusion_note,
    enteredBy: row.entered_by_name,
  };
}

export async function listResponses(
  db: Executor,
  surveySlug: string,
  filter: ResponseFilter,
  page: { limit: number; offset: number },
): Promise<{ responses: ResponseSummary[]; total: number }> {
  const total = await responsesMatching(db, surveySlug, filter).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = await responsesMatching(db, surveySlug, filter)
    .leftJoin('users as u', 'u.id', 'r.entered_by')
    .select(SUMMARY_COLUMNS)
    // Newest first by the time shown (submitted, or started for a draft): ids follow the order rows
    // were stored in, not when the questionnaire was answered (paper typed in later, imports). The
    // id breaks ties, so pages never overlap nor skip a response.
    .orderBy((eb) => eb.fn.coalesce('r.submitted_at', 'r.started_at'), 'desc')
    .orderBy('r.id', 'desc')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  return { total: Number(total.n), responses: rows.map(toSummary) };
}

export async function findResponse(db: Executor, surveySlug: string, id: number): Promise<(ResponseSummary & { definitionHash: string }) | undefined> {
  const row = await responsesMatching(db, surveySlug, {})
    .where('r.id', '=', id)
    .leftJoin('users as u', 'u.id', 'r.entered_by')
    .select(SUMMARY_COLUMNS)
    .executeTakeFirst();
  return row ? { ...toSummary(row), definitionHash: row.definition_hash } : undefined;
}

export async function answersOf(db: Executor, responseId: number): Promise<AnswerRow[]> {
  return db
    .selectFrom('answers')
    .select(['question_id', 'option_id', 'value', 'text', 'rank', 'not_applicable'])
    .where('response_id', '=', responseId)
    .orderBy('id')
    .execute();
}

export async function setExclusion(
  db: Executor,
  id: number,
  exclusion: { at: string; by: number | null; reason: ExclusionReason; note: string | null } | null,
): Promise<void> {
  const values = {
    excluded_at: exclusion?.at ?? null,
    excluded_by: exclusion?.by ?? null,
    exclusion_reason: exclusion?.reason ?? null,
    exclusion_note: exclusion?.note ?? null,
  };
  const update = (wasIncluded: boolean) =>
    db
      .updateTable('responses')
      .set(values)
      .where('id', '=', id)
      .where('status', '=', 'complete')
      .where('excluded_at', wasIncluded ? 'is' : 'is not', null)
      .executeTakeFirst();
  // Leaving or rejoining the results moves the response's answers out of or into the counts. The
  // update states what it changes from, so of two concurrent requests only one counts.
  if (exclusion) {
    if (Number((await update(true)).numUpdatedRows) === 1) await answerTallyRepository.countResponse(db, id, -1);
    else await update(false);
  } else if (Number((await update(false)).numUpdatedRows) === 1) {
    await answerTallyRepository.countResponse(db, id, 1);
  }
}
