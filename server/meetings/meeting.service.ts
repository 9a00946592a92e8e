// What happens to meetings and sign-ups: each action is one transaction holding its seat changes,
// the promotions they allow, and the messages they cause (mail in the outbox, or a call to make).
import crypto from 'node:crypto';
import type { Actor } from '../platform/audit/audit.repository';
import { by, record } from '../platform/audit/audit.repository';
import type { Db, Executor } from '../platform/db/connection';
import { isUniqueViolation } from '../platform/db/db-errors';
import * as jobs from '../platform/jobs/jobs';
import type { Mailer } from '../platform/mail/mailer';
import { consentService } from '../privacy';
import { calendarMethod, meetingCalendar } from './meeting-calendar';
import * as meetingRepository from './meeting.repository';
import type { Meeting, MeetingInput, Registration } from './meeting.repository';
import type { LookupLimiter } from './booking-lookup';
import { formatBookingCode, normalizeBookingCode, normalizePhone, placeFor, promotions, recordingState, reminderDueAt, signupState, storedAt, type RecordingState } from './meeting-rules';
import type { NoticeKind } from './meeting.table';

export interface MeetingContext {
  mailer: Mailer;
  baseUrl: string;
  /** Signs the registrations' personal links. */
  secret: string;
  /** The municipality's zone for the calendar file's times; Europe/Istanbul when not given. */
  timeZone?: string;
}

export const REMINDER_JOB = 'meeting_reminder';

// Personal links: derived from the registration's id with the site's secret, so every later mail
// (promotion, reminder) can carry the link again and the database holds nothing to steal.

const signature = (secret: string, id: number) => crypto.createHmac('sha256', secret).update(`meeting-registration:${id}`).digest('base64url').slice(0, 22);

export function registrationToken(secret: string, id: number): string {
  return `${id}-${signature(secret, id)}`;
}

export function registrationIdOf(secret: string, token: string): number | undefined {
  const match = /^([1-9]\d{0,11})-([A-Za-z0-9_-]{22})$/.exec(token);
  if (!match) return undefined;
  const id = Number(match[1]);
  const expected = Buffer.from(signature(secret, id));
  const given = Buffer.from(match[2]!);
  return crypto.timingSafeEqual(expected, given) ? id : undefined;
}

export function registrationLink(ctx: MeetingContext, id: number, language: string): string {
  return `${ctx.baseUrl}/bulusmalar/kayit/${registrationToken(ctx.secret, id)}${language === 'en' ? '?lang=en' : ''}`;
}

export const titleOf = (meeting: Pick<Meeting, 'title_tr' | 'title_en'>, language: string) => (language === 'en' && meeting.title_en ? meeting.title_en : meeting.title_tr);

const calendarCancelled = (meeting: Meeting, registration: Pick<Registration, 'status'>) => registration.status === 'cancelled' || meeting.cancelled_at !== null;

/**
 * The resident's own calendar entry: one UID per registration, so cancelling one seat removes
 * that resident's entry only, and a new sign-up is a new entry. A cancelled registration's
 * SEQUENCE is one above the last one it was sent.
 */
export function calendarOf(ctx: MeetingContext, meeting: Meeting, registration: Pick<Registration, 'id' | 'status'>, language: string, stamp: Date, link?: string): string {
  const cancelled = calendarCancelled(meeting, registration);
  return meetingCalendar(
    {
      uid: `meeting-${meeting.id}-${registration.id}`,
      title: titleOf(meeting, language),
      venue: meeting.venue,
      address: meeting.address,
      starts_at: meeting.starts_at,
      ends_at: meeting.ends_at,
      sequence: meeting.version + (registration.status === 'cancelled' ? 1 : 0),
      cancelled,
      description: (language === 'en' && meeting.description_en) || meeting.description_tr || undefined,
      url: link,
    },
    new URL(ctx.baseUrl).hostname,
    stamp,
    ctx.timeZone,
  );
}

/**
 * Tells one resident: by e-mail when they gave an address, otherwise as a call a planner makes
 * (the list shows it). Another channel (SMS) would be one more branch here.
 */
