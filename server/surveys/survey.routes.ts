// Public survey pages: intro → one page per section → thank-you. The section pages are the shared
// flow (section-pages.ts); this file decides what is particular to citizens: cookies, the survey's
// dates, one response per browser.
import { Router, type Request, type Response } from 'express';
import type { Db } from '../platform/db/connection';
import { AppError } from '../platform/http/app-error';
import { cookieOptions } from '../platform/http/cookies';
import type { Csrf } from '../platform/http/csrf';
import * as responseService from './response.service';
import { DRAFT_LIFETIME_DAYS, hashToken } from './response.service';
import { storedSectionHandlers } from './section-pages';
import type { Survey } from './survey-definition';
import { resumeSection, surveyStatus } from './survey-flow';
import type { SurveyCatalog } from './survey-registry';

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

export function surveyRouter(deps: SurveyRoutesDeps): Router {
  const router = Router();
  const { db, catalog, secureCookies } = deps;

  const cookiePath = (survey: Survey) => `/anket/${survey.slug}`;
  const draftCookie = (survey: Survey) => `pd_draft_${survey.slug}`;
  const doneCookie = (survey: Survey) => `pd_done_${survey.slug}`;

  // Pages carry draft answers and form tokens: a shared phone's back button must not show them.
  router.use('/anket', (_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  });

  /**
   * A published survey; drafts (uploads not yet opened) do not exist for the public, and
   * institutions answer through their invitation links (/gorus), never anonymously here.
   */
  function findSurvey(req: Request): Survey {
    const survey = catalog.find(String(req.params.slug));
    if (!survey || !catalog.schedule(survey.slug).published || survey.audience === 'institution') throw new AppError(404, 'errors:survey_not_found');
    return survey;
  }

  /** Renders the closed / not-yet-open page and returns true when the survey is not open now. */
  function unavailable(res: Response, survey: Survey): boolean {
    const schedule = catalog.schedule(survey.slug);
    const status = surveyStatus(schedule, deps.now());
    if (status === 'open') return false;
    res.status(status === 'closed' ? 410 : 403).render('surveys/unavailable', { pageTitle: res.locals.localize(survey.title).text, survey, schedule, status });
    return true;
  }

  const hasAnswered = (req: Request, survey: Survey) => survey.oneResponsePerBrowser && req.cookies?.[doneCookie(survey)] === '1';

  /** The browser is done with this survey: forget the draft, remember the answer, say thank you. */
  function finish(res: Response, survey: Survey): void {
    res.clearCookie(draftCookie(survey), cookieOptions(secureCookies, { path: cookiePath(survey) }));
    if (survey.oneResponsePerBrowser) {
      res.cookie(doneCookie(survey), '1', cookieOptions(secureCookies, { path: cookiePath(survey), maxAge: 365 * DAY_MS }));
    }
    res.redirect(303, `${cookiePath(survey)}/tesekkurler`);
  }

  const readToken = (req: Request, survey: Survey): string | undefined => {
    const token: unknown = req.cookies?.[draftCookie(survey)];
    return typeof token === 'string' ? token : undefined;
  };

  const sections = storedSectionHandlers(
    deps,
    {
      base: (_req, survey) => cookiePath(survey),
      admit(req, res, survey) {
        if (unavailable(res, survey)) return false;
        if (!hasAnswered(req, survey)) return true;
        // A second tap on the last page after its "thank you" arrived goes to the thank-you page.
        const last = req.method === 'POST' && req.body?._nav !== 'back';
        res.redirect(303, `${cookiePath(survey)}${last ? '/tesekkurler' : ''}`);
        return false;
      },
      readToken,
      writeToken: (_req, res, survey, token) =>
        res.cookie(draftCookie(survey), token, cookieOptions(secureCookies, { path: cookiePath(survey), maxAge: DRAFT_LIFETIME_DAYS * DAY_MS })),
      channel: () => 'online',
      enteredBy: () => null,
      finish: (_req, res, survey) => finish(res, survey),
    },
    findSurvey,
  );

  router.get('/anket/:slug', async (req, res) => {
    const survey = findSurvey(req);
    if (unavailable(res, survey)) return;
    const pageTitle = res.locals.localize(survey.title).text;
    const token = readToken(req, survey);
    const found = await responseService.findBrowserResponse(db, survey, token && TOKEN.test(token) ? hashToken(token) : undefined, deps.now());
    if (found.kind === 'complete') return finish(res, survey);
    if (hasAnswered(req, survey)) return res.render('surveys/already-answered', { pageTitle, survey });
    const fields = found.kind === 'draft' ? found.fields : {};
    const resuming = Object.keys(fields).length > 0;
    const firstSection = resumeSection(survey, fields) + 1;
    const closesAt = catalog.schedule(survey.slug).closesAt;
    res.render('surveys/intro', { pageTitle, survey, resuming, firstSection, closesAt, draftDays: DRAFT_LIFETIME_DAYS });
  });

  router.get('/anket/:slug/tesekkurler', (req, res) => {
    const survey = findSurvey(req);
    res.render('surveys/thanks', { pageTitle: res.locals.t('surveys:thanks.title'), survey });
  });

  router.get('/anket/:slug/:section', sections.show);
  router.post('/anket/:slug/:section', sections.submit);

  return router;
}
