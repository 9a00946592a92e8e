// Builds the Express app from its dependencies; no side effects, so tests build as many as they like.
import compression from 'compression';
import cookieParser from 'cookie-parser';
import express from 'express';
import { adminRouter, adminSession, outboxRouter } from './admin';
import type { Config } from './config';
import { createCommitGroup } from './platform/db/commit-group';
import type { Db } from './platform/db/connection';
import { createAssets } from './platform/http/assets';
import { createCsrf } from './platform/http/csrf';
import { createFragments, createPageCache } from './platform/http/fragments';
import { errorHandler, notFoundHandler } from './platform/http/error-handler';
import { languageMiddleware } from './platform/http/language';
import { viewLocals } from './platform/http/locals';
import { securityHeaders } from './platform/http/security-headers';
import { healthRouter } from './platform/health/health.routes';
import { honeypot } from './platform/security/honeypot';
import { contactPhone } from './platform/phone';
import { rateLimits } from './platform/security/rate-limit';
import { createViewEngine, VIEWS_DIR } from './platform/http/views';
import type { I18n } from './platform/i18n/i18n';
import type { Mailer } from './platform/mail/mailer';
import { answerOwners, invitationService, OPINION_UPLOAD_PATHS, opinionFormPage, opinionsAdminRouter, opinionsRouter } from './opinions';
import { activitiesRouter, findingsRouter, reportCaptions, reportRouter, resultsRouter, TEMPLATE_UPLOAD_PATHS } from './analysis';
import { agreementRouter, CODEBOOK_UPLOAD_PATHS, codebookIoRouter, codingGroupsRouter, codingRouter, codingSearchRouter, segmentRouter } from './analysis/coding';
import { meetingsAdminRouter, meetingsRouter } from './meetings';
import { siteRouter } from './site';
import { consentRouter, privacyAdminRouter } from './privacy';
import { STAKEHOLDER_UPLOAD_PATHS, stakeholdersRouter } from './stakeholders';
import { accessCodeAdminRouter, gridRouter, qualityRouter, SURVEY_UPLOAD_PATHS, surveyAdminRouter, surveyEditorRouter, surveyRouter, type SurveyRegistry } from './surveys';

export interface AppDeps {
  config: Pick<Config, 'secureCookies' | 'env' | 'timeZone' | 'sessionIdleMinutes' | 'trustProxy' | 'baseUrl' | 'smtpUrl' | 'rateLimits'> & Partial<Pick<Config, 'diskLowMb' | 'rateLimitStore'>>;
  db: Db;
  catalog: SurveyRegistry;
  i18n: I18n;
  /** Signs CSRF tokens and sessions, and derives draft tokens. */
  secret: string;
  /** Writes e-mail to the outbox (see createMailer). */
  mailer: Mailer;
  /** Asks the outbox worker to send what is due now (e.g. after a retry button). */
  wakeOutbox?: () => void;
  now?: () => Date;
  /** Waits before answering a throttled login; tests record the delays instead. */
  sleep?: (ms: number) => Promise<void>;
  log?: (error: unknown) => void;
  /** Notices that are not errors: dropped honeypot posts, rate-limit misconfiguration. */
  warn?: (message: string) => void;
}

/** Form posts larger than this are refused with 413: the longest survey page posts far less. */
export const BODY_LIMIT = '100kb';

