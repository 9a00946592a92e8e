// KVKK in the back office: the retention date (the plan's adoption date plus the retention
// period) with its runs and "anonymise now", and data-subject requests: record, look up, export,
// correct, delete, answer. Everything needs privacy.manage; exports need export.download too.
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { actorOf, flash, requirePermission } from '../admin';
import type { Municipality } from '../municipality';
import type { LocalizedText } from '../platform/schema';
import * as audit from '../platform/audit/audit.repository';
import type { Db } from '../platform/db/connection';
import { writeCsv } from '../platform/export/writers';
import { AppError } from '../platform/http/app-error';
import type { Csrf } from '../platform/http/csrf';
import { parseForm, text } from '../platform/http/validate';
import { isIsoDate, todayIn } from '../platform/time';
import { deadlineOf, dueOn, inListOrder, subjectOf } from './data-subject-rules';
import * as dataSubjectRepository from './data-subject.repository';
import type { DataSubjectRequest } from './data-subject.repository';
import * as dataSubjectService from './data-subject.service';
import type { Correction, CorrectionTarget, Findings } from './data-subject.service';
import { REQUEST_CHANNELS, REQUEST_KINDS } from './data-subject.table';
import * as retentionRepository from './retention.repository';
import * as retentionService from './retention.service';
import type { RetentionContext } from './retention.service';
import { formatPhone } from '../meetings/meeting-rules';

export interface PrivacyAdminDeps {
  db: Db;
  csrf: Csrf;
  municipality: Municipality;
  timeZone: string;
  now: () => Date;
  /** A survey's title, shown in the reader's language instead of its slug. */
  surveyTitle?: (slug: string) => LocalizedText | undefined;
}

const Id = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const optionalText = (max: number) => text(z, max).default('');

const AdoptionForm = z.object({ adopted_on: text(z, 20).min(1, { error: 'privacy_admin:retention.errors.date_invalid' }) });
const ConfirmForm = z.object({ confirm: z.literal('yes', { error: 'privacy_admin:confirm_required' }) });

const RequestForm = z.object({
  kind: z.enum(REQUEST_KINDS, { error: 'privacy_admin:requests.errors.kind' }),
  requester_name: text(z, 200).min(1, { error: 'privacy_admin:requests.errors.requester_name' }),
  email: optionalText(254),
  phone: optionalText(40),
  channel: z.enum(REQUEST_CHANNELS, { error: 'privacy_admin:requests.errors.channel' }),
  received_on: text(z, 20),
  notes: optionalText(5000),
});
const AnswerForm = z.object({ answer_note: text(z, 5000).min(1, { error: 'privacy_admin:requests.errors.answer_note' }) });
const RegistrationCorrection = z.object({ name: text(z, 120).min(1, { error: 'errors:form.required' }), phone: optionalText(40), email: optionalText(254) });
const InvitationCorrection = z.object({ email: text(z, 254) });
const SelfRegistrationCorrection = z.object({ email: text(z, 254), contact_person: optionalText(200) });
const ListQuery = z.object({ status: z.enum(['open', 'answered', 'all']).catch('open') });

const TARGETS: Record<string, CorrectionTarget> = { registration: 'registration', invitation: 'invitation', 'self-registration': 'self_registration' };

