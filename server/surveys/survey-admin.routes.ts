// Back-office screens for surveys: the list, one survey's page (status, dates, share link and QR
// code), uploads, preview, paper and face-to-face data entry, and the responses with exclusions.
import crypto from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import multer from 'multer';
import QRCode from 'qrcode';
import { z } from 'zod';
import { actorOf, flash, requirePermission } from '../admin';
import type { Db } from '../platform/db/connection';
import { AppError } from '../platform/http/app-error';
import type { Csrf } from '../platform/http/csrf';
import { parseForm, text } from '../platform/http/validate';
import { endOfDayIso, isoToZonedInput, zonedToIso } from '../platform/time';
import { problemText, type DefinitionProblem } from './definition-problems';
import * as qualityRepository from './quality/quality.repository';
import * as responseRepository from './response.repository';
import { EXCLUSION_REASONS, type ResponseChannel } from './response.table';
import { describeResponse } from './response-view';
import { newPageKey, previewSectionHandlers, storedSectionHandlers } from './section-pages';
import * as surveyAdminService from './survey-admin.service';
import type { FormFields } from './survey-answers';
import { allQuestions, type Survey } from './survey-definition';
import { scheduleActions, surveyStatus } from './survey-flow';
import { surveyOr404, type SurveyRegistry } from './survey-registry';
import { toXlsForm, writeXlsForm, type XlsFormProblem } from './xlsform';

declare module 'express-session' {
  interface SessionData {
    /** Problems of the last refused upload, shown once. */
    uploadProblems?: { file: string; path: string; message: string }[];
    /** An XLSForm import that approximates some rows, kept here (and nowhere else) until the planner confirms it. */
    pendingUpload?: { id: string; fileName: string; slug: string; definition: string; approximations: XlsFormProblem[] };
    /** Answers of a preview in progress, per survey; never stored elsewhere. */
    previews?: Record<string, FormFields>;
  }
}

export interface SurveyAdminDeps {
  db: Db;
  catalog: SurveyRegistry;
  csrf: Csrf;
  secret: string;
  now: () => Date;
  baseUrl: string;
  timeZone: string;
  /**
   * Whose each response is, for forms answered on someone's behalf (institutions): given by the
   * app, drawn by views/admin/opinions/_answer-owner*.ejs. Undefined for other surveys.
   */
  responseOwners?: (survey: Survey, responseIds: number[]) => Promise<Map<number, { kind: string; name?: string }> | undefined>;
}

const ENTRY_CHANNELS = ['paper', 'face_to_face'] as const satisfies readonly ResponseChannel[];
/** The one form that posts a file; CSRF reads its token from the URL (see createCsrf). */
export const SURVEY_UPLOAD_PATHS = ['/admin/surveys/upload'] as const;
const PAGE_SIZE = 50;
const MAX_UPLOAD_BYTES = 1024 * 1024;

const localDateTime = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, { error: 'admin:surveys.date_time_format' });
const OpenForm = z.object({ closes_at: localDateTime });
const ScheduleForm = z.object({ opens_at: localDateTime, closes_at: localDateTime, published: z.literal('1').optional() });
const ExcludeForm = z.object({ reason: z.enum(EXCLUSION_REASONS, { error: 'errors:form.invalid' }), note: text(z, 500).optional() });
const ResponseQuery = z.object({
  from: z.iso.date().optional().catch(undefined),
  to: z.iso.date().optional().catch(undefined),
  channel: z.enum(['online', 'paper', 'face_to_face']).optional().catch(undefined),
  status: z.enum(['complete', 'draft', 'excluded']).optional().catch(undefined),
  answer: z
    .string()
    .regex(/^[a-z][a-z0-9_]*=[a-z][a-z0-9_]*$/)
    .optional()
    .catch(undefined),
  page: z.coerce.number().int().min(1).max(1_000_000).default(1).catch(1),
});
const ResponseId = z.coerce.number().int().positive();
const ConfirmUploadForm = z.object({ pending: z.string().regex(/^[a-f0-9]{32}$/), decision: z.enum(['confirm', 'cancel']) });

