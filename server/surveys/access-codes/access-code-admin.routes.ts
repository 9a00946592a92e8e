// Back-office screens for a survey's access codes: the mode, batches of single-use codes, the
// printable sheet of cards with QR codes, and a batch's codes as CSV.
import { Router, type Request, type Response } from 'express';
import QRCode from 'qrcode';
import { z } from 'zod';
import { actorOf, flash, requirePermission } from '../../admin';
import * as audit from '../../platform/audit/audit.repository';
import type { Db } from '../../platform/db/connection';
import { writeCsv } from '../../platform/export/writers';
import { AppError } from '../../platform/http/app-error';
import type { Csrf } from '../../platform/http/csrf';
import { parseForm, text } from '../../platform/http/validate';
import * as accessCodeRepository from './access-code.repository';
import * as accessCodeService from './access-code.service';
import { ACCESS_MODES, type AccessMode } from './access-code.table';
import { formatCode, MAX_BATCH_SIZE } from './access-codes';
import type { Survey } from '../survey-definition';
import { surveyOr404, type SurveyCatalog } from '../survey-registry';

export interface AccessCodeAdminDeps {
  db: Db;
  catalog: SurveyCatalog;
  csrf: Csrf;
  baseUrl: string;
  now: () => Date;
}

/** Cards on one A4 page (two columns, five rows), and pages in one printable part of a batch. */
export const CARDS_PER_PAGE = 10;
export const CARDS_PER_PART = 200;

const ModeForm = z.object({ mode: z.enum(ACCESS_MODES, { error: 'errors:form.invalid' }) });
const BatchForm = z.object({
  label: text(z, 100).min(1, { error: 'access_codes:admin.label_required' }),
  size: z.coerce
    .number({ error: 'access_codes:admin.size_range' })
    .int({ error: 'access_codes:admin.size_range' })
    .min(1, { error: 'access_codes:admin.size_range' })
    .max(MAX_BATCH_SIZE, { error: 'access_codes:admin.size_range' }),
});
const BatchId = z.coerce.number().int().positive();
const PartQuery = z.object({ part: z.coerce.number().int().min(1).max(1000).default(1).catch(1) });

