// The audit log: every sensitive action, written in the same transaction as the action itself.
// The actions are listed here so the log can be filtered and translated.
import type { Executor } from '../db/connection';

export const AUDIT_ACTIONS = [
  'login.succeeded',
  'login.failed',
  'login.locked',
  'login.no_session',
  'logout',
  'setup.completed',
  'user.created',
  'user.role_changed',
  'user.disabled',
  'user.enabled',
  'user.password_reset',
  'survey.opened',
  'survey.closed',
  'survey.dates_changed',
  'survey.uploaded',
  'survey.draft_created',
  'survey.draft_changed',
  'survey.draft_discarded',
  'survey.published',
  'survey.access_mode_changed',
  'survey.access_codes_created',
  'response.excluded',
  'response.restored',
  'response.kept',
  'response.settled',
  'response.corrected',
  'export.downloaded',
  'stakeholder.created',
  'stakeholder.changed',
  'stakeholder.archived',
  'stakeholder.restored',
  'stakeholder.merged',
  'stakeholder.imported',
  'stakeholder.threshold_changed',
  'invitation.sent',
  'invitation.reminded',
  'invitation.revoked',
  'invitation.resent',
  'invitation.self_registration_refused',
  'letter.downloaded',
  'outbox.retried',
  'meeting.created',
  'meeting.changed',
  'meeting.cancelled',
  'registration.cancelled',
  'registration.added_by_phone',
  'consent.withdrawn',
  'activity.created',
  'activity.changed',
  'activity.deleted',
  'theme.created',
  'theme.changed',
  'theme.deleted',
  'theme.quote_chosen',
  'theme.rule_changed',
  'coding.bulk_applied',
  'coding.bulk_undone',
  'theme.imported',
  'theme.codes_settled',
  'answer.split',
  'answer.merged',
  'report.settings_changed',
  'report.template_uploaded',
  'report.template_removed',
  'finding.created',
  'finding.changed',
  'finding.deleted',
  'swot.reviewed',
  'swot.item_changed',
  'swot.reopened',
  'finding.draft_dismissed',
  'finding.draft_restored',
  'privacy.adoption_date_set',
  'privacy.retention_run',
  'privacy.request_created',
  'privacy.record_corrected',
  'privacy.records_erased',
  'privacy.request_answered',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** The person behind an action, as the audit log records them. */
export interface Actor {
  userId: number | null;
  email: string | null;
  ip: string | null;
}

/** An entry's who-fields from an actor. */
export function by(actor: Actor): Pick<AuditEntry, 'userId' | 'actor' | 'ip'> {
  return { userId: actor.userId, actor: actor.email, ip: actor.ip };
}

export interface AuditEntry {
  action: AuditAction;
  userId?: number | null;
  actor?: string | null;
  target?: string | null;
  details?: Record<string, unknown>;
  ip?: string | null;
}

export interface AuditEvent {
  id: number;
  at: string;
  userId: number | null;
  actor: string | null;
  action: string;
  target: string | null;
  details: Record<string, unknown> | null;
  ip: string | null;
}

export async function record(db: Executor, entry: AuditEntry, now: Date): Promise<void> {
  await db
    .insertInto('audit_events')
    .values({
      at: now.toISOString(),
      user_id: entry.userId ?? null,
      actor: entry.actor ?? null,
      action: entry.action,
      target: entry.target ?? null,
      details: entry.details ? JSON.stringify(entry.details) : null,
      ip: entry.ip ?? null,
    })
    .execute();
}

export interface AuditFilter {
  action?: AuditAction;
  userId?: number;
  from?: string;
  to?: string;
}

export async function list(db: Executor, filter: AuditFilter, page: { limit: number; offset: number }): Promise<{ events: AuditEvent[]; total: number }> {
  let query = db.selectFrom('audit_events');
  if (filter.action) query = query.where('action', '=', filter.action);
  if (filter.userId !== undefined) query = query.where('user_id', '=', filter.userId);
  if (filter.from) query = query.where('at', '>=', filter.from);
  if (filter.to) query = query.where('at', '<', filter.to);
  const total = await query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = await query.selectAll().orderBy('id', 'desc').limit(page.limit).offset(page.offset).execute();
  return {
    total: Number(total.n),
    events: rows.map((row) => ({
      id: row.id,
      at: row.at,
      userId: row.user_id,
      actor: row.actor,
      action: row.action,
      target: row.target,
      details: row.details ? (JSON.parse(row.details) as Record<string, unknown>) : null,
      ip: row.ip,
    })),
  };
}
