// Request limits on every public form post and on the back-office sign-in. They sit before the
// body is read: a refused request gets a 429 page and leaves nothing behind.
//
// Public posts are counted per visitor, with only a generous ceiling per address: Turkish mobile
// carriers put hundreds of phones behind one public address (CGNAT), and after an SMS or a TV
// announcement a crowd on one address is people, not an attack. Stuffing by scripts that start
// afresh each time is for the responses' quality flags to catch, not for this limit.
import { Router, type Request, type RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import { AppError } from '../http/app-error';
import { browserIdOf } from '../http/csrf';
import type { Db } from '../db/connection';
import { ClockMemoryStore } from './clock-store';
import { DatabaseStore } from './database-store';

export interface RateLimitSettings {
  /** POSTs per visitor (browser) per minute to any form outside the back office. */
  visitorPostsPerMinute: number;
  /** POSTs per address per minute to any form outside the back office: a ceiling against floods. */
  publicPostsPerMinute: number;
  /** Sign-in (and first set-up) POSTs per address per 15 minutes. */
  loginPer15Minutes: number;
}

/**
 * Visitor: a person reads, types and taps; even skipping through short pages they post every few
 * seconds at most. 30 a minute (one every 2 s, for a whole minute) leaves room for double taps and
 * going back and forth, and stops a script that keeps its cookie.
 *
 * Address: only against floods. The largest real crowd on one address is a meeting announced by
 * SMS: 1,020 sign-ups (one post each) within a minute from one carrier address; 300 phones
 * answering the 7-page citizen survey within a few minutes are 2,100 posts, 700–1,000 a minute.
 * 3,000 a minute covers either about three times over, and still caps one address at 50 posts a
 * second, a fraction of what one server process answers (a survey page is a few ms of work).
 *
 * Sign-in: a town hall's staff sign in from the office's one address: 60 in 15 minutes lets all
 * of them in of a morning while capping the password hashing one address can cause; the login
 * throttle (admin/login-throttle.ts) still applies behind it.
 */
export const DEFAULT_RATE_LIMITS: RateLimitSettings = { visitorPostsPerMinute: 30, publicPostsPerMinute: 3000, loginPer15Minutes: 60 };

/**
 * Where requests are counted. `memory`: in this process, a few µs a post, right for one process on
 * one machine (the default). `database`: in rate_limit_hits, shared by every process on the
 * database; two upserts a public post (a fraction of a millisecond on SQLite, written without an
 * fsync), needed as soon as more than one process answers, or each would allow the whole limit.
 */
export type RateLimitStore = 'memory' | 'database';

/**
 * RATE_LIMIT_STORE=auto (the default) counts in the database when the site runs more than one
 * process (WEB_CONCURRENCY > 1) or on PostgreSQL (meant for several instances), else in memory.
 */
export function rateLimitStoreFor(choice: RateLimitStore | 'auto', env: { webConcurrency?: number; databaseUrl?: string }): RateLimitStore {
  if (choice !== 'auto') return choice;
  const processes = env.webConcurrency ?? 1;
  const postgres = /^postgres(ql)?:/i.test(env.databaseUrl ?? '');
  return (Number.isInteger(processes) && processes > 1) || postgres ? 'database' : 'memory';
}

const MINUTE_MS = 60_000;
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** Back-office posts that need no login: guessing passwords or set-up tokens happens here. */
const SIGN_IN_PATHS = new Set(['/admin/login', '/admin/setup']);

export type PostKind = 'public' | 'sign_in' | 'back_office' | 'none';

/** Which limit a request counts against. Routing ignores case and a trailing slash, so this does too. */
export function postKind(req: Pick<Request, 'method' | 'path'>): PostKind {
  if (SAFE_METHODS.has(req.method)) return 'none';
  const path = req.path.toLowerCase().replace(/\/+$/, '');
  if (SIGN_IN_PATHS.has(path)) return 'sign_in';
  // Logged-in staff typing in paper questionnaires post quickly and are behind the login anyway.
  if (path === '/admin' || path.startsWith('/admin/')) return 'back_office';
  return 'public';
}

export interface RateLimitDeps {
  settings: RateLimitSettings;
  now: () => Date;
  /** Where the library's configuration warnings go (e.g. X-Forwarded-For without TRUST_PROXY). */
  warn: (message: string) => void;
  /** Count in the database (RateLimitStore `database`); in this process's memory without it. */
  database?: { db: Db; secret: string };
}

/**
 * Who a public post is counted against: the browser id every public form sets (with its CSRF
 * token, csrf.ts), else the address. The id is 128 random bits in an HttpOnly, SameSite=Lax
 * cookie, so no one can count their posts against another person's browser: another site cannot
 * make the browser send it with a post, nobody can guess someone's, and an invented id is only a
 * count of its own (an invented id per post meets the address's ceiling instead).
 * A post without one fails the CSRF check anyway; counting those per address keeps cookie-less
 * scripts to the visitor limit. The survey draft cookie and the sign-up form's key are not used:
 * the draft exists only from the second page and the key is in the body, not read yet, and both
 * come with the browser id.
 */
export function visitorKey(req: Pick<Request, 'cookies' | 'ip'>): string {
  const id = browserIdOf(req);
  return id ? `browser:${id}` : ipKeyGenerator(req.ip ?? '');
}

/**
 * The limiters, mounted once in front of every route; each counts only its own posts. Pages read
 * (GET) pass straight on: the library's middleware is async even when it skips a request.
 */
export function rateLimits(deps: RateLimitDeps): RequestHandler {
  // The library checks its set-up on the first requests; what it finds is for the operator.
  const report = (error: unknown) => {
    const code = (error as { code?: unknown })?.code;
    const hint = code === 'ERR_ERL_UNEXPECTED_X_FORWARDED_FOR' || code === 'ERR_ERL_PERMISSIVE_TRUST_PROXY' ? ' Set TRUST_PROXY to the number of proxies in front of the site.' : '';
    deps.warn(`Rate limit: ${error instanceof Error ? error.message : String(error)}${hint}`);
  };
  const logger = { warn: report, error: report };
  const limiter = (name: string, limit: number, windowMs: number, messageKey: string, keyGenerator?: (req: Request) => string) =>
    rateLimit({
      windowMs,
      limit,
      standardHeaders: 'draft-8',
      legacyHeaders: false,
      // Names the policy in the RateLimit headers, which list each limit the post was counted in.
      identifier: name,
      store: deps.database ? new DatabaseStore({ ...deps.database, name, now: deps.now, warn: deps.warn }) : new ClockMemoryStore(deps.now),
      logger,
      ...(keyGenerator ? { keyGenerator } : {}),
      // The error handler renders the 429 in the person's language (JSON for JSON clients);
      // Retry-After is already set from the store's reset time.
      handler: (req, _res, next) => {
        const resetTime = (req as Request & { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime;
        // resetTime is on the wall clock (see ClockMemoryStore.info, DatabaseStore.info).
        const seconds = resetTime ? (resetTime.getTime() - Date.now()) / 1000 : windowMs / 1000;
        next(new AppError(429, messageKey, { count: Math.max(1, Math.ceil(seconds / 60)) }));
      },
    });
  const only = (kind: PostKind, handler: RequestHandler): RequestHandler => (req, res, next) => (postKind(req) === kind ? handler(req, res, next) : next());
  const router = Router();
  // The visitor first: a post it refuses is not counted against the neighbours on its address,
  // so one stuck or scripted browser cannot use up the ceiling a whole carrier address shares.
  router.use(only('public', limiter('visitor', deps.settings.visitorPostsPerMinute, MINUTE_MS, 'security:rate_limited', visitorKey)));
  router.use(only('public', limiter('address', deps.settings.publicPostsPerMinute, MINUTE_MS, 'security:rate_limited')));
  router.use(only('sign_in', limiter('sign-in', deps.settings.loginPer15Minutes, 15 * MINUTE_MS, 'security:sign_in_limited')));
  return router;
}
