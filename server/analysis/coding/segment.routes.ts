// Coding an answer in parts (split, code a part, merge back) and the coverage of the coding per
// open question. The parts are shown on the coding screen (views/admin/analysis/coding/_segments.ejs).
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { actorOf, flash, requirePermission } from '../../admin';
import type { User } from '../../admin';
import { AppError } from '../../platform/http/app-error';
import { formList, text } from '../../platform/http/validate';
import { allQuestions, surveyOr404 } from '../../surveys';
import type { CodingDeps } from './coding.routes';
import * as segmentRepository from './segment.repository';
import * as segmentService from './segment.service';

const Id = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);
/** One part per line, as the coding screen pre-fills it from the suggestion. */
const SplitForm = z.object({ parts: text(z, 20_000) });
const SegmentForm = z.object({
  themes: z.preprocess(formList, z.array(Id).max(500)),
  none: z.literal('1').optional(),
});

export function segmentRouter(deps: Pick<CodingDeps, 'db' | 'catalog' | 'now'>): Router {
  const router = Router();
  const { db, catalog } = deps;
  const manage = requirePermission('report.manage');
  const userId = (res: Response) => (res.locals.user as User | undefined)?.id ?? null;
  const idOf = (value: unknown) => {
    const id = Id.safeParse(value);
    if (!id.success) throw new AppError(404, 'errors:not_found');
    return id.data;
  };
  const codingUrl = (slug: string, answerId?: number, anchor = '') => `/admin/surveys/${slug}/coding${answerId === undefined ? '' : `?answer=${answerId}`}${anchor}`;

  router.post('/admin/surveys/:slug/coding/:answerId/split', manage, async (req: Request, res: Response) => {
    const survey = surveyOr404(catalog, req.params.slug);
    const answerId = idOf(req.params.answerId);
    const form = SplitForm.safeParse(req.body ?? {});
    if (!form.success) throw new AppError(400, 'errors:bad_request');
    const outcome = await segmentService.splitAnswer(db, survey.slug, answerId, form.data.parts.split(/\r?\n/), actorOf(req, res), deps.now());
    if (outcome.kind === 'answer_not_found') throw new AppError(404, 'errors:not_found');
    if (outcome.kind === 'already_split') throw new AppError(409, 'coding:segments.already_split');
    if (outcome.kind === 'invalid') throw new AppError(422, `coding:segments.invalid_${outcome.reason}`);
    flash(req, { kind: 'success', key: 'coding:segments.split_done', params: { count: outcome.parts } });
    res.redirect(303, codingUrl(survey.slug, answerId, '#segments-heading'));
  });

  router.post('/admin/surveys/:slug/coding/:answerId/segments/:segmentId', manage, async (req: Request, res: Response) => {
    const survey = surveyOr404(catalog, req.params.slug);
    const answerId = idOf(req.params.answerId);
    const segmentId = idOf(req.params.segmentId);
    const form = SegmentForm.safeParse(req.body ?? {});
    if (!form.success) throw new AppError(400, 'errors:bad_request');
    const themeIds = form.data.none ? [] : form.data.themes;
    const outcome = await segmentService.codeSegment(db, survey.slug, answerId, segmentId, themeIds, userId(res), deps.now());
    if (outcome.kind === 'answer_not_found' || outcome.kind === 'segment_not_found') throw new AppError(404, 'errors:not_found');
    if (outcome.kind === 'unknown_theme') throw new AppError(422, 'coding:segments.unknown_theme');
    if (outcome.answerCoded) {
      flash(req, { kind: 'success', key: 'coding:segments.answer_coded' });
      return res.redirect(303, codingUrl(survey.slug));
    }
    flash(req, { kind: 'success', key: 'coding:segments.segment_coded' });
    res.redirect(303, codingUrl(survey.slug, answerId, `#segment-${outcome.nextSegmentId}`));
  });

  router.post('/admin/surveys/:slug/coding/:answerId/merge', manage, async (req: Request, res: Response) => {
    const survey = surveyOr404(catalog, req.params.slug);
    const answerId = idOf(req.params.answerId);
    const outcome = await segmentService.mergeAnswer(db, survey.slug, answerId, actorOf(req, res), deps.now());
    if (outcome.kind === 'answer_not_found') throw new AppError(404, 'errors:not_found');
    if (outcome.kind === 'not_split') throw new AppError(409, 'coding:segments.not_split');
    flash(req, { kind: 'success', key: outcome.coded ? 'coding:segments.merged_coded' : 'coding:segments.merged' });
    res.redirect(303, codingUrl(survey.slug, answerId));
  });

  router.get('/admin/surveys/:slug/coding-coverage', manage, async (req: Request, res: Response) => {
    const survey = surveyOr404(catalog, req.params.slug);
    const coverage = await segmentRepository.coverage(db, survey.slug);
    const questions = allQuestions(survey);
    res.render('admin/analysis/coding/coverage', {
      pageTitle: res.locals.t('coding:coverage.title', { title: res.locals.localize(survey.title).text }),
      survey,
      coverage,
      questionText: (questionId: string) => {
        const question = questions.find((q) => q.id === questionId);
        return question ? res.locals.localize(question.text).text : questionId;
      },
    });
  });

  return router;
}
