// What planners decided about drafted findings (finding-drafts.ts): accepted or dismissed, by key.
import type { Selectable } from 'kysely';
import type { Executor } from '../../platform/db/connection';
import type { FindingDraftDecisionTable } from './report.table';

export type DraftDecision = 'accepted' | 'dismissed';

export interface DecisionRow {
  key: string;
  decision: DraftDecision;
  findingId: number | null;
  decidedAt: string;
}

const toDecision = (row: Selectable<FindingDraftDecisionTable>): DecisionRow => ({ key: row.draft_key, decision: row.decision, findingId: row.finding_id, decidedAt: row.decided_at });

export async function list(db: Executor): Promise<DecisionRow[]> {
  const rows = await db.selectFrom('finding_draft_decisions').selectAll().orderBy('decided_at').orderBy('draft_key').execute();
  return rows.map(toDecision);
}

export async function find(db: Executor, key: string): Promise<DecisionRow | undefined> {
  const row = await db.selectFrom('finding_draft_decisions').selectAll().where('draft_key', '=', key).executeTakeFirst();
  return row && toDecision(row);
}

/**
 * Records a decision unless the draft has one: false when another request decided it first (two
 * planners, or a retry, racing), so the caller decides nothing. The unique key settles the race in
 * any database, not only in SQLite's one writer at a time.
 */
export async function claim(trx: Executor, key: string, decision: DraftDecision, now: Date): Promise<boolean> {
  const result = await trx
    .insertInto('finding_draft_decisions')
    .values({ draft_key: key, decision, finding_id: null, decided_at: now.toISOString() })
    .onConflict((oc) => oc.column('draft_key').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0;
}

/** The finding an accepted draft became. */
export async function linkFinding(trx: Executor, key: string, findingId: number): Promise<void> {
  await trx.updateTable('finding_draft_decisions').set({ finding_id: findingId }).where('draft_key', '=', key).execute();
}

/** Only a dismissal is taken back: an accepted draft is the finding it became. */
export async function removeDismissal(trx: Executor, key: string): Promise<boolean> {
  const result = await trx.deleteFrom('finding_draft_decisions').where('draft_key', '=', key).where('decision', '=', 'dismissed').executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** A finding made from a draft was deleted: the planner no longer wants it, so it counts as dismissed (and can be offered again). */
export async function dismissAccepted(trx: Executor, key: string, now: Date): Promise<void> {
  await trx.updateTable('finding_draft_decisions').set({ decision: 'dismissed', finding_id: null, decided_at: now.toISOString() }).where('draft_key', '=', key).execute();
}
