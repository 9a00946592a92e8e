// Stored shape of neighbourhood meetings: the meetings, their sign-ups, what residents were told,
// and the requests they raised.
import type { Generated } from 'kysely';

export const GZFT_KINDS = ['strength', 'weakness', 'opportunity', 'threat'] as const;
export type GzftKind = (typeof GZFT_KINDS)[number];

export const REGISTRATION_STATUSES = ['confirmed', 'waitlisted', 'cancelled'] as const;
export type RegistrationStatus = (typeof REGISTRATION_STATUSES)[number];

/** What a resident is told about: each is a mail, or a call for those who gave only a phone number. */
export const NOTICE_KINDS = ['confirmed', 'waitlisted', 'promoted', 'changed', 'meeting_cancelled', 'registration_cancelled', 'reminder'] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];

export interface MeetingTable {
  id: Generated<number>;
  title_tr: string;
  title_en: string | null;
  venue: string;
  address: string;
  starts_at: string;
  ends_at: string;
  capacity: number | null;
  signup_deadline_at: string;
  accessibility_tr: string | null;
  accessibility_en: string | null;
  description_tr: string | null;
  description_en: string | null;
  cancelled_at: string | null;
  cancel_reason: string | null;
  version: Generated<number>;
  seat_changes: Generated<number>;
  notes: string | null;
  attendance_count: number | null;
  created_at: string;
  created_by: number | null;
  updated_at: string;
}

export interface MeetingMahalleTable {
  meeting_id: number;
  mahalle_id: string;
}

export interface MeetingRegistrationTable {
  id: Generated<number>;
  meeting_id: number;
  name: string;
  phone: string | null;
  email: string | null;
  mahalle_id: string;
  accessibility_need: string | null;
  /** @deprecated Superseded by the consents table (migration 16), which keeps the notice version and withdrawals; no longer read or written. */
  future_meetings_consent_at: string | null;
  language: string;
  status: RegistrationStatus;
  source: 'online' | 'walk_in';
  request_key: string | null;
  created_at: string;
  confirmed_at: string | null;
  promoted_at: string | null;
  cancelled_at: string | null;
  cancelled_by: 'resident' | 'planner' | null;
  attended_at: string | null;
  /** Short code the resident finds the sign-up with (with their phone number) or reads out on the phone; unique. Null only between migration steps. */
  booking_code: string | null;
  /** The planner who signed up a resident who called; null for sign-ups on the site and walk-ins. */
  registered_by: number | null;
}

export interface MeetingNoticeTable {
  id: Generated<number>;
  registration_id: number;
  kind: NoticeKind;
  channel: 'email' | 'phone';
  outbox_message_id: number | null;
  created_at: string;
  handled_at: string | null;
  handled_by: number | null;
}

export interface MeetingRequestTable {
  id: Generated<number>;
  meeting_id: number;
  text: string;
  activity_area_id: string;
  mahalle_id: string | null;
  supporters: Generated<number>;
  gzft_kind: GzftKind | null;
  created_at: string;
  created_by: number | null;
  updated_at: string;
}
