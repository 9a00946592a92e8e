// The back-office shell: session, login and logout, first set-up, users, audit log, and the
// guard that every other /admin route sits behind. Feature screens come in as routers.
import { Router, type Request, type RequestHandler, type Response } from 'express';
import session from 'express-session';
import { z } from 'zod';
import * as audit from '../platform/audit/audit.repository';
import { AUDIT_ACTIONS } from '../platform/audit/audit.repository';
import type { Db } from '../platform/db/connection';
import type { Mailer } from '../platform/mail/mailer';
import { AppError } from '../platform/http/app-error';
import type { Csrf } from '../platform/http/csrf';
import { parseForm, text } from '../platform/http/validate';
import { endOfDayIso, zonedToIso } from '../platform/time';
import { ROLES } from './account.table';
import * as accountService from './account.service';
import { actorOf, flash, loadUser, requirePermission, requireUser, takeFlash } from './access';
import { MIN_PASSWORD_LENGTH } from './password';
import { describeAuditEvent } from './audit-entry';
import { DatabaseSessionStore } from './session-store';
import * as userRepository from './user.repository';

export interface AdminDeps {
  db: Db;
  csrf: Csrf;
  /** The owner of an account that keeps failing to sign in is told by e-mail. */
  mailer: Mailer;
  /** The site secret: failed-login counters are keyed by an HMAC under it, not by addresses. */
  secret: string;
  secureCookies: boolean;
  timeZone: string;
  now: () => Date;
  sleep: (ms: number) => Promise<void>;
  /** Feature screens (surveys, results, …), all behind the login guard. */
  featureRouters: Router[];
}

/** Session, current user and flash for /admin; mounted before CSRF checks, which bind to the session. */
export function adminSession(deps: { db: Db; secret: string; secureCookies: boolean; sessionIdleMinutes: number; now: () => Date }): RequestHandler[] {
  const idleMs = deps.sessionIdleMinutes * 60_000;
  return [
    session({
      name: deps.secureCookies ? '__Host-pd_sid' : 'pd_sid',
      secret: deps.secret,
      store: new DatabaseSessionStore(deps.db, deps.now, idleMs),
      resave: false,
      saveUninitialized: false,
      // Every request renews the cookie, so the session ends after this much idle time.
      rolling: true,
      cookie: { httpOnly: true, sameSite: 'lax', secure: deps.secureCookies, path: '/', maxAge: idleMs },
    }),
    loadUser(deps.db),
    takeFlash,
    (_req, res, next) => {
      res.locals.layout = 'admin/layout';
      res.set('Cache-Control', 'no-store');
      next();
    },
  ];
}

const email = () => z.email({ error: 'admin:form.email' }).max(254, { error: 'errors:form.too_long' });
const password = () =>
  z
    .string({ error: 'admin:form.password_short' })
    .min(MIN_PASSWORD_LENGTH, { error: 'admin:form.password_short' })
    .max(1024, { error: 'errors:form.too_long' });
const name = () => text(z, 120).min(1, { error: 'errors:form.required' });
const role = () => z.enum(ROLES, { error: 'errors:form.invalid' });

const LoginForm = z.object({
  email: text(z, 254),
  password: z.string().max(1024),
  next: z.string().max(500).optional(),
});
const SetupForm = z
  .object({ token: z.string().max(100), email: email(), name: name(), password: password(), password_again: z.string() })
  .refine((form) => form.password === form.password_again, { path: ['password_again'], error: 'admin:form.passwords_differ' });
const NewUserForm = z.object({ email: email(), name: name(), role: role(), password: password() });
const RoleForm = z.object({ role: role() });
const PasswordForm = z.object({ password: password() });
const AuditQuery = z.object({
  action: z.enum(AUDIT_ACTIONS).optional().catch(undefined),
  user: z.coerce.number().int().positive().optional().catch(undefined),
  from: z.iso.date().optional().catch(undefined),
  to: z.iso.date().optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(100000).default(1).catch(1),
});
const UserId = z.coerce.number().int().positive();

/** express-session's callback methods as promises. */
function sessionStep(req: Request, step: 'regenerate' | 'save' | 'destroy'): Promise<void> {
  return new Promise((resolve, reject) => req.session[step]((error: unknown) => (error ? reject(error) : resolve())));
}

/** Only back-office paths on this site are followed after login. */
function safeNext(next: string | undefined): string {
  return next && /^\/admin(\/|$|\?)/.test(next) && !next.startsWith('//') ? next : '/admin/surveys';
}

