// Builds the Express app from its dependencies; no side effects, so tests build as many as they like.
import compression from 'compression';
import cookieParser from 'cookie-parser';
import express from 'express';
import type { Config } from './config';
import type { Db } from './platform/db/connection';
import { createAssets } from './platform/http/assets';
import { createCsrf } from './platform/http/csrf';
import { errorHandler, notFoundHandler } from './platform/http/error-handler';
import { languageMiddleware } from './platform/http/language';
import { viewLocals } from './platform/http/locals';
import { securityHeaders } from './platform/http/security-headers';
import { createViewEngine, VIEWS_DIR } from './platform/http/views';
import type { I18n } from './platform/i18n/i18n';
import { siteRouter } from './site';
import { surveyRouter, type SurveyCatalog } from './surveys';

export interface AppDeps {
  config: Pick<Config, 'secureCookies' | 'env' | 'timeZone'>;
  db: Db;
  catalog: SurveyCatalog;
  i18n: I18n;
  /** Signs CSRF tokens and derives draft tokens. */
  secret: string;
  now?: () => Date;
  log?: (error: unknown) => void;
}

/** Form posts larger than this are refused with 413: the longest survey page posts far less. */
export const BODY_LIMIT = '100kb';

export function createApp(deps: AppDeps): express.Express {
  const now = deps.now ?? (() => new Date());
  const { config } = deps;
  const app = express();
  const assets = createAssets();
  const csrf = createCsrf(deps.secret, config.secureCookies);

  app.disable('x-powered-by');
  app.engine('ejs', createViewEngine(config.env !== 'development'));
  app.set('view engine', 'ejs');
  app.set('views', VIEWS_DIR);
  app.locals.municipality = deps.catalog.municipality;

  app.use(securityHeaders(config.secureCookies));
  app.use(compression());
  app.use(assets.middleware);
  app.use(cookieParser());
  app.use(languageMiddleware(deps.i18n, config.secureCookies));
  app.use(viewLocals(assets, config.timeZone));
  // Flat parsing (no qs nesting): a field is a string or a list of strings, nothing deeper.
  app.use(express.urlencoded({ extended: false, limit: BODY_LIMIT, parameterLimit: 1000 }));
  app.use(csrf.protect);

  app.use(siteRouter({ catalog: deps.catalog, now }));
  app.use(surveyRouter({ db: deps.db, catalog: deps.catalog, csrf, secret: deps.secret, secureCookies: config.secureCookies, now }));

  app.use(notFoundHandler);
  app.use(errorHandler(deps.i18n, deps.log));
  return app;
}
