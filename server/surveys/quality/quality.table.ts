// Stored shape of the quality checks on survey responses (see the 2026_12_07_30 migration).

/** What a planner decided about a flagged response; it then leaves the review queue. */
export type ReviewDecision = 'kept' | 'excluded';

export interface ResponseQualityTable {
  response_id: number;
  survey_slug: string;
  submitted_at: string;
  /** started_at → submitted_at; null for paper and face-to-face entries. */
  duration_seconds: number | null;
  /** The speeder threshold for the questions this response was shown (see quality-checks.ts). */
  expected_seconds: number | null;
  /** sha256 of the normalised answer vector; null when too short to tell, cleared after the window. */
  answers_hash: string | null;
  /** HMAC of the network prefix with the day's key; cleared when that key is dropped. */
  network_hash: string | null;
  network_day: string | null;
  reviewed_at: string | null;
  reviewed_by: number | null;
  review_decision: ReviewDecision | null;
}

export interface ResponseFlagTable {
  response_id: number;
  reason: string;
  /** JSON with what the check saw (durations, the matrix, the other response), for the review screen. */
  detail: string | null;
  flagged_at: string;
}

export interface QualityNetworkKeyTable {
  /** UTC day, YYYY-MM-DD. */
  day: string;
  /** 32 random bytes, hex. */
  key: string;
  created_at: string;
}
