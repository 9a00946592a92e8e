// Wall-clock times in the municipality's time zone, for forms (datetime-local, date inputs) and
// for day-based filters. Stored times are always ISO 8601 in UTC.

function offsetMs(timeZone: string, at: Date): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(at);
  const get = (type: string) => Number(parts.find((part) => part.type === type)!.value);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return asUtc - Math.floor(at.getTime() / 1000) * 1000;
}

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}))?$/;

/** "2026-06-01T09:30" (or "2026-06-01", midnight) in the zone → "2026-06-01T06:30:00.000Z"; undefined when malformed. */
export function zonedToIso(local: string, timeZone: string): string | undefined {
  const match = LOCAL.exec(local);
  if (!match) return undefined;
  const [year, month, day, hour, minute] = match.slice(1).map((part) => Number(part ?? 0)) as [number, number, number, number, number];
  const wall = Date.UTC(year, month - 1, day, hour, minute);
  const check = new Date(wall);
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day || hour > 23 || minute > 59) return undefined;
  // Twice, so a wall time near a daylight-saving change lands on the right side of it.
  let instant = wall - offsetMs(timeZone, new Date(wall));
  instant = wall - offsetMs(timeZone, new Date(instant));
  return new Date(instant).toISOString();
}

/** An instant as the zone's wall clock, for a datetime-local input: "2026-06-01T09:30". */
export function isoToZonedInput(iso: string, timeZone: string): string {
  const at = new Date(iso);
  return new Date(at.getTime() + offsetMs(timeZone, at)).toISOString().slice(0, 16);
}

/** The start of the day after a date in the zone, for inclusive "to" filters. */
export function endOfDayIso(date: string, timeZone: string): string | undefined {
  const start = zonedToIso(date, timeZone);
  if (!start) return undefined;
  return zonedToIso(addDays(date, 1), timeZone);
}

// Calendar dates (YYYY-MM-DD) with no time of day: adoption dates, deadlines, date inputs.

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A real calendar date written YYYY-MM-DD (not 2025-02-30, not 2026-13-01). */
export function isIsoDate(value: string): boolean {
  const match = ISO_DATE.exec(value);
  if (!match) return false;
  const [year, month, day] = match.slice(1).map(Number) as [number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

const utcDay = (isoDate: string) => Date.parse(`${isoDate}T00:00:00Z`);

export function addDays(isoDate: string, days: number): string {
  return new Date(utcDay(isoDate) + days * 86_400_000).toISOString().slice(0, 10);
}

/** Whole days from one date to another (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((utcDay(to) - utcDay(from)) / 86_400_000);
}

/** The date of an instant on the zone's wall calendar, e.g. today's for the municipality. */
export function todayIn(timeZone: string, now: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}
