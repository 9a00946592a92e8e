// Who may do what in the back office, and the middleware that enforces it on every /admin route.
import type { Request, RequestHandler, Response } from 'express';
import type { Actor } from '../platform/audit/audit.repository';
import type { Db } from '../platform/db/connection';
import { AppError } from '../platform/http/app-error';
import type { Role } from './account.table';
import * as userRepository from './user.repository';
import type { User } from './user.repository';

declare module 'express-session' {
  interface SessionData {
    userId?: number;
    flash?: Flash;
  }
}

export interface Flash {
  kind: 'success' | 'error';
  /** A translation key and its values. */
  key: string;
  params?: Record<string, string | number>;
  /** A second, non-blocking note shown under the message (e.g. texts left untranslated). */
  notice?: { key: string; params?: Record<string, string | number> };
}

export const PERMISSIONS = [
  'results.read',
  'responses.read',
  'responses.manage',
  'surveys.manage',
  'entry.create',
  'export.download',
  'users.manage',
  'audit.read',
  'stakeholders.manage',
  'opinions.manage',
  'outbox.read',
  'outbox.manage',
  'meetings.manage',
  'report.manage',
  // KVKK: the retention date, anonymising, and people's requests about their own data.
  'privacy.manage',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const GRANTS: Record<Role, readonly Permission[]> = {
  admin: PERMISSIONS,
  // Planners run the consultation; users and the audit log stay with admins.
  planner: PERMISSIONS.filter((permission) => permission !== 'users.manage' && permission !== 'audit.read'),
  viewer: ['results.read'],
};

export function can(user: Pick<User, 'role'> | undefined, permission: Permission): boolean {
  return user !== undefined && GRANTS[user.role].includes(permission);
}

/** Puts the logged-in, enabled user in res.locals.user; a disabled or deleted one is logged out. */
export function loadUser(db: Db): RequestHandler {
  return async (req, res, next) => {
    const userId = req.session?.userId;
    if (userId !== undefined) {
      const user = await userRepository.findById(db, userId);
      if (user && !user.disabled) {
        res.locals.user = user;
        res.locals.can = (permission: Permission) => can(user, permission);
      } else {
        delete req.session.userId;
      }
    }
    next();
  };
}

/** Sends anyone without a session to the login page, coming back here afterwards. */
export const requireUser: RequestHandler = (req, res, next) => {
  if (res.locals.user) return next();
  const back = req.method === 'GET' ? `?next=${encodeURIComponent(req.originalUrl)}` : '';
  res.redirect(303, `/admin/login${back}`);
};

export function requirePermission(permission: Permission): RequestHandler {
  return (_req, res, next) => {
    if (can(res.locals.user, permission)) return next();
    next(new AppError(403, 'errors:forbidden'));
  };
}

/** The logged-in user as the audit log records them. */
export function actorOf(req: Request, res: Response): Actor {
  const user = res.locals.user as User | undefined;
  return { userId: user?.id ?? null, email: user?.email ?? null, ip: req.ip ?? null };
}

/** A flash message for the next page, shown once. */
export function flash(req: Request, message: Flash): void {
  req.session.flash = message;
}

export const takeFlash: RequestHandler = (req, res, next) => {
  if (req.session?.flash) {
    res.locals.flash = req.session.flash;
    delete req.session.flash;
  }
  next();
};
