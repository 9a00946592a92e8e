// Back-office screens of the consultation of institutions: inviting from the register, tracking
// and reminding, revoking and resending, the institutions' letters, and the consultation record
// (T14) with its exports.
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { actorOf, flash, requirePermission } from '../admin';
import * as audit from '../platform/audit/audit.repository';
import type { Db } from '../platform/db/connection';
import { writeCsv, writeXlsx, type Cell } from '../platform/export/writers';
import { AppError } from '../platform/http/app-error';
import { isConfirmed, renderConfirm } from '../platform/http/confirm';
import type { Csrf } from '../platform/http/csrf';
import { formList, parseForm } from '../platform/http/validate';
import * as outboxRepository from '../platform/mail/outbox.repository';
import { CATEGORIES, category, stakeholderRepository, stakeholderService, STAKEHOLDER_GROUPS } from '../stakeholders';
import { surveyOr404, type Survey, type SurveyCatalog } from '../surveys';
import { groupRecords, institutionRecords, type InstitutionRecord } from './consultation-record';
import * as invitationRepository from './invitation.repository';
import * as invitationService from './invitation.service';
import type { MailContext } from './invitation.service';
import { invitationDeadline, lastOpenDay } from './invitation-rules';
import { trackInvitation } from './invitation-tracking';

export interface OpinionAdminDeps {
  db: Db;
  catalog: SurveyCatalog;
  csrf: Csrf;
  mail: MailContext;
  timeZone: string;
  now: () => Date;
  /**
   * The report's captions of the record's tables (T14, T14b), so this page names them by the
   * report's numbers. Given by the app: the report is built by the analysis feature, which reads
   * this one.
   */
  /** Undefined when the report cannot be built now: the page then says nothing about it. */
  reportCaptions?: (ids: ('T14' | 'T14b')[]) => Promise<{ surveys: string[]; captions: Partial<Record<'T14' | 'T14b', string>> } | undefined>;
}

const Id = z.coerce.number().int().positive();

const CandidateFilter = z.object({
  group: z.enum(STAKEHOLDER_GROUPS).optional().catch(undefined),
  category: z.enum(CATEGORIES).optional().catch(undefined),
});

const InviteForm = z.object({
  deadline: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'opinions:admin.deadline_invalid' }),
  reminder_days: z.union([z.literal(''), z.coerce.number({ error: 'opinions:admin.reminder_invalid' }).int().min(1).max(60)], { error: 'opinions:admin.reminder_invalid' }),
  scope: z.enum(['selected', 'filtered']).default('selected'),
  stakeholder: z.preprocess(formList, z.array(Id).max(5000)),
  group: z.enum(STAKEHOLDER_GROUPS).optional().or(z.literal('')),
  category: z.enum(CATEGORIES).optional().or(z.literal('')),
});

