// Stored shape of the GZFT review (T16): the items planners made and a decision per candidate statement.
import type { Generated } from 'kysely';
import type { SwotKind } from '../coding/coding.table';

export const SWOT_DECISIONS = ['accepted', 'edited', 'merged', 'dropped'] as const;
export type SwotDecision = (typeof SWOT_DECISIONS)[number];

export interface SwotItemTable {
  id: Generated<number>;
  kind: SwotKind;
  text: string;
  created_at: string;
  updated_at: string;
}

export interface SwotReviewTable {
  /** The candidate's stable key (swot-candidates.ts). */
  candidate_key: string;
  decision: SwotDecision;
  /** Null exactly when dropped. */
  item_id: number | null;
  reviewed_by: number | null;
  reviewed_at: string;
}
