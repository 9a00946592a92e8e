// The rules of neighbourhood meetings as pure functions: who gets a seat, who is promoted, when
// sign-up is open, how contact details are compared, and how requests add up (T15, T15b).
import { todayIn } from '../platform/time';
import type { RegistrationStatus } from './meeting.table';

/** Sent this long before the start. */
export const REMINDER_LEAD_MS = 24 * 60 * 60 * 1000;

export type SignupState = 'open' | 'closed' | 'cancelled' | 'past';

export interface MeetingTimes {
  starts_at: string;
  ends_at: string;
  signup_deadline_at: string;
  cancelled_at: string | null;
}

export function signupState(meeting: MeetingTimes, now: Date): SignupState {
  if (meeting.cancelled_at) return 'cancelled';
  if (Date.parse(meeting.ends_at) <= now.getTime()) return 'past';
  if (Date.parse(meeting.signup_deadline_at) <= now.getTime() || Date.parse(meeting.starts_at) <= now.getTime()) return 'closed';
  return 'open';
}

// At the meeting and after it.

export type RecordingState = 'open' | 'not_yet' | 'cancelled';

/**
 * Whether check-in, walk-ins, the head count and requests may be recorded. From the meeting's
 * own calendar day in the municipality's time zone (people come early, planners open the list
 * before the start), never before: data entered a week ahead would describe a meeting that has
 * not happened. Nothing is recorded for a cancelled meeting: it was not held.
 */
export function recordingState(meeting: Pick<MeetingTimes, 'starts_at' | 'cancelled_at'>, now: Date, timeZone: string): RecordingState {
  if (meeting.cancelled_at) return 'cancelled';
  return todayIn(timeZone, now) < todayIn(timeZone, new Date(meeting.starts_at)) ? 'not_yet' : 'open';
}

/** Who came, as every screen, export and report table counts it. */
export interface Attendance {
  /** "Katılan": the people marked present at check-in, walk-ins included. */
  attended: number;
  /** Of those, the ones who came without signing up. */
  walkIns: number;
  /** "Sayım": the planner's own count of the hall, when recorded; shown beside `attended`, never instead of it. */
  headCount: number | null;
}

export function attendanceOf(meeting: { attendance_count: number | null }, checkedIn: { attended: number; walkIns: number }): Attendance {
  return { attended: checkedIn.attended, walkIns: checkedIn.walkIns, headCount: meeting.attendance_count };
}

export type Standing = 'held' | 'upcoming' | 'cancelled';

/**
 * Whether the outcome tables (T15, T15b, the report) count a meeting: once it has started, or
 * as soon as anything was recorded for it on its day, so nothing accepted is left out. The
 * tables say how many they leave out and why.
 */
export function standingOf(meeting: Pick<MeetingTimes, 'starts_at' | 'cancelled_at'>, now: Date, recorded: boolean): Standing {
  if (meeting.cancelled_at) return 'cancelled';
  return recorded || Date.parse(meeting.starts_at) <= now.getTime() ? 'held' : 'upcoming';
}

/** Seats still free, or null when the meeting has no limit. Never negative (capacity may have been lowered). */
export function seatsLeft(capacity: number | null, confirmed: number): number | null {
  return capacity === null ? null : Math.max(0, capacity - confirmed);
}

/**
 * The time a sign-up is stored with: the request's own, or the last one stored for the meeting
 * when that is later. Each process reads the clock before it waits for the meeting's lock, so
 * with several processes the lock, not the clock, decides the order: a sign-up may be stored (and
 * take its waitlist place) after one that read the clock later. Its time is moved up to that one's,
 * so that the times planners read and the waitlist tell the same order.
 */
export function storedAt(now: Date, lastStored: string | undefined): Date {
  return lastStored !== undefined && Date.parse(lastStored) > now.getTime() ? new Date(lastStored) : now;
}

/** Where a new sign-up goes. */
export function placeFor(capacity: number | null, confirmed: number): Exclude<RegistrationStatus, 'cancelled'> {
  return capacity === null || confirmed < capacity ? 'confirmed' : 'waitlisted';
}

/**
 * The waitlisted registrations (ids in waitlist order) that get a seat now. A lowered capacity
 * takes nobody's seat away: the meeting is simply full until enough people cancel.
 */
export function promotions(capacity: number | null, confirmed: number, waitlist: readonly number[]): number[] {
  const free = capacity === null ? waitlist.length : Math.max(0, capacity - confirmed);
  return waitlist.slice(0, free);
}

export function reminderDueAt(startsAt: string): Date {
  return new Date(Date.parse(startsAt) - REMINDER_LEAD_MS);
}

// Phone numbers are read the same way everywhere (sign-up, Kaydımı bul, the footer): see platform/phone.
export { formatPhone, normalizePhone } from '../platform/phone';

export function normalizeEmail(raw: string): string {
  return raw.trim().toLowerCase();
}

// Accessibility needs.

/**
 * The accessibility needs planners may see: those of live sign-ups whose explicit consent (KVKK
 * art. 6: the need may reveal health data) still counts, each with that consent.
 * Needs typed before the form asked for consent have none, and none is made up for them: they
 * stay stored as they were collected (found by data-subject requests, anonymised by retention)
 * but are not shown, only counted, so planners know some need was mentioned and can prepare
 * the venue without reading it. Withdrawn needs are erased on withdrawal and count nowhere.
 */
export function visibleAccessibilityNeeds<
  R extends { id: number; status: RegistrationStatus; accessibility_need: string | null },
  C extends { purpose: string; registrationId: number | null; withdrawnAt: string | null },