export function opinionsAdminRouter(deps: OpinionAdminDeps): Router {
  const router = Router();
  const { db, catalog, csrf } = deps;

  /** An institution form (audience "institution"); any other slug is not found here. */
  const findForm = (req: Request): Survey => {
    const survey = surveyOr404(catalog, req.params.slug);
    if (survey.audience !== 'institution') throw new AppError(404, 'errors:survey_not_found');
    return survey;
  };
  const forms = () => catalog.surveys.filter((s) => s.audience === 'institution');

  router.get('/admin/opinions', requirePermission('results.read'), async (_req, res) => {
    const summaries = [];
    for (const survey of forms()) {
      const records = institutionRecords(await invitationRepository.listForSurvey(db, survey.slug), new Map(), STAKEHOLDER_GROUPS);
      summaries.push({ survey, ...groupRecords(records, STAKEHOLDER_GROUPS).total });
    }
    res.render('admin/opinions/list', { pageTitle: res.locals.t('opinions:admin.title'), summaries });
  });

  const renderForm = async (req: Request, res: Response, status: number, values: Record<string, unknown> = {}, errors: Record<string, string> = {}) => {
    const survey = findForm(req);
    const filter = CandidateFilter.parse(req.method === 'GET' ? req.query : { group: req.body?.group, category: req.body?.category });
    const threshold = await stakeholderService.threshold(db);
    const invitations = await invitationRepository.listForSurvey(db, survey.slug);
    const invited = new Set(invitations.filter((i) => !i.revoked_at).map((i) => i.stakeholder_id));
    const candidates = (
      await stakeholderRepository.list(db, { group: filter.group, ...(filter.category ? { category: { category: filter.category, threshold } } : {}) })
    ).filter((s) => s.scope === 'external');
    const mail = await outboxRepository.statesOf(db, ['invitation', 'reminder', 'receipt'], invitations.map((i) => `invitation:${i.id}`));
    const letters = await invitationRepository.lettersOf(db, invitations.map((i) => i.id));
    const schedule = catalog.schedule(survey.slug);
    const refused = await invitationService.refusedSelfRegistrations(db, survey.slug);
    res.status(status).render('admin/opinions/manage', {
      pageTitle: `${res.locals.localize(survey.title).text} — ${res.locals.t('opinions:admin.title')}`,
      survey,
      filter,
      threshold,
      category,
      candidates: candidates.map((s) => ({ ...s, invited: invited.has(s.id) })),
      invitations: invitations.map((i) => ({
        ...i,
        tracking: trackInvitation(i, mail),
        reference: i.response_id !== null && i.submitted_at ? invitationService.receiptReference(i.response_id, i.submitted_at) : undefined,
        // Every letter on record (an earlier version's too), and any uploaded but not yet sent (marked so).
        letters: letters.filter((l) => l.invitation_id === i.id),
      })),
      refused,
      groups: STAKEHOLDER_GROUPS,
      categories: CATEGORIES,
      values: { deadline: lastOpenDay(schedule.closesAt, deps.timeZone), reminder_days: '3', ...values },
      errors,
      csrfToken: csrf.token(req, res),
      now: deps.now().toISOString(),
      closesAt: schedule.closesAt,
    });
  };

  router.get('/admin/opinions/:slug', requirePermission('opinions.manage'), async (req, res) => {
    await renderForm(req, res, 200);
  });

  /** Mail about a form goes out only while institutions can answer it; otherwise the planner is told. */
  const refuseUnlessOpen = (req: Request, res: Response, survey: Survey): boolean => {
    if (invitationService.openForm(catalog, survey.slug, deps.now())) return false;
    flash(req, { kind: 'error', key: 'opinions:admin.form_not_open' });
    res.redirect(303, `/admin/opinions/${survey.slug}`);
    return true;
  };

  router.post('/admin/opinions/:slug/invite', requirePermission('opinions.manage'), async (req, res) => {
    const survey = findForm(req);
    if (refuseUnlessOpen(req, res, survey)) return;
    const form = parseForm(InviteForm, req.body);
    if (!form.ok) return renderForm(req, res, 422, req.body ?? {}, form.errors);
    const now = deps.now();
    const chosen = invitationDeadline(form.data.deadline, catalog.schedule(survey.slug).closesAt, deps.timeZone, now);
    if (chosen.kind !== 'ok') return renderForm(req, res, 422, req.body, { deadline: `opinions:admin.deadline_${chosen.kind}` });
    const { deadline } = chosen;
    let ids = form.data.stakeholder;
    if (form.data.scope === 'filtered') {
      const threshold = await stakeholderService.threshold(db);
      const listed = await stakeholderRepository.list(db, {
        group: form.data.group || undefined,
        ...(form.data.category ? { category: { category: form.data.category, threshold } } : {}),
      });
      ids = listed.filter((s) => s.scope === 'external').map((s) => s.id);
    }
    if (ids.length === 0) return renderForm(req, res, 422, req.body, { stakeholder: 'opinions:admin.none_chosen' });
    // "Invite every listed institution" is one tap for many e-mails: the planner sees how many first.
    if (form.data.scope === 'filtered' && !isConfirmed(req.body)) {
      const preview = await invitationService.previewInvite(db, survey, [...new Set(ids)]);
      const t = res.locals.t;
      const kinds = preview.byGroup.map((g) => `${t(`stakeholders:groups.${g.group}`)}: ${g.count}`).join(', ');
      return renderConfirm(req, res, csrf, {
        heading: t('opinions:admin.invite_confirm_title', { count: preview.invite.length }),
        lines: [
          t('opinions:admin.invite_confirm_count', { count: preview.invite.length }),
          ...(kinds ? [t('opinions:admin.invite_confirm_kinds', { kinds })] : []),
          ...(preview.skipped > 0 ? [t('opinions:admin.invite_confirm_skipped', { count: preview.skipped })] : []),
          t('opinions:admin.invite_confirm_deadline', { date: res.locals.formatDate(deadline) }),
        ],
        action: `/admin/opinions/${survey.slug}/invite`,
        confirmLabel: t('opinions:admin.invite_confirm_button', { count: preview.invite.length }),
        backHref: `/admin/opinions/${survey.slug}`,
        backLabel: t('opinions:admin.confirm_back'),
        fields: {
          scope: 'filtered',
          deadline: form.data.deadline,
          reminder_days: form.data.reminder_days === '' ? '' : String(form.data.reminder_days),
          group: form.data.group ?? '',
          category: form.data.category ?? '',
        },
      });
    }
    const outcome = await invitationService.invite(db, deps.mail, {
      survey,
      stakeholderIds: [...new Set(ids)],
      deadline,
      reminderDays: form.data.reminder_days === '' ? null : form.data.reminder_days,
      actor: actorOf(req, res),
      now,
    });
    flash(req, {
      kind: outcome.invited > 0 ? 'success' : 'error',
      key: 'opinions:admin.invited',
      params: { count: outcome.invited, skipped: outcome.skipped.length, names: outcome.skipped.map((s) => `${s.name} (${res.locals.t(`opinions:admin.skip.${s.reason}`)})`).join(', ') || '–' },
    });
    res.redirect(303, `/admin/opinions/${survey.slug}`);
  });

  router.post('/admin/opinions/:slug/remind', requirePermission('opinions.manage'), async (req, res) => {
    const survey = findForm(req);
    if (refuseUnlessOpen(req, res, survey)) return;
    const ids = z.preprocess(formList, z.array(Id).max(5000)).safeParse(req.body?.invitation);
    if (!ids.success) throw new AppError(400, 'errors:bad_request');
    const targets = ids.data.length > 0 ? ids.data : (await invitationRepository.listForSurvey(db, survey.slug)).map((i) => i.id);
    const sent = await invitationService.remind(db, deps.mail, survey, targets, actorOf(req, res), deps.now());
    flash(req, { kind: sent > 0 ? 'success' : 'error', key: 'opinions:admin.reminders_sent', params: { count: sent } });
    res.redirect(303, `/admin/opinions/${survey.slug}`);
  });

  for (const action of ['resend', 'revoke'] as const) {
    router.post(`/admin/opinions/:slug/invitations/:id/${action}`, requirePermission('opinions.manage'), async (req, res) => {
      const survey = findForm(req);
      const id = Id.safeParse(req.params.id);
      if (!id.success) throw new AppError(404, 'errors:not_found');
      // A revocation is always possible; a resend only while the form is open.
      if (action === 'resend' && refuseUnlessOpen(req, res, survey)) return;
      if (action === 'revoke' && !isConfirmed(req.body)) {
        const invitation = await invitationRepository.find(db, id.data);
        if (!invitation || invitation.survey_slug !== survey.slug) throw new AppError(404, 'errors:not_found');
        // Already revoked: nothing to ask; the service says so.
        if (!invitation.revoked_at) {
          const t = res.locals.t;
          const name = invitation.stakeholderName;
          return renderConfirm(req, res, csrf, {
            heading: t('opinions:admin.revoke_confirm_title', { name }),
            lines: [t('opinions:admin.revoke_confirm_link', { name, email: invitation.email }), t('opinions:admin.revoke_confirm_kept')],
            action: `/admin/opinions/${survey.slug}/invitations/${invitation.id}/revoke`,
            confirmLabel: t('opinions:admin.revoke_confirm_button'),
            backHref: `/admin/opinions/${survey.slug}`,
            backLabel: t('opinions:admin.confirm_back'),
          });
        }
      }
      const outcome =
        action === 'resend'
          ? await invitationService.resend(db, deps.mail, survey, id.data, actorOf(req, res), deps.now())
          : await invitationService.revoke(db, survey, id.data, actorOf(req, res), deps.now());
      if (outcome.kind === 'not_found') throw new AppError(404, 'errors:not_found');
      flash(req, { kind: outcome.kind === 'changed' ? 'success' : 'error', key: `opinions:admin.${action}_${outcome.kind}` });
      res.redirect(303, `/admin/opinions/${survey.slug}`);
    });
  }

  router.get('/admin/opinions/letters/:id', requirePermission('responses.read'), async (req, res) => {
    const id = Id.safeParse(req.params.id);
    const letter = id.success ? await invitationRepository.findLetter(db, id.data) : undefined;
    if (!letter) throw new AppError(404, 'errors:not_found');
    // Only this letter's bytes are read. None for a letter uploaded as a file that never reached
    // the database (its file was missing at start-up, see letter-import.ts): not found, as before.
    const content = await invitationRepository.letterContent(db, letter.id);
    if (!content) throw new AppError(404, 'errors:not_found');
    await audit.record(db, { action: 'letter.downloaded', ...audit.by(actorOf(req, res)), target: `letter#${letter.id}`, details: { invitation: letter.invitation_id } }, deps.now());
    res.set('Content-Security-Policy', "default-src 'none'; sandbox");
    res.attachment(letter.file_name).type('application/pdf');
    res.send(content);
  });

  // The consultation record (T14).

  const recordOf = async (survey: Survey) => {
    const invitations = await invitationRepository.listForSurvey(db, survey.slug);
    const letters = await invitationRepository.lettersOf(db, invitations.map((i) => i.id));
    const counts = new Map<number, number>();
    // Letters on record: sent with an answer (one still being prepared is not part of the record).
    for (const letter of letters) if (letter.response_id !== null) counts.set(letter.invitation_id, (counts.get(letter.invitation_id) ?? 0) + 1);
    const institutions = institutionRecords(invitations, counts, STAKEHOLDER_GROUPS);
    return { institutions, ...groupRecords(institutions, STAKEHOLDER_GROUPS) };
  };

  router.get('/admin/opinions/:slug/record', requirePermission('results.read'), async (req, res) => {
    const survey = findForm(req);
    const report = deps.reportCaptions ? await deps.reportCaptions(['T14', 'T14b']) : undefined;
    // null: unknown (no report now), so neither "in the report" nor "not in it" is said.
    const inReport = report === undefined ? null : report.surveys.includes(survey.slug) ? report.captions : undefined;
    res.render('admin/opinions/record', { pageTitle: `${res.locals.t('opinions:record.title')} — ${res.locals.localize(survey.title).text}`, survey, inReport, ...(await recordOf(survey)) });
  });

  const recordSheets = async (res: Response, survey: Survey) => {
    const t = res.locals.t;
    const { institutions, groups, total } = await recordOf(survey);
    const group = (id: string) => (id === 'total' ? t('opinions:record.total') : t(`stakeholders:groups.${id}`));
    const date = (iso: string | null) => (iso ? res.locals.formatDate(iso) : '');
    const status = (record: InstitutionRecord) => t(`opinions:record.statuses.${record.status}`);
    return [
      {
        name: t('opinions:record.by_group_sheet'),
        header: [
          [t('opinions:record.group'), t('opinions:record.invited'), t('opinions:record.answered'), t('opinions:record.rate'), t('opinions:record.self_answered')],
        ],
        rows: [...groups, total].map((row): Cell[] => [group(row.group), row.invited, row.answered, row.rate === null ? null : Math.round(row.rate * 1000) / 10, row.selfAnswered]),
      },
      {
        name: t('opinions:record.by_institution_sheet'),
        header: [
          [
            t('opinions:record.group'), t('opinions:record.institution'), t('opinions:record.invited_at'), t('opinions:record.self_registered'),
            t('opinions:record.reminders'), t('opinions:record.answered_at'), t('opinions:record.status'), t('opinions:record.letters'), t('opinions:record.response'),
          ],
        ],
        rows: institutions.map((r): Cell[] => [
          group(r.group), r.name, date(r.invitedAt), r.selfRegistered ? t('opinions:record.yes') : '', r.reminders, date(r.answeredAt), status(r), r.letters, r.responseId,
        ]),
      },
    ];
  };

  const exportName = (survey: Survey, ext: string) => `kurum-gorusleri-${survey.slug}-${deps.now().toISOString().slice(0, 10)}.${ext}`;

  // CSV holds one table: the institutions, or (record-groups.csv) the summary per group.
  for (const [path, sheet] of [['record.csv', 1], ['record-groups.csv', 0]] as const) {
    router.get(`/admin/opinions/:slug/${path}`, requirePermission('export.download'), async (req, res) => {
      const survey = findForm(req);
      const { header, rows } = (await recordSheets(res, survey))[sheet]!;
      await audit.record(db, { action: 'export.downloaded', ...audit.by(actorOf(req, res)), target: survey.slug, details: { what: 'consultation_record', format: path } }, deps.now());
      res.type('text/csv; charset=utf-8').attachment(exportName(survey, sheet === 1 ? 'csv' : 'gruplar.csv'));
      await writeCsv(res, header, rows, res.locals.lang);
    });
  }

  router.get('/admin/opinions/:slug/record.xlsx', requirePermission('export.download'), async (req, res) => {
    const survey = findForm(req);
    const sheets = await recordSheets(res, survey);
    await audit.record(db, { action: 'export.downloaded', ...audit.by(actorOf(req, res)), target: survey.slug, details: { what: 'consultation_record', format: 'xlsx' } }, deps.now());
    res.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').attachment(exportName(survey, 'xlsx'));
    await writeXlsx(res, sheets);
  });

  return router;
}
