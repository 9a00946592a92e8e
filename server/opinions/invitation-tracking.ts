// Where each invitation stands, for the planner's tracking table: pure, from the invitation row
// and the outbox states of the mail sent about it.
export type TrackingStep = 'revoked' | 'submitted' | 'draft' | 'opened' | 'delivered' | 'queued';

export interface MailState {
  kind: string;
  ref: string | null;
  status: string;
  sent_at: string | null;
}

export interface Tracking {
  /** The furthest step reached. */
  step: TrackingStep;
  /** When the first invitation e-mail reached the SMTP server; null while it waits in the outbox. */
  deliveredAt: string | null;
  /** Mail about this invitation still waiting in the outbox. */
  waiting: number;
}

export function trackInvitation(
  invitation: { id: number; opened_at: string | null; draft_saved_at: string | null; submitted_at: string | null; revoked_at: string | null },
  mail: MailState[],
): Tracking {
  const own = mail.filter((m) => m.ref === `invitation:${invitation.id}`);
  const delivered = own
    .filter((m) => m.kind === 'invitation' && m.sent_at !== null)
    .map((m) => m.sent_at!)
    .sort();
  const step: TrackingStep = invitation.revoked_at
    ? 'revoked'
    : invitation.submitted_at
      ? 'submitted'
      : invitation.draft_saved_at
        ? 'draft'
        : invitation.opened_at
          ? 'opened'
          : delivered.length > 0
            ? 'delivered'
            : 'queued';
  return { step, deliveredAt: delivered[0] ?? null, waiting: own.filter((m) => m.status === 'pending').length };
}

/** Where the receipt e-mail of the answer that counts stands, for the receipt page. */
export type ReceiptMail = { state: 'queued' | 'retrying'; to: string } | { state: 'sent'; to: string; sentAt: string } | { state: 'none' };

/**
 * The receipt page says what is true when it is shown: waiting (not tried yet), being tried again
 * after the mail server refused, or sent and when; nothing when there is no such mail (cancelled,
 * or removed once its retention ended).
 */
export function receiptMailState(message: { to_address: string; status: string; attempts: number; sent_at: string | null } | undefined): ReceiptMail {
  if (!message) return { state: 'none' };
  if (message.status === 'sent' && message.sent_at) return { state: 'sent', to: message.to_address, sentAt: message.sent_at };
  if (message.status === 'pending') return { state: message.attempts > 0 ? 'retrying' : 'queued', to: message.to_address };
  return { state: 'none' };
}
