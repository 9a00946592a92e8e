// The outbox in the planner's words: what kind of mail each message is, whom and what it is about
// ("Buluşma kaydı onayı · Ayşe Yılmaz, Cami Mah. buluşması"), and only the dates that mean something.
import type { Executor } from '../platform/db/connection';

type Translate = (key: string, options?: Record<string, unknown>) => string;

/** What a message's ref points at, looked up once for a page of messages. */
export type About =
  | { type: 'registration'; name: string; meeting: string }
  | { type: 'invitation'; institution: string; survey: string }
  | { type: 'user'; name: string };

/** Refs are written "registration:12", "invitation:5"; the login-failure mail's ref is the user's id. */
export function parseRef(kind: string, ref: string | null): { type: About['type']; id: number } | null {
  if (!ref) return null;
  const m = /^(registration|invitation):(\d+)$/.exec(ref);
  if (m) return { type: m[1] as 'registration' | 'invitation', id: Number(m[2]) };
  if (kind === 'login_failures' && /^\d+$/.test(ref)) return { type: 'user', id: Number(ref) };
  return null;
}

export function kindLabel(kind: string, t: Translate): string {
  return t(`admin:outbox.kinds.${kind}`, { defaultValue: kind });
}

/** "Buluşma kaydı onayı · Ayşe Yılmaz, Cami Mah. buluşması"; the kind alone when the record is gone. */
export function describeMessage(kind: string, about: About | undefined, t: Translate): string {
  const label = kindLabel(kind, t);
  if (!about) return label;
  const what =
    about.type === 'registration'
      ? t('admin:outbox.about.registration', { name: about.name, meeting: about.meeting })
      : about.type === 'invitation'
        ? t('admin:outbox.about.invitation', { institution: about.institution, survey: about.survey })
        : about.name;
  return `${label} · ${what}`;
}

/** The message's state with the one date that means something for it. */
export function stateLine(
  message: { status: string; sent_at: string | null; next_attempt_at: string; claimed_until?: string | null },
  now: Date,
  smtpConfigured: boolean,
  t: Translate,
  formatDateTime: (iso: string) => string,
): string {
  if (message.status === 'sent') return message.sent_at ? t('admin:outbox.sent_at', { date: formatDateTime(message.sent_at) }) : t('admin:outbox.statuses.sent');
  if (message.status === 'cancelled') return t('admin:outbox.statuses.cancelled');
  // A live claim means a worker (maybe another process's) has the message in hand right now.
  if (message.claimed_until && Date.parse(message.claimed_until) > now.getTime()) return t('admin:outbox.sending_now');
  if (!smtpConfigured) return t('admin:outbox.pending_smtp');
  if (Date.parse(message.next_attempt_at) <= now.getTime()) return t('admin:outbox.pending_now');
  return t('admin:outbox.pending_until', { date: formatDateTime(message.next_attempt_at) });
}

/** Looks up the people, meetings and institutions a page of messages is about. */
export async function loadAbout(db: Executor, messages: { id: number; kind: string; ref: string | null }[], language: string): Promise<Map<number, About>> {
  const refs = messages.map((m) => ({ id: m.id, ref: parseRef(m.kind, m.ref) }));
  const ids = (type: About['type']) => [...new Set(refs.filter((r) => r.ref?.type === type).map((r) => r.ref!.id))];
  const registrationIds = ids('registration');
  const invitationIds = ids('invitation');
  const userIds = ids('user');
  const registrations = registrationIds.length
    ? await db
        .selectFrom('meeting_registrations as r')
        .innerJoin('meetings as m', 'm.id', 'r.meeting_id')
        .select(['r.id', 'r.name', 'm.title_tr', 'm.title_en'])
        .where('r.id', 'in', registrationIds)
        .execute()
    : [];
  const invitations = invitationIds.length
    ? await db
        .selectFrom('invitations as i')
        .innerJoin('stakeholders as s', 's.id', 'i.stakeholder_id')
        .select(['i.id', 's.name', 'i.survey_slug'])
        .where('i.id', 'in', invitationIds)
        .execute()
    : [];
  const users = userIds.length ? await db.selectFrom('users').select(['id', 'name']).where('id', 'in', userIds).execute() : [];
  const found = new Map<string, About>();
  for (const r of registrations) found.set(`registration:${r.id}`, { type: 'registration', name: r.name, meeting: (language === 'en' && r.title_en) || r.title_tr });
  for (const i of invitations) found.set(`invitation:${i.id}`, { type: 'invitation', institution: i.name, survey: i.survey_slug });
  for (const u of users) found.set(`user:${u.id}`, { type: 'user', name: u.name });
  const about = new Map<number, About>();
  for (const r of refs) {
    const hit = r.ref && found.get(`${r.ref.type}:${r.ref.id}`);
    if (hit) about.set(r.id, hit);
  }
  return about;
}
