// Back-office screens of neighbourhood meetings: planning (create, edit, cancel), the sign-up
// list with calls to make, the printable attendance sheet, check-in at the door, and outcomes
// (requests by activity area and mahalle, T15, T15b) with their exports.
import crypto from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { actorOf, flash, requirePermission, type Flash } from '../admin';
import type { Municipality } from '../municipality';
import * as audit from '../platform/audit/audit.repository';
import type { Db } from '../platform/db/connection';
import { writeCsv, writeXlsx, type Cell } from '../platform/export/writers';
import { AppError } from '../platform/http/app-error';
import { isConfirmed, renderConfirm } from '../platform/http/confirm';
import type { Csrf } from '../platform/http/csrf';
import { formList, parseForm, text } from '../platform/http/validate';
import { isoToZonedInput, zonedToIso } from '../platform/time';
import { consentsOfRegistrations, type Consent } from '../privacy';
import * as meetingRepository from './meeting.repository';
import type { Meeting, MeetingInput, MeetingRequest, Registration } from './meeting.repository';
import { attendanceOf, formatBookingCode, formatPhone, missingEnglish, normalizeEmail, normalizePhone, promotions, recordingState, seatsLeft, signupState, visibleAccessibilityNeeds } from './meeting-rules';
import * as meetingService from './meeting.service';
import type { MeetingContext } from './meeting.service';
import { GZFT_KINDS } from './meeting.table';
import { areaByMeetingTable, byAreaTable, byMahalleTable, loadOutcomes, mahalleName, meetingsTable, requestsTable, type OutcomeTable, type Words } from './meeting-outcomes';

export interface MeetingAdminDeps {
  db: Db;
  csrf: Csrf;
  municipality: Municipality;
  meetings: MeetingContext;
  timeZone: string;
  now: () => Date;
}

const optionalText = (max: number) => text(z, max).default('');
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

function meetingForm(mahalleIds: string[]) {
  return z.object({
    title_tr: text(z, 200).min(3, { error: 'errors:form.required' }),
    title_en: optionalText(200),
    mahalles: z.preprocess(formList, z.array(z.enum(mahalleIds as [string, ...string[]], { error: 'errors:form.invalid' })).min(1, { error: 'meetings:form.mahalles_required' }).max(200)),
    venue: text(z, 200).min(2, { error: 'errors:form.required' }),
    address: text(z, 500).min(2, { error: 'errors:form.required' }),
    date: z.string({ error: 'errors:form.required' }).regex(DATE, { error: 'meetings:form.date_invalid' }),
    start_time: z.string({ error: 'errors:form.required' }).regex(TIME, { error: 'meetings:form.time_invalid' }),
    end_time: z.string({ error: 'errors:form.required' }).regex(TIME, { error: 'meetings:form.time_invalid' }),
    capacity: z
      .string({ error: 'errors:form.invalid' })
      .trim()
      .regex(/^\d{0,6}$/, { error: 'meetings:form.capacity_invalid' })
      .transform((value) => (value === '' ? null : Number(value)))
      .refine((value) => value === null || value >= 1, { error: 'meetings:form.capacity_invalid' }),
    deadline_date: z.union([z.literal(''), z.string().regex(DATE, { error: 'meetings:form.date_invalid' })], { error: 'meetings:form.date_invalid' }).default(''),
    deadline_time: z.union([z.literal(''), z.string().regex(TIME, { error: 'meetings:form.time_invalid' })], { error: 'meetings:form.time_invalid' }).default(''),
    accessibility_tr: optionalText(1000),
    accessibility_en: optionalText(1000),
    description_tr: optionalText(3000),
    description_en: optionalText(3000),
  });
}

function requestForm(areaIds: string[], mahalleIds: string[]) {
  return z.object({
    text: text(z, 2000).min(2, { error: 'errors:form.required' }),
    area: z.enum(areaIds as [string, ...string[]], { error: 'meetings:requests.area_required' }),
    mahalle: z.union([z.literal(''), z.enum(mahalleIds as [string, ...string[]])], { error: 'errors:form.invalid' }).default(''),
    supporters: z.coerce.number({ error: 'meetings:requests.supporters_invalid' }).int({ error: 'meetings:requests.supporters_invalid' }).min(1, { error: 'meetings:requests.supporters_invalid' }).max(100000, { error: 'meetings:requests.supporters_invalid' }),
    gzft: z.union([z.literal(''), z.enum(GZFT_KINDS)], { error: 'errors:form.invalid' }).default(''),
  });
}

const OutcomeForm = z.object({
  notes: text(z, 10000).default(''),
  attendance_count: z
    .string({ error: 'errors:form.invalid' })
    .trim()
    .regex(/^\d{0,6}$/, { error: 'meetings:outcomes.attendance_invalid' })
    .transform((value) => (value === '' ? null : Number(value))),
});

const CancelForm = z.object({ reason: text(z, 500).default('') });
const CheckInForm = z.object({ attended: z.enum(['0', '1'], { error: 'errors:form.invalid' }), q: text(z, 100).default('') });
const Id = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);

