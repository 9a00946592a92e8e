// Stored shape of KVKK retention: each run, and every record anonymised (by a run or a request).
import type { Generated } from 'kysely';

export const RETENTION_TRIGGERS = ['job', 'admin'] as const;
export type RetentionTrigger = (typeof RETENTION_TRIGGERS)[number];

export interface RetentionRunTable {
  id: Generated<number>;
  ran_at: string;
  trigger: RetentionTrigger;
  user_id: number | null;
  /** The plan's adoption date (YYYY-MM-DD) the run went by. */
  adopted_on: string;
  /** Records created before this instant were anonymised. */
  cutoff_at: string;
  registrations: number;
  invitations: number;
  invitation_tokens: number;
  self_registrations: number;
  outbox_messages: number;
}

export const ANONYMISED_KINDS = ['registration', 'invitation', 'self_registration', 'outbox'] as const;
export type AnonymisedKind = (typeof ANONYMISED_KINDS)[number];

export interface AnonymisationTable {
  kind: AnonymisedKind;
  record_id: number;
  anonymised_at: string;
  run_id: number | null;
  request_id: number | null;
}
