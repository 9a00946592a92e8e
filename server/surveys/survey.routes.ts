// Public survey pages: intro → one page per section → thank-you. Handlers parse, call the
// service inside one transaction, and render or redirect.
import crypto from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Db } from '../platform/db/connection';
import { AppError } from '../platform/http/app-error';
import { cookieOptions } from '../platform/http/cookies';
import type { Csrf } from '../platform/http/csrf';
import type { Translate } from '../platform/i18n/i18n';
import * as responseService from './response.service';
import { DRAFT_LIFETIME_DAYS, hashToken } from './response.service';
import { ratingRange, type FormFields } from './survey-answers';
import type { SurveyCatalog } from './survey-catalog';
import type { Survey } from './survey-definition';
import { evaluate, resumeSection, sectionFieldNames, sectionToShow, surveyStatus, type QuestionError } from './survey-flow';
import { buildSectionPage, fieldId } from './survey-page';

export interface SurveyRoutesDeps {
  db: Db;
  catalog: SurveyCatalog;
  csrf: Csrf;
  /** Derives draft tokens from page keys. */
  secret: string;
  secureCookies: boolean;
  now: () => Date;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const TOKEN = /^[A-Za-z0-9_-]{43}$/;
const RESERVED_FIELDS = new Set(['_csrf', '_nav', '_key']);
const SECTION_NUMBER = /^[1-9]\d{0,2}$/;

const Envelope = z.object({
  _nav: z.enum(['next', 'back']).default('next'),
  _key: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/),
});

