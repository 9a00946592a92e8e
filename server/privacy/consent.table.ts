// Stored shape of explicit consents (KVKK art. 5/1): one row per consent to one optional use.
import type { Generated } from 'kysely';

/**
 * The optional uses a person can consent to; each has its own text on the form and the notice.
 * 'accessibility_need' is consent to process a special category of data (health, KVKK art. 6):
 * withdrawing it erases the need it was given for. The column is plain text (no CHECK, see
 * migration 16), so a new purpose needs no migration.
 */
export const CONSENT_PURPOSES = ['future_meetings', 'accessibility_need'] as const;
export type ConsentPurpose = (typeof CONSENT_PURPOSES)[number];

/** How a consent was given: ticked on the form, or read out and recorded by a planner on the phone. */
export const CONSENT_CHANNELS = ['online', 'phone'] as const;
export type ConsentChannel = (typeof CONSENT_CHANNELS)[number];

export interface ConsentTable {
  id: Generated<number>;
  purpose: ConsentPurpose;
  /** The meeting sign-up the consent was given with; other subjects will get their own column. */
  registration_id: number | null;
  /** The privacy notice's version when the consent was given; 'unknown' for consents from before it was recorded. */
  notice_version: string;
  given_at: string;
  withdrawn_at: string | null;
  withdrawal_token_hash: string | null;
  channel: Generated<ConsentChannel>;
  /** The planner who read the text out and recorded the answer; null for consents given online. */
  recorded_by: number | null;
}
