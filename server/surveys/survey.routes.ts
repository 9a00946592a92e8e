// Public survey pages: intro → one page per section → thank-you. The section pages are the shared
// flow (section-pages.ts); this file decides what is particular to citizens: cookies, the survey's
// dates, one response per browser, and the access code a survey may ask for at its start.
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { CommitGroup } from '../platform/db/commit-group';
import type { Db } from '../platform/db/connection';
import { AppError } from '../platform/http/app-error';
import { cookieOptions } from '../platform/http/cookies';
import type { Csrf } from '../platform/http/csrf';
import * as accessCodeRepository from './access-codes/access-code.repository';
import * as accessCodeService from './access-codes/access-code.service';
import type { AccessMode } from './access-codes/access-code.table';
import { formatCode, normaliseCode } from './access-codes/access-codes';
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
  /** Batches concurrent submissions into one commit (see platform/db/commit-group.ts). */
  commits?: CommitGroup;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const TOKEN = /^[A-Za-z0-9_-]{43}$/;
const CodeForm = z.object({ kod: z.string().max(100).default('') });
const CodeQuery = z.object({ kod: z.string().max(100).optional().catch(undefined) });

/** Why a code was refused, with the status and message the start page shows. */
const CODE_REFUSALS = {
  unknown: { status: 422, key: 'access_codes:public.unknown' },
  used: { status: 409, key: 'access_codes:public.used' },
  required: { status: 403, key: 'access_codes:public.required' },
} as const;
type CodeRefusal = keyof typeof CODE_REFUSALS;

/** Thrown inside a completion's transaction, so nothing of it is written; the route shows the start page. */
class CodeRefused extends Error {
  constructor(readonly reason: CodeRefusal) {
    super(`access code refused: ${reason}`);
  }
}