export function createApp(deps: AppDeps): express.Express {
  const now = deps.now ?? (() => new Date());
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const warn = deps.warn ?? ((message: string) => console.warn(message));
  const { config, db, catalog } = deps;
  const app = express();
  const assets = createAssets();
  const csrf = createCsrf(deps.secret, config.secureCookies, (req) => (req.session?.userId ? req.session.id : undefined), [
    ...SURVEY_UPLOAD_PATHS,
    ...STAKEHOLDER_UPLOAD_PATHS,
    ...CODEBOOK_UPLOAD_PATHS,
    ...OPINION_UPLOAD_PATHS,
    ...TEMPLATE_UPLOAD_PATHS,
  ]);
  const mail = { mailer: deps.mailer, baseUrl: config.baseUrl };
  const meetings = { mailer: deps.mailer, baseUrl: config.baseUrl, secret: deps.secret, timeZone: config.timeZone };
  const meetingDeps = { db, csrf, municipality: catalog.municipality, meetings, now };
  const opinionDeps = { db, catalog, csrf, mail, timeZone: config.timeZone, now };
  const dropBots = honeypot({ warn });
  // Other screens quote the report's table numbers; a report that fails to build must not take
  // them down with it: they show their own captions and the failure is logged.
  const captionsOrNone = async (ids: Parameters<typeof reportCaptions>[1]) => {
    try {
      return await reportCaptions({ db, catalog, i18n: deps.i18n, timeZone: config.timeZone, now }, ids);
    } catch (error) {
      warn(`report captions unavailable: ${(error as Error).message}`);
      return undefined;
    }
  };

  app.disable('x-powered-by');
  // Pages carry a fresh form token each time, so an ETag over them never matches, and hashing every
  // page for one costs a sixth of a survey page's time. Assets need none either: their names
  // change with their content and browsers keep them a year (see assets.ts).
  app.set('etag', false);
  app.set('trust proxy', config.trustProxy);
  app.engine('ejs', createViewEngine(config.env !== 'development'));
  app.set('view engine', 'ejs');
  app.set('views', VIEWS_DIR);
  // Remembered HTML must not outlive a template edit, which development picks up without a restart.
  if (config.env !== 'development') {
    app.set('fragments', createFragments());
    app.set('pages', createPageCache());
    // Express caches view lookups (a stat of the file per render) only when NODE_ENV is
    // 'production' in the environment, which the configuration's default does not set.
    app.set('view cache', true);
  }
  app.locals.municipality = catalog.municipality;
  // The number residents can call instead (footer of every public page, booking-code advice).
  app.locals.contactPhone = contactPhone(catalog.municipality.contact.phone);

  app.use(securityHeaders(config.secureCookies));
  // Before sessions, cookies and language: a monitor's probe needs none of them.
  app.use(healthRouter({ db, now, smtpConfigured: config.smtpUrl !== undefined, diskLowMb: config.diskLowMb }));
  app.use(compression());
  app.use(assets.middleware);
  // Another process (WEB_CONCURRENCY, the CLI) may have uploaded or scheduled a survey: the copy in
  // memory is reloaded then (a cheap check at most twice a second). A failed check keeps the copy.
  app.use(async (_req, _res, next) => {
    try {
      await catalog.refresh();
    } catch (error) {
      warn(`survey registry not refreshed: ${(error as Error).message}`);
    }
    next();
  });
  app.use(cookieParser());
  app.use(languageMiddleware(deps.i18n, config.secureCookies));
  app.use(viewLocals(assets, config.timeZone));
  app.use((req, res, next) => {
    res.locals.formToken = () => csrf.token(req, res);
    next();
  });
  // Before the body is read: a refused post costs no parsing and leaves nothing behind.
  app.use(rateLimits({ settings: config.rateLimits, now, warn, database: config.rateLimitStore === 'database' ? { db, secret: deps.secret } : undefined }));
  // Flat parsing (no qs nesting): a field is a string or a list of strings, nothing deeper.
  app.use(express.urlencoded({ extended: false, limit: BODY_LIMIT, parameterLimit: 1000 }));
  // The back office's session comes before the CSRF check, which binds logged-in forms to it.
  app.use('/admin', adminSession({ db, secret: deps.secret, secureCookies: config.secureCookies, sessionIdleMinutes: config.sessionIdleMinutes, now }));
  app.use(csrf.protect);
  app.use(dropBots);

  app.use(siteRouter({ catalog, now }));
  // Citizens completing a survey at the same moment share one commit (and one fsync).
  app.use(surveyRouter({ db, catalog, csrf, secret: deps.secret, secureCookies: config.secureCookies, now, commits: createCommitGroup(db) }));
  app.use(opinionsRouter({ ...opinionDeps, secret: deps.secret, i18n: deps.i18n, honeypot: dropBots }));
  app.use(meetingsRouter(meetingDeps));
  app.use(consentRouter({ db, csrf, now }));
  app.use(
    adminRouter({
      db,
      csrf,
      mailer: deps.mailer,
      secret: deps.secret,
      now,
      sleep,
      secureCookies: config.secureCookies,
      timeZone: config.timeZone,
      featureRouters: [
        // Before the survey screens, whose /admin/surveys/:slug would take /admin/surveys/new.
        surveyEditorRouter({ db, catalog, csrf, now, timeZone: config.timeZone }),
        surveyAdminRouter({
          db, catalog, csrf, now, secret: deps.secret, baseUrl: config.baseUrl, timeZone: config.timeZone,
          responseOwners: async (survey, ids) => (survey.audience === 'institution' ? answerOwners(db, deps.secret, survey.slug, ids) : undefined),
        }),
        qualityRouter({ db, catalog, csrf, now }),
        accessCodeAdminRouter({ db, catalog, csrf, now, baseUrl: config.baseUrl }),
        gridRouter({ db, catalog, csrf, now }),
        resultsRouter({ db, catalog, now, timeZone: config.timeZone }),
        // Before the coding router, whose /codebook/:themeId would take /codebook/import and the exports.
        codebookIoRouter({ db, catalog, csrf, municipality: catalog.municipality, now }),
        codingRouter({ db, catalog, csrf, municipality: catalog.municipality, now }),
        codingSearchRouter({ db, catalog, csrf, now }),
        agreementRouter({ db, catalog, csrf, now }),
        codingGroupsRouter({ db, catalog, csrf, municipality: catalog.municipality, now }),
        segmentRouter({ db, catalog, now }),
        activitiesRouter({ db, csrf, municipality: catalog.municipality, now }),
        reportRouter({ db, catalog, csrf, i18n: deps.i18n, timeZone: config.timeZone, now }),
        findingsRouter({ db, catalog, csrf, i18n: deps.i18n, timeZone: config.timeZone, now }),
        stakeholdersRouter({
          db,
          csrf,
          municipality: catalog.municipality,
          now,
          afterMerge: invitationService.reconcileAfterMerge,
          reportNumbers: async () => (await captionsOrNone(['T1', 'T2', 'F1']))?.numbers ?? {},
        }),
        opinionsAdminRouter({ ...opinionDeps, reportCaptions: (ids) => captionsOrNone(ids) }),
        meetingsAdminRouter({ ...meetingDeps, timeZone: config.timeZone }),
        outboxRouter({ db, csrf, now, smtpConfigured: config.smtpUrl !== undefined, wake: deps.wakeOutbox ?? (() => undefined) }),
        privacyAdminRouter({ db, csrf, municipality: catalog.municipality, timeZone: config.timeZone, now, surveyTitle: (slug) => catalog.find(slug)?.title }),
      ],
    }),
  );

  app.use(notFoundHandler);
  app.use(errorHandler(deps.i18n, deps.log, opinionFormPage));
  return app;
}