export function privacyAdminRouter(deps: PrivacyAdminDeps): Router {
  const router = Router();
  const { db, csrf, municipality } = deps;
  const manage = requirePermission('privacy.manage');
  const ctx: RetentionContext = { retentionMonths: municipality.privacy.retentionMonths, timeZone: deps.timeZone };
  const today = () => todayIn(deps.timeZone, deps.now());

  // Retention.

  async function renderRetention(req: Request, res: Response, status: number, values: Record<string, unknown>, errors: Record<string, string>) {
    const now = deps.now();
    const state = await retentionService.currentState(db, ctx, now);
    res.status(status).render('admin/privacy/retention', {
      pageTitle: res.locals.t('privacy_admin:retention.title'),
      section: 'retention',
      state,
      months: ctx.retentionMonths,
      job: await retentionService.scheduledJob(db),
      due: state.kind === 'no_adoption' ? undefined : await retentionRepository.dueCounts(db, state.plan.cutoffAt),
      runs: await retentionRepository.listRuns(db),
      values,
      errors,
      csrfToken: csrf.token(req, res),
    });
  }

  router.get('/admin/privacy/retention', manage, async (req, res) => {
    await renderRetention(req, res, 200, { adopted_on: (await retentionRepository.findAdoptionDate(db)) ?? '' }, {});
  });

  router.post('/admin/privacy/retention', manage, async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const form = parseForm(AdoptionForm, body);
    if (!form.ok) return renderRetention(req, res, 422, body, { adopted_on: form.errors.adopted_on ?? 'privacy_admin:retention.errors.date_invalid' });
    const outcome = await retentionService.setAdoptionDate(db, ctx, form.data.adopted_on, actorOf(req, res), deps.now());
    if (outcome.kind === 'invalid') return renderRetention(req, res, 422, body, { adopted_on: outcome.error });
    flash(req, { kind: 'success', key: 'privacy_admin:retention.saved', params: { date: res.locals.formatDate(`${outcome.plan.retentionOn}T12:00:00Z`) as string } });
    res.redirect(303, '/admin/privacy/retention');
  });

  async function renderRunConfirm(req: Request, res: Response, status: number, errors: Record<string, string>) {
    const state = await retentionService.currentState(db, ctx, deps.now());
    // Before the date the data is still needed: nothing to confirm.
    if (state.kind !== 'due') throw new AppError(409, 'privacy_admin:retention.not_due');
    res.status(status).render('admin/privacy/retention-run', {
      pageTitle: res.locals.t('privacy_admin:retention.run_title'),
      section: 'retention',
      plan: state.plan,
      due: await retentionRepository.dueCounts(db, state.plan.cutoffAt),
      errors,
      csrfToken: csrf.token(req, res),
    });
  }

  router.get('/admin/privacy/retention/run', manage, async (req, res) => {
    await renderRunConfirm(req, res, 200, {});
  });

  router.post('/admin/privacy/retention/run', manage, async (req, res) => {
    const form = parseForm(ConfirmForm, req.body);
    if (!form.ok) return renderRunConfirm(req, res, 422, { confirm: 'privacy_admin:confirm_required' });
    const outcome = await retentionService.runNow(db, ctx, actorOf(req, res), deps.now());
    if (outcome.kind === 'not_due') throw new AppError(409, 'privacy_admin:retention.not_due');
    const c = outcome.counts;
    flash(req, { kind: 'success', key: 'privacy_admin:retention.ran', params: { registrations: c.registrations, invitations: c.invitations, self_registrations: c.selfRegistrations, outbox: c.outboxMessages } });
    res.redirect(303, '/admin/privacy/retention');
  });

  // Data-subject requests.

  const findRequest = async (req: Request): Promise<DataSubjectRequest> => {
    const id = Id.safeParse(req.params.id);
    const request = id.success ? await dataSubjectRepository.find(db, id.data) : undefined;
    if (!request) throw new AppError(404, 'errors:not_found');
    return request;
  };
  const hiddenLink = (res: Response) => res.locals.t('privacy_admin:requests.hidden_link') as string;

  router.get('/admin/privacy/requests', manage, async (req, res) => {
    const { status } = ListQuery.parse(req.query);
    const day = today();
    const requests = inListOrder(await dataSubjectRepository.list(db, status)).map((request) => ({ ...request, deadline: deadlineOf(request, day) }));
    res.render('admin/privacy/requests', { pageTitle: res.locals.t('privacy_admin:requests.title'), section: 'requests', requests, status, formatPhone });
  });

  const renderNew = (req: Request, res: Response, status: number, values: Record<string, unknown>, errors: Record<string, string>) =>
    res.status(status).render('admin/privacy/request-form', {
      pageTitle: res.locals.t('privacy_admin:requests.new_title'),
      section: 'requests',
      values,
      errors,
      kinds: REQUEST_KINDS,
      channels: REQUEST_CHANNELS,
      csrfToken: csrf.token(req, res),
    });

  router.get('/admin/privacy/requests/new', manage, (req, res) => {
    renderNew(req, res, 200, { kind: 'access', channel: 'email', received_on: today() }, {});
  });

  router.post('/admin/privacy/requests', manage, async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const form = parseForm(RequestForm, body);
    const errors: Record<string, string> = form.ok ? {} : { ...form.errors };
    // The contact is checked whatever else is wrong, so every problem shows at once.
    const contact = (name: 'email' | 'phone') => (typeof body[name] === 'string' ? body[name] : undefined);
    const { subject, errors: contactErrors } = subjectOf({ email: contact('email'), phone: contact('phone') });
    if (contactErrors.email) errors.email ??= 'privacy_admin:requests.errors.email';
    if (contactErrors.phone) errors.phone ??= 'privacy_admin:requests.errors.phone';
    if (!subject.email && !subject.phone && !errors.email && !errors.phone) errors.email = 'privacy_admin:requests.errors.contact_required';
    if (form.ok) {
      if (!isIsoDate(form.data.received_on)) errors.received_on = 'privacy_admin:requests.errors.received_on';
      else if (form.data.received_on > today()) errors.received_on = 'privacy_admin:requests.errors.received_future';
    }
    if (!form.ok || Object.keys(errors).length > 0) return renderNew(req, res, 422, body, errors);
    const id = await dataSubjectService.createRequest(
      db,
      {
        kind: form.data.kind,
        subjectEmail: subject.email,
        subjectPhone: subject.phone,
        requesterName: form.data.requester_name,
        channel: form.data.channel,
        receivedOn: form.data.received_on,
        dueOn: dueOn(form.data.received_on),
        notes: form.data.notes || null,
      },
      actorOf(req, res),
      deps.now(),
    );
    flash(req, { kind: 'success', key: 'privacy_admin:requests.created' });
    res.redirect(303, `/admin/privacy/requests/${id}`);
  });

  /** Screen-only names: meeting titles in both languages and survey titles (the exports keep the stored Turkish title and slug). */
  async function screenNames(findings: Findings) {
    const meetings = await dataSubjectRepository.meetingTitles(db, findings.registrations.map((r) => r.meetingId));
    return {
      meetingOf: (id: number) => meetings.get(id) ?? { title_tr: '', title_en: null },
      surveyTitleOf: (slug: string): LocalizedText => deps.surveyTitle?.(slug) ?? { tr: slug },
    };
  }

  async function renderRequest(req: Request, res: Response, status: number, request: DataSubjectRequest, values: Record<string, unknown>, errors: Record<string, string>) {
    const findings = await dataSubjectService.lookup(db, request, municipality, deps.now(), hiddenLink(res));
    res.status(status).render('admin/privacy/request', {
      pageTitle: res.locals.t('privacy_admin:requests.request_title', { id: request.id }),
      section: 'requests',
      request,
      deadline: deadlineOf(request, today()),
      findings,
      ...(await screenNames(findings)),
      empty: dataSubjectService.isEmpty(findings),
      erased: await dataSubjectRepository.erasedBy(db, request.id),
      formatPhone,
      values,
      errors,
      csrfToken: csrf.token(req, res),
    });
  }

  router.get('/admin/privacy/requests/:id', manage, async (req, res) => {
    await renderRequest(req, res, 200, await findRequest(req), {}, {});
  });

  const exported = (req: Request, res: Response, request: DataSubjectRequest, format: string) =>
    audit.record(db, { action: 'export.downloaded', ...audit.by(actorOf(req, res)), target: `privacy_request:${request.id}`, details: { format } }, deps.now());

  router.get('/admin/privacy/requests/:id/export.json', manage, requirePermission('export.download'), async (req, res) => {
    const request = await findRequest(req);
    const findings = await dataSubjectService.lookup(db, request, municipality, deps.now(), hiddenLink(res));
    await exported(req, res, request, 'json');
    res
      .type('application/json; charset=utf-8')
      .attachment(`kvkk-basvuru-${request.id}.json`)
      .send(
        JSON.stringify(
          {
            controller: municipality.dataController.name.tr,
            request: { id: request.id, kind: request.kind, receivedOn: request.received_on, email: request.subject_email, phone: request.subject_phone },
            generatedAt: deps.now().toISOString(),
            ...findings,
          },
          null,
          2,
        ),
      );
  });

  router.get('/admin/privacy/requests/:id/export.csv', manage, requirePermission('export.download'), async (req, res) => {
    const request = await findRequest(req);
    const findings = await dataSubjectService.lookup(db, request, municipality, deps.now(), hiddenLink(res));
    const t = res.locals.t;
    await exported(req, res, request, 'csv');
    res.type('text/csv; charset=utf-8').attachment(`kvkk-basvuru-${request.id}.csv`);
    await writeCsv(
      res,
      [[t('privacy_admin:export.section'), t('privacy_admin:export.record'), t('privacy_admin:export.field'), t('privacy_admin:export.value')]],
      dataSubjectService.exportRows(findings, { section: (s) => t(`privacy_admin:sections.${s}`), field: (f) => t(`privacy_admin:fields.${f}`) }),
      res.locals.lang,
    );
  });

  // Corrections.

  const correctionTarget = (req: Request): CorrectionTarget => {
    const target = TARGETS[String(req.params.target)];
    if (!target) throw new AppError(404, 'errors:not_found');
    return target;
  };

  function recordOf(findings: Findings, target: CorrectionTarget, id: number) {
    if (target === 'registration') {
      const r = findings.registrations.find((x) => x.id === id);
      return r && { anonymised: r.anonymisedAt !== null, values: { name: r.name, phone: r.phone ? formatPhone(r.phone) : '', email: r.email ?? '' }, label: r.meetingTitle };
    }
    if (target === 'invitation') {
      const i = findings.invitations.find((x) => x.id === id);
      return i && { anonymised: i.anonymisedAt !== null, values: { email: i.email }, label: i.institution };
    }
    const s = findings.selfRegistrations.find((x) => x.id === id);
    return s && { anonymised: s.anonymisedAt !== null, values: { email: s.email, contact_person: s.contactPerson ?? '' }, label: s.institution };
  }

  async function renderCorrection(req: Request, res: Response, status: number, values: Record<string, unknown> | undefined, errors: Record<string, string>) {
    const request = await findRequest(req);
    const target = correctionTarget(req);
    const recordId = Id.safeParse(req.params.recordId);
    const findings = await dataSubjectService.lookup(db, request, municipality, deps.now(), hiddenLink(res));
    const found = recordId.success ? recordOf(findings, target, recordId.data) : undefined;
    if (!found || found.anonymised) throw new AppError(404, 'errors:not_found');
    res.status(status).render('admin/privacy/correct', {
      pageTitle: res.locals.t('privacy_admin:correct.title'),
      section: 'requests',
      request,
      target,
      targetPath: String(req.params.target),
      recordId: recordId.data,
      label: found.label,
      values: values ?? found.values,
      errors,
      csrfToken: csrf.token(req, res),
    });
  }

  router.get('/admin/privacy/requests/:id/correct/:target/:recordId', manage, async (req, res) => {
    await renderCorrection(req, res, 200, undefined, {});
  });

  router.post('/admin/privacy/requests/:id/correct/:target/:recordId', manage, async (req, res) => {
    const request = await findRequest(req);
    const target = correctionTarget(req);
    const recordId = Id.safeParse(req.params.recordId);
    if (!recordId.success) throw new AppError(404, 'errors:not_found');
    const body = (req.body ?? {}) as Record<string, unknown>;
    const errors: Record<string, string> = {};
    let correction: Correction | undefined;
    if (target === 'registration') {
      const form = parseForm(RegistrationCorrection, body);
      if (!form.ok) Object.assign(errors, form.errors);
      else {
        const { subject, errors: contact } = subjectOf({ email: form.data.email, phone: form.data.phone });
        if (contact.email) errors.email = 'privacy_admin:requests.errors.email';
        if (contact.phone) errors.phone = 'privacy_admin:requests.errors.phone';
        correction = { target, name: form.data.name, phone: subject.phone, email: subject.email };
      }
    } else if (target === 'invitation') {
      const form = parseForm(InvitationCorrection, body);
      const { subject, errors: contact } = subjectOf({ email: form.ok ? form.data.email : '' });
      if (!form.ok || contact.email || !subject.email) errors.email = 'privacy_admin:requests.errors.email';
      else correction = { target, email: subject.email };
    } else {
      const form = parseForm(SelfRegistrationCorrection, body);
      if (!form.ok) Object.assign(errors, form.errors);
      const { subject, errors: contact } = subjectOf({ email: form.ok ? form.data.email : '' });
      if (contact.email || !subject.email) errors.email = 'privacy_admin:requests.errors.email';
      else if (form.ok) correction = { target, email: subject.email, contactPerson: form.data.contact_person || null };
    }
    if (Object.keys(errors).length > 0 || !correction) return renderCorrection(req, res, 422, body, errors);
    const outcome = await dataSubjectService.correct(db, request, municipality, recordId.data, correction, actorOf(req, res), deps.now());
    if (outcome.kind === 'not_found' || outcome.kind === 'anonymised') throw new AppError(404, 'errors:not_found');
    if (outcome.kind === 'duplicate') return renderCorrection(req, res, 422, body, { phone: 'privacy_admin:correct.duplicate' });
    if (outcome.kind === 'contact_required') return renderCorrection(req, res, 422, body, { phone: 'privacy_admin:correct.contact_required' });
    flash(req, { kind: 'success', key: 'privacy_admin:correct.saved' });
    res.redirect(303, `/admin/privacy/requests/${request.id}`);
  });

  // Erasure.

  async function renderErase(req: Request, res: Response, status: number, errors: Record<string, string>) {
    const request = await findRequest(req);
    const findings = await dataSubjectService.lookup(db, request, municipality, deps.now(), hiddenLink(res));
    res.status(status).render('admin/privacy/erase', {
      pageTitle: res.locals.t('privacy_admin:erase.title'),
      section: 'requests',
      request,
      findings,
      ...(await screenNames(findings)),
      pending: {
        registrations: findings.registrations.filter((r) => r.anonymisedAt === null).length,
        invitations: findings.invitations.filter((i) => i.anonymisedAt === null).length,
        selfRegistrations: findings.selfRegistrations.filter((s) => s.anonymisedAt === null).length,
        mail: findings.mail.filter((m) => request.subject_email !== null && m.to.toLowerCase() === request.subject_email).length,
      },
      upcoming: findings.registrations.filter((r) => r.upcoming && r.anonymisedAt === null),
      errors,
      csrfToken: csrf.token(req, res),
    });
  }

  router.get('/admin/privacy/requests/:id/erase', manage, async (req, res) => {
    await renderErase(req, res, 200, {});
  });

  router.post('/admin/privacy/requests/:id/erase', manage, async (req, res) => {
    const request = await findRequest(req);
    const form = parseForm(ConfirmForm, req.body);
    if (!form.ok) return renderErase(req, res, 422, { confirm: 'privacy_admin:confirm_required' });
    const counts = await dataSubjectService.erase(db, request, municipality, actorOf(req, res), deps.now());
    flash(req, {
      kind: 'success',
      key: 'privacy_admin:erase.done',
      params: { registrations: counts.registrations, invitations: counts.invitations, self_registrations: counts.selfRegistrations, mail: counts.mailDeleted + counts.outboxMessages },
    });
    res.redirect(303, `/admin/privacy/requests/${request.id}`);
  });

  router.post('/admin/privacy/requests/:id/answer', manage, async (req, res) => {
    const request = await findRequest(req);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const form = parseForm(AnswerForm, body);
    if (!form.ok) return renderRequest(req, res, 422, request, body, { answer_note: form.errors.answer_note ?? 'privacy_admin:requests.errors.answer_note' });
    if (request.answered_at) throw new AppError(409, 'privacy_admin:requests.already_answered');
    await dataSubjectService.answer(db, request, form.data.answer_note, actorOf(req, res), deps.now());
    flash(req, { kind: 'success', key: 'privacy_admin:requests.answered' });
    res.redirect(303, '/admin/privacy/requests');
  });

  return router;
}
