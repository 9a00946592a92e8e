// Stored shape of the consultation of institutions: invitations, letters, self-registrations.
import type { Generated } from 'kysely';
import type { StakeholderGroup } from '../stakeholders/stakeholder.table';

export interface InvitationTable {
  id: Generated<number>;
  stakeholder_id: number;
  survey_slug: string;
  /** The address the invitation went to. */
  email: string;
  language: string;
  deadline_at: string;
  /** Days before the deadline an automatic reminder goes to those who have not answered. */
  reminder_days: number | null;
  created_at: string;
  created_by: number | null;
  opened_at: string | null;
  draft_saved_at: string | null;
  submitted_at: string | null;
  reminded_at: string | null;
  reminder_count: Generated<number>;
  auto_reminded_at: string | null;
  revoked_at: string | null;
  version: Generated<number>;
  response_id: number | null;
  self_registered: Generated<number>;
}

export interface InvitationTokenTable {
  id: Generated<number>;
  invitation_id: number;
  /** sha256 of a link's token; the token itself is only ever in the e-mail. */
  token_hash: string;
  created_at: string;
}

export interface OpinionLetterTable {
  id: Generated<number>;
  invitation_id: number;
  file_name: string;
  /**
   * Unique per letter. For letters uploaded before they were kept in the database, the name of
   * their file under UPLOADS_DIR/letters, which the start-up import reads; a random key since.
   */
  stored_name: string;
  size: number;
  sha256: string;
  uploaded_at: string;
  /** The answer (version) it was submitted with; null while the institution may still replace or remove it. */
  response_id: number | null;
  /** Read when the file was checked; null for letters stored before pages were counted. */
  pages: number | null;
}

/** A letter's bytes (the PDF as uploaded), one row per letter, read only to hand one letter out. */
export interface OpinionLetterContentTable {
  letter_id: number;
  content: Buffer;
}

export interface SelfRegistrationTable {
  id: Generated<number>;
  name: string;
  group_id: StakeholderGroup;
  email: string;
  contact_person: string | null;
  language: string;
  survey_slug: string;
  token_hash: string;
  created_at: string;
  expires_at: string;
  confirmed_at: string | null;
  invitation_id: number | null;
}