async function notify(
  trx: Executor,
  ctx: MeetingContext,
  meeting: Meeting,
  registration: Registration,
  kind: NoticeKind,
  now: Date,
  extra: { position?: number; phoneCall?: boolean; withdrawLink?: string; accessWithdrawLink?: string } = {},
): Promise<void> {
  if (registration.email) {
    const language = registration.language;
    const link = registrationLink(ctx, registration.id, language);
    const seated = registration.status === 'confirmed';
    // Only someone who had a seat has an entry to add, update or remove.
    const calendar = seated || ((kind === 'meeting_cancelled' || kind === 'registration_cancelled') && registration.confirmed_at !== null) ? calendarOf(ctx, meeting, registration, language, now) : undefined;
    const outboxId = await ctx.mailer.queue(
      trx,
      {
        to: registration.email,
        language,
        template: 'meetings/notice',
        subjectKey: `meetings:mail.${kind}.subject`,
        subjectParams: { title: titleOf(meeting, language) },
        locals: {
          kind,
          name: registration.name,
          title: titleOf(meeting, language),
          meeting,
          accessibility: (language === 'en' && meeting.accessibility_en) || meeting.accessibility_tr,
          position: extra.position,
          seated,
          // Shown large in every mail about a live sign-up; kept in the outbox like the name (the
          // code alone opens nothing: Kaydımı bul asks for the phone number with it).
          bookingCode: registration.booking_code ? formatBookingCode(registration.booking_code) : null,
        },
        // The consents' withdrawal links go with the sign-up's confirmation only.
        secrets: {
          link,
          ...(extra.withdrawLink ? { withdraw_link: extra.withdrawLink } : {}),
          ...(extra.accessWithdrawLink ? { access_withdraw_link: extra.accessWithdrawLink } : {}),
        },
        kind: `meeting_${kind}`,
        ref: `registration:${registration.id}`,
        ...(calendar ? { attachments: [{ filename: 'bulusma.ics', contentType: `text/calendar; charset=utf-8; method=${calendarMethod(calendarCancelled(meeting, registration))}`, content: Buffer.from(calendar).toString('base64') }] } : {}),
      },
      now,
    );
    await meetingRepository.insertNotice(trx, { registrationId: registration.id, kind, channel: 'email', outboxMessageId: outboxId }, now);
  } else if (registration.phone && extra.phoneCall !== false) {
    await meetingRepository.insertNotice(trx, { registrationId: registration.id, kind, channel: 'phone', outboxMessageId: null }, now);
  }
}

/** Gives free seats to the waitlist in order, and tells the people promoted. */
async function fillSeats(trx: Executor, ctx: MeetingContext, meeting: Meeting, now: Date): Promise<number[]> {
  // Once the meeting has begun a freed seat is worth nothing to the next person waiting.
  if (meeting.cancelled_at || Date.parse(meeting.starts_at) <= now.getTime()) return [];
  const counts = (await meetingRepository.countsOf(trx, [meeting.id])).get(meeting.id)!;
  const promoted = promotions(meeting.capacity, counts.confirmed, await meetingRepository.waitlist(trx, meeting.id));
  await meetingRepository.promote(trx, promoted, now);
  for (const id of promoted) {
    const registration = (await meetingRepository.findRegistration(trx, id))!;
    await notify(trx, ctx, meeting, registration, 'promoted', now);
  }
  return promoted;
}

/** The reminder is due a day before the start; a meeting starting sooner than that gets none. */
async function scheduleReminder(trx: Executor, meeting: Pick<Meeting, 'id' | 'starts_at'>, now: Date, again: boolean): Promise<void> {
  const due = reminderDueAt(meeting.starts_at);
  if (due.getTime() > now.getTime()) await jobs.schedule(trx, { kind: REMINDER_JOB, ref: String(meeting.id), dueAt: due, again }, now);
  else await jobs.unschedule(trx, REMINDER_JOB, String(meeting.id), now);
}

// Planning.

export async function createMeeting(db: Db, input: MeetingInput, actor: Actor, now: Date): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const id = await meetingRepository.insertMeeting(trx, input, actor.userId, now);
    await scheduleReminder(trx, { id, starts_at: input.starts_at }, now, false);
    await record(trx, { action: 'meeting.created', ...by(actor), target: `meeting:${id}`, details: { title: input.title_tr } }, now);
    return id;
  });
}

export type ChangeOutcome = { kind: 'changed'; told: number; promoted: number } | { kind: 'not_found' } | { kind: 'cancelled' };

/**
 * Saves a meeting's new details. A new time or place is told to everyone signed up (with the
 * updated calendar entry) and moves the reminder; more seats promote the waitlist in order.
 */
