// Stored shape of the mail outbox: messages waiting or sent, and every attempt to send them.
import type { Generated } from 'kysely';

export interface OutboxMessageTable {
  id: Generated<number>;
  to_address: string;
  subject: string;
  text_body: string;
  html_body: string | null;
  /** JSON: [{ filename, contentType, content (base64) }] */
  attachments: string | null;
  /** Sealed values (see mail-secrets.ts) the bodies hold as placeholders; null once sent. */
  secrets: string | null;
  language: string;
  /** What the message is about (invitation, reminder, receipt…) and of which record. */
  kind: string;
  ref: string | null;
  /** cancelled: no longer to be sent (its invitation was revoked). */
  status: 'pending' | 'sent' | 'cancelled';
  attempts: Generated<number>;
  next_attempt_at: string;
  last_error: string | null;
  created_at: string;
  sent_at: string | null;
  message_id: string | null;
  /**
   * The worker (one per process) that has taken the message to send it, until claimed_until;
   * after that another may take it over. A sent message keeps the id of the worker that sent it.
   */
  claimed_by: string | null;
  claimed_until: string | null;
}

export interface OutboxAttemptTable {
  id: Generated<number>;
  message_id: number;
  at: string;
  ok: number;
  detail: string | null;
}