export function meetingsAdminRouter(deps: MeetingAdminDeps): Router {
  const router = Router();
  const { db, csrf, municipality } = deps;
  const mahalleIds = municipality.mahalles.map((m) => m.id);
  const areaIds = municipality.activityAreas.map((a) => a.id);
  const Form = meetingForm(mahalleIds);
  const RequestForm = requestForm(areaIds, mahalleIds);
  const manage = requirePermission('meetings.manage');
  const read = requirePermission('results.read');

  // The page's own translator and date helpers (see viewLocals), so tables read like the page.
  const wordsOf = (res: Response): Words => ({
    t: res.locals.t,
    language: res.locals.lang,
    municipality,
    formatDate: res.locals.formatDate,
    formatTime: res.locals.formatTime,
  });

  const findMeeting = async (req: Request): Promise<Meeting> => {
    const id = Id.safeParse(req.params.id);
    const meeting = id.success ? await meetingRepository.findMeeting(db, id.data) : undefined;
    if (!meeting) throw new AppError(404, 'errors:not_found');
    return meeting;
  };

  const idParam = (req: Request, name: string): number => {
    const id = Id.safeParse(req.params[name]);
    if (!id.success) throw new AppError(404, 'errors:not_found');
    return id.data;
  };

  /** Nothing was stored: the error that says why, in the planner's language. */
  const refusalError = (res: Response, meeting: Meeting, refusal: meetingService.Refusal): AppError => {
    switch (refusal.kind) {
      case 'not_found':
        return new AppError(404, 'errors:not_found');
      case 'cancelled':
        return new AppError(409, 'meetings:errors.record_cancelled');
      case 'not_yet':
        return new AppError(409, 'meetings:errors.not_yet', { day: res.locals.formatDay(meeting.starts_at) });
      default: {
        const unknown: never = refusal;
        throw new Error(`Unhandled refusal ${JSON.stringify(unknown)}`);
      }
    }
  };

  /** Before the form is even read: a meeting that takes no records gets the reason, not field errors. */
  const assertRecordable = (res: Response, meeting: Meeting): void => {
    const state = recordingState(meeting, deps.now(), deps.timeZone);
    if (state !== 'open') throw refusalError(res, meeting, { kind: state });
  };

  // Planning.

  router.get('/admin/meetings', read, async (_req, res) => {
    const meetings = await meetingRepository.listMeetings(db);
    const counts = await meetingRepository.countsOf(db, meetings.map((m) => m.id));
    const now = deps.now().getTime();
    res.render('admin/meetings/list', {
      pageTitle: res.locals.t('meetings:admin.title'),
      upcoming: meetings.filter((m) => Date.parse(m.ends_at) > now),
      past: meetings.filter((m) => Date.parse(m.ends_at) <= now).reverse(),
      counts,
      attendance: new Map(meetings.map((m) => [m.id, attendanceOf(m, counts.get(m.id)!)])),
      mahalleName: (id: string) => mahalleName(wordsOf(res), id),
    });
  });

  const valuesOf = (m: Meeting) => {
    const start = isoToZonedInput(m.starts_at, deps.timeZone);
    // A deadline equal to the start is the default ("until it starts"): the form leaves it empty,
    // so moving the meeting moves it too.
    const deadline = m.signup_deadline_at === m.starts_at ? '' : isoToZonedInput(m.signup_deadline_at, deps.timeZone);
    return {
      title_tr: m.title_tr,
      title_en: m.title_en ?? '',
      mahalles: m.mahalles,
      venue: m.venue,
      address: m.address,
      date: start.slice(0, 10),
      start_time: start.slice(11),
      end_time: isoToZonedInput(m.ends_at, deps.timeZone).slice(11),
      capacity: m.capacity === null ? '' : String(m.capacity),
      deadline_date: deadline.slice(0, 10),
      deadline_time: deadline.slice(11, 16),
      accessibility_tr: m.accessibility_tr ?? '',
      accessibility_en: m.accessibility_en ?? '',
      description_tr: m.description_tr ?? '',
      description_en: m.description_en ?? '',
    };
  };

  const renderForm = (req: Request, res: Response, status: number, locals: { meeting?: Meeting; values: Record<string, unknown>; errors: Record<string, string> }) =>
    res.status(status).render('admin/meetings/form', {
      pageTitle: locals.meeting ? `${meetingService.titleOf(locals.meeting, res.locals.lang)} — ${res.locals.t('meetings:form.edit_title')}` : res.locals.t('meetings:form.new_title'),
      csrfToken: csrf.token(req, res),
      mahalles: municipality.mahalles,
      meeting: undefined,
      ...locals,
    });

  /** The form as stored values, or the fields that are wrong. */
  const toInput = (data: z.output<typeof Form>): { input: MeetingInput } | { errors: Record<string, string> } => {
    const startsAt = zonedToIso(`${data.date}T${data.start_time}`, deps.timeZone);
    const endsAt = zonedToIso(`${data.date}T${data.end_time}`, deps.timeZone);
    if (!startsAt || !endsAt) return { errors: { date: 'meetings:form.date_invalid' } };
    if (Date.parse(endsAt) <= Date.parse(startsAt)) return { errors: { end_time: 'meetings:form.end_before_start' } };
    let deadline = startsAt;
    if (data.deadline_date) {
      const at = zonedToIso(`${data.deadline_date}T${data.deadline_time || '23:59'}`, deps.timeZone);
      if (!at) return { errors: { deadline_date: 'meetings:form.date_invalid' } };
      if (Date.parse(at) > Date.parse(startsAt)) return { errors: { deadline_date: 'meetings:form.deadline_after_start' } };
      deadline = at;
    }
    return {
      input: {
        title_tr: data.title_tr,
        title_en: data.title_en || null,
        venue: data.venue,
        address: data.address,
        starts_at: startsAt,
        ends_at: endsAt,
        capacity: data.capacity,
        signup_deadline_at: deadline,
        accessibility_tr: data.accessibility_tr || null,
        accessibility_en: data.accessibility_en || null,
        description_tr: data.description_tr || null,
        description_en: data.description_en || null,
        mahalles: [...new Set(data.mahalles)],
      },
    };
  };

  /** Saved, but with texts in Turkish only: the planner is told which, in their own language. */
  const untranslatedNotice = (res: Response, input: MeetingInput): Flash['notice'] => {
    const missing = missingEnglish(input);
    if (missing.length === 0) return undefined;
    const t = res.locals.t;
    return { key: 'meetings:form.english_missing', params: { fields: missing.map((field) => t(`meetings:form.english_field.${field}`)).join(', ') } };
  };

  const formValues = (req: Request) => ({ ...(typeof req.body === 'object' ? req.body : {}), mahalles: formList(req.body?.mahalles) });

  router.get('/admin/meetings/new', manage, (req, res) => {
    renderForm(req, res, 200, { values: { mahalles: [], capacity: '' }, errors: {} });
  });

  router.post('/admin/meetings', manage, async (req, res) => {
    const form = parseForm(Form, req.body);
    if (!form.ok) return renderForm(req, res, 422, { values: formValues(req), errors: form.errors });
    const checked = toInput(form.data);
    if ('errors' in checked) return renderForm(req, res, 422, { values: formValues(req), errors: checked.errors });
    if (Date.parse(checked.input.starts_at) <= deps.now().getTime()) return renderForm(req, res, 422, { values: formValues(req), errors: { date: 'meetings:form.in_past' } });
    const id = await meetingService.createMeeting(db, checked.input, actorOf(req, res), deps.now());
    const notice = untranslatedNotice(res, checked.input);
    flash(req, { kind: 'success', key: 'meetings:form.created', ...(notice ? { notice } : {}) });
    res.redirect(303, `/admin/meetings/${id}`);
  });

  router.get('/admin/meetings/outcomes', read, async (_req, res) => {
    const words = wordsOf(res);
    const outcomes = await loadOutcomes(db, { heldBy: deps.now() });
    res.locals.scripts = ['vendor/chart.umd.js', 'js/charts.js'];
    res.render('admin/meetings/outcomes', {
      pageTitle: res.locals.t('meetings:outcomes.title'),
      tables: [meetingsTable(outcomes, words), areaByMeetingTable(outcomes, words), byAreaTable(outcomes.requests, words), byMahalleTable(outcomes.requests, words)],
    });
  });

  const exportRequests = async (req: Request, res: Response, kind: 'csv' | 'xlsx') => {
    const words = wordsOf(res);
    const meetingId = req.query.meeting === undefined ? undefined : Id.safeParse(req.query.meeting);
    if (meetingId && !meetingId.success) throw new AppError(404, 'errors:not_found');
    const outcomes = await loadOutcomes(db, meetingId ? { meetingIds: [meetingId.data!] } : { heldBy: deps.now() });
    const list = requestsTable(outcomes, words);
    await audit.record(db, { action: 'export.downloaded', ...audit.by(actorOf(req, res)), target: meetingId ? `meeting:${meetingId.data}` : 'meetings', details: { format: kind, what: 'requests' } }, deps.now());
    const name = `talepler-${meetingId ? `${meetingId.data}-` : ''}${deps.now().toISOString().slice(0, 10)}`;
    if (kind === 'csv') {
      res.type('text/csv; charset=utf-8').attachment(`${name}.csv`);
      return writeCsv(res, [list.columns.map((c) => c.label)], list.rows, res.locals.lang);
    }
    // Notes (what a number means, what the table leaves out) follow the rows, as on the page.
    const sheet = (table: OutcomeTable) => ({
      name: table.caption,
      header: [table.columns.map((c) => c.label)],
      rows: [...table.rows, ...(table.total ? [table.total] : []), ...(table.notes?.length ? [[], ...table.notes.map((note): Cell[] => [note])] : [])],
    });
    res.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').attachment(`${name}.xlsx`);
    await writeXlsx(res, [
      sheet(list),
      sheet(meetingsTable(outcomes, words)),
      sheet(areaByMeetingTable(outcomes, words)),
      sheet(byAreaTable(outcomes.requests, words)),
      sheet(byMahalleTable(outcomes.requests, words)),
    ]);
  };
  router.get('/admin/meetings/requests.csv', read, requirePermission('export.download'), (req, res) => exportRequests(req, res, 'csv'));
  router.get('/admin/meetings/requests.xlsx', read, requirePermission('export.download'), (req, res) => exportRequests(req, res, 'xlsx'));

  router.get('/admin/meetings/:id', manage, async (req, res) => {
    const meeting = await findMeeting(req);
    const registrations = await meetingRepository.registrationsOf(db, meeting.id);
    const counts = (await meetingRepository.countsOf(db, [meeting.id])).get(meeting.id)!;
    const waiting = registrations.filter((r) => r.status === 'waitlisted');
    const notices = await meetingRepository.noticesOf(db, meeting.id);
    const over = Date.parse(meeting.ends_at) <= deps.now().getTime();
    // The latest consent to hear about future meetings per sign-up, withdrawn or not, so planners see both.
    const given = await consentsOfRegistrations(db, registrations.map((r) => r.id));
    const consents = new Map<number, Consent>();
    for (const consent of given) {
      if (consent.purpose === 'future_meetings' && consent.registrationId !== null) consents.set(consent.registrationId, consent);
    }
    res.render('admin/meetings/show', {
      pageTitle: meetingService.titleOf(meeting, res.locals.lang),
      meeting,
      counts,
      attendance: attendanceOf(meeting, counts),
      seatsLeft: seatsLeft(meeting.capacity, counts.confirmed),
      confirmed: registrations.filter((r) => r.status === 'confirmed' && r.source === 'online'),
      walkIns: registrations.filter((r) => r.source === 'walk_in'),
      waitlisted: waiting.map((r, i) => ({ ...r, position: i + 1 })),
      cancelled: registrations.filter((r) => r.status === 'cancelled'),
      accessibilityNeeds: visibleAccessibilityNeeds(registrations, given),
      // Calls still worth making: not after the meeting, not to someone who cancelled themselves.
      calls: over ? [] : notices.filter((n) => n.channel === 'phone' && !n.handled_at && n.cancelled_by !== 'resident'),
      notices,
      consents,
      mahalleName: (id: string) => mahalleName(wordsOf(res), id),
      formatPhone,
      csrfToken: csrf.token(req, res),
      isPast: over,
      started: Date.parse(meeting.starts_at) <= deps.now().getTime(),
      signupOpen: signupState(meeting, deps.now()) === 'open',
      formatBookingCode,
    });
  });

  router.get('/admin/meetings/:id/edit', manage, async (req, res) => {
    const meeting = await findMeeting(req);
    if (meeting.cancelled_at) throw new AppError(409, 'meetings:errors.cancelled');
    renderForm(req, res, 200, { meeting, values: valuesOf(meeting), errors: {} });
  });

  router.post('/admin/meetings/:id', manage, async (req, res) => {
    const meeting = await findMeeting(req);
    const form = parseForm(Form, req.body);
    if (!form.ok) return renderForm(req, res, 422, { meeting, values: formValues(req), errors: form.errors });
    const checked = toInput(form.data);
    if ('errors' in checked) return renderForm(req, res, 422, { meeting, values: formValues(req), errors: checked.errors });
    const outcome = await meetingService.changeMeeting(db, deps.meetings, meeting.id, checked.input, actorOf(req, res), deps.now());
    if (outcome.kind === 'cancelled') throw new AppError(409, 'meetings:errors.cancelled');
    if (outcome.kind === 'not_found') throw new AppError(404, 'errors:not_found');
    const notice = untranslatedNotice(res, checked.input);
    flash(req, { kind: 'success', key: 'meetings:form.saved', params: { told: outcome.told, promoted: outcome.promoted }, ...(notice ? { notice } : {}) });
    res.redirect(303, `/admin/meetings/${meeting.id}`);
  });

  router.post('/admin/meetings/:id/cancel', manage, async (req, res) => {
    const meeting = await findMeeting(req);
    const form = parseForm(CancelForm, req.body);
    if (!form.ok) throw new AppError(400, 'errors:bad_request');
    if (!isConfirmed(req.body)) {
      if (meeting.cancelled_at) return res.redirect(303, `/admin/meetings/${meeting.id}`);
      const t = res.locals.t;
      const count = (await meetingService.peopleToTellOfCancellation(db, meeting.id)).length;
      return renderConfirm(req, res, csrf, {
        heading: t('meetings:admin.cancel_confirm_title', { title: meetingService.titleOf(meeting, res.locals.lang) }),
        lines: [
          t('meetings:admin.cancel_confirm_count', { count }),
          ...(count > 0 ? [t('meetings:admin.cancel_help')] : []),
          form.data.reason ? t('meetings:admin.cancel_confirm_reason', { reason: form.data.reason }) : t('meetings:admin.cancel_confirm_no_reason'),
        ],
        action: `/admin/meetings/${meeting.id}/cancel`,
        confirmLabel: t('meetings:admin.cancel_confirm_button'),
        backHref: `/admin/meetings/${meeting.id}`,
        backLabel: t('meetings:admin.cancel_confirm_back'),
        fields: { reason: form.data.reason },
      });
    }
    const outcome = await meetingService.cancelMeeting(db, deps.meetings, meeting.id, form.data.reason || null, actorOf(req, res), deps.now());
    if (outcome.kind === 'cancelled') flash(req, { kind: 'success', key: 'meetings:admin.cancelled', params: { count: outcome.told } });
    res.redirect(303, `/admin/meetings/${meeting.id}`);
  });

  // The cancel button leads here first: whom cancelling tells, and who gets the seat.
  const confirmRegistrationCancel = async (req: Request, res: Response, meeting: Meeting) => {
    const registration = await meetingRepository.findRegistration(db, idParam(req, 'registration'));
    if (!registration || registration.meeting_id !== meeting.id || registration.source !== 'online') throw new AppError(404, 'errors:not_found');
    const back = `/admin/meetings/${meeting.id}#r${registration.id}`;
    if (registration.status === 'cancelled' || meeting.cancelled_at) return res.redirect(303, back);
    if (Date.parse(meeting.starts_at) <= deps.now().getTime()) throw new AppError(409, 'meetings:errors.started');
    const t = res.locals.t;
    // Who the seat goes to, by the same rule the cancellation applies.
    const counts = (await meetingRepository.countsOf(db, [meeting.id])).get(meeting.id)!;
    const waiting = (await meetingRepository.waitlist(db, meeting.id)).filter((id) => id !== registration.id);
    const promotedIds = promotions(meeting.capacity, counts.confirmed - (registration.status === 'confirmed' ? 1 : 0), waiting);
    const promoted = (await meetingRepository.registrationsOf(db, meeting.id)).filter((r) => promotedIds.includes(r.id));
    renderConfirm(req, res, csrf, {
      heading: t('meetings:admin.registration_confirm_title', { name: registration.name }),
      lines: [
        meetingService.titleOf(meeting, res.locals.lang),
        registration.email
          ? t('meetings:admin.registration_confirm_mail', { email: registration.email })
          : t('meetings:admin.registration_confirm_call'),
        registration.status === 'confirmed' ? t('meetings:admin.registration_confirm_seat') : t('meetings:admin.registration_confirm_waitlisted'),
        promoted.length > 0
          ? t('meetings:admin.registration_confirm_promoted', { names: res.locals.nameList(promoted.map((r) => r.name)), count: promoted.length })
          : t('meetings:admin.registration_confirm_nobody_promoted'),
      ],
      action: `/admin/meetings/${meeting.id}/registrations/${registration.id}/cancel`,
      confirmLabel: t('meetings:admin.registration_confirm_button'),
      backHref: back,
      backLabel: t('meetings:admin.cancel_confirm_back'),
    });
  };

  router.get('/admin/meetings/:id/registrations/:registration/cancel', manage, async (req, res) => confirmRegistrationCancel(req, res, await findMeeting(req)));

  router.post('/admin/meetings/:id/registrations/:registration/cancel', manage, async (req, res) => {
    const meeting = await findMeeting(req);
    if (!isConfirmed(req.body)) return confirmRegistrationCancel(req, res, meeting);
    const outcome = await meetingService.cancelRegistration(db, deps.meetings, idParam(req, 'registration'), { by: 'planner', actor: actorOf(req, res), meetingId: meeting.id }, deps.now());
    if (outcome.kind === 'not_found') throw new AppError(404, 'errors:not_found');
    if (outcome.kind === 'past') throw new AppError(409, 'meetings:errors.started');
    if (outcome.kind === 'cancelled') flash(req, { kind: 'success', key: 'meetings:admin.registration_cancelled', params: { promoted: outcome.promoted.length } });
    res.redirect(303, `/admin/meetings/${meeting.id}`);
  });

  // A resident who calls: signed up by a planner through the same rules as on the site (seats,
  // waitlist, duplicates, deadline), the privacy notice read out and the answers recorded as
  // given by phone; the caller is then told their booking code.

  const PhoneSignUpForm = z.object({
    name: text(z, 100).min(2, { error: 'meetings:signup.name_required' }),
    phone: text(z, 30)
      .min(1, { error: 'meetings:phone_signup.phone_required' })
      .refine((value) => normalizePhone(value) !== undefined, { error: 'meetings:signup.phone_invalid' }),
    email: text(z, 254)
      .default('')
      .refine((value) => value === '' || z.email().safeParse(value).success, { error: 'meetings:signup.email_invalid' }),
    mahalle: z.enum(mahalleIds as [string, ...string[]], { error: 'meetings:signup.mahalle_required' }),
    accessibility_need: text(z, 500).default(''),
    accessibility_consent: z.literal('1', { error: 'errors:form.invalid' }).optional(),
    future_meetings: z.literal('1', { error: 'errors:form.invalid' }).optional(),
    notice_read: z.literal('1', { error: 'meetings:phone_signup.notice_read_required' }),
    request_key: z.string({ error: 'errors:bad_request' }).regex(/^[A-Za-z0-9_-]{22}$/, { error: 'errors:bad_request' }),
  });

  const renderPhoneSignUp = async (req: Request, res: Response, meeting: Meeting, status: number, values: Record<string, unknown>, errors: Record<string, string>, notice?: string) => {
    const counts = (await meetingRepository.countsOf(db, [meeting.id])).get(meeting.id)!;
    res.status(status).render('admin/meetings/phone-signup', {
      pageTitle: res.locals.t('meetings:phone_signup.title', { title: meetingService.titleOf(meeting, res.locals.lang) }),
      meeting,
      state: signupState(meeting, deps.now()),
      seatsLeft: seatsLeft(meeting.capacity, counts.confirmed),
      mahalles: municipality.mahalles,
      controller: res.locals.localize(municipality.dataController.name).text,
      retentionMonths: municipality.privacy.retentionMonths,
      // A fresh key for every form shown: a second click on the same form is the same sign-up.
      values: { ...values, request_key: crypto.randomBytes(16).toString('base64url') },
      errors,
      notice,
      csrfToken: csrf.token(req, res),
    });
  };

  router.get('/admin/meetings/:id/registrations/new', manage, async (req, res) => {
    const meeting = await findMeeting(req);
    await renderPhoneSignUp(req, res, meeting, 200, { mahalle: meeting.mahalles.length === 1 ? meeting.mahalles[0] : '' }, {});
  });

  router.post('/admin/meetings/:id/registrations', manage, async (req, res) => {
    const meeting = await findMeeting(req);
    const body = typeof req.body === 'object' && req.body !== null ? (req.body as Record<string, unknown>) : {};
    let form = parseForm(PhoneSignUpForm, body);
    // As on the site: a need without its consent is listed with every other problem.
    if (typeof body.accessibility_need === 'string' && body.accessibility_need.trim() !== '' && body.accessibility_consent !== '1') {
      form = { ok: false, errors: { ...(form.ok ? {} : form.errors), accessibility_consent: 'meetings:signup.accessibility_consent_required' } };
    }
    if (!form.ok) {
      if (form.errors.request_key) throw new AppError(400, 'errors:bad_request');
      return renderPhoneSignUp(req, res, meeting, 422, body, form.errors);
    }
    const noticeVersion = municipality.privacy.noticeVersion;
    const outcome = await meetingService.signUp(
      db,
      deps.meetings,
      {
        meetingId: meeting.id,
        name: form.data.name,
        phone: normalizePhone(form.data.phone)!,
        email: form.data.email ? normalizeEmail(form.data.email) : null,
        mahalleId: form.data.mahalle,
        accessibilityNeed: form.data.accessibility_need || null,
        accessibilityConsent: form.data.accessibility_consent === '1' ? { noticeVersion } : null,
        futureMeetingsConsent: form.data.future_meetings === '1' ? { noticeVersion } : null,
        // The caller's language is the one the planner speaks with them: Turkish, unless the planner works in English.
        language: res.locals.lang,
        requestKey: form.data.request_key,
        byPhone: { actor: actorOf(req, res), noticeVersion },
      },
      deps.now(),
    );
    switch (outcome.kind) {
      case 'registered':
      case 'repeat':
        return res.redirect(303, `/admin/meetings/${meeting.id}/registrations/${outcome.registration.id}`);
      case 'duplicate':
        return renderPhoneSignUp(req, res, meeting, 409, body, { phone: 'meetings:phone_signup.duplicate' });
      case 'stale_form':
        return renderPhoneSignUp(req, res, meeting, 409, body, { name: 'meetings:phone_signup.stale' });
      case 'consent_required':
        return renderPhoneSignUp(req, res, meeting, 422, body, { accessibility_consent: 'meetings:signup.accessibility_consent_required' });
      case 'not_found':
        throw new AppError(404, 'errors:not_found');
      case 'closed':
      case 'past':
      case 'cancelled':
        return renderPhoneSignUp(req, res, meeting, 409, body, {}, res.locals.t(`meetings:phone_signup.refused.${outcome.kind}`));
      default: {
        const unknown: never = outcome;
        throw new Error(`Unhandled outcome ${JSON.stringify(unknown)}`);
      }
    }
  });

  // What to tell the caller: the booking code, and whether they have a seat or wait.
  router.get('/admin/meetings/:id/registrations/:registration', manage, async (req, res) => {
    const meeting = await findMeeting(req);
    const registration = await meetingRepository.findRegistration(db, idParam(req, 'registration'));
    if (!registration || registration.meeting_id !== meeting.id || registration.source !== 'online') throw new AppError(404, 'errors:not_found');
    res.render('admin/meetings/registration', {
      pageTitle: res.locals.t('meetings:phone_signup.saved_title', { name: registration.name }),
      meeting,
      registration,
      code: registration.booking_code ? formatBookingCode(registration.booking_code) : '',
      position: registration.status === 'waitlisted' ? await meetingRepository.waitlistPosition(db, registration) : undefined,
      signupOpen: signupState(meeting, deps.now()) === 'open',
      formatPhone,
    });
  });

  router.post('/admin/meetings/:id/notices/:notice/called', manage, async (req, res) => {
    const meeting = await findMeeting(req);
    await meetingRepository.markNoticeHandled(db, meeting.id, idParam(req, 'notice'), actorOf(req, res).userId, deps.now());
    res.redirect(303, `/admin/meetings/${meeting.id}#calls`);
  });

  // At the meeting.

  router.get('/admin/meetings/:id/sheet', manage, async (_req, res) => {
    const meeting = await findMeeting(_req);
    const registrations = (await meetingRepository.registrationsOf(db, meeting.id, { statuses: ['confirmed', 'waitlisted'] })).filter((r) => r.source === 'online');
    const ordered = [...registrations.filter((r) => r.status === 'confirmed'), ...registrations.filter((r) => r.status === 'waitlisted')];
    res.render('admin/meetings/sheet', {
      pageTitle: res.locals.t('meetings:sheet.heading', { title: meetingService.titleOf(meeting, res.locals.lang) }),
      meeting,
      rows: ordered.map((r) => ({ name: r.name, mahalle: mahalleName(wordsOf(res), r.mahalle_id), waitlisted: r.status === 'waitlisted' })),
      // Room for those who come without signing up.
      blankRows: 10,
    });
  });

  const renderCheckIn = async (req: Request, res: Response, status = 200, errors: Record<string, string> = {}, values: Record<string, unknown> = {}) => {
    const meeting = await findMeeting(req);
    const q = typeof req.query.q === 'string' ? req.query.q.slice(0, 100) : '';
    const registrations = await meetingRepository.registrationsOf(db, meeting.id, { statuses: ['confirmed', 'waitlisted'], name: q || undefined });
    const counts = (await meetingRepository.countsOf(db, [meeting.id])).get(meeting.id)!;
    res.status(status).render('admin/meetings/check-in', {
      pageTitle: res.locals.t('meetings:checkin.heading', { title: meetingService.titleOf(meeting, res.locals.lang) }),
      meeting,
      registrations,
      counts,
      recording: recordingState(meeting, deps.now(), deps.timeZone),
      q,
      mahalles: municipality.mahalles,
      mahalleName: (id: string) => mahalleName(wordsOf(res), id),
      csrfToken: csrf.token(req, res),
      errors,
      values,
    });
  };

  router.get('/admin/meetings/:id/check-in', manage, (req, res) => renderCheckIn(req, res));

  router.post('/admin/meetings/:id/check-in/:registration', manage, async (req, res) => {
    const meeting = await findMeeting(req);
    const form = parseForm(CheckInForm, req.body);
    if (!form.ok) throw new AppError(400, 'errors:bad_request');
    const outcome = await meetingService.checkIn(db, meeting.id, idParam(req, 'registration'), form.data.attended === '1', deps.now(), deps.timeZone);
    if (outcome.kind !== 'saved') throw refusalError(res, meeting, outcome);
    res.redirect(303, `/admin/meetings/${meeting.id}/check-in${form.data.q ? `?q=${encodeURIComponent(form.data.q)}` : ''}#r${req.params.registration}`);
  });

  const WalkInForm = z.object({
    name: text(z, 100).min(2, { error: 'meetings:signup.name_required' }),
    mahalle: z.enum(mahalleIds as [string, ...string[]], { error: 'meetings:signup.mahalle_required' }),
  });

  router.post('/admin/meetings/:id/walk-ins', manage, async (req, res) => {
    const meeting = await findMeeting(req);
    assertRecordable(res, meeting);
    const form = parseForm(WalkInForm, req.body);
    if (!form.ok) return renderCheckIn(req, res, 422, form.errors, typeof req.body === 'object' ? req.body : {});
    const outcome = await meetingService.addWalkIn(db, meeting.id, { name: form.data.name, mahalleId: form.data.mahalle }, deps.now(), deps.timeZone);
    if (outcome.kind !== 'saved') throw refusalError(res, meeting, outcome);
    flash(req, { kind: 'success', key: 'meetings:checkin.walk_in_added', params: { name: form.data.name } });
    res.redirect(303, `/admin/meetings/${meeting.id}/check-in`);
  });

  router.post('/admin/meetings/:id/walk-ins/:registration/delete', manage, async (req, res) => {
    const meeting = await findMeeting(req);
    if (!(await meetingRepository.deleteWalkIn(db, meeting.id, idParam(req, 'registration')))) throw new AppError(404, 'errors:not_found');
    res.redirect(303, `/admin/meetings/${meeting.id}/check-in`);
  });

  // Outcomes.

  const renderOutcomes = async (req: Request, res: Response, status = 200, problem: { errors: Record<string, string>; values: Record<string, unknown>; editing?: number } = { errors: {}, values: {} }) => {
    const meeting = await findMeeting(req);
    const words = wordsOf(res);
    const outcomes = await loadOutcomes(db, { meetingIds: [meeting.id] });
    const summary = outcomes.meetings[0]!;
    res.locals.scripts = ['vendor/chart.umd.js', 'js/charts.js'];
    res.status(status).render('admin/meetings/meeting-outcomes', {
      pageTitle: res.locals.t('meetings:outcomes.meeting_title', { title: meetingService.titleOf(meeting, res.locals.lang) }),
      meeting,
      summary,
      recording: recordingState(meeting, deps.now(), deps.timeZone),
      requests: outcomes.requests,
      tables: [byAreaTable(outcomes.requests, words), byMahalleTable(outcomes.requests, words)],
      areas: municipality.activityAreas,
      mahalles: municipality.mahalles,
      gzftKinds: GZFT_KINDS,
      areaName: (id: string) => words.municipality.activityAreas.find((a) => a.id === id),
      mahalleName: (id: string | null) => mahalleName(words, id),
      csrfToken: res.locals.can?.('meetings.manage') ? csrf.token(req, res) : '',
      ...problem,
    });
  };

  router.get('/admin/meetings/:id/outcomes', read, (req, res) => renderOutcomes(req, res));

  router.get('/admin/meetings/:id/requests/:request/edit', manage, async (req, res) => {
    const meeting = await findMeeting(req);
    const request = (await meetingRepository.requestsOf(db, [meeting.id])).find((r) => r.id === idParam(req, 'request'));
    if (!request) throw new AppError(404, 'errors:not_found');
    await renderOutcomes(req, res, 200, { errors: {}, values: requestValues(request), editing: request.id });
  });

  const requestValues = (r: MeetingRequest) => ({ text: r.text, area: r.activity_area_id, mahalle: r.mahalle_id ?? '', supporters: String(r.supporters), gzft: r.gzft_kind ?? '' });
  const toRequestInput = (data: z.output<typeof RequestForm>): meetingRepository.RequestInput => ({
    text: data.text,
    activity_area_id: data.area,
    mahalle_id: data.mahalle || null,
    supporters: data.supporters,
    gzft_kind: data.gzft || null,
  });

  router.post('/admin/meetings/:id/requests', manage, async (req, res) => {
    const meeting = await findMeeting(req);
    assertRecordable(res, meeting);
    const form = parseForm(RequestForm, req.body);
    if (!form.ok) return renderOutcomes(req, res, 422, { errors: form.errors, values: typeof req.body === 'object' ? req.body : {} });
    const outcome = await meetingService.saveRequest(db, meeting.id, undefined, toRequestInput(form.data), actorOf(req, res).userId, deps.now(), deps.timeZone);
    if (outcome.kind !== 'saved') throw refusalError(res, meeting, outcome);
    flash(req, { kind: 'success', key: 'meetings:requests.added' });
    res.redirect(303, `/admin/meetings/${meeting.id}/outcomes#requests`);
  });

  router.post('/admin/meetings/:id/requests/:request', manage, async (req, res) => {
    const meeting = await findMeeting(req);
    const requestId = idParam(req, 'request');
    assertRecordable(res, meeting);
    const form = parseForm(RequestForm, req.body);
    if (!form.ok) return renderOutcomes(req, res, 422, { errors: form.errors, values: typeof req.body === 'object' ? req.body : {}, editing: requestId });
    const outcome = await meetingService.saveRequest(db, meeting.id, requestId, toRequestInput(form.data), actorOf(req, res).userId, deps.now(), deps.timeZone);
    if (outcome.kind !== 'saved') throw refusalError(res, meeting, outcome);
    flash(req, { kind: 'success', key: 'meetings:requests.saved' });
    res.redirect(303, `/admin/meetings/${meeting.id}/outcomes#requests`);
  });

  router.post('/admin/meetings/:id/requests/:request/delete', manage, async (req, res) => {
    const meeting = await findMeeting(req);
    if (!(await meetingRepository.deleteRequest(db, meeting.id, idParam(req, 'request')))) throw new AppError(404, 'errors:not_found');
    flash(req, { kind: 'success', key: 'meetings:requests.deleted' });
    res.redirect(303, `/admin/meetings/${meeting.id}/outcomes#requests`);
  });

  router.post('/admin/meetings/:id/outcome', manage, async (req, res) => {
    const meeting = await findMeeting(req);
    assertRecordable(res, meeting);
    const form = parseForm(OutcomeForm, req.body);
    if (!form.ok) return renderOutcomes(req, res, 422, { errors: form.errors, values: typeof req.body === 'object' ? req.body : {} });
    const outcome = await meetingService.recordOutcome(db, meeting.id, { notes: form.data.notes || null, headCount: form.data.attendance_count }, deps.now(), deps.timeZone);
    if (outcome.kind !== 'saved') throw refusalError(res, meeting, outcome);
    flash(req, { kind: 'success', key: 'meetings:outcomes.saved' });
    res.redirect(303, `/admin/meetings/${meeting.id}/outcomes`);
  });

  // Personal data: planners only, every download in the audit log.

  const statusLabel = (res: Response, r: Registration & { position?: number }) =>
    r.source === 'walk_in' ? res.locals.t('meetings:status.walk_in') : r.status === 'waitlisted' ? res.locals.t('meetings:status.waitlisted_at', { position: r.position }) : res.locals.t(`meetings:status.${r.status}`);

  const exportRegistrations = async (req: Request, res: Response, kind: 'csv' | 'xlsx') => {
    const meeting = await findMeeting(req);
    const t = res.locals.t;
    const words = wordsOf(res);
    const all = await meetingRepository.registrationsOf(db, meeting.id);
    let position = 0;
    const rows: Cell[][] = all.map((r) => [
      r.id,
      r.name,
      mahalleName(words, r.mahalle_id),
      r.phone ? formatPhone(r.phone) : '',
      r.email ?? '',
      statusLabel(res, { ...r, position: r.status === 'waitlisted' ? ++position : undefined }),
      isoToZonedInput(r.created_at, deps.timeZone).replace('T', ' '),
      r.attended_at ? t('meetings:checkin.yes') : '',
    ]);
    const header: Cell[][] = [
      ['No', t('meetings:fields.name'), t('meetings:fields.mahalle'), t('meetings:fields.phone'), t('meetings:fields.email'), t('meetings:fields.status'), t('meetings:fields.signed_up_at'), t('meetings:fields.attended')],
    ];
    await audit.record(db, { action: 'export.downloaded', ...audit.by(actorOf(req, res)), target: `meeting:${meeting.id}`, details: { format: kind, what: 'registrations' } }, deps.now());
    const name = `bulusma-${meeting.id}-katilimcilar`;
    if (kind === 'csv') {
      res.type('text/csv; charset=utf-8').attachment(`${name}.csv`);
      return writeCsv(res, header, rows, res.locals.lang);
    }
    res.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').attachment(`${name}.xlsx`);
    await writeXlsx(res, [{ name: t('meetings:admin.registrations'), header, rows, widths: [6, 28, 18, 16, 28, 18, 24, 10] }]);
  };
  router.get('/admin/meetings/:id/registrations.csv', manage, requirePermission('export.download'), (req, res) => exportRegistrations(req, res, 'csv'));
  router.get('/admin/meetings/:id/registrations.xlsx', manage, requirePermission('export.download'), (req, res) => exportRegistrations(req, res, 'xlsx'));

  return router;
}
