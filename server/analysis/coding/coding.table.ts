// Stored shape of the codebook of open answers and the coding.
import type { Generated } from 'kysely';

export const SWOT_KINDS = ['strength', 'weakness', 'opportunity', 'threat'] as const;
export type SwotKind = (typeof SWOT_KINDS)[number];

export interface CodebookThemeTable {
  id: Generated<number>;
  survey_slug: string;
  name: string;
  /** An activity area id of municipality.json. */
  area_id: string | null;
  swot_kind: SwotKind | null;
  /** Comma separated words that suggest the theme. */
  keywords: Generated<string>;
  /** A search query (answer-search.ts) whose matches are suggested for the theme; null without a rule. */
  rule: Generated<string | null>;
  created_at: string;
  updated_at: string;
}

export interface CodedAnswerTable {
  answer_id: number;
  coded_by: number | null;
  coded_at: string;
}

export interface AnswerCodeTable {
  answer_id: number;
  theme_id: number;
}

export interface ThemeQuoteTable {
  theme_id: number;
  answer_id: number | null;
  text: string;
  chosen_by: number | null;
  chosen_at: string;
}

/** A part of an answer coded on its own; see the answer_segments migration. */
export interface AnswerSegmentTable {
  id: Generated<number>;
  answer_id: number;
  position: number;
  text: string;
  reviewed_at: string | null;
  reviewed_by: number | null;
}

export interface SegmentCodeTable {
  segment_id: number;
  theme_id: number;
}
