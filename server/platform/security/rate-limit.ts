// Per-address request limits on every public form post and on the back-office sign-in. They sit
// before the body is read: a refused request gets a 429 page and leaves nothing behind.
import type { Request, RequestHandler } from 'express';
import { rateLimit } from 'express-rate-limit';
import { AppError } from '../http/app-error';
import { ClockMemoryStore } from './clock-store';

export interface RateLimitSettings {
  /** POSTs per address per minute to any form outside the back office. */
  publicPostsPerMinute: number;
  /** Sign-in (and first set-up) POSTs per address per 15 minutes. */
  loginPer15Minutes: number;
}

/**
 * Sized for mobile carriers' CGNAT, where hundreds of phones share one IPv4 address. A citizen
 * survey is 6–8 POSTs spread over a few minutes, so 300 a minute lets a room of about a hundred
 * people answer from the same QR code at once (a post every 20 s each); a script posting faster
 * than 5 a second is stopped. A town hall's staff sign in from the office's one address: 60 in
 * 15 minutes lets all of them in of a morning while capping the password hashing one address can
 * cause; the per-account and per-address lockouts (admin/login-throttle.ts) still apply behind it.
 */
export const DEFAULT_RATE_LIMITS: RateLimitSettings = { publicPostsPerMinute: 300, loginPer15Minutes: 60 };

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
}

/**
 * The two limiters, mounted once in front of every route; each counts only its own posts. Pages
 * read (GET) pass straight on: the library's middleware is async even when it skips a request.
 */
export function rateLimits(deps: RateLimitDeps): RequestHandler {
  // The library checks its set-up on the first requests; what it finds is for the operator.
  const report = (error: unknown) => {
    const code = (error as { code?: unknown })?.code;
    const hint = code === 'ERR_ERL_UNEXPECTED_X_FORWARDED_FOR' || code === 'ERR_ERL_PERMISSIVE_TRUST_PROXY' ? ' Set TRUST_PROXY to the number of proxies in front of the site.' : '';
    deps.warn(`Rate limit: ${error instanceof Error ? error.message : String(error)}${hint}`);
  };
  const logger = { warn: report, error: report };
  const limiter = (limit: number, windowMs: number, messageKey: string) =>
    rateLimit({
      windowMs,
      limit,
      standardHeaders: 'draft-8',
      legacyHeaders: false,
      store: new ClockMemoryStore(deps.now),
      logger,
      // The error handler renders the 429 in the person's language (JSON for JSON clients);
      // Retry-After is already set from the store's reset time.
      handler: (req, _res, next) => {
        const resetTime = (req as Request & { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime;
        // resetTime is on the wall clock (see ClockMemoryStore.info).
        const seconds = resetTime ? (resetTime.getTime() - Date.now()) / 1000 : windowMs / 1000;
        next(new AppError(429, messageKey, { count: Math.max(1, Math.ceil(seconds / 60)) }));
      },
    });
  const limiters: Partial<Record<PostKind, RequestHandler>> = {
    public: limiter(deps.settings.publicPostsPerMinute, MINUTE_MS, 'security:rate_limited'),
    sign_in: limiter(deps.settings.loginPer15Minutes, 15 * MINUTE_MS, 'security:sign_in_limited'),
  };
  return (req, res, next) => {
    const limit = limiters[postKind(req)];
    return limit ? limit(req, res, next) : next();
  };
}