export async function changeMeeting(db: Db, ctx: MeetingContext, id: number, input: MeetingInput, actor: Actor, now: Date): Promise<ChangeOutcome> {
  return db.transaction().execute(async (trx) => {
    await meetingRepository.lockSeats(trx, id);
    const before = await meetingRepository.findMeeting(trx, id);
    if (!before) return { kind: 'not_found' } as const;
    if (before.cancelled_at) return { kind: 'cancelled' } as const;
    // A meeting that is over is a record: its details may be corrected without telling anyone.
    const over = Date.parse(before.ends_at) <= now.getTime();
    const moved = !over && (before.starts_at !== input.starts_at || before.ends_at !== input.ends_at);
    const relocated = !over && (before.venue !== input.venue || before.address !== input.address);
    await meetingRepository.updateMeeting(trx, id, input, moved || relocated, now);
    const meeting = (await meetingRepository.findMeeting(trx, id))!;
    let told = 0;
    if (moved || relocated) {
      for (const registration of await meetingRepository.liveRegistrations(trx, id, ['confirmed', 'waitlisted'])) {
        const position = registration.status === 'waitlisted' ? await meetingRepository.waitlistPosition(trx, registration) : undefined;
        await notify(trx, ctx, meeting, registration, 'changed', now, { position });
        told++;
      }
    }
    if (moved && before.starts_at !== input.starts_at) await scheduleReminder(trx, meeting, now, true);
    const promoted = await fillSeats(trx, ctx, meeting, now);
    await record(
      trx,
      { action: 'meeting.changed', ...by(actor), target: `meeting:${id}`, details: { moved, relocated, capacity: [before.capacity, input.capacity], promoted: promoted.length } },
      now,
    );
    return { kind: 'changed', told, promoted: promoted.length } as const;
  });
}

/** Who is told when a meeting is cancelled: the confirmation page counts the same people. */
export function peopleToTellOfCancellation(db: Executor, meetingId: number): Promise<Registration[]> {
  return meetingRepository.liveRegistrations(db, meetingId, ['confirmed', 'waitlisted']);
}

export async function cancelMeeting(db: Db, ctx: MeetingContext, id: number, reason: string | null, actor: Actor, now: Date): Promise<{ kind: 'cancelled'; told: number } | { kind: 'not_found' } | { kind: 'already' }> {
  return db.transaction().execute(async (trx) => {
    await meetingRepository.lockSeats(trx, id);
    const before = await meetingRepository.findMeeting(trx, id);
    if (!before) return { kind: 'not_found' } as const;
    if (before.cancelled_at) return { kind: 'already' } as const;
    await meetingRepository.markCancelled(trx, id, reason, now);
    const meeting = (await meetingRepository.findMeeting(trx, id))!;
    let told = 0;
    for (const registration of await peopleToTellOfCancellation(trx, id)) {
      await notify(trx, ctx, meeting, registration, 'meeting_cancelled', now);
      told++;
    }
    await jobs.unschedule(trx, REMINDER_JOB, String(id), now);
    await record(trx, { action: 'meeting.cancelled', ...by(actor), target: `meeting:${id}`, details: { reason, told } }, now);
    return { kind: 'cancelled', told } as const;
  });
}

// Signing up.

export interface SignUp {
  meetingId: number;
  name: string;
  phone: string | null;
  email: string | null;
  mahalleId: string;
  accessibilityNeed: string | null;
  /**
   * The explicit-consent box beside the accessibility need, ticked (KVKK art. 6: the need may
   * reveal health data). Required with a need; without one there is nothing to consent to.
   */
  accessibilityConsent: { noticeVersion: string } | null;
  /** The box "tell me about future meetings", ticked: with the privacy notice version the form linked to. */
  futureMeetingsConsent: { noticeVersion: string } | null;
  language: string;
  requestKey: string;
  /**
   * A resident who called the municipality, signed up by a planner: the privacy notice was read
   * out on the phone (its version), and the consents ticked are the answers the resident gave
   * there, recorded as given by phone by this planner.
   */
  byPhone?: { actor: Actor; noticeVersion: string };
}

