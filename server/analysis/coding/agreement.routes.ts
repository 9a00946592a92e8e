// Two coders: a second planner codes a sample of the coded answers blind (never seeing the first
// coding), and a page shows their agreement per theme (Cohen's kappa) and the answers to settle.
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { actorOf, flash, requirePermission } from '../../admin';
import type { User } from '../../admin';
import type { Db } from '../../platform/db/connection';
import { AppError } from '../../platform/http/app-error';
import type { Csrf } from '../../platform/http/csrf';
import { formList } from '../../platform/http/validate';
import { allQuestions, surveyOr404, type Survey, type SurveyCatalog } from '../../surveys';
import { agreementByTheme, disagreements } from './agreement';
import * as agreementRepository from './agreement.repository';
import * as agreementService from './agreement.service';
import * as codingRepository from './coding.repository';

export interface AgreementDeps {
  db: Db;
  catalog: SurveyCatalog;
  csrf: Csrf;
  now: () => Date;
}

/** The page lists this many disagreements at a time, oldest first. */
const DISAGREEMENTS_SHOWN = 100;

const Id = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const ThemesForm = z.object({
  themes: z.preprocess(formList, z.array(Id).max(500)),
  none: z.literal('1').optional(),
});

export function agreementRouter(deps: AgreementDeps): Router {
  const router = Router();
  const { db, catalog, csrf } = deps;
  const manage = requirePermission('report.manage');
  const findSurvey = (req: Request) => surveyOr404(catalog, req.params.slug);
  const base = (survey: Survey) => `/admin/surveys/${survey.slug}/agreement`;
  const userId = (res: Response) => {
    const user = res.locals.user as User | undefined;
    if (!user) throw new AppError(403, 'errors:forbidden');
    return user.id;
  };
  const answerIdOf = (req: Request) => {
    const id = Id.safeParse(req.params.answerId);
    if (!id.success) throw new AppError(404, 'errors:not_found');
    return id.data;
  };
  const themesOf = (req: Request) => {
    const form = ThemesForm.safeParse(req.body ?? {});
    if (!form.success) throw new AppError(400, 'errors:bad_request');
    return form.data.none ? [] : form.data.themes;
  };
  const questionText = (res: Response, survey: Survey) => (questionId: string) => {
    const question = allQuestions(survey).find((q) => q.id === questionId);
    return question ? res.locals.localize(question.text).text : questionId;
  };

  const renderAgreement = async (req: Request, res: Response, survey: Survey, status: number, errors: Record<string, string>) => {
    const [themes, codings, progress] = await Promise.all([
      codingRepository.themes(db, survey.slug),
      agreementRepository.doubleCodings(db, survey.slug),
      agreementRepository.sampleProgress(db, survey.slug),
    ]);
    const open = disagreements(codings);
    res.status(status).render('admin/analysis/coding/agreement', {
      pageTitle: res.locals.t('coding:agreement.title', { title: res.locals.localize(survey.title).text }),
      survey,
      themes,
      themeName: new Map(themes.map((theme) => [theme.id, theme.name])),
      agreement: agreementByTheme(
        themes.map((theme) => theme.id),
        codings,
      ),
      compared: codings.length,
      progress,
      open: open.slice(0, DISAGREEMENTS_SHOWN) as typeof codings,
      openCount: open.length,
      questionText: questionText(res, survey),
      csrfToken: csrf.token(req, res),
      errors,
    });
  };

  router.get('/admin/surveys/:slug/agreement', manage, async (req, res) => {
    await renderAgreement(req, res, findSurvey(req), 200, {});
  });

  const renderSecondCoding = async (req: Request, res: Response, survey: Survey, status: number, errors: Record<string, string>) => {
    const answerId = await agreementRepository.nextSampleAnswerId(db, survey.slug, userId(res));
    const [answer, themes, progress] = await Promise.all([
      answerId === undefined ? Promise.resolve(undefined) : codingRepository.findTextAnswer(db, survey.slug, answerId),
      codingRepository.themes(db, survey.slug),
      agreementRepository.sampleProgress(db, survey.slug),
    ]);
    res.status(status).render('admin/analysis/coding/agreement-code', {
      pageTitle: res.locals.t('coding:agreement.code_title', { title: res.locals.localize(survey.title).text }),
      survey,
      answer,
      questionText: answer ? questionText(res, survey)(answer.questionId) : '',
      themes,
      progress,
      csrfToken: csrf.token(req, res),
      errors,
    });
  };

  router.get('/admin/surveys/:slug/agreement/code', manage, async (req, res) => {
    await renderSecondCoding(req, res, findSurvey(req), 200, {});
  });

  router.post('/admin/surveys/:slug/agreement/code/:answerId', manage, async (req, res) => {
    const survey = findSurvey(req);
    const answerId = answerIdOf(req);
    const themeIds = themesOf(req);
    const outcome = await agreementService.codeSecond(db, survey.slug, answerId, themeIds, userId(res), deps.now());
    switch (outcome.kind) {
      case 'coded':
        flash(req, { kind: 'success', key: 'coding:agreement.coded' });
        return res.redirect(303, `${base(survey)}/code`);
      case 'answer_not_found':
      case 'not_coded':
        throw new AppError(404, 'errors:not_found');
      case 'own_answer':
        throw new AppError(409, 'coding:agreement.own_answer');
      case 'already_coded':
        throw new AppError(409, 'coding:agreement.already_coded');
      case 'unknown_theme':
        return renderSecondCoding(req, res, survey, 422, { themes: 'coding:coding.unknown_theme' });
      default: {
        const never: never = outcome;
        return never;
      }
    }
  });

  router.post('/admin/surveys/:slug/agreement/:answerId/settle', manage, async (req, res) => {
    const survey = findSurvey(req);
    const answerId = answerIdOf(req);
    const themeIds = themesOf(req);
    const outcome = await agreementService.settle(db, survey.slug, answerId, themeIds, actorOf(req, res), deps.now());
    switch (outcome.kind) {
      case 'settled':
        flash(req, { kind: 'success', key: 'coding:agreement.settled' });
        return res.redirect(303, `${base(survey)}#disagreements-heading`);
      case 'not_found':
        throw new AppError(404, 'errors:not_found');
      case 'already_settled':
        throw new AppError(409, 'coding:agreement.already_settled');
      case 'unknown_theme':
        return renderAgreement(req, res, survey, 422, { themes: 'coding:coding.unknown_theme' });
      default: {
        const never: never = outcome;
        return never;
      }
    }
  });

  return router;
}
