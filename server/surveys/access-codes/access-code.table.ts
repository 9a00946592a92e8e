// Stored shape of access codes: the mode a planner sets per survey and the printed single-use codes.
import type { Generated } from 'kysely';

export const ACCESS_MODES = ['none', 'optional', 'required'] as const;
export type AccessMode = (typeof ACCESS_MODES)[number];

/** A survey without a row here has mode 'none'. */
export interface SurveyAccessModeTable {
  slug: string;
  mode: AccessMode;
  updated_at: string;
  updated_by: number | null;
}

/** Codes generated together, for one way of handing them out (a muhtar, a meeting, a bill). */
export interface AccessCodeBatchTable {
  id: Generated<number>;
  survey_slug: string;
  label: string;
  size: number;
  created_at: string;
  created_by: number | null;
}

export interface AccessCodeTable {
  id: Generated<number>;
  batch_id: number;
  survey_slug: string;
  /** Normalised (see normaliseCode); shown grouped on the cards. */
  code: string;
  /** When a response completed with it; the response points back (responses.access_code_id). */
  used_at: string | null;
}
