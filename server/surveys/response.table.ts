// Stored shape of survey responses. Columns are snake_case and match the migrations exactly.
import type { Generated } from 'kysely';

export const RESPONSE_CHANNELS = ['online', 'paper', 'face_to_face'] as const;
export type ResponseChannel = (typeof RESPONSE_CHANNELS)[number];
export type ResponseStatus = 'draft' | 'complete';

/** Every version of every survey definition that was ever loaded, so old responses stay readable. */
export interface SurveyDefinitionTable {
  hash: string;
  slug: string;
  definition: string;
  first_loaded_at: string;
}

export interface ResponseTable {
  id: Generated<number>;
  survey_slug: string;
  definition_hash: string;
  language: string;
  channel: ResponseChannel;
  status: ResponseStatus;
  /** sha256 of the draft cookie's token; cleared when the response is completed. */
  draft_token_hash: string | null;
  /** JSON of the form fields saved so far, keyed by field name; cleared when completed. */
  draft_fields: string | null;
  /** The key carried by the final form post, so a retried submission stores one response. */
  idempotency_key: string | null;
  started_at: string;
  updated_at: string;
  submitted_at: string | null;
  /** The planner who typed in a paper or face-to-face questionnaire. */
  entered_by: number | null;
  excluded_at: string | null;
  excluded_by: number | null;
  exclusion_reason: ExclusionReason | null;
  exclusion_note: string | null;
  /** The single-use access code the response completed with (see access-code.table.ts). */
  access_code_id: Generated<number | null>;
}

/** The reasons a planner may give; quality: flagged by the quality checks and excluded on review. */
export const EXCLUSION_REASONS = ['test', 'spam', 'duplicate', 'quality', 'other'] as const;
/** Set by Paydaş alone: an institution's earlier answers, kept but replaced by a later version. */
export const SUPERSEDED = 'superseded';
export type ExclusionReason = (typeof EXCLUSION_REASONS)[number] | typeof SUPERSEDED;

export interface AnswerTable {
  id: Generated<number>;
  response_id: number;
  question_id: string;
  /** The chosen option, the likert row or the ranked item. */
  option_id: string | null;
  /** Numeric value: a likert scale point, a rating, a number. */
  value: number | null;
  /** Free text, the "other" text, or an ISO date. */
  text: string | null;
  rank: number | null;
  /** 1 for a likert "Bilgim yok" answer, which analysis keeps out of means. */
  not_applicable: Generated<number>;
}

/** Running counts of the answers of included responses (complete, not excluded), per survey. */
export interface AnswerTallyTable {
  survey_slug: string;
  question_id: string;
  /** option|value|rank|not_applicable: the row's identity as one text. */
  cell: string;
  option_id: string | null;
  value: number | null;
  rank: number | null;
  not_applicable: number;
  count: number;
}

/** How many included responses answered each question. */
export interface QuestionRespondentsTable {
  survey_slug: string;
  question_id: string;
  respondents: number;
}
