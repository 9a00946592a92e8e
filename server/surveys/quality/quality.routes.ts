// The review screen of a survey's flagged responses: grouped by reason with their answers, each
// excluded or kept one at a time or in bulk. One form for everything, so it works without JS.
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { actorOf, flash, requirePermission } from '../../admin';
import type { Db } from '../../platform/db/connection';
import { formList, parseForm, text } from '../../platform/http/validate';
import type { Csrf } from '../../platform/http/csrf';
import * as responseRepository from '../response.repository';
import { EXCLUSION_REASONS } from '../response.table';
import { describeResponse } from '../response-view';
import { surveyOr404, type SurveyRegistry } from '../survey-registry';
import { QUALITY_REASONS } from './quality-checks';
import * as qualityRepository from './quality.repository';
import * as qualityService from './quality.service';

export interface QualityRoutesDeps {
  db: Db;
  catalog: SurveyRegistry;
  csrf: Csrf;
  now: () => Date;
}

/** The queue shows this many responses at a time; each decision makes room for the next. */
export const REVIEW_PAGE_SIZE = 100;

const ReviewForm = z
  .object({
    ids: z.preprocess(formList, z.array(z.coerce.number().int().positive()).max(REVIEW_PAGE_SIZE * QUALITY_REASONS.length)),
    // The bulk buttons, or one response's own button ("exclude:12", "keep:12").
    decision: z.enum(['exclude', 'keep']).optional(),
    one: z
      .string()
      .regex(/^(exclude|keep):[1-9]\d{0,11}$/)
      .optional(),
    reason: z.enum(EXCLUSION_REASONS, { error: 'errors:form.invalid' }).default('quality'),
    note: text(z, 500).optional(),
  })
  .refine((form) => form.one !== undefined || (form.decision !== undefined && form.ids.length > 0), { path: ['ids'], error: 'admin:quality.none_chosen' });

export function qualityRouter(deps: QualityRoutesDeps): Router {
  const router = Router();
  const { db, catalog, csrf } = deps;

  const render = async (req: Request, res: Response, status: number, errors: Record<string, string> = {}) => {
    const survey = surveyOr404(catalog, req.params.slug);
    const pending = await qualityRepository.pendingReview(db, survey.slug, REVIEW_PAGE_SIZE);
    const counts = await qualityRepository.pendingCounts(db, survey.slug);
    const words = {
      other: res.locals.t('surveys:other_option'),
      notApplicable: res.locals.t('admin:responses.not_applicable'),
      formatDate: (isoDate: string) => res.locals.formatDate(`${isoDate}T12:00:00Z`),
    };
    const responses = await Promise.all(
      pending.map(async (response) => ({
        ...response,
        lines: describeResponse(survey, await responseRepository.answersOf(db, response.id), (value) => res.locals.localize(value).text, words),
      })),
    );
    const groups = QUALITY_REASONS.map((reason) => ({
      reason,
      total: counts.get(reason) ?? 0,
      responses: responses.filter((response) => response.flags.some((flag) => flag.reason === reason)),
    }));
    res.status(status).render('admin/surveys/quality', {
      pageTitle: `${res.locals.t('admin:quality.title')} — ${res.locals.localize(survey.title).text}`,
      survey,
      groups,
      pendingTotal: await qualityRepository.pendingCount(db, survey.slug),
      reasons: EXCLUSION_REASONS,
      posted: status === 200 ? {} : (req.body ?? {}),
      csrfToken: csrf.token(req, res),
      errors,
    });
  };

  router.get('/admin/surveys/:slug/quality', requirePermission('responses.read'), async (req, res) => {
    await render(req, res, 200);
  });

  router.post('/admin/surveys/:slug/quality', requirePermission('responses.manage'), async (req, res) => {
    const survey = surveyOr404(catalog, req.params.slug);
    const form = parseForm(ReviewForm, req.body);
    if (!form.ok) return render(req, res, 422, form.errors);
    const [kind, one] = form.data.one ? form.data.one.split(':') : [form.data.decision!, undefined];
    const ids = one ? [Number(one)] : form.data.ids;
    const decision = kind === 'exclude' ? { kind: 'exclude' as const, reason: form.data.reason, note: form.data.note || null } : { kind: 'keep' as const };
    const outcome = await qualityService.review(db, survey, ids, decision, actorOf(req, res), deps.now());
    flash(req, {
      kind: outcome.changed > 0 ? 'success' : 'error',
      key: decision.kind === 'exclude' ? 'admin:quality.excluded' : 'admin:quality.kept',
      params: { count: outcome.changed, skipped: outcome.skipped },
    });
    res.redirect(303, `/admin/surveys/${survey.slug}/quality`);
  });

  return router;
}