export type SignUpOutcome =
  | { kind: 'registered'; registration: Registration; position?: number }
  | { kind: 'repeat'; registration: Registration }
  | { kind: 'duplicate' }
  /** The form's key was used by someone else: a page kept in a shared browser's history. */
  | { kind: 'stale_form' }
  /** An accessibility need without the explicit consent to process it: nothing is stored. */
  | { kind: 'consent_required' }
  | { kind: 'not_found' }
  | { kind: 'closed' | 'past' | 'cancelled' };

/** A repeated post of the same form, not another person sending a page left in the browser. */
const sameResident = (earlier: Registration, request: SignUp) =>
  earlier.meeting_id === request.meetingId && earlier.name === request.name && earlier.phone === request.phone && earlier.email === request.email;

/**
 * The seat check and the insert in one transaction (after taking the meeting's lock), so however
 * many people press the button at once, no more than the capacity are confirmed and the waitlist
 * keeps the order they came in.
 */
export async function signUp(db: Db, ctx: MeetingContext, request: SignUp, now: Date): Promise<SignUpOutcome> {
  if (request.accessibilityNeed && !request.accessibilityConsent) return { kind: 'consent_required' };
  try {
    return await db.transaction().execute(async (trx): Promise<SignUpOutcome> => {
      // The lock first: everything read after it is what this sign-up is decided on.
      await meetingRepository.lockSeats(trx, request.meetingId);
      const earlier = await meetingRepository.findByRequestKey(trx, request.requestKey);
      if (earlier) return sameResident(earlier, request) ? { kind: 'repeat', registration: earlier } : { kind: 'stale_form' };
      const meeting = await meetingRepository.findMeeting(trx, request.meetingId);
      if (!meeting) return { kind: 'not_found' };
      const state = signupState(meeting, now);
      if (state !== 'open') return { kind: state };
      if (await meetingRepository.findLive(trx, meeting.id, request)) return { kind: 'duplicate' };
      // The registration's times follow its place in line, not the moment its process read the clock (see storedAt).
      const at = storedAt(now, await meetingRepository.lastSignUpAt(trx, meeting.id));
      const counts = (await meetingRepository.countsOf(trx, [meeting.id])).get(meeting.id)!;
      const status = placeFor(meeting.capacity, counts.confirmed);
      const id = await meetingRepository.insertRegistration(trx, {
        meeting_id: meeting.id,
        name: request.name,
        phone: request.phone,
        email: request.email,
        mahalle_id: request.mahalleId,
        accessibility_need: request.accessibilityNeed,
        // Consents live in their own table (with the notice version, withdrawable); see below.
        future_meetings_consent_at: null,
        language: request.language,
        status,
        source: 'online',
        request_key: request.requestKey,
        created_at: at.toISOString(),
        confirmed_at: status === 'confirmed' ? at.toISOString() : null,
        registered_by: request.byPhone ? request.byPhone.actor.userId : null,
      });
      const channel = request.byPhone ? { channel: 'phone' as const, recordedBy: request.byPhone.actor.userId } : {};
      // In the sign-up's transaction: no sign-up without the consent it was given with, nor the reverse.
      const consent = request.futureMeetingsConsent
        ? await consentService.give(trx, ctx.secret, { purpose: 'future_meetings', registrationId: id, noticeVersion: request.futureMeetingsConsent.noticeVersion, ...channel }, now)
        : undefined;
      // A ticked box beside an empty need consents to nothing, so it stores nothing.
      const accessConsent =
        request.accessibilityNeed && request.accessibilityConsent
          ? await consentService.give(trx, ctx.secret, { purpose: 'accessibility_need', registrationId: id, noticeVersion: request.accessibilityConsent.noticeVersion, ...channel }, now)
          : undefined;
      const registration = (await meetingRepository.findRegistration(trx, id))!;
      const position = status === 'waitlisted' ? await meetingRepository.waitlistPosition(trx, registration) : undefined;
      const withdrawLink = consent ? consentService.withdrawalLink(ctx.baseUrl, consent.token, request.language) : undefined;
      const accessWithdrawLink = accessConsent ? consentService.withdrawalLink(ctx.baseUrl, accessConsent.token, request.language) : undefined;
      // The resident reads the outcome on the page (or hears it from the planner on the phone);
      // a phone-only one needs no call for it.
      await notify(trx, ctx, meeting, registration, status, now, { position, phoneCall: false, withdrawLink, accessWithdrawLink });
      if (request.byPhone) {
        await record(
          trx,
          {
            action: 'registration.added_by_phone',
            ...by(request.byPhone.actor),
            target: `meeting:${meeting.id}`,
            details: {
              registration: id,
              status,
              noticeVersion: request.byPhone.noticeVersion,
              consents: [...(consent ? ['future_meetings'] : []), ...(accessConsent ? ['accessibility_need'] : [])],
            },
          },
          now,
        );
      }
      return { kind: 'registered', registration, position };
    });
  } catch (error) {
    // The checks above make this unreachable on SQLite; PostgreSQL's unique indexes back them up.
    if (!isUniqueViolation(error)) throw error;
    const earlier = await meetingRepository.findByRequestKey(db, request.requestKey);
    if (!earlier) return { kind: 'duplicate' };
    return sameResident(earlier, request) ? { kind: 'repeat', registration: earlier } : { kind: 'stale_form' };
  }
}

