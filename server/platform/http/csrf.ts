// CSRF protection for every state-changing form: a signed double-submit token (csrf-csrf) bound
// to a random per-browser id, so anonymous citizens need no server-side session.
import crypto from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import { doubleCsrf } from 'csrf-csrf';
import { cookieOptions } from './cookies';

const BROWSER_COOKIE = 'pd_b';
// As long as a survey draft lives, so a form left open for days can still be sent.
const LIFETIME_MS = 7 * 24 * 60 * 60 * 1000;
const BROWSER_ID = /^[A-Za-z0-9_-]{22}$/;

/**
 * The browser's random id from its form cookie, or '' when it has none (yet). Every public form
 * sets it, so it is also how the rate limits tell one visitor from another (security/rate-limit.ts).
 */
export function browserIdOf(req: Pick<Request, 'cookies'>): string {
  const id: unknown = req.cookies?.[BROWSER_COOKIE];
  return typeof id === 'string' && BROWSER_ID.test(id) ? id : '';
}

export interface Csrf {
  /** Validates the token of every POST, PUT, PATCH and DELETE. */
  protect: RequestHandler;
  /** A token for a form on the page being rendered. */
  token(req: Request, res: Response): string;
}

/**
 * sessionIdentity: the id of a logged-in session, when there is one; tokens of logged-in pages are
 * bound to it (and so die at logout), the others to the browser id.
 */
export function createCsrf(
  secret: string,
  secure: boolean,
  sessionIdentity: (req: Request) => string | undefined = () => undefined,
  /** File-upload forms, whose body is read after this check: they alone may carry the token in the URL. */
  uploadPaths: readonly (string | RegExp)[] = [],
): Csrf {
  const identity = (req: Request): string => {
    const session = sessionIdentity(req);
    return session ? `session:${session}` : browserIdOf(req);
  };
  const { doubleCsrfProtection, generateCsrfToken } = doubleCsrf({
    getSecret: () => secret,
    getSessionIdentifier: identity,
    // The __Host- prefix pins the cookie to this exact origin, but browsers accept it only over https.
    cookieName: secure ? '__Host-pd_csrf' : 'pd_csrf',
    cookieOptions: cookieOptions(secure, { maxAge: LIFETIME_MS }),
    getCsrfTokenFromRequest: (req) => {
      const upload = uploadPaths.some((p) => (typeof p === 'string' ? p === req.path : p.test(req.path)));
      const fromQuery = req.is('multipart/form-data') && upload ? req.query._csrf : undefined;
      const token: unknown = req.body?._csrf ?? fromQuery ?? req.headers['x-csrf-token'];
      return typeof token === 'string' ? token : undefined;
    },
  });
  return {
    protect: doubleCsrfProtection,
    token(req, res) {
      // Once per response: a second token would replace the cookie the first one matches.
      if (typeof res.locals.csrfToken === 'string') return res.locals.csrfToken;
      let id = browserIdOf(req);
      if (!id) {
        id = crypto.randomBytes(16).toString('base64url');
        req.cookies = { ...req.cookies, [BROWSER_COOKIE]: id };
      }
      // Renewed with every form, like the token cookie csrf-csrf sets, so both outlive the page.
      res.cookie(BROWSER_COOKIE, id, cookieOptions(secure, { maxAge: LIFETIME_MS }));
      res.locals.csrfToken = generateCsrfToken(req, res);
      return res.locals.csrfToken;
    },
  };
}
