// The SQL of bulk coding: the answers a search reads, batches with each answer's codes from
// before, and themes' rules.
import type { Executor } from '../../platform/db/connection';
import { notSplit, textAnswers } from './coding.repository';

export type Scope = 'uncoded' | 'all';

export interface SearchableAnswer {
  id: number;
  text: string;
}

export interface Batch {
  id: number;
  questionId: string;
  query: string;
  themeNames: string[];
  answerCount: number;
  appliedAt: string;
  undoneAt: string | null;
}

export interface BatchItem {
  answerId: number;
  wasCoded: boolean;
  beforeCodedBy: number | null;
  beforeCodedAt: string | null;
  beforeThemeIds: number[];
}

/** SQLite allows 32,766 bound values per statement; an item has six. */
const CHUNK = 1000;

/** The question's non-empty answers of included responses, oldest first; only those nobody coded yet for 'uncoded'. */
export async function questionAnswers(db: Executor, surveySlug: string, questionId: string, scope: Scope): Promise<SearchableAnswer[]> {
  let query = notSplit(textAnswers(db, surveySlug, [questionId]));
  if (scope === 'uncoded') query = query.where((eb) => eb.not(eb.exists(eb.selectFrom('coded_answers as c').select('c.answer_id').whereRef('c.answer_id', '=', 'a.id'))));
  const rows = await query.select(['a.id', 'a.text']).orderBy('a.id').execute();
  return rows.map((row) => ({ id: row.id, text: row.text ?? '' }));
}

/** Which of the ids are answers of the question that may be coded. */
export async function codableIds(db: Executor, surveySlug: string, questionId: string, answerIds: number[]): Promise<Set<number>> {
  const found = new Set<number>();
  for (let i = 0; i < answerIds.length; i += CHUNK) {
    const rows = await notSplit(textAnswers(db, surveySlug, [questionId])).where('a.id', 'in', answerIds.slice(i, i + CHUNK)).select('a.id').execute();
    for (const row of rows) found.add(row.id);
  }
  return found;
}

/** answerId → who coded it and when, for the coded ones among the ids. */
export async function codingStamps(db: Executor, answerIds: number[]): Promise<Map<number, { codedBy: number | null; codedAt: string }>> {
  const stamps = new Map<number, { codedBy: number | null; codedAt: string }>();
  for (let i = 0; i < answerIds.length; i += CHUNK) {
    const rows = await db.selectFrom('coded_answers').select(['answer_id', 'coded_by', 'coded_at']).where('answer_id', 'in', answerIds.slice(i, i + CHUNK)).execute();
    for (const row of rows) stamps.set(row.answer_id, { codedBy: row.coded_by, codedAt: row.coded_at });
  }
  return stamps;
}

export async function insertBatch(
  db: Executor,
  batch: { surveySlug: string; questionId: string; query: string; themeNames: string[]; answerCount: number; appliedBy: number | null },
  now: Date,
): Promise<number> {
  const row = await db
    .insertInto('coding_batches')
    .values({
      survey_slug: batch.surveySlug,
      question_id: batch.questionId,
      query: batch.query,
      theme_names: JSON.stringify(batch.themeNames),
      answer_count: batch.answerCount,
      applied_by: batch.appliedBy,
      applied_at: now.toISOString(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function insertItems(db: Executor, batchId: number, items: BatchItem[]): Promise<void> {
  for (let i = 0; i < items.length; i += CHUNK) {
    await db
      .insertInto('coding_batch_items')
      .values(
        items.slice(i, i + CHUNK).map((item) => ({
          batch_id: batchId,
          answer_id: item.answerId,
          was_coded: item.wasCoded ? 1 : 0,
          before_coded_by: item.beforeCodedBy,
          before_coded_at: item.beforeCodedAt,
          before_theme_ids: JSON.stringify(item.beforeThemeIds),
        })),
      )
      .execute();
  }
}

function toBatch(row: { id: number; question_id: string; query: string; theme_names: string; answer_count: number; applied_at: string; undone_at: string | null }): Batch {
  return {
    id: row.id,
    questionId: row.question_id,
    query: row.query,
    themeNames: JSON.parse(row.theme_names) as string[],
    answerCount: row.answer_count,
    appliedAt: row.applied_at,
    undoneAt: row.undone_at,
  };
}

/** The survey's latest batches, newest first. */
export async function recentBatches(db: Executor, surveySlug: string, limit: number): Promise<Batch[]> {
  const rows = await db.selectFrom('coding_batches').selectAll().where('survey_slug', '=', surveySlug).orderBy('id', 'desc').limit(limit).execute();
  return rows.map(toBatch);
}

export async function findBatch(db: Executor, surveySlug: string, id: number): Promise<Batch | undefined> {
  const row = await db.selectFrom('coding_batches').selectAll().where('survey_slug', '=', surveySlug).where('id', '=', id).executeTakeFirst();
  return row ? toBatch(row) : undefined;
}

export async function batchItems(db: Executor, batchId: number): Promise<BatchItem[]> {
  const rows = await db.selectFrom('coding_batch_items').selectAll().where('batch_id', '=', batchId).orderBy('answer_id').execute();
  return rows.map((row) => ({
    answerId: row.answer_id,
    wasCoded: row.was_coded === 1,
    beforeCodedBy: row.before_coded_by,
    beforeCodedAt: row.before_coded_at,
    beforeThemeIds: JSON.parse(row.before_theme_ids) as number[],
  }));
}

/** Whether a later batch, still in force, changed one of this batch's answers. */
export async function hasLaterOverlap(db: Executor, batchId: number): Promise<boolean> {
  const row = await db
    .selectFrom('coding_batch_items as mine')
    .innerJoin('coding_batch_items as later', 'later.answer_id', 'mine.answer_id')
    .innerJoin('coding_batches as b', 'b.id', 'later.batch_id')
    .select('later.batch_id')
    .where('mine.batch_id', '=', batchId)
    .where('later.batch_id', '>', batchId)
    .where('b.undone_at', 'is', null)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

export async function markUndone(db: Executor, batchId: number, undoneBy: number | null, now: Date): Promise<void> {
  await db.updateTable('coding_batches').set({ undone_by: undoneBy, undone_at: now.toISOString() }).where('id', '=', batchId).execute();
}

/** Takes the answer back to "not reviewed". */
export async function uncode(db: Executor, answerId: number): Promise<void> {
  await db.deleteFrom('answer_codes').where('answer_id', '=', answerId).execute();
  await db.deleteFrom('coded_answers').where('answer_id', '=', answerId).execute();
}

export async function setRule(db: Executor, themeId: number, rule: string | null, now: Date): Promise<void> {
  await db.updateTable('codebook_themes').set({ rule, updated_at: now.toISOString() }).where('id', '=', themeId).execute();
}
