// All SQL about quality flags, their network keys and the planners' review of them.
import type { Executor } from '../../platform/db/connection';
import type { QualityReason } from './quality-checks';
import type { ResponseQualityTable, ReviewDecision } from './quality.table';

export async function insertAssessment(db: Executor, row: Omit<ResponseQualityTable, 'reviewed_at' | 'reviewed_by' | 'review_decision'>): Promise<void> {
  await db.insertInto('response_quality').values(row).onConflict((oc) => oc.column('response_id').doNothing()).execute();
}

export async function addFlags(db: Executor, flags: { responseId: number; reason: QualityReason; detail: unknown }[], now: Date): Promise<void> {
  if (flags.length === 0) return;
  await db
    .insertInto('response_flags')
    .values(flags.map((flag) => ({ response_id: flag.responseId, reason: flag.reason, detail: JSON.stringify(flag.detail), flagged_at: now.toISOString() })))
    .onConflict((oc) => oc.columns(['response_id', 'reason']).doNothing())
    .execute();
}

/** An earlier complete response of the survey with the same answer vector since `since`. */
export async function findSameAnswers(db: Executor, surveySlug: string, hash: string, since: string, exceptId: number): Promise<number | undefined> {
  const row = await db
    .selectFrom('response_quality')
    .select('response_id')
    .where('survey_slug', '=', surveySlug)
    .where('answers_hash', '=', hash)
    .where('submitted_at', '>=', since)
    .where('response_id', '!=', exceptId)
    .orderBy('submitted_at')
    .executeTakeFirst();
  return row?.response_id;
}

