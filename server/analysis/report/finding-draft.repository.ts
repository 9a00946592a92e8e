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

export async function insert(trx: Executor, key: string, decision: DraftDecision, findingId: number | null, now: Date): Promise<void> {
  await trx.insertInto('finding_draft_decisions').values({ draft_key: key, decision, finding_id: findingId, decided_at: now.toISOString() }).execute();
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