export function surveyRouter(deps: SurveyRoutesDeps): Router {
  const router = Router();
  const { db, catalog, csrf, secureCookies } = deps;

  const cookiePath = (survey: Survey) => `/anket/${survey.slug}`;
  const draftCookie = (survey: Survey) => `pd_draft_${survey.slug}`;
  const doneCookie = (survey: Survey) => `pd_done_${survey.slug}`;
  const draftTokenFor = (key: string) => crypto.createHmac('sha256', deps.secret).update(`draft:${key}`).digest('base64url');

  // Pages carry draft answers and form tokens: a shared phone's back button must not show them.
  router.use('/anket', (_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  });

  function findSurvey(req: Request): Survey {
    const survey = catalog.find(String(req.params.slug));
    if (!survey) throw new AppError(404, 'errors:survey_not_found');
    return survey;
  }

  function sectionIndex(req: Request, survey: Survey): number {
    const number = String(req.params.section);
    if (!SECTION_NUMBER.test(number) || Number(number) > survey.sections.length) throw new AppError(404, 'errors:not_found');
    return Number(number) - 1;
  }

  /** Renders the closed / not-yet-open page and returns true when the survey is not open now. */
  function unavailable(res: Response, survey: Survey): boolean {
    const status = surveyStatus(survey, deps.now());
    if (status === 'open') return false;
    res.status(status === 'closed' ? 410 : 403).render('surveys/unavailable', { pageTitle: res.locals.localize(survey.title).text, survey, status });
    return true;
  }

  const hasAnswered = (req: Request, survey: Survey) => survey.oneResponsePerBrowser && req.cookies?.[doneCookie(survey)] === '1';

  const draftTokenHash = (req: Request, survey: Survey): string | undefined => {
    const token: unknown = req.cookies?.[draftCookie(survey)];
    return typeof token === 'string' && TOKEN.test(token) ? hashToken(token) : undefined;
  };

  const setDraftCookie = (res: Response, survey: Survey, token: string) =>
    res.cookie(draftCookie(survey), token, cookieOptions(secureCookies, { path: cookiePath(survey), maxAge: DRAFT_LIFETIME_DAYS * DAY_MS }));

  /** The browser is done with this survey: forget the draft, remember the answer, say thank you. */
  function finish(res: Response, survey: Survey): void {
    res.clearCookie(draftCookie(survey), cookieOptions(secureCookies, { path: cookiePath(survey) }));
    if (survey.oneResponsePerBrowser) {
      res.cookie(doneCookie(survey), '1', cookieOptions(secureCookies, { path: cookiePath(survey), maxAge: 365 * DAY_MS }));
    }
    res.redirect(303, `${cookiePath(survey)}/tesekkurler`);
  }

  function renderSection(
    req: Request,
    res: Response,
    view: { survey: Survey; index: number; values: FormFields; errors: QuestionError[]; key: string; status?: number },
  ): void {
    const t: Translate = res.locals.t;
    const page = buildSectionPage({
      survey: view.survey,
      sectionIndex: view.index,
      evaluation: evaluate(view.survey, view.values),
      values: view.values,
      errors: view.errors,
      language: res.locals.lang,
      t,
      formatDate: (isoDate) => res.locals.formatDate(`${isoDate}T12:00:00Z`),
    });
    const section = res.locals.localize(view.survey.sections[view.index]!.title).text;
    res.status(view.status ?? 200).render('surveys/section', {
      pageTitle: page.errors.length > 0 ? t('surveys:error_title', { title: section }) : section,
      page,
      csrfToken: csrf.token(req, res),
      idempotencyKey: view.key,
      fieldId,
      ratingRange,
      scripts: ['js/survey.js'],
    });
  }

  router.get('/anket/:slug', async (req, res) => {
    const survey = findSurvey(req);
    if (unavailable(res, survey)) return;
    const pageTitle = res.locals.localize(survey.title).text;
    const found = await responseService.findBrowserResponse(db, survey, draftTokenHash(req, survey), deps.now());
    if (found.kind === 'complete') return finish(res, survey);
    if (hasAnswered(req, survey)) return res.render('surveys/already-answered', { pageTitle, survey });
    const fields = found.kind === 'draft' ? found.fields : {};
    const resuming = Object.keys(fields).length > 0;
    const firstSection = resumeSection(survey, evaluate(survey, fields), resuming) + 1;
    res.render('surveys/intro', { pageTitle, survey, resuming, firstSection, draftDays: DRAFT_LIFETIME_DAYS });
  });

  router.get('/anket/:slug/tesekkurler', (req, res) => {
    const survey = findSurvey(req);
    res.render('surveys/thanks', { pageTitle: res.locals.t('surveys:thanks.title'), survey });
  });

  router.get('/anket/:slug/:section', async (req, res) => {
    const survey = findSurvey(req);
    const index = sectionIndex(req, survey);
    if (unavailable(res, survey)) return;
    const found = await responseService.findBrowserResponse(db, survey, draftTokenHash(req, survey), deps.now());
    if (found.kind === 'complete') return finish(res, survey);
    if (hasAnswered(req, survey)) return res.redirect(303, cookiePath(survey));
    const values = found.kind === 'draft' ? found.fields : {};
    const evaluation = evaluate(survey, values);
    const target = sectionToShow(survey, evaluation, index);
    if (target !== index) return res.redirect(303, `${cookiePath(survey)}/${target + 1}`);
    const errors = req.query.check === '1' ? (evaluation.errors.get(index) ?? []) : [];
    renderSection(req, res, { survey, index, values, errors, key: crypto.randomBytes(16).toString('base64url') });
  });

  router.post('/anket/:slug/:section', async (req, res) => {
    const survey = findSurvey(req);
    const index = sectionIndex(req, survey);
    const body: Record<string, unknown> = req.body ?? {};
    const allowed = new Set(sectionFieldNames(survey, index));
    if (Object.keys(body).some((name) => !allowed.has(name) && !RESERVED_FIELDS.has(name))) {
      throw new AppError(400, 'errors:unexpected_fields');
    }
    const envelope = Envelope.safeParse(body);
    if (!envelope.success) throw new AppError(400, 'errors:bad_request');
    if (unavailable(res, survey)) return;
    const { _nav: nav, _key: key } = envelope.data;
    if (hasAnswered(req, survey)) return res.redirect(303, `${cookiePath(survey)}${nav === 'next' ? '/tesekkurler' : ''}`);

    const posted = Object.fromEntries(Object.entries(body).filter(([name]) => allowed.has(name))) as FormFields;
    const tokenHash = draftTokenHash(req, survey);
    const outcome = await db.transaction().execute((trx) =>
      responseService.submitSection(trx, {
        survey,
        sectionIndex: index,
        posted,
        nav,
        draftTokenHash: tokenHash,
        newDraftToken: draftTokenFor(key),
        idempotencyKey: key,
        language: res.locals.lang,
        channel: 'online',
        now: deps.now(),
      }),
    );

    switch (outcome.kind) {
      case 'invalid':
        renderSection(req, res, { survey, index, values: outcome.values, errors: outcome.errors, key, status: 422 });
        return;
      case 'saved':
      case 'incomplete': {
        // Every save renews the cookie: a draft lives seven days after its last save, not its first.
        const token = outcome.draftToken ?? (req.cookies?.[draftCookie(survey)] as string);
        setDraftCookie(res, survey, token);
        const target = outcome.goTo === null ? cookiePath(survey) : `${cookiePath(survey)}/${outcome.goTo + 1}`;
        res.redirect(303, outcome.kind === 'incomplete' ? `${target}?check=1` : target);
        return;
      }
      case 'completed':
      case 'already_submitted':
        finish(res, survey);
        return;
      default: {
        const exhaustive: never = outcome;
        throw new Error(`Unhandled outcome ${JSON.stringify(exhaustive)}`);
      }
    }
  });

  return router;
}
