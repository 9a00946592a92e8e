// The GZFT review (T16): the planner's items and the decision on each candidate statement.
import type { Executor } from '../../platform/db/connection';
import type { SwotKind } from '../coding/coding.table';
import type { SwotItemRecord, SwotReview } from './swot-candidates';
import type { SwotDecision } from './swot.table';

/** SQLite allows 32,766 bound values per statement. */
const CHUNK = 5000;

export async function reviews(db: Executor): Promise<SwotReview[]> {
  const rows = await db.selectFrom('swot_reviews').select(['candidate_key', 'decision', 'item_id']).orderBy('reviewed_at').orderBy('candidate_key').execute();
  return rows.map((row) => ({ candidateKey: row.candidate_key, decision: row.decision, itemId: row.item_id }));
}

export async function items(db: Executor): Promise<SwotItemRecord[]> {
  return db.selectFrom('swot_items').select(['id', 'kind', 'text']).orderBy('id').execute();
}

export async function findItem(db: Executor, id: number): Promise<SwotItemRecord | undefined> {
  return db.selectFrom('swot_items').select(['id', 'kind', 'text']).where('id', '=', id).executeTakeFirst();
}

export async function insertItem(db: Executor, kind: SwotKind, text: string, now: Date): Promise<number> {
  const row = await db.insertInto('swot_items').values({ kind, text, created_at: now.toISOString(), updated_at: now.toISOString() }).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

export async function updateItem(db: Executor, id: number, kind: SwotKind, text: string, now: Date): Promise<void> {
  await db.updateTable('swot_items').set({ kind, text, updated_at: now.toISOString() }).where('id', '=', id).execute();
}

/** The item goes with the decisions that made it: its candidates are pending again. */
export async function deleteItem(db: Executor, id: number): Promise<void> {
  await db.deleteFrom('swot_reviews').where('item_id', '=', id).execute();
  await db.deleteFrom('swot_items').where('id', '=', id).execute();
}

/**
 * Records the decision on each candidate not decided yet; returns how many it recorded. A candidate
 * decided meanwhile (another planner's request) is left as decided: the caller refuses the whole.
 */
export async function saveReviews(db: Executor, candidateKeys: string[], decision: SwotDecision, itemId: number | null, reviewedBy: number | null, now: Date): Promise<number> {
  let saved = 0;
  for (let i = 0; i < candidateKeys.length; i += CHUNK) {
    const values = candidateKeys.slice(i, i + CHUNK).map((candidate_key) => ({ candidate_key, decision, item_id: itemId, reviewed_by: reviewedBy, reviewed_at: now.toISOString() }));
    const result = await db
      .insertInto('swot_reviews')
      .values(values)
      .onConflict((oc) => oc.column('candidate_key').doNothing())
      .executeTakeFirst();
    saved += Number(result.numInsertedOrUpdatedRows ?? 0n);
  }
  return saved;
}

export async function deleteReviews(db: Executor, candidateKeys: string[]): Promise<void> {
  for (let i = 0; i < candidateKeys.length; i += CHUNK) await db.deleteFrom('swot_reviews').where('candidate_key', 'in', candidateKeys.slice(i, i + CHUNK)).execute();
}