/** How many responses of the survey were completed from a network (any of its live hashes) since `since`. */
export async function countFromNetwork(db: Executor, surveySlug: string, hashes: string[], since: string): Promise<number> {
  if (hashes.length === 0) return 0;
  const row = await db
    .selectFrom('response_quality')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('survey_slug', '=', surveySlug)
    .where('network_hash', 'in', hashes)
    .where('submitted_at', '>=', since)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Those of the responses countFromNetwork counts that have no flag for `reason` yet. A burst from
 * one address (CGNAT puts hundreds of phones behind one) would otherwise re-flag every earlier
 * response of the window with each new one: work that grows with the square of the burst.
 */
export async function unflaggedFromNetwork(db: Executor, surveySlug: string, hashes: string[], since: string, reason: QualityReason): Promise<number[]> {
  if (hashes.length === 0) return [];
  const rows = await db
    .selectFrom('response_quality as q')
    .select('q.response_id')
    .where('q.survey_slug', '=', surveySlug)
    .where('q.network_hash', 'in', hashes)
    .where('q.submitted_at', '>=', since)
    .where((eb) => eb.not(eb.exists(eb.selectFrom('response_flags as f').select('f.response_id').whereRef('f.response_id', '=', 'q.response_id').where('f.reason', '=', reason))))
    .execute();
  return rows.map((row) => row.response_id);
}

export async function networkKeys(db: Executor, fromDay: string): Promise<{ day: string; key: string }[]> {
  return db.selectFrom('quality_network_keys').select(['day', 'key']).where('day', '>=', fromDay).orderBy('day', 'desc').execute();
}

export async function insertNetworkKey(db: Executor, day: string, key: string, now: Date): Promise<void> {
  await db.insertInto('quality_network_keys').values({ day, key, created_at: now.toISOString() }).onConflict((oc) => oc.column('day').doNothing()).execute();
}

/** Drops keys of days before `keepFromDay`, and with them every hash they made. */
export async function dropNetworkKeys(db: Executor, keepFromDay: string): Promise<number> {
  await db.updateTable('response_quality').set({ network_hash: null, network_day: null }).where('network_day', '<', keepFromDay).execute();
  const result = await db.deleteFrom('quality_network_keys').where('day', '<', keepFromDay).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Answer hashes are only needed within the duplicate window. */
export async function clearAnswerHashes(db: Executor, before: string): Promise<void> {
  await db.updateTable('response_quality').set({ answers_hash: null }).where('submitted_at', '<', before).where('answers_hash', 'is not', null).execute();
}

export interface FlaggedResponse {
  id: number;
  submittedAt: string;
  channel: string;
  durationSeconds: number | null;
  expectedSeconds: number | null;
  flags: { reason: QualityReason; detail: unknown }[];
}

/** Complete, included responses with a flag and no review decision yet: the review queue. */
export async function pendingReview(db: Executor, surveySlug: string, limit: number): Promise<FlaggedResponse[]> {
  const ids = await db
    .selectFrom('response_flags as f')
    .innerJoin('responses as r', 'r.id', 'f.response_id')
    .innerJoin('response_quality as q', 'q.response_id', 'f.response_id')
    .select('f.response_id')
    .distinct()
    .where('r.survey_slug', '=', surveySlug)
    .where('r.status', '=', 'complete')
    .where('r.excluded_at', 'is', null)
    .where('q.review_decision', 'is', null)
    .orderBy('f.response_id')
    .limit(limit)
    .execute();
  return describeFlagged(db, ids.map((row) => row.response_id));
}

export async function describeFlagged(db: Executor, ids: number[]): Promise<FlaggedResponse[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('responses as r')
    .innerJoin('response_quality as q', 'q.response_id', 'r.id')
    .select(['r.id', 'r.submitted_at', 'r.channel', 'q.duration_seconds', 'q.expected_seconds'])
    .where('r.id', 'in', ids)
    .orderBy('r.id')
    .execute();
  const flags = await db.selectFrom('response_flags').select(['response_id', 'reason', 'detail']).where('response_id', 'in', ids).execute();
  return rows.map((row) => ({
    id: row.id,
    submittedAt: row.submitted_at ?? '',
    channel: row.channel,
    durationSeconds: row.duration_seconds,
    expectedSeconds: row.expected_seconds,
    flags: flags
      .filter((flag) => flag.response_id === row.id)
      .map((flag) => ({ reason: flag.reason as QualityReason, detail: flag.detail ? (JSON.parse(flag.detail) as unknown) : null })),
  }));
}

/** Pending flagged responses per reason (a response with two reasons counts under both). */
export async function pendingCounts(db: Executor, surveySlug: string): Promise<Map<QualityReason, number>> {
  const rows = await db
    .selectFrom('response_flags as f')
    .innerJoin('responses as r', 'r.id', 'f.response_id')
    .innerJoin('response_quality as q', 'q.response_id', 'f.response_id')
    .select((eb) => ['f.reason', eb.fn.countAll<number>().as('n')])
    .where('r.survey_slug', '=', surveySlug)
    .where('r.status', '=', 'complete')
    .where('r.excluded_at', 'is', null)
    .where('q.review_decision', 'is', null)
    .groupBy('f.reason')
    .execute();
  return new Map(rows.map((row) => [row.reason as QualityReason, Number(row.n)]));
}

/** Flagged responses of a survey, all of them (reviewed or not), per reason; for the review's totals. */
export async function flaggedCounts(db: Executor, surveySlug: string): Promise<Map<QualityReason, number>> {
  const rows = await db
    .selectFrom('response_flags as f')
    .innerJoin('responses as r', 'r.id', 'f.response_id')
    .select((eb) => ['f.reason', eb.fn.countAll<number>().as('n')])
    .where('r.survey_slug', '=', surveySlug)
    .groupBy('f.reason')
    .execute();
  return new Map(rows.map((row) => [row.reason as QualityReason, Number(row.n)]));
}

export async function isFlagged(db: Executor, responseId: number): Promise<boolean> {
  return (await db.selectFrom('response_flags').select('response_id').where('response_id', '=', responseId).executeTakeFirst()) !== undefined;
}

export async function recordReview(db: Executor, responseId: number, decision: ReviewDecision, by: number | null, now: Date): Promise<void> {
  await db
    .updateTable('response_quality')
    .set({ review_decision: decision, reviewed_by: by, reviewed_at: now.toISOString() })
    .where('response_id', '=', responseId)
    .execute();
}

export async function reviewOf(db: Executor, responseId: number): Promise<{ decision: ReviewDecision | null; flags: QualityReason[] } | undefined> {
  const row = await db.selectFrom('response_quality').select('review_decision').where('response_id', '=', responseId).executeTakeFirst();
  if (!row) return undefined;
  const flags = await db.selectFrom('response_flags').select('reason').where('response_id', '=', responseId).execute();
  return { decision: row.review_decision, flags: flags.map((flag) => flag.reason as QualityReason) };
}

/** How many responses wait for review. */
export async function pendingCount(db: Executor, surveySlug: string): Promise<number> {
  const row = await db
    .selectFrom('response_flags as f')
    .innerJoin('responses as r', 'r.id', 'f.response_id')
    .innerJoin('response_quality as q', 'q.response_id', 'f.response_id')
    .select((eb) => eb.fn.count<number>('f.response_id').distinct().as('n'))
    .where('r.survey_slug', '=', surveySlug)
    .where('r.status', '=', 'complete')
    .where('r.excluded_at', 'is', null)
    .where('q.review_decision', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
