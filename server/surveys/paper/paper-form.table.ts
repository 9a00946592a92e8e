// Stored shape of paper forms typed in through the entry grid (see the migration create_paper_forms).
import type { Generated } from 'kysely';
import type { ResponseChannel } from '../response.table';

/** 1: the entry that is counted; 2: the second clerk's check of the same forms (double entry). */
export type EntryPass = 1 | 2;

export interface PaperFormTable {
  id: Generated<number>;
  survey_slug: string;
  /** The label of the box or bundle the form came in ('' when none was given). */
  batch: Generated<string>;
  /** The number written in the form's box; unique per survey, batch and pass. */
  form_number: string;
  pass: EntryPass;
  channel: ResponseChannel;
  /** JSON: the form's cells in their canonical spelling, by column key (see grid-cells.ts). */
  cells: string;
  /** The counted response (first pass only). */
  response_id: number | null;
  entered_by: number | null;
  entered_at: string;
  settled_by: number | null;
  settled_at: string | null;
}
