// The SQL the report needs beyond the results and the features' own repositories: response counts
// per channel, the answers of institutions, findings with their evidence.
import type { Executor } from '../../platform/db/connection';
import type { AnswerRow, ResponseChannel } from '../../surveys';

export interface SurveyCounts {
  /** Complete, not excluded responses per channel. */
  complete: Map<ResponseChannel, number>;
  /** Started and saved but never sent. */
  partial: number;
  excluded: number;
  /** The excluded ones per reason (test, duplicate, quality…). */
  excludedByReason: Map<string, number>;
  firstAt: string | null;
  lastAt: string | null;
  /** The fieldwork of each channel: its first and last counted response. */
  fieldwork: Map<ResponseChannel, { firstAt: string; lastAt: string }>;
}

export async function surveyCounts(db: Executor, surveySlug: string): Promise<SurveyCounts> {
  const rows = await db
    .selectFrom('responses')
    .select((eb) => [
      'channel',
      'status',
      eb.case().when('excluded_at', 'is', null).then(0).else(1).end().as('excluded'),
      'exclusion_reason',
      eb.fn.countAll<number>().as('n'),
      eb.fn.min('submitted_at').as('first_at'),
      eb.fn.max('submitted_at').as('last_at'),
    ])
    .where('survey_slug', '=', surveySlug)
    .groupBy(['channel', 'status', 'excluded', 'exclusion_reason'])
    .execute();
  const counts: SurveyCounts = { complete: new Map(), partial: 0, excluded: 0, excludedByReason: new Map(), firstAt: null, lastAt: null, fieldwork: new Map() };
  for (const row of rows) {
    const n = Number(row.n);
    if (row.status === 'draft') counts.partial += n;
    else if (Number(row.excluded) === 1) {
      counts.excluded += n;
      const reason = row.exclusion_reason ?? 'other';
      counts.excludedByReason.set(reason, (counts.excludedByReason.get(reason) ?? 0) + n);
    }
    else {
      counts.complete.set(row.channel, (counts.complete.get(row.channel) ?? 0) + n);
      if (row.first_at && (!counts.firstAt || row.first_at < counts.firstAt)) counts.firstAt = row.first_at;
      if (row.last_at && (!counts.lastAt || row.last_at > counts.lastAt)) counts.lastAt = row.last_at;
      if (row.first_at && row.last_at) {
        const known = counts.fieldwork.get(row.channel);
        counts.fieldwork.set(row.channel, {
          firstAt: known && known.firstAt < row.first_at ? known.firstAt : row.first_at,
          lastAt: known && known.lastAt > row.last_at ? known.lastAt : row.last_at,
        });
      }
    }
  }
  return counts;
}

/** Answers (with their ids) of the given responses to the given questions. */
export async function answersOf(db: Executor, responseIds: number[], questionIds: string[]): Promise<(AnswerRow & { id: number; response_id: number })[]> {
  if (responseIds.length === 0 || questionIds.length === 0) return [];
  return db
    .selectFrom('answers')
    .select(['id', 'response_id', 'question_id', 'option_id', 'value', 'text', 'rank', 'not_applicable'])
    .where('response_id', 'in', responseIds)
    .where('question_id', 'in', questionIds)
    .orderBy('id')
    .execute();
}
