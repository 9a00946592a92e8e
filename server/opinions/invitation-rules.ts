// The rules of the consultation of institutions that need no database: which deadline an
// invitation gets. Pure, so they are tested without HTTP.
import { endOfDayIso, isIsoDate, todayIn } from '../platform/time';

export type DeadlineChoice = { kind: 'ok'; deadline: string } | { kind: 'invalid' } | { kind: 'past' } | { kind: 'after_close' };

/**
 * A planner picks the deadline as a calendar day in the municipality's zone. It is compared with
 * the form's closing day, not its instant: the closing day is always allowed (the invite form
 * offers it), even when the form closes at 23:59. The deadline is the end of that day, or the
 * form's closing if that comes first, since the links close with the form.
 */
export function invitationDeadline(day: string, closesAt: string, timeZone: string, now: Date): DeadlineChoice {
  const dayAfter = isIsoDate(day) ? endOfDayIso(day, timeZone) : undefined;
  if (!dayAfter) return { kind: 'invalid' };
  const deadline = new Date(Math.min(Date.parse(dayAfter) - 1000, Date.parse(closesAt))).toISOString();
  if (Date.parse(deadline) <= now.getTime()) return { kind: 'past' };
  if (day > todayIn(timeZone, new Date(closesAt))) return { kind: 'after_close' };
  return { kind: 'ok', deadline };
}