export type CancelOutcome = { kind: 'cancelled'; promoted: number[] } | { kind: 'already' } | { kind: 'not_found' } | { kind: 'past' };

/** Frees the seat and gives it to the first person waiting, in the same transaction. */
export async function cancelRegistration(
  db: Db,
  ctx: MeetingContext,
  registrationId: number,
  who: { by: 'resident' } | { by: 'planner'; actor: Actor; meetingId: number },
  now: Date,
): Promise<CancelOutcome> {
  return db.transaction().execute(async (trx): Promise<CancelOutcome> => {
    const found = await meetingRepository.findRegistration(trx, registrationId);
    if (!found || (who.by === 'planner' && found.meeting_id !== who.meetingId)) return { kind: 'not_found' };
    await meetingRepository.lockSeats(trx, found.meeting_id);
    const registration = (await meetingRepository.findRegistration(trx, registrationId))!;
    if (registration.status === 'cancelled') return { kind: 'already' };
    const meeting = (await meetingRepository.findMeeting(trx, registration.meeting_id))!;
    // After the start nobody is cancelled, told or promoted: a no-show is simply not checked in.
    if (Date.parse(meeting.starts_at) <= now.getTime()) return { kind: 'past' };
    await meetingRepository.cancelRegistration(trx, registration.id, who.by, now);
    const cancelled = (await meetingRepository.findRegistration(trx, registration.id))!;
    // The resident who cancelled sees it on the page; a phone call is only owed when a planner did it.
    await notify(trx, ctx, meeting, cancelled, 'registration_cancelled', now, { phoneCall: who.by === 'planner' });
    const promoted = await fillSeats(trx, ctx, meeting, now);
    if (who.by === 'planner') {
      await record(trx, { action: 'registration.cancelled', ...by(who.actor), target: `meeting:${meeting.id}`, details: { registration: registration.id, promoted } }, now);
    }
    return { kind: 'cancelled', promoted };
  });
}

// Kaydımı bul.

export type FindBookingOutcome = { kind: 'found'; registration: Registration } | { kind: 'not_found' } | { kind: 'limited' };

/**
 * The sign-up behind a phone number and a booking code, as typed. A wrong pair, a number or code
 * that cannot be one, and a pair for nobody are the same `not_found`: the page must not tell
 * which half was wrong (nor that a number signed up at all). Wrong tries are counted per code
 * and per number; once either is used up, even the right pair is refused for the window.
 */
export async function findBooking(db: Executor, limiter: LookupLimiter, input: { phone: string; code: string }): Promise<FindBookingOutcome> {
  const phone = normalizePhone(input.phone);
  const code = normalizeBookingCode(input.code);
  const keys = [...(phone ? [`phone:${phone}`] : []), ...(code ? [`code:${code}`] : [])];
  if (limiter.blocked(keys)) return { kind: 'limited' };
  const registration = phone && code ? await meetingRepository.findByPhoneAndCode(db, phone, code) : undefined;
  if (!registration) {
    limiter.failed(keys);
    return { kind: 'not_found' };
  }
  return { kind: 'found', registration };
}

// Reminders.

/** The job behind each meeting's reminder: every confirmed resident is told once, a day before. */
export function reminderJob(ctx: MeetingContext): jobs.JobHandler {
  return async (trx, ref, now) => {
    const meeting = await meetingRepository.findMeeting(trx, Number(ref));
    // Run late (the server was down) it still helps, but not in the last hour.
    if (!meeting || meeting.cancelled_at || Date.parse(meeting.starts_at) - now.getTime() < 60 * 60_000) return;
    for (const registration of await meetingRepository.liveRegistrations(trx, meeting.id, ['confirmed'])) {
      await notify(trx, ctx, meeting, registration, 'reminder', now);
    }
  };
}