const PAGE_SIZE = 50;

export function adminRouter(deps: AdminDeps): Router {
  const router = Router();
  const { db, csrf } = deps;

  const renderLogin = (req: Request, res: Response, status: number, locals: Record<string, unknown>) =>
    res.status(status).render('admin/login', {
      pageTitle: res.locals.t('admin:login.title'),
      csrfToken: csrf.token(req, res),
      email: '',
      next: '',
      error: undefined,
      ...locals,
    });

  router.get('/admin/login', (req, res) => {
    if (res.locals.user) return res.redirect(303, '/admin/surveys');
    renderLogin(req, res, 200, { next: typeof req.query.next === 'string' ? req.query.next : '' });
  });

  router.post('/admin/login', async (req, res) => {
    const form = LoginForm.safeParse(req.body);
    if (!form.success) return renderLogin(req, res, 422, { error: { key: 'admin:login.invalid' } });
    const outcome = await accountService.logIn(db, { mailer: deps.mailer, secret: deps.secret }, {
      email: form.data.email,
      password: form.data.password,
      ip: req.ip ?? 'unknown',
      now: deps.now(),
      sleep: deps.sleep,
      // A Secure cookie sent on what Express sees as http never reaches the browser: behind an
      // https proxy without TRUST_PROXY the login would loop back here without a word.
      sessionPossible: !deps.secureCookies || req.secure,
    });
    if (outcome.kind === 'locked') {
      const minutes = Math.max(1, Math.ceil((outcome.until.getTime() - deps.now().getTime()) / 60_000));
      return renderLogin(req, res, 429, { email: form.data.email, next: form.data.next ?? '', error: { key: 'admin:login.locked', params: { minutes } } });
    }
    if (outcome.kind === 'no_session') {
      return renderLogin(req, res, 503, { email: form.data.email, next: form.data.next ?? '', error: { key: 'admin:login.no_session' } });
    }
    if (outcome.kind === 'invalid') {
      return renderLogin(req, res, 401, { email: form.data.email, next: form.data.next ?? '', error: { key: 'admin:login.invalid' } });
    }
    // A new session id at login, so an id planted before login is worth nothing after it.
    await sessionStep(req, 'regenerate');
    req.session.userId = outcome.user.id;
    await sessionStep(req, 'save');
    res.redirect(303, safeNext(form.data.next));
  });

  const renderSetup = (req: Request, res: Response, status: number, locals: Record<string, unknown>) =>
    res.status(status).render('admin/setup', {
      pageTitle: res.locals.t('admin:setup.title'),
      csrfToken: csrf.token(req, res),
      values: {},
      errors: {},
      ...locals,
    });

  router.get('/admin/setup', async (req, res) => {
    const token = typeof req.query.token === 'string' ? req.query.token : '';
    if (!(await accountService.isSetupTokenValid(db, token))) throw new AppError(410, 'admin:setup.used');
    renderSetup(req, res, 200, { token });
  });

  router.post('/admin/setup', async (req, res) => {
    const form = parseForm(SetupForm, req.body);
    const token = typeof req.body?.token === 'string' ? req.body.token : '';
    if (!(await accountService.isSetupTokenValid(db, token))) throw new AppError(410, 'admin:setup.used');
    if (!form.ok) return renderSetup(req, res, 422, { token, values: req.body, errors: form.errors });
    const outcome = await accountService.completeSetup(db, token, form.data, req.ip ?? 'unknown', deps.now());
    if (outcome.kind === 'invalid_token') throw new AppError(410, 'admin:setup.used');
    flash(req, { kind: 'success', key: 'admin:setup.done' });
    res.redirect(303, '/admin/login');
  });

  // Everything below needs a logged-in user.
  router.use('/admin', requireUser);

  router.get('/admin', (_req, res) => res.redirect(303, '/admin/surveys'));

  router.post('/admin/logout', async (req, res) => {
    await audit.record(db, { action: 'logout', ...audit.by(actorOf(req, res)) }, deps.now());
    await sessionStep(req, 'destroy');
    res.clearCookie(deps.secureCookies ? '__Host-pd_sid' : 'pd_sid', { path: '/', secure: deps.secureCookies, httpOnly: true, sameSite: 'lax' });
    res.redirect(303, '/admin/login');
  });

  const renderUsers = async (req: Request, res: Response, status: number, locals: Record<string, unknown>) =>
    res.status(status).render('admin/users/list', {
      pageTitle: res.locals.t('admin:users.title'),
      users: await userRepository.list(db),
      csrfToken: csrf.token(req, res),
      roles: ROLES,
      values: {},
      errors: {},
      ...locals,
    });

  router.get('/admin/users', requirePermission('users.manage'), async (req, res) => {
    await renderUsers(req, res, 200, {});
  });

  router.post('/admin/users', requirePermission('users.manage'), async (req, res) => {
    const form = parseForm(NewUserForm, req.body);
    const values = { email: req.body?.email, name: req.body?.name, role: req.body?.role };
    if (!form.ok) return renderUsers(req, res, 422, { values, errors: form.errors });
    const outcome = await accountService.createUser(db, form.data, actorOf(req, res), deps.now());
    if (outcome.kind === 'email_taken') return renderUsers(req, res, 422, { values, errors: { email: 'admin:users.email_taken' } });
    flash(req, { kind: 'success', key: 'admin:users.created', params: { email: accountService.normalizeEmail(form.data.email) } });
    res.redirect(303, '/admin/users');
  });

  const findUser = async (req: Request) => {
    const id = UserId.safeParse(req.params.id);
    const user = id.success ? await userRepository.findById(db, id.data) : undefined;
    if (!user) throw new AppError(404, 'errors:not_found');
    return user;
  };

  const renderUser = async (req: Request, res: Response, status: number, locals: Record<string, unknown>) => {
    const subject = await findUser(req);
    return res.status(status).render('admin/users/edit', {
      pageTitle: `${subject.name} — ${res.locals.t('admin:users.edit_title')}`,
      subject,
      csrfToken: csrf.token(req, res),
      roles: ROLES,
      errors: {},
      ...locals,
    });
  };

  router.get('/admin/users/:id', requirePermission('users.manage'), async (req, res) => {
    await renderUser(req, res, 200, {});
  });

  const applyChange = async (req: Request, res: Response, change: accountService.UserChange, done: string) => {
    const user = await findUser(req);
    const outcome = await accountService.changeUser(db, user.id, change, actorOf(req, res), deps.now());
    if (outcome.kind === 'not_found') throw new AppError(404, 'errors:not_found');
    flash(req, outcome.kind === 'last_admin' ? { kind: 'error', key: 'admin:users.last_admin' } : { kind: 'success', key: done, params: { email: user.email } });
    res.redirect(303, `/admin/users/${user.id}`);
  };

  router.post('/admin/users/:id/role', requirePermission('users.manage'), async (req, res) => {
    const form = parseForm(RoleForm, req.body);
    if (!form.ok) return renderUser(req, res, 422, { errors: form.errors });
    await applyChange(req, res, { role: form.data.role }, 'admin:users.role_changed');
  });

  router.post('/admin/users/:id/disable', requirePermission('users.manage'), async (req, res) => {
    await applyChange(req, res, { disabled: true }, 'admin:users.disabled');
  });

  router.post('/admin/users/:id/enable', requirePermission('users.manage'), async (req, res) => {
    await applyChange(req, res, { disabled: false }, 'admin:users.enabled');
  });

  router.post('/admin/users/:id/password', requirePermission('users.manage'), async (req, res) => {
    const form = parseForm(PasswordForm, req.body);
    if (!form.ok) return renderUser(req, res, 422, { errors: form.errors });
    await applyChange(req, res, { password: form.data.password }, 'admin:users.password_reset');
  });

  router.get('/admin/audit', requirePermission('audit.read'), async (req, res) => {
    const query = AuditQuery.parse(req.query);
    const { events, total } = await audit.list(
      db,
      {
        action: query.action,
        userId: query.user,
        from: query.from ? zonedToIso(query.from, deps.timeZone) : undefined,
        to: query.to ? endOfDayIso(query.to, deps.timeZone) : undefined,
      },
      { limit: PAGE_SIZE, offset: (query.page - 1) * PAGE_SIZE },
    );
    const users = await userRepository.list(db);
    const names = new Map(users.map((u) => [u.id, u.name]));
    res.render('admin/audit', {
      pageTitle: res.locals.t('admin:audit.title'),
      events: events.map((event) => ({ at: event.at, ...describeAuditEvent(event, res.locals.t, names) })),
      total,
      query,
      pages: Math.max(1, Math.ceil(total / PAGE_SIZE)),
      actions: AUDIT_ACTIONS,
      users,
    });
  });

  for (const feature of deps.featureRouters) router.use(feature);
  return router;
}