export function surveyRouter(deps: SurveyRoutesDeps): Router {
  const router = Router();
  const { db, catalog, secureCookies } = deps;

  const cookiePath = (survey: Survey) => `/anket/${survey.slug}`;
  const draftCookie = (survey: Survey) => `pd_draft_${survey.slug}`;
  const doneCookie = (survey: Survey) => `pd_done_${survey.slug}`;
  /** The access code given at the start, normalised; taken when the response completes. */
  const codeCookie = (survey: Survey) => `pd_code_${survey.slug}`;
  const readCode = (req: Request, survey: Survey): string | undefined => {
    const code: unknown = req.cookies?.[codeCookie(survey)];
    return typeof code === 'string' ? normaliseCode(code) : undefined;
  };

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
    res.status(status === 'closed' ? 410 : 403).render('surveys/unavailable', { pageTitle: res.locals.localize(survey.title).text, description: res.locals.localize(survey.intro).text, survey, schedule, status });
    return true;
  }

  const hasAnswered = (req: Request, survey: Survey) => survey.oneResponsePerBrowser && req.cookies?.[doneCookie(survey)] === '1';

  /** The browser is done with this survey: forget the draft, remember the answer, say thank you. */
  function finish(res: Response, survey: Survey): void {
    res.clearCookie(draftCookie(survey), cookieOptions(secureCookies, { path: cookiePath(survey) }));
    res.clearCookie(codeCookie(survey), cookieOptions(secureCookies, { path: cookiePath(survey) }));
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
      afterComplete: (req, _res, survey) => async (trx, responseId) => {
        const outcome = await accessCodeService.takeForCompletion(trx, survey.slug, readCode(req, survey), responseId, deps.now());
        if (outcome.kind !== 'taken' && outcome.kind !== 'no_code') throw new CodeRefused(outcome.kind);
      },
      channel: () => 'online',
      enteredBy: () => null,
      finish: (_req, res, survey) => finish(res, survey),
    },
    findSurvey,
  );

  /** The start page: the survey's facts and, unless the mode is 'none', the access code form. */
  async function renderIntro(req: Request, res: Response, survey: Survey, view: { mode: AccessMode; status?: number; code?: string; error?: CodeRefusal }) {
    const pageTitle = res.locals.localize(survey.title).text;
    const token = readToken(req, survey);
    const found = await responseService.findBrowserResponse(db, survey, token && TOKEN.test(token) ? hashToken(token) : undefined, deps.now());
    if (found.kind === 'complete') return finish(res, survey);
    if (hasAnswered(req, survey)) return res.render('surveys/already-answered', { pageTitle, survey });
    const fields = found.kind === 'draft' ? found.fields : {};
    const resuming = Object.keys(fields).length > 0;
    const firstSection = resumeSection(survey, fields) + 1;
    const closesAt = catalog.schedule(survey.slug).closesAt;
    const typed = view.code ?? CodeQuery.parse(req.query).kod ?? readCode(req, survey);
    const code = typed === undefined ? '' : (normaliseCode(typed) ? formatCode(normaliseCode(typed)!) : typed);
    res.status(view.status ?? 200).render('surveys/intro', {
      pageTitle: view.error ? res.locals.t('access_codes:public.error_title', { title: pageTitle }) : pageTitle,
      description: res.locals.localize(survey.intro).text,
      survey,
      resuming,
      firstSection,
      closesAt,
      draftDays: DRAFT_LIFETIME_DAYS,
      access: view.mode === 'none' ? undefined : { mode: view.mode, code, error: view.error && CODE_REFUSALS[view.error].key, csrfToken: deps.csrf.token(req, res) },
    });
  }

  router.get('/anket/:slug', async (req, res) => {
    const survey = findSurvey(req);
    if (unavailable(res, survey)) return;
    await renderIntro(req, res, survey, { mode: await accessCodeRepository.findMode(db, survey.slug) });
  });

  // The start page's code form: a valid code is kept in a cookie until the response completes.
  router.post('/anket/:slug', async (req, res) => {
    const survey = findSurvey(req);
    if (unavailable(res, survey)) return;
    const mode = await accessCodeRepository.findMode(db, survey.slug);
    const form = CodeForm.safeParse(req.body ?? {});
    const typed = form.success ? form.data.kod.trim() : '';
    const options = cookieOptions(secureCookies, { path: cookiePath(survey), maxAge: DRAFT_LIFETIME_DAYS * DAY_MS });
    const token = readToken(req, survey);
    const found = await responseService.findBrowserResponse(db, survey, token && TOKEN.test(token) ? hashToken(token) : undefined, deps.now());
    const next = `${cookiePath(survey)}/${found.kind === 'draft' ? resumeSection(survey, found.fields) + 1 : 1}`;
    if (mode === 'none') return res.redirect(303, next);
    if (typed === '') {
      if (mode === 'required') return renderIntro(req, res, survey, { mode, status: CODE_REFUSALS.required.status, code: '', error: 'required' });
      res.clearCookie(codeCookie(survey), cookieOptions(secureCookies, { path: cookiePath(survey) }));
      return res.redirect(303, next);
    }
    const check = await accessCodeService.checkCode(db, survey.slug, typed);
    if (check.kind !== 'valid') return renderIntro(req, res, survey, { mode, status: CODE_REFUSALS[check.kind].status, code: typed, error: check.kind });
    res.cookie(codeCookie(survey), check.code, options);
    res.redirect(303, next);
  });

  router.get('/anket/:slug/tesekkurler', (req, res) => {
    const survey = findSurvey(req);
    res.render('surveys/thanks', { pageTitle: res.locals.t('surveys:thanks.title'), survey });
  });

  // Without a code, a survey that requires one starts at its start page, which asks for it.
  router.all('/anket/:slug/:section', async (req, res, next) => {
    const survey = findSurvey(req);
    if (hasAnswered(req, survey) || readCode(req, survey)) return next();
    if ((await accessCodeRepository.findMode(db, survey.slug)) !== 'required') return next();
    res.redirect(303, cookiePath(survey));
  });
  router.get('/anket/:slug/:section', sections.show);
  router.post('/anket/:slug/:section', async (req, res, next) => {
    try {
      await sections.submit(req, res, next);
    } catch (error) {
      if (!(error instanceof CodeRefused)) throw error;
      // The completion was rolled back; the code goes, and the start page asks for another.
      const survey = findSurvey(req);
      res.clearCookie(codeCookie(survey), cookieOptions(secureCookies, { path: cookiePath(survey) }));
      const mode = await accessCodeRepository.findMode(db, survey.slug);
      const typed = readCode(req, survey);
      await renderIntro(req, res, survey, { mode, status: CODE_REFUSALS[error.reason].status, code: typed ? formatCode(typed) : '', error: error.reason });
    }
  });

  return router;
}
