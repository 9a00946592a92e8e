// Stored shape of bulk coding: a batch per apply, with each answer's codes from before it.
import type { Generated } from 'kysely';

export interface CodingBatchTable {
  id: Generated<number>;
  survey_slug: string;
  question_id: string;
  query: string;
  /** JSON list of the theme names as applied. */
  theme_names: string;
  answer_count: number;
  applied_by: number | null;
  applied_at: string;
  undone_by: number | null;
  undone_at: string | null;
}

export interface CodingBatchItemTable {
  batch_id: number;
  answer_id: number;
  /** 1 when the answer was coded before the batch, 0 when not. */
  was_coded: number;
  before_coded_by: number | null;
  before_coded_at: string | null;
  /** JSON list of theme ids. */
  before_theme_ids: string;
}
