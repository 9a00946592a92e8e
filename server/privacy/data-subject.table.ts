// Stored shape of requests people make about their own data (KVKK art. 11), answered within 30 days.
import type { Generated } from 'kysely';

export const REQUEST_KINDS = ['access', 'rectification', 'erasure', 'objection', 'other'] as const;
export type RequestKind = (typeof REQUEST_KINDS)[number];

export const REQUEST_CHANNELS = ['email', 'kep', 'letter', 'in_person', 'phone', 'other'] as const;
export type RequestChannel = (typeof REQUEST_CHANNELS)[number];

export interface DataSubjectRequestTable {
  id: Generated<number>;
  kind: RequestKind;
  /** Lower-case. */
  subject_email: string | null;
  /** As normalizePhone writes it: +90 and ten digits for Turkish numbers. */
  subject_phone: string | null;
  requester_name: string;
  channel: RequestChannel;
  /** Calendar dates (YYYY-MM-DD) in the municipality's time zone. */
  received_on: string;
  due_on: string;
  notes: string | null;
  created_at: string;
  created_by: number | null;
  answered_at: string | null;
  answered_by: number | null;
  answer_note: string | null;
}