export function accessCodeAdminRouter(deps: AccessCodeAdminDeps): Router {
  const router = Router();
  const { db, catalog, csrf } = deps;
  const base = (survey: Survey) => `/admin/surveys/${survey.slug}/access-codes`;
  /** Institutions answer through their invitation links, never with codes. */
  const findSurvey = (req: Request): Survey => {
    const survey = surveyOr404(catalog, req.params.slug);
    if (survey.audience === 'institution') throw new AppError(404, 'errors:not_found');
    return survey;
  };
  const findBatch = async (req: Request, survey: Survey) => {
    const id = BatchId.safeParse(req.params.batch);
    const batch = id.success ? await accessCodeRepository.findBatch(db, survey.slug, id.data) : undefined;
    if (!batch) throw new AppError(404, 'errors:not_found');
    return batch;
  };
  const publicUrl = (survey: Survey) => `${deps.baseUrl}/anket/${survey.slug}`;

  const renderPage = async (req: Request, res: Response, status: number, errors: Record<string, string> = {}, posted: Record<string, unknown> = {}) => {
    const survey = findSurvey(req);
    res.status(status).render('admin/surveys/access-codes', {
      pageTitle: `${res.locals.t('access_codes:admin.title')} — ${res.locals.localize(survey.title).text}`,
      survey,
      mode: await accessCodeRepository.findMode(db, survey.slug),
      modes: ACCESS_MODES,
      batches: await accessCodeRepository.listBatches(db, survey.slug),
      counts: await accessCodeRepository.countByCode(db, survey.slug),
      maxBatchSize: MAX_BATCH_SIZE,
      values: { label: String(posted.label ?? ''), size: String(posted.size ?? '100') },
      csrfToken: csrf.token(req, res),
      errors,
    });
  };

  router.get('/admin/surveys/:slug/access-codes', requirePermission('surveys.manage'), async (req, res) => {
    await renderPage(req, res, 200);
  });

  router.post('/admin/surveys/:slug/access-codes/mode', requirePermission('surveys.manage'), async (req, res) => {
    const survey = findSurvey(req);
    const form = parseForm(ModeForm, req.body);
    if (!form.ok) return renderPage(req, res, 422, form.errors);
    const mode: AccessMode = form.data.mode;
    const outcome = await accessCodeService.setMode(db, survey.slug, mode, actorOf(req, res), deps.now());
    if (outcome.kind === 'changed') flash(req, { kind: 'success', key: 'access_codes:admin.mode_changed', params: { mode: res.locals.t(`access_codes:modes.${mode}`) } });
    res.redirect(303, base(survey));
  });

  router.post('/admin/surveys/:slug/access-codes/batches', requirePermission('surveys.manage'), async (req, res) => {
    const survey = findSurvey(req);
    const form = parseForm(BatchForm, req.body);
    if (!form.ok) return renderPage(req, res, 422, form.errors, req.body);
    const outcome = await accessCodeService.createBatch(db, survey.slug, form.data, actorOf(req, res), deps.now());
    if (outcome.kind === 'too_many') return renderPage(req, res, 422, { size: 'access_codes:admin.size_range' }, req.body);
    flash(req, { kind: 'success', key: 'access_codes:admin.batch_created', params: { count: form.data.size, label: form.data.label } });
    res.redirect(303, base(survey));
  });

  router.get('/admin/surveys/:slug/access-codes/batches/:batch/cards', requirePermission('surveys.manage'), async (req, res) => {
    const survey = findSurvey(req);
    const batch = await findBatch(req, survey);
    const parts = Math.max(1, Math.ceil(batch.size / CARDS_PER_PART));
    const part = Math.min(PartQuery.parse(req.query).part, parts);
    const codes = await accessCodeRepository.codesOfBatch(db, batch.id, { limit: CARDS_PER_PART, offset: (part - 1) * CARDS_PER_PART });
    const cards = await Promise.all(
      codes.map(async ({ code, usedAt }) => {
        const shown = formatCode(code);
        const link = `${publicUrl(survey)}?kod=${shown}`;
        return { code: shown, used: usedAt !== null, qrSvg: await QRCode.toString(link, { type: 'svg', margin: 0, errorCorrectionLevel: 'M' }) };
      }),
    );
    const pages: (typeof cards)[] = [];
    for (let i = 0; i < cards.length; i += CARDS_PER_PAGE) pages.push(cards.slice(i, i + CARDS_PER_PAGE));
    res.render('admin/surveys/access-code-cards', {
      pageTitle: res.locals.t('access_codes:cards.title', { label: batch.label }),
      survey,
      batch,
      pages,
      part,
      parts,
      url: publicUrl(survey),
    });
  });

  router.get('/admin/surveys/:slug/access-codes/batches/:batch/codes.csv', requirePermission('surveys.manage'), async (req, res) => {
    const survey = findSurvey(req);
    const batch = await findBatch(req, survey);
    const t = res.locals.t;
    await audit.record(db, { action: 'export.downloaded', ...audit.by(actorOf(req, res)), target: survey.slug, details: { format: 'access-codes.csv', batch: batch.id } }, deps.now());
    const codes = await accessCodeRepository.codesOfBatch(db, batch.id);
    res.type('text/csv; charset=utf-8').attachment(`${survey.slug}-erisim-kodlari-${batch.id}.csv`);
    await writeCsv(
      res,
      [[t('access_codes:csv.code'), t('access_codes:csv.link'), t('access_codes:csv.batch'), t('access_codes:csv.used_at')]],
      codes.map(({ code, usedAt }) => [formatCode(code), `${publicUrl(survey)}?kod=${formatCode(code)}`, batch.label, usedAt]),
      res.locals.lang,
    );
  });

  return router;
}
