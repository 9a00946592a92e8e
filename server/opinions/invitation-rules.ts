// The rules of the consultation of institutions that need no database: which deadline an
// invitation gets, and what an institution asking on its own is to the register. Pure, so they
// are tested without HTTP.
import { endOfDayIso, isIsoDate, todayIn } from '../platform/time';

export type DeadlineChoice = { kind: 'ok'; deadline: string } | { kind: 'invalid' } | { kind: 'past' } | { kind: 'after_close' };

/**
 * A planner picks the deadline as a calendar day in the municipality's zone. It is compared with
 * the form's closing day, not its instant: the closing day is always allowed (the invite form
 * offers it), even when the form closes at 23:59. The deadline is the end of that day, or the
 * form's closing if that comes first, since the links close with the form.
 */
/**
 * The last calendar day, in the municipality's zone, on which the form is open at all: a form
 * closing at midnight is not open on the day it closes. The invite form offers this day.
 */
export function lastOpenDay(closesAt: string, timeZone: string): string {
  return todayIn(timeZone, new Date(Date.parse(closesAt) - 1));
}

export function invitationDeadline(day: string, closesAt: string, timeZone: string, now: Date): DeadlineChoice {
  const dayAfter = isIsoDate(day) ? endOfDayIso(day, timeZone) : undefined;
  if (!dayAfter) return { kind: 'invalid' };
  const deadline = new Date(Math.min(Date.parse(dayAfter) - 1000, Date.parse(closesAt))).toISOString();
  if (Date.parse(deadline) <= now.getTime()) return { kind: 'past' };
  if (day > lastOpenDay(closesAt, timeZone)) return { kind: 'after_close' };
  return { kind: 'ok', deadline };
}

/** What the register and a form's invitations know of an address an institution gives at /kurum-gorusu. */
export interface KnownAddress {
  /** Entries of the register (not archived) holding the address, oldest first. */
  entries: { id: number; name: string }[];
  /** Invitations to the form sent to the address or to an entry holding it, oldest first. */
  invitations: { id: number; stakeholder_id: number; stakeholderName: string; revoked_at: string | null; deadline_at: string; self_registered: number }[];
}

export type SelfRegistrationTarget =
  /** Nobody known: a new entry, marked self-registered. */
  | { kind: 'new' }
  /** A register entry never invited to the form: it takes part as that entry. */
  | { kind: 'entry'; stakeholderId: number }
  /** Already invited and the link still works: that invitation again. */
  | { kind: 'invited'; invitationId: number }
  /** Its invitation was revoked, or ran out: asking again on its own must not undo that. */
  | { kind: 'refused'; reason: 'revoked' | 'expired'; stakeholderId: number; stakeholderName: string };

/**
 * An address the register knows is that institution, in the state its invitation is in: one
 * institution, one entry (T1, T2, T14), and a planner's revocation or deadline stays in force.
 */
export function selfRegistrationTarget(known: KnownAddress, now: Date): SelfRegistrationTarget {
  const live = known.invitations.find((i) => i.revoked_at === null && Date.parse(i.deadline_at) > now.getTime());
  if (live) return { kind: 'invited', invitationId: live.id };
  // A deadline a planner gave stays in force; one a self-registration got by itself does not.
  const ended = known.invitations.filter((i) => i.revoked_at !== null || !i.self_registered).at(-1);
  if (ended) return { kind: 'refused', reason: ended.revoked_at ? 'revoked' : 'expired', stakeholderId: ended.stakeholder_id, stakeholderName: ended.stakeholderName };
  const entry = known.entries[0];
  return entry ? { kind: 'entry', stakeholderId: entry.id } : { kind: 'new' };
}

/**
 * The deadline of an institution that asked on its own: the one planners gave the latest round of
 * invitations to the form, so it answers by the same day as the invited ones; the form's closing
 * when there was no round, or when that deadline has passed while the form stays open.
 */
export function selfRegistrationDeadline(roundDeadline: string | undefined, closesAt: string, now: Date): string {
  const closing = Date.parse(closesAt);
  const round = roundDeadline === undefined ? NaN : Date.parse(roundDeadline);
  const deadline = round > now.getTime() ? Math.min(round, closing) : closing;
  return new Date(deadline).toISOString();
}

export type InviteSkip = 'no_email' | 'already_invited';

/**
 * Who of the chosen institutions gets an invitation: not those with an open invitation to this
 * form, nor those without an address. One invitation is one e-mail. The invite itself and the
 * page asking to confirm a bulk invite both use this, so the page counts what will happen.
 */
export function sortInvitees<S extends { id: number; name: string; emails: string[] }>(
  stakeholders: S[],
  alreadyInvited: ReadonlySet<number>,
): { invite: S[]; skipped: { stakeholder: S; reason: InviteSkip }[] } {
  const invite: S[] = [];
  const skipped: { stakeholder: S; reason: InviteSkip }[] = [];
  for (const stakeholder of stakeholders) {
    if (alreadyInvited.has(stakeholder.id)) skipped.push({ stakeholder, reason: 'already_invited' });
    else if (!stakeholder.emails[0]) skipped.push({ stakeholder, reason: 'no_email' });
    else invite.push(stakeholder);
  }
  return { invite, skipped };
}

/** How many of each group, largest first, then by name of the group: "which kinds of institutions". */
export function countByGroup<G extends string>(stakeholders: { group: G }[]): { group: G; count: number }[] {
  const counts = new Map<G, number>();
  for (const s of stakeholders) counts.set(s.group, (counts.get(s.group) ?? 0) + 1);
  return [...counts].map(([group, count]) => ({ group, count })).sort((a, b) => b.count - a.count || a.group.localeCompare(b.group));
}
