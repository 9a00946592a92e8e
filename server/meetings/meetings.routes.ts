// What residents see: upcoming meetings by mahalle, the sign-up form (no account), and the page
// behind each registration's personal link: confirmed or waiting, calendar file, cancellation.
import crypto from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Municipality } from '../municipality';
import type { Db } from '../platform/db/connection';
import { AppError } from '../platform/http/app-error';
import type { Csrf } from '../platform/http/csrf';
import { isConfirmed, renderConfirm } from '../platform/http/confirm';
import { keepFormOnStorageFailure } from '../platform/http/error-handler';
import { firstText } from '../platform/http/meta-description';
import { parseForm, text } from '../platform/http/validate';
import { activeConsent, buildPrivacyNotice, CONSENT_PURPOSES, consentService } from '../privacy';
import { lookupLimiter, LOOKUP_WINDOW_MS, type LookupLimiter } from './booking-lookup';
import * as meetingRepository from './meeting.repository';
import type { Meeting } from './meeting.repository';
import { formatBookingCode, normalizeEmail, normalizePhone, reminderDueAt, seatsLeft, signupState } from './meeting-rules';
import * as meetingService from './meeting.service';
import type { MeetingContext } from './meeting.service';

export interface MeetingRoutesDeps {
  db: Db;
  csrf: Csrf;
  municipality: Municipality;
  meetings: MeetingContext;
  now: () => Date;
  /** Wrong Kaydımı bul tries per phone number and code; one per app unless a test shares one. */
  lookupLimiter?: LookupLimiter;
}

const FindForm = z.object({
  phone: text(z, 30).min(1, { error: 'meetings:find.phone_required' }),
  code: text(z, 20).min(1, { error: 'meetings:find.code_required' }),
});

const RequestKey = z.string().regex(/^[A-Za-z0-9_-]{22}$/);

function signUpForm(mahalleIds: string[]) {
  return z
    .object({
      name: text(z, 100).min(2, { error: 'meetings:signup.name_required' }),
      phone: text(z, 30)
        .default('')
        .refine((value) => value === '' || normalizePhone(value) !== undefined, { error: 'meetings:signup.phone_invalid' }),
      email: text(z, 254)
        .default('')
        .refine((value) => value === '' || z.email().safeParse(value).success, { error: 'meetings:signup.email_invalid' }),
      mahalle: z.enum(mahalleIds as [string, ...string[]], { error: 'meetings:signup.mahalle_required' }),
      accessibility_need: text(z, 500).default(''),
      accessibility_consent: z.literal('1', { error: 'errors:form.invalid' }).optional(),
      future_meetings: z.literal('1', { error: 'errors:form.invalid' }).optional(),
      request_key: RequestKey,
    });
}

/** Phone or e-mail: checked apart from the schema so the page lists it with every other problem. */
function contactMissing(body: unknown): boolean {
  const blank = (value: unknown) => typeof value !== 'string' || value.trim() === '';
  const form = (typeof body === 'object' && body !== null ? body : {}) as { phone?: unknown; email?: unknown };
  return blank(form.phone) && blank(form.email);
}

/**
 * An accessibility need without its explicit-consent box (KVKK art. 6: it may reveal health
 * data): checked on the raw form, like the contact, so it is listed with every other problem.
 */
function accessibilityConsentMissing(body: unknown): boolean {
  const form = (typeof body === 'object' && body !== null ? body : {}) as { accessibility_need?: unknown; accessibility_consent?: unknown };
  return typeof form.accessibility_need === 'string' && form.accessibility_need.trim() !== '' && form.accessibility_consent !== '1';
}

const MahalleFilter = z.object({ mahalle: z.string().max(100).optional().catch(undefined) });