export function jobHandlers(ctx: MeetingContext): Record<string, jobs.JobHandler> {
  return { [REMINDER_JOB]: reminderJob(ctx) };
}

// At the meeting: check-in, walk-ins, the head count and requests, each refused (storing
// nothing) before the meeting's day and for a cancelled meeting (see recordingState).

/** Why nothing was stored. */
export type Refusal = { kind: 'not_found' } | { kind: Exclude<RecordingState, 'open'> };
export type RecordOutcome = { kind: 'saved' } | Refusal;

/** The meeting, when something may be recorded for it now; otherwise why not. */
async function openForRecording(trx: Executor, meetingId: number, now: Date, timeZone: string): Promise<Meeting | Refusal> {
  const meeting = await meetingRepository.findMeeting(trx, meetingId);
  if (!meeting) return { kind: 'not_found' };
  const state = recordingState(meeting, now, timeZone);
  return state === 'open' ? meeting : { kind: state };
}

const refused = (found: Meeting | Refusal): found is Refusal => 'kind' in found;

export async function checkIn(db: Db, meetingId: number, registrationId: number, attended: boolean, now: Date, timeZone: string): Promise<RecordOutcome> {
  return db.transaction().execute(async (trx): Promise<RecordOutcome> => {
    const registration = await meetingRepository.findRegistration(trx, registrationId);
    if (!registration || registration.meeting_id !== meetingId) return { kind: 'not_found' };
    const meeting = await openForRecording(trx, meetingId, now, timeZone);
    if (refused(meeting)) return meeting;
    await meetingRepository.setAttended(trx, registrationId, attended ? (registration.attended_at ?? now.toISOString()) : null);
    return { kind: 'saved' };
  });
}

/** Someone who came without signing up: present, and taking nobody's seat. */
export async function addWalkIn(db: Db, meetingId: number, walkIn: { name: string; mahalleId: string }, now: Date, timeZone: string): Promise<{ kind: 'saved'; id: number } | Refusal> {
  return db.transaction().execute(async (trx): Promise<{ kind: 'saved'; id: number } | Refusal> => {
    const meeting = await openForRecording(trx, meetingId, now, timeZone);
    if (refused(meeting)) return meeting;
    const id = await meetingRepository.insertRegistration(trx, {
      meeting_id: meetingId,
      name: walkIn.name,
      phone: null,
      email: null,
      mahalle_id: walkIn.mahalleId,
      accessibility_need: null,
      future_meetings_consent_at: null,
      language: 'tr',
      status: 'confirmed',
      source: 'walk_in',
      request_key: null,
      created_at: now.toISOString(),
      confirmed_at: now.toISOString(),
      attended_at: now.toISOString(),
    });
    return { kind: 'saved', id } as const;
  });
}

/** The planner's head count (kept beside the check-in count, never replacing it) and notes. */
export async function recordOutcome(db: Db, meetingId: number, outcome: { notes: string | null; headCount: number | null }, now: Date, timeZone: string): Promise<RecordOutcome> {
  return db.transaction().execute(async (trx): Promise<RecordOutcome> => {
    const meeting = await openForRecording(trx, meetingId, now, timeZone);
    if (refused(meeting)) return meeting;
    await meetingRepository.saveOutcome(trx, meetingId, { notes: outcome.notes, attendance_count: outcome.headCount }, now);
    return { kind: 'saved' };
  });
}

/** A request raised at the meeting, new (`requestId` undefined) or corrected. */
export async function saveRequest(
  db: Db,
  meetingId: number,
  requestId: number | undefined,
  input: meetingRepository.RequestInput,
  userId: number | null,
  now: Date,
  timeZone: string,
): Promise<RecordOutcome> {
  return db.transaction().execute(async (trx): Promise<RecordOutcome> => {
    const meeting = await openForRecording(trx, meetingId, now, timeZone);
    if (refused(meeting)) return meeting;
    if (requestId === undefined) await meetingRepository.insertRequest(trx, meetingId, input, userId, now);
    else if (!(await meetingRepository.updateRequest(trx, meetingId, requestId, input, now))) return { kind: 'not_found' };
    return { kind: 'saved' };
  });
}