>(registrations: readonly R[], consents: readonly C[]): { shown: { registration: R; consent: C }[]; withheld: number } {
  const active = new Map<number, C>();
  for (const consent of consents) {
    if (consent.purpose === 'accessibility_need' && consent.withdrawnAt === null && consent.registrationId !== null) active.set(consent.registrationId, consent);
  }
  const shown: { registration: R; consent: C }[] = [];
  let withheld = 0;
  for (const registration of registrations) {
    if (registration.status === 'cancelled' || !registration.accessibility_need) continue;
    const consent = active.get(registration.id);
    if (consent) shown.push({ registration, consent });
    else withheld++;
  }
  return { shown, withheld };
}

// Outcomes.

export interface RequestFacts {
  meetingId: number;
  areaId: string;
  mahalleId: string | null;
  supporters: number;
}

export interface Tally {
  key: string;
  requests: number;
  supporters: number;
}

/** Requests counted by a key (activity area, mahalle), most first; ties by supporters, then key order given. */
export function tally(requests: readonly RequestFacts[], keyOf: (r: RequestFacts) => string | null, order: readonly string[] = []): Tally[] {
  const byKey = new Map<string, Tally>();
  for (const request of requests) {
    const key = keyOf(request);
    if (key === null) continue;
    const entry = byKey.get(key) ?? { key, requests: 0, supporters: 0 };
    entry.requests += 1;
    entry.supporters += request.supporters;
    byKey.set(key, entry);
  }
  const rank = (key: string) => {
    const at = order.indexOf(key);
    return at === -1 ? order.length : at;
  };
  return [...byKey.values()].sort((a, b) => b.requests - a.requests || b.supporters - a.supporters || rank(a.key) - rank(b.key) || a.key.localeCompare(b.key));
}

/** The three activity areas a meeting's requests were most about (T15's "top three topics"). */
export function topAreas(requests: readonly RequestFacts[], meetingId: number, order: readonly string[] = [], count = 3): string[] {
  return tally(
    requests.filter((r) => r.meetingId === meetingId),
    (r) => r.areaId,
    order,
  )
    .slice(0, count)
    .map((t) => t.key);
}

/** T15b: requests per activity area (rows, in the master list's order) and meeting (columns), with totals. */
export function areaByMeeting(requests: readonly RequestFacts[], areaIds: readonly string[], meetingIds: readonly number[]) {
  const cells = new Map<string, number>();
  for (const r of requests) cells.set(`${r.areaId}|${r.meetingId}`, (cells.get(`${r.areaId}|${r.meetingId}`) ?? 0) + 1);
  const rows = areaIds
    .map((areaId) => {
      const counts = meetingIds.map((meetingId) => cells.get(`${areaId}|${meetingId}`) ?? 0);
      return { areaId, counts, total: counts.reduce((sum, n) => sum + n, 0) };
    })
    .filter((row) => row.total > 0);
  const totals = meetingIds.map((_, i) => rows.reduce((sum, row) => sum + row.counts[i]!, 0));
  return { rows, totals, total: totals.reduce((sum, n) => sum + n, 0) };
}

/** The texts a meeting has in both languages; the others (venue, address) are names, written once. */
export const TRANSLATED_FIELDS = ['title', 'description', 'accessibility'] as const;
export type TranslatedField = (typeof TRANSLATED_FIELDS)[number];

/**
 * The texts given in Turkish only: people who sign up in English read these in Turkish (pages
 * and mail mark them lang="tr"), so the planner is told when saving.
 */
export function missingEnglish(meeting: { [K in `${TranslatedField}_${'tr' | 'en'}`]: string | null }): TranslatedField[] {
  return TRANSLATED_FIELDS.filter((field) => Boolean(meeting[`${field}_tr`]?.trim()) && !meeting[`${field}_en`]?.trim());
}

// Booking codes.

/**
 * What a booking code is made of: letters and digits nobody mixes up when reading them from a
 * screen, writing them on paper or saying them on the phone in Turkish. Left out: 0/O/Ö, 1/I/İ/L,
 * 2/Z, 5/S/Ş, 8/B, G/Ğ/6, C/Ç, U/Ü/V, and Q, W, X (not in the Turkish alphabet).
 */
export const BOOKING_CODE_ALPHABET = 'ADEFHJKMNPRTY34679';
export const BOOKING_CODE_LENGTH = 6;

/** A new code; `randomInt(n)` gives 0 ≤ i < n (crypto.randomInt in the app, fixed in tests). */
export function newBookingCode(randomInt: (n: number) => number): string {
  let code = '';
  for (let i = 0; i < BOOKING_CODE_LENGTH; i++) code += BOOKING_CODE_ALPHABET[randomInt(BOOKING_CODE_ALPHABET.length)];
  return code;
}

/**
 * A code as typed or read out: any case, with spaces or dashes, Turkish dotted and dotless i
 * alike. Undefined when it cannot be a booking code (so nothing is looked up for it).
 */
export function normalizeBookingCode(raw: string): string | undefined {
  const code = raw.replace(/[\s\-.]/g, '').toLocaleUpperCase('tr').replace(/İ/g, 'I');
  if (code.length !== BOOKING_CODE_LENGTH) return undefined;
  for (const c of code) if (!BOOKING_CODE_ALPHABET.includes(c)) return undefined;
  return code;
}

/** "ADE479" → "ADE 479": two halves are easier to read out and copy down. */
export function formatBookingCode(code: string): string {
  return code.length === BOOKING_CODE_LENGTH ? `${code.slice(0, 3)} ${code.slice(3)}` : code;
}