export function meetingsRouter(deps: MeetingRoutesDeps): Router {
  const router = Router();
  const { db, csrf, municipality } = deps;
  const mahalleIds = municipality.mahalles.map((m) => m.id);
  const Form = signUpForm(mahalleIds);
  const lookups = deps.lookupLimiter ?? lookupLimiter(deps.now);

  // Pages behind a personal link: never cached, the link never passed on as a referrer.
  router.use('/bulusmalar/kayit', (_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    res.set('Referrer-Policy', 'no-referrer');
    next();
  });

  const seatInfo = async (meetings: Meeting[]) => {
    const counts = await meetingRepository.countsOf(db, meetings.map((m) => m.id));
    return new Map(meetings.map((m) => [m.id, { seatsLeft: seatsLeft(m.capacity, counts.get(m.id)!.confirmed), waitlisted: counts.get(m.id)!.waitlisted }]));
  };

  router.get('/bulusmalar', async (req, res) => {
    const query = MahalleFilter.parse(req.query);
    const mahalle = query.mahalle && mahalleIds.includes(query.mahalle) ? query.mahalle : undefined;
    const now = deps.now();
    const meetings = await meetingRepository.listMeetings(db, { endsAfter: now, mahalle });
    res.render('meetings/list', {
      pageTitle: res.locals.t('meetings:list.title'),
      description: res.locals.t('meetings:list.lead'),
      meetings,
      seats: await seatInfo(meetings),
      states: new Map(meetings.map((m) => [m.id, signupState(m, now)])),
      mahalle,
      mahalles: municipality.mahalles,
    });
  });

  const findMeeting = async (req: Request): Promise<Meeting> => {
    const id = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER).safeParse(req.params.id);
    const meeting = id.success ? await meetingRepository.findMeeting(db, id.data) : undefined;
    if (!meeting) throw new AppError(404, 'errors:not_found');
    return meeting;
  };

  // The sign-up form's KVKK summary comes from the same notice as /aydinlatma-metni (built once: municipality.json is read at start-up).
  const privacyNotice = buildPrivacyNotice(municipality);
  const renderMeeting = async (req: Request, res: Response, meeting: Meeting, status: number, values: Record<string, unknown>, errors: Record<string, string>, notice?: string) => {
    const state = signupState(meeting, deps.now());
    res.status(status).render('meetings/show', {
      pageTitle: meetingService.titleOf(meeting, res.locals.lang),
      description: firstText(res.locals.lang === 'en' ? meeting.description_en : undefined, meeting.description_tr, res.locals.t('meetings:list.lead')),
      meeting,
      state,
      seats: (await seatInfo([meeting])).get(meeting.id),
      mahalles: municipality.mahalles,
      values: { ...values, request_key: crypto.randomBytes(16).toString('base64url') },
      errors,
      notice,
      privacyNotice,
      csrfToken: state === 'open' ? csrf.token(req, res) : '',
    });
  };

  // Kaydımı bul: a phone number and a booking code open the sign-up's own page (the personal
  // link), where it can be seen and cancelled. Before /bulusmalar/:id, which it would match.
  const renderFind = (req: Request, res: Response, status: number, values: Record<string, unknown>, errors: Record<string, string>, notice?: string) =>
    res.status(status).render('meetings/find', {
      pageTitle: res.locals.t('meetings:find.title'),
      values,
      errors,
      notice,
      csrfToken: csrf.token(req, res),
    });

  router.get('/bulusmalar/kaydim', (req, res) => {
    res.set('Cache-Control', 'no-store');
    renderFind(req, res, 200, {}, {});
  });

  router.post('/bulusmalar/kaydim', async (req, res) => {
    res.set('Cache-Control', 'no-store');
    const form = parseForm(FindForm, req.body);
    // Only what was typed goes back into the form: never a hint of what is stored.
    const typed = { phone: typeof req.body?.phone === 'string' ? req.body.phone.slice(0, 30) : '', code: typeof req.body?.code === 'string' ? req.body.code.slice(0, 20) : '' };
    if (!form.ok) return renderFind(req, res, 422, typed, form.errors);
    const outcome = await meetingService.findBooking(db, lookups, form.data);
    switch (outcome.kind) {
      case 'found':
        return res.redirect(303, `/bulusmalar/kayit/${meetingService.registrationToken(deps.meetings.secret, outcome.registration.id)}${res.locals.lang === 'en' ? '?lang=en' : ''}`);
      case 'not_found':
        return renderFind(req, res, 422, typed, {}, res.locals.t('meetings:find.not_found'));
      case 'limited':
        return renderFind(req, res, 429, typed, {}, res.locals.t('meetings:find.limited', { count: Math.round(LOOKUP_WINDOW_MS / 60_000) }));
      default: {
        const unknown: never = outcome;
        throw new Error(`Unhandled outcome ${JSON.stringify(unknown)}`);
      }
    }
  });

  router.get('/bulusmalar/:id', async (req, res) => {
    // Never from the browser's cache: on a shared computer the next person must get a fresh form.
    res.set('Cache-Control', 'no-store');
    const meeting = await findMeeting(req);
    await renderMeeting(req, res, meeting, 200, { mahalle: meeting.mahalles.length === 1 ? meeting.mahalles[0] : '' }, {});
  });

  const renderOutcome = (res: Response, status: number, state: 'duplicate' | 'closed' | 'past' | 'cancelled' | 'unknown', meeting?: Meeting) =>
    res.status(status).render('meetings/outcome', { pageTitle: res.locals.t(`meetings:outcome.${state}_title`), state, meeting });

  router.post('/bulusmalar/:id', async (req, res) => {
    const meeting = await findMeeting(req);
    let form = parseForm(Form, req.body);
    if (contactMissing(req.body)) form = { ok: false, errors: { ...(form.ok ? {} : form.errors), phone: 'meetings:signup.contact_required' } };
    if (accessibilityConsentMissing(req.body)) form = { ok: false, errors: { ...(form.ok ? {} : form.errors), accessibility_consent: 'meetings:signup.accessibility_consent_required' } };
    if (!form.ok) {
      // The hidden key is only missing from a post that did not come from the form.
      if (form.errors.request_key) throw new AppError(400, 'errors:bad_request');
      const state = signupState(meeting, deps.now());
      if (state !== 'open') return renderOutcome(res, 410, state, meeting);
      return renderMeeting(req, res, meeting, 422, typeof req.body === 'object' ? req.body : {}, form.errors);
    }
    keepFormOnStorageFailure(res, (notice) => renderMeeting(req, res, meeting, 503, req.body, {}, notice));
    const outcome = await meetingService.signUp(
      db,
      deps.meetings,
      {
        meetingId: meeting.id,
        name: form.data.name,
        phone: form.data.phone ? normalizePhone(form.data.phone)! : null,
        email: form.data.email ? normalizeEmail(form.data.email) : null,
        mahalleId: form.data.mahalle,
        accessibilityNeed: form.data.accessibility_need || null,
        accessibilityConsent: form.data.accessibility_consent === '1' ? { noticeVersion: municipality.privacy.noticeVersion } : null,
        futureMeetingsConsent: form.data.future_meetings === '1' ? { noticeVersion: municipality.privacy.noticeVersion } : null,
        language: res.locals.lang,
        requestKey: form.data.request_key,
      },
      deps.now(),
    );
    switch (outcome.kind) {
      case 'registered':
      case 'repeat':
        return res.redirect(303, `/bulusmalar/kayit/${meetingService.registrationToken(deps.meetings.secret, outcome.registration.id)}`);
      case 'duplicate':
        return renderOutcome(res, 409, 'duplicate', meeting);
      case 'consent_required':
        // Unreachable through the form (checked above); the service refuses it all the same.
        return renderMeeting(req, res, meeting, 422, typeof req.body === 'object' ? req.body : {}, { accessibility_consent: 'meetings:signup.accessibility_consent_required' });
      case 'stale_form':
        // Someone else's page from the history: this person is asked to send it again, on a fresh form.
        return renderMeeting(req, res, meeting, 409, typeof req.body === 'object' ? { ...req.body, request_key: undefined } : {}, { name: 'meetings:signup.stale' });
      case 'not_found':
        throw new AppError(404, 'errors:not_found');
      default:
        return renderOutcome(res, 410, outcome.kind, meeting);
    }
  });

  const findRegistration = async (req: Request, res: Response) => {
    const id = meetingService.registrationIdOf(deps.meetings.secret, String(req.params.token));
    const registration = id === undefined ? undefined : await meetingRepository.findRegistration(db, id);
    if (!registration) {
      renderOutcome(res, 404, 'unknown');
      return undefined;
    }
    const meeting = (await meetingRepository.findMeeting(db, registration.meeting_id))!;
    return { registration, meeting, base: `/bulusmalar/kayit/${String(req.params.token)}` };
  };

  router.get('/bulusmalar/kayit/:token', async (req, res) => {
    const found = await findRegistration(req, res);
    if (!found) return;
    const { registration, meeting, base } = found;
    const now = deps.now();
    // The consents given with the sign-up, one per purpose (the one that counts, else the last
    // withdrawn): each withdrawable here, through its own link, for as long as the link works.
    const stored = await consentService.storedConsentsOfRegistrations(db, [registration.id]);
    const consents = [];
    for (const purpose of CONSENT_PURPOSES) {
      const consent = activeConsent(stored, purpose) ?? stored.filter((c) => c.purpose === purpose).at(-1);
      if (!consent) continue;
      const withdrawPath = consent.withdrawnAt ? undefined : consentService.withdrawalPath(await consentService.withdrawalTokenOf(db, deps.meetings.secret, consent), res.locals.lang);
      consents.push({ purpose, givenAt: consent.givenAt, withdrawnAt: consent.withdrawnAt, withdrawPath });
    }
    res.render('meetings/registration', {
      pageTitle: res.locals.t('meetings:registration.title'),
      meeting,
      registration,
      base,
      position: registration.status === 'waitlisted' ? await meetingRepository.waitlistPosition(db, registration) : undefined,
      // Cancelling makes sense until the meeting starts; after that the page is a record.
      canCancel: registration.status !== 'cancelled' && !meeting.cancelled_at && Date.parse(meeting.starts_at) > now.getTime(),
      // The reminder goes a day before; whoever signs up later, or waits, gets none.
      reminderComing: registration.status === 'confirmed' && reminderDueAt(meeting.starts_at).getTime() > now.getTime(),
      consents,
      formatBookingCode,
      csrfToken: csrf.token(req, res),
    });
  });

  router.get('/bulusmalar/kayit/:token/takvim.ics', async (req, res) => {
    const found = await findRegistration(req, res);
    if (!found) return;
    const { registration, meeting } = found;
    if (registration.status !== 'confirmed' && !meeting.cancelled_at) throw new AppError(409, 'meetings:errors.no_seat');
    const link = meetingService.registrationLink(deps.meetings, registration.id, registration.language);
    const calendar = meetingService.calendarOf(deps.meetings, meeting, registration, res.locals.lang, deps.now(), link);
    res.type('text/calendar; charset=utf-8').attachment(`bulusma-${meeting.id}.ics`).send(calendar);
  });

  // The cancel button leads here first: what cancelling does, and a way back.
  const confirmCancel = (req: Request, res: Response, found: NonNullable<Awaited<ReturnType<typeof findRegistration>>>) => {
    const { registration, meeting, base } = found;
    if (registration.status === 'cancelled' || meeting.cancelled_at) return res.redirect(303, base);
    if (Date.parse(meeting.starts_at) <= deps.now().getTime()) throw new AppError(410, 'meetings:errors.past');
    const t = res.locals.t;
    renderConfirm(req, res, csrf, {
      heading: t('meetings:registration.confirm_title'),
      lines: [
        `${meetingService.titleOf(meeting, res.locals.lang)}`,
        t(registration.status === 'confirmed' ? 'meetings:registration.confirm_confirmed' : 'meetings:registration.confirm_waitlisted'),
        t('meetings:registration.confirm_again'),
      ],
      action: `${base}/iptal`,
      confirmLabel: t('meetings:registration.confirm_button'),
      backHref: base,
      backLabel: t('meetings:registration.confirm_back'),
      honeypot: true,
    });
  };

  router.get('/bulusmalar/kayit/:token/iptal', async (req, res) => {
    const found = await findRegistration(req, res);
    if (!found) return;
    confirmCancel(req, res, found);
  });

  router.post('/bulusmalar/kayit/:token/iptal', async (req, res) => {
    const found = await findRegistration(req, res);
    if (!found) return;
    if (!isConfirmed(req.body)) return confirmCancel(req, res, found);
    const outcome = await meetingService.cancelRegistration(db, deps.meetings, found.registration.id, { by: 'resident' }, deps.now());
    if (outcome.kind === 'past') throw new AppError(410, 'meetings:errors.past');
    res.redirect(303, found.base);
  });

  return router;
}
