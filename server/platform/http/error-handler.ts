// One error handler: expected failures (AppError, bad bodies, CSRF) get their 4xx page in the
// person's language; anything else is logged and shown as a friendly 500, never a stack trace.
import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import { DEFAULT_LANGUAGE, type I18n } from '../i18n/i18n';
import { AppError, notFound } from './app-error';
import { findStorageFailure, isStorageUnavailable } from '../db/db-errors';

interface Described {
  status: number;
  key: string;
  params: Record<string, string | number>;
}

// body-parser reports its failures with a `type`; map them to our messages.
const BODY_ERRORS: Record<string, Omit<Described, 'params'>> = {
  'entity.too.large': { status: 413, key: 'errors:too_large' },
  'parameters.too.many': { status: 413, key: 'errors:too_large' },
  'entity.parse.failed': { status: 400, key: 'errors:bad_request' },
  'entity.verify.failed': { status: 400, key: 'errors:bad_request' },
  'request.aborted': { status: 400, key: 'errors:bad_request' },
  'request.size.invalid': { status: 400, key: 'errors:bad_request' },
  'encoding.unsupported': { status: 415, key: 'errors:bad_request' },
  'charset.unsupported': { status: 415, key: 'errors:bad_request' },
  'stream.encoding.set': { status: 500, key: 'errors:server' },
};

// Storage failures (disk full, read-only or failing storage, a lock held too long, a database
// server that does not answer; db-errors.ts reads both engines' codes): the transaction rolled
// back, nothing was half written, and the same request can succeed later, so it is a 503 with
// Retry-After, not a 500.
/** Seconds a client is asked to wait before sending a request the storage refused again. */
export const STORAGE_RETRY_AFTER_SECONDS = 30;

export { isStorageUnavailable };

/** "SQLITE_FULL: database or disk is full": the storage failure, on one line for the operator's log. */
export function storageFailureLine(error: unknown): string {
  const failure = findStorageFailure(error);
  if (failure && failure.kind !== 'unique') return `Storage unavailable, answered 503: ${failure.code}: ${String(failure.error.message)}`;
  return String(error);
}

/** A storage failure is an operator's matter with a known cause: one line, not a stack trace. */
const logToConsole = (error: unknown) => console.error(isStorageUnavailable(error) ? storageFailureLine(error) : error);

/**
 * Shows a form again, with what was typed and the given notice, when saving it found the storage
 * unavailable; the error handler has set the status (503) and Retry-After.
 */
export type StorageRetryForm = (notice: string) => void | Promise<void>;

/** Registers how the request's form is shown again if saving it meets unavailable storage. */
export function keepFormOnStorageFailure(res: Response, retry: StorageRetryForm): void {
  res.locals.storageRetryForm = retry;
}

function describe(error: unknown): Described {
  if (isStorageUnavailable(error)) return { status: 503, key: 'errors:unavailable', params: {} };
  if (error instanceof AppError) return { status: error.status, key: error.messageKey, params: error.params };
  const candidate = error as { code?: unknown; type?: unknown; status?: unknown };
  if (candidate?.code === 'EBADCSRFTOKEN') return { status: 403, key: 'errors:csrf', params: {} };
  if (typeof candidate?.type === 'string' && BODY_ERRORS[candidate.type]) {
    return { ...BODY_ERRORS[candidate.type]!, params: {} };
  }
  if (typeof candidate?.status === 'number' && candidate.status >= 400 && candidate.status < 500) {
    return { status: candidate.status, key: 'errors:bad_request', params: {} };
  }
  return { status: 500, key: 'errors:server', params: {} };
}

export const notFoundHandler: RequestHandler = (_req, _res, next) => next(notFound());

export function errorHandler(
  i18n: I18n,
  log: (error: unknown) => void = logToConsole,
  /** The page holding the form that posts to a path, where that is not the path itself (e.g. an upload action). */
  formPageOf: (path: string) => string | undefined = () => undefined,
): ErrorRequestHandler {
  return (error, req, res, next) => {
    if (res.headersSent) {
      // A download that failed half-way cannot get an error page; a cancelled one is not an error.
      if ((error as { code?: string })?.code !== 'ERR_STREAM_PREMATURE_CLOSE') log(error);
      return next(error);
    }
    const { status, key, params } = describe(error);
    if (status >= 500) log(error);
    const t = res.locals.t ?? i18n.translators[DEFAULT_LANGUAGE];
    res.locals.t = t;
    res.locals.lang ??= DEFAULT_LANGUAGE;
    const title = t(`${key}.title`, params);
    const message = t(`${key}.text`, params);
    res.status(status);
    if (status === 503) res.set('Retry-After', String(STORAGE_RETRY_AFTER_SECONDS));
    if (req.accepts(['html', 'json']) === 'json') {
      res.json({ error: { status, title, message } });
      return;
    }
    const retryForm = status === 503 ? (res.locals.storageRetryForm as StorageRetryForm | undefined) : undefined;
    if (retryForm) {
      res.locals.storageRetryForm = undefined;
      // The person keeps what they typed: the form comes back with it, to be sent again later.
      Promise.resolve()
        .then(() => retryForm(t('errors:unavailable.form_kept')))
        .catch((retryError: unknown) => {
          log(retryError);
          if (!res.headersSent) res.status(status).render('errors/error', { pageTitle: title, status, title, message, retryUrl: undefined });
        });
      return;
    }
    // A form whose token expired can simply be opened again: offer the way back to it.
    // Back-office forms post to actions, not pages: their way back is the back office itself.
    const retryUrl = key === 'errors:csrf' && req.method === 'POST' ? (req.originalUrl.startsWith('/admin') ? '/admin' : (formPageOf(req.path) ?? req.path)) : undefined;
    res.render('errors/error', { pageTitle: title, status, title, message, retryUrl }, (renderError: Error | null, html?: string) => {
      if (renderError) {
        log(renderError);
        res.type('text/plain').send(`${title}\n${message}`);
        return;
      }
      res.send(html);
    });
  };
}