export function surveyAdminRouter(deps: SurveyAdminDeps): Router {
  const router = Router();
  const { db, catalog, csrf } = deps;
  const upload = multer({ storage: multer.memoryStorage(), limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 5 } });

  const findSurvey = (req: Request): Survey => surveyOr404(catalog, req.params.slug);
  const localInput = (iso: string) => (iso ? isoToZonedInput(iso, deps.timeZone) : '');
  const toIso = (local: string) => zonedToIso(local, deps.timeZone)!;
  const publicUrl = (survey: Survey) => `${deps.baseUrl}/anket/${survey.slug}`;

  router.get('/admin/surveys', async (_req, res) => {
    const counts = await responseRepository.countsBySurvey(db);
    const now = deps.now();
    const rows = catalog.surveys.map((survey) => {
      const schedule = catalog.schedule(survey.slug);
      return { survey, schedule, status: surveyStatus(schedule, now), counts: counts.get(survey.slug), source: catalog.source(survey.slug) };
    });
    res.render('admin/surveys/list', { pageTitle: res.locals.t('admin:surveys.title'), rows });
  });

  /** A definition's problem in the planner's language, at its JSON path. */
  const describeDefinition = (res: Response, problems: DefinitionProblem[]) =>
    problems.map((p) => ({ file: p.file, path: p.path, message: problemText(p, res.locals.t) }));
  /** An import problem or approximation in the planner's language, at its sheet and row. */
  const describeXlsForm = (res: Response, fileName: string, p: XlsFormProblem) => ({
    file: fileName,
    path: p.row > 0 ? res.locals.t('admin:xlsform.at', { sheet: p.sheet, row: p.row }) : p.sheet || fileName,
    message: res.locals.t(p.key, p.params),
  });

  router.get('/admin/surveys/upload', requirePermission('surveys.manage'), (req, res) => {
    // Problems of a refused upload come by way of the session, so the address never keeps the token.
    const problems = req.session.uploadProblems ?? [];
    delete req.session.uploadProblems;
    const pending = req.session.pendingUpload;
    res.status(problems.length > 0 ? 422 : 200).render('admin/surveys/upload', {
      pageTitle: res.locals.t('admin:surveys.upload_title'),
      problems,
      pending: pending && { id: pending.id, slug: pending.slug, fileName: pending.fileName, approximations: pending.approximations.map((p) => describeXlsForm(res, pending.fileName, p)) },
      uploadToken: csrf.token(req, res),
      csrfToken: csrf.token(req, res),
    });
  });

  const refuseUpload = (req: Request, res: Response, problems: { file: string; path: string; message: string }[]) => {
    req.session.uploadProblems = problems.slice(0, 200);
    res.redirect(303, '/admin/surveys/upload');
  };
  const uploaded = (req: Request, res: Response, outcome: { slug: string; replaced: boolean }) => {
    flash(req, { kind: 'success', key: outcome.replaced ? 'admin:surveys.upload_replaced' : 'admin:surveys.upload_saved', params: { slug: outcome.slug } });
    res.redirect(303, `/admin/surveys/${outcome.slug}`);
  };

  router.post('/admin/surveys/upload', requirePermission('surveys.manage'), (req, res, next) => {
    upload.single('definition')(req, res, (error?: unknown) => {
      if ((error as { code?: string } | undefined)?.code === 'LIMIT_FILE_SIZE') return next(new AppError(413, 'errors:too_large'));
      if (error) return next(new AppError(400, 'errors:bad_request'));
      next();
    });
  }, async (req, res) => {
    // A new file replaces whatever import was waiting for confirmation.
    delete req.session.pendingUpload;
    const file = req.file;
    if (!file) return refuseUpload(req, res, [{ file: '', path: '$', message: res.locals.t('admin:surveys.upload_missing') }]);
    const fileName = file.originalname.replace(/[^\w.-]/g, '_').slice(0, 100);
    // An .xlsx is a zip: its first bytes are "PK".
    if (fileName.toLowerCase().endsWith('.xlsx') || file.buffer.subarray(0, 2).toString('latin1') === 'PK') {
      const outcome = await surveyAdminService.uploadXlsForm(db, catalog, { fileName, content: file.buffer }, actorOf(req, res), deps.now());
      switch (outcome.kind) {
        case 'invalid':
          return refuseUpload(req, res, describeDefinition(res, outcome.problems));
        case 'refused':
          return refuseUpload(req, res, outcome.problems.map((p) => describeXlsForm(res, fileName, p)));
        case 'needs_confirmation':
          req.session.pendingUpload = { id: crypto.randomBytes(16).toString('hex'), fileName, slug: outcome.slug, definition: outcome.definition, approximations: outcome.approximations.slice(0, 200) };
          return res.redirect(303, '/admin/surveys/upload');
        case 'saved':
          return uploaded(req, res, outcome);
      }
    }
    const outcome = await surveyAdminService.uploadDefinition(db, catalog, { fileName, text: file.buffer.toString('utf8') }, actorOf(req, res), deps.now());
    if (outcome.kind === 'invalid') return refuseUpload(req, res, describeDefinition(res, outcome.problems));
    uploaded(req, res, outcome);
  });

  router.post('/admin/surveys/upload/confirm', requirePermission('surveys.manage'), async (req, res) => {
    const form = parseForm(ConfirmUploadForm, req.body);
    const pending = req.session.pendingUpload;
    // The id ties the answer to the import shown, not to one uploaded since in another tab.
    if (!form.ok || !pending || pending.id !== form.data.pending) {
      return refuseUpload(req, res, [{ file: '', path: '$', message: res.locals.t('admin:xlsform.pending_missing') }]);
    }
    delete req.session.pendingUpload;
    if (form.data.decision === 'cancel') return res.redirect(303, '/admin/surveys/upload');
    const outcome = await surveyAdminService.uploadDefinition(db, catalog, { fileName: pending.fileName, text: pending.definition }, actorOf(req, res), deps.now());
    if (outcome.kind === 'invalid') return refuseUpload(req, res, describeDefinition(res, outcome.problems));
    uploaded(req, res, outcome);
  });

  /** posted: a refused form's values, shown again so nothing typed is lost. */
  const renderSurvey = async (req: Request, res: Response, status: number, errors: Record<string, string> = {}, posted: Record<string, unknown> = {}) => {
    const survey = findSurvey(req);
    const schedule = catalog.schedule(survey.slug);
    const counts = (await responseRepository.countsBySurvey(db)).get(survey.slug);
    const now = deps.now();
    const datesRefused = errors['dates.opens_at'] !== undefined || errors['dates.closes_at'] !== undefined;
    const openRefused = errors['open.closes_at'] !== undefined;
    const defaultClose = Date.parse(schedule.closesAt) > now.getTime() ? schedule.closesAt : new Date(now.getTime() + 30 * 86_400_000).toISOString();
    res.status(status).render('admin/surveys/show', {
      pageTitle: res.locals.localize(survey.title).text,
      survey,
      schedule,
      status: surveyStatus(schedule, now),
      actions: scheduleActions(surveyStatus(schedule, now)),
      counts,
      source: catalog.source(survey.slug),
      url: publicUrl(survey),
      inputs: {
        opensAt: datesRefused ? String(posted.opens_at ?? '') : localInput(schedule.opensAt),
        closesAt: datesRefused ? String(posted.closes_at ?? '') : localInput(schedule.closesAt),
        openUntil: openRefused ? String(posted.closes_at ?? '') : localInput(defaultClose),
      },
      questionCount: allQuestions(survey).length,
      entryChannels: ENTRY_CHANNELS,
      csrfToken: csrf.token(req, res),
      errors,
    });
  };

  router.get('/admin/surveys/:slug', async (req, res) => {
    await renderSurvey(req, res, 200);
  });

  const scheduleDone = (
    req: Request,
    res: Response,
    survey: Survey,
    outcome: surveyAdminService.ScheduleOutcome,
    message: string,
    form: 'open' | 'dates',
  ) => {
    if (outcome.kind === 'closes_before_opens') return renderSurvey(req, res, 422, { [`${form}.closes_at`]: 'admin:surveys.closes_before_opens' }, req.body);
    flash(req, { kind: 'success', key: message });
    res.redirect(303, `/admin/surveys/${survey.slug}`);
  };

  router.post('/admin/surveys/:slug/open', requirePermission('surveys.manage'), async (req, res) => {
    const survey = findSurvey(req);
    const form = parseForm(OpenForm, req.body);
    if (!form.ok || !zonedToIso(form.data.closes_at, deps.timeZone)) return renderSurvey(req, res, 422, { 'open.closes_at': 'admin:surveys.date_time_format' }, req.body);
    const outcome = await surveyAdminService.openNow(db, catalog, survey.slug, toIso(form.data.closes_at), actorOf(req, res), deps.now());
    await scheduleDone(req, res, survey, outcome, 'admin:surveys.opened', 'open');
  });

  router.post('/admin/surveys/:slug/close', requirePermission('surveys.manage'), async (req, res) => {
    const survey = findSurvey(req);
    const outcome = await surveyAdminService.closeNow(db, catalog, survey.slug, actorOf(req, res), deps.now());
    await scheduleDone(req, res, survey, outcome, 'admin:surveys.closed', 'dates');
  });

  router.post('/admin/surveys/:slug/schedule', requirePermission('surveys.manage'), async (req, res) => {
    const survey = findSurvey(req);
    const form = parseForm(ScheduleForm, req.body);
    if (!form.ok || !zonedToIso(form.data.opens_at, deps.timeZone) || !zonedToIso(form.data.closes_at, deps.timeZone)) {
      return renderSurvey(req, res, 422, { 'dates.opens_at': 'admin:surveys.date_time_format' }, req.body);
    }
    const schedule = { published: form.data.published === '1', opensAt: toIso(form.data.opens_at), closesAt: toIso(form.data.closes_at) };
    const outcome = await surveyAdminService.changeSchedule(db, catalog, survey.slug, schedule, actorOf(req, res), deps.now());
    await scheduleDone(req, res, survey, outcome, 'admin:surveys.dates_changed', 'dates');
  });

  router.get('/admin/surveys/:slug/export.xlsform.xlsx', requirePermission('surveys.manage'), async (req, res) => {
    const survey = findSurvey(req);
    const content = await writeXlsForm(toXlsForm(survey));
    res.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    res.attachment(`${survey.slug}.xlsform.xlsx`);
    res.send(content);
  });

  router.get('/admin/surveys/:slug/qr.svg', async (req, res) => {
    const survey = findSurvey(req);
    const svg = await QRCode.toString(publicUrl(survey), { type: 'svg', margin: 2, errorCorrectionLevel: 'M' });
    res.type('image/svg+xml').set('Content-Disposition', `inline; filename="${survey.slug}-qr.svg"`).send(svg);
  });

  router.get('/admin/surveys/:slug/poster', async (req, res) => {
    const survey = findSurvey(req);
    const svg = await QRCode.toString(publicUrl(survey), { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
    res.render('admin/surveys/poster', { pageTitle: res.locals.localize(survey.title).text, survey, url: publicUrl(survey), qrSvg: svg, schedule: catalog.schedule(survey.slug) });
  });

  // Preview: the respondent's pages, answers kept in the session only.
  const previewBase = (_req: Request, survey: Survey) => `/admin/surveys/${survey.slug}/preview`;
  const preview = previewSectionHandlers(deps, {
    base: previewBase,
    findSurvey,
    load: (req, survey) => req.session.previews?.[survey.slug] ?? {},
    save(req, survey, fields) {
      const previews = { ...req.session.previews };
      if (fields) previews[survey.slug] = fields;
      else delete previews[survey.slug];
      req.session.previews = previews;
    },
    banner: (_req, res) => res.locals.t('admin:surveys.preview_banner'),
    finished: (_req, res, survey) => res.render('admin/surveys/preview-done', { pageTitle: res.locals.t('admin:surveys.preview_done_title'), survey }),
  });
  router.get('/admin/surveys/:slug/preview', requirePermission('surveys.manage'), (req, res) => {
    const survey = findSurvey(req);
    if (req.session.previews?.[survey.slug]) {
      const { [survey.slug]: _dropped, ...rest } = req.session.previews;
      req.session.previews = rest;
    }
    res.redirect(303, `${previewBase(req, survey)}/1`);
  });
  router.get('/admin/surveys/:slug/preview/:section', requirePermission('surveys.manage'), preview.show);
  router.post('/admin/surveys/:slug/preview/:section', requirePermission('surveys.manage'), preview.submit);

  // Data entry of paper and face-to-face questionnaires through the same pages. Each form gets a
  // key in its address, so two tabs are two questionnaires, never one.
  const entryChannel = (req: Request): (typeof ENTRY_CHANNELS)[number] => {
    const channel = ENTRY_CHANNELS.find((c) => c === req.params.channel);
    if (!channel) throw new AppError(404, 'errors:not_found');
    return channel;
  };
  const entryForm = (req: Request): string => {
    const form = String(req.params.form);
    if (!/^[A-Za-z0-9_-]{16,32}$/.test(form)) throw new AppError(404, 'errors:not_found');
    return form;
  };
  const entryToken = (req: Request, survey: Survey) =>
    crypto.createHmac('sha256', deps.secret).update(`entry:${req.res!.locals.user.id}:${survey.slug}:${entryChannel(req)}:${entryForm(req)}`).digest('base64url');
  const newEntryUrl = (req: Request, survey: Survey) => `/admin/surveys/${survey.slug}/entry/${entryChannel(req)}/${newPageKey()}/1`;
  const entry = storedSectionHandlers(
    deps,
    {
      base: (req, survey) => `/admin/surveys/${survey.slug}/entry/${entryChannel(req)}/${entryForm(req)}`,
      admit: () => true,
      // Derived from the form key and the planner, so only this planner's tab finds this draft.
      readToken: (req, survey) => entryToken(req, survey),
      newToken: (req, survey) => entryToken(req, survey),
      writeToken: () => undefined,
      channel: entryChannel,
      enteredBy: (_req, res) => res.locals.user.id,
      finish(req, res, _survey, responseId) {
        flash(req, { kind: 'success', key: 'admin:entry.saved', params: { id: responseId } });
        res.redirect(303, newEntryUrl(req, _survey));
      },
      banner: (req, res) =>
        res.locals.t('admin:entry.banner', { channel: res.locals.t(`admin:channels.${entryChannel(req)}`), name: res.locals.user.name }),
    },
    findSurvey,
  );
  router.get('/admin/surveys/:slug/entry/:channel', requirePermission('entry.create'), (req, res) => {
    res.redirect(303, newEntryUrl(req, findSurvey(req)));
  });
  router.get('/admin/surveys/:slug/entry/:channel/:form', requirePermission('entry.create'), (req, res) => {
    res.redirect(303, `/admin/surveys/${findSurvey(req).slug}/entry/${entryChannel(req)}/${entryForm(req)}/1`);
  });
  router.get('/admin/surveys/:slug/entry/:channel/:form/:section', requirePermission('entry.create'), entry.show);
  router.post('/admin/surveys/:slug/entry/:channel/:form/:section', requirePermission('entry.create'), entry.submit);

  // Responses: browse with filters, read one, exclude or restore it.
  router.get('/admin/surveys/:slug/responses', requirePermission('responses.read'), async (req, res) => {
    const survey = findSurvey(req);
    const query = ResponseQuery.parse(req.query);
    const [questionId, optionId] = query.answer?.split('=') ?? [];
    const profileQuestions = allQuestions(survey).filter((q) => q.kind === 'single_choice' || q.kind === 'select');
    const answerFilter = profileQuestions.some((q) => q.id === questionId) ? [{ questionId: questionId!, optionId: optionId! }] : [];
    const { responses, total } = await responseRepository.listResponses(
      db,
      survey.slug,
      {
        from: query.from ? zonedToIso(query.from, deps.timeZone) : undefined,
        to: query.to ? endOfDayIso(query.to, deps.timeZone) : undefined,
        channel: query.channel,
        status: query.status,
        answers: answerFilter,
      },
      { limit: PAGE_SIZE, offset: (query.page - 1) * PAGE_SIZE },
    );
    res.render('admin/surveys/responses', {
      pageTitle: res.locals.t('admin:responses.title'),
      survey,
      responses,
      owners: await deps.responseOwners?.(survey, responses.map((r) => r.id)),
      total,
      query,
      pages: Math.max(1, Math.ceil(total / PAGE_SIZE)),
      profileQuestions,
    });
  });

  const renderResponse = async (req: Request, res: Response, status: number, errors: Record<string, string> = {}) => {
    const survey = findSurvey(req);
    const id = ResponseId.safeParse(req.params.id);
    const response = id.success ? await responseRepository.findResponse(db, survey.slug, id.data) : undefined;
    if (!response) throw new AppError(404, 'errors:not_found');
    const lines = describeResponse(survey, await responseRepository.answersOf(db, response.id), (value) => res.locals.localize(value).text, {
      other: res.locals.t('surveys:other_option'),
      notApplicable: res.locals.t('admin:responses.not_applicable'),
      formatDate: (isoDate) => res.locals.formatDate(`${isoDate}T12:00:00Z`),
    });
    const owner = (await deps.responseOwners?.(survey, [response.id]))?.get(response.id);
    const title = res.locals.t('admin:responses.one_title', { id: response.id });
    res.status(status).render('admin/surveys/response', {
      // "Yanıt #2" alone says nothing: an institution's answer is titled with its name.
      pageTitle: owner?.name ? `${owner.name}: ${title}` : title,
      survey,
      response,
      owner,
      lines,
      quality: await qualityRepository.reviewOf(db, response.id),
      reasons: EXCLUSION_REASONS,
      csrfToken: csrf.token(req, res),
      errors,
    });
  };

  router.get('/admin/surveys/:slug/responses/:id', requirePermission('responses.read'), async (req, res) => {
    await renderResponse(req, res, 200);
  });

  const exclusion = async (req: Request, res: Response, value: { reason: (typeof EXCLUSION_REASONS)[number]; note: string | null } | null) => {
    const survey = findSurvey(req);
    const id = ResponseId.safeParse(req.params.id);
    if (!id.success) throw new AppError(404, 'errors:not_found');
    const outcome = await surveyAdminService.setExcluded(db, survey.slug, id.data, value, actorOf(req, res), deps.now());
    if (outcome.kind === 'not_found') throw new AppError(404, 'errors:not_found');
    if (outcome.kind === 'not_complete') flash(req, { kind: 'error', key: 'admin:responses.only_complete' });
    else if (outcome.kind === 'superseded') flash(req, { kind: 'error', key: 'admin:responses.superseded_locked' });
    else flash(req, { kind: 'success', key: value ? 'admin:responses.excluded' : 'admin:responses.restored', params: { id: id.data } });
    res.redirect(303, `/admin/surveys/${survey.slug}/responses/${id.data}`);
  };

  router.post('/admin/surveys/:slug/responses/:id/exclude', requirePermission('responses.manage'), async (req, res) => {
    const form = parseForm(ExcludeForm, req.body);
    if (!form.ok) return renderResponse(req, res, 422, form.errors);
    await exclusion(req, res, { reason: form.data.reason, note: form.data.note || null });
  });

  router.post('/admin/surveys/:slug/responses/:id/restore', requirePermission('responses.manage'), async (req, res) => {
    await exclusion(req, res, null);
  });

  return router;
}
