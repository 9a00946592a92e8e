// A form field people neither see nor reach (views/partials/_honeypot.ejs); scripts that fill every
// field fill it too. Such a post is answered with a neutral "received" page and dropped before any
// route sees it, so nothing is stored, and the drop is logged without anything the post carried.
import type { Request, RequestHandler } from 'express';

/** Not a possible survey question id (those are snake_case) nor any form's field. */
export const HONEYPOT_FIELD = 'web-site';

function filled(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(filled);
  return typeof value === 'string' ? value.trim() !== '' : value !== undefined && value !== null;
}

/** The form's area only (/anket, /gorus…): later parts of the path may be personal links. */
function areaOf(req: Request): string {
  return `/${req.path.split('/')[1] ?? ''}`;
}

/**
 * Checks a parsed form body; mounted after the urlencoded parser for every form, and again after
 * multer on the multipart letter upload, whose body is read in its route. An empty honeypot is
 * removed from the body, so the forms' own parsers, which refuse unknown fields, never see it.
 *
 * A filled one gets 200 and a "received" page rather than an error: a real success is a page
 * too (or a redirect to one), and a script that sees no refusal has no reason to try another way
 * in. A 303 to the real success page is not possible for every form (a sign-up's page needs the
 * sign-up), so every form answers the same.
 */
export function honeypot(deps: { warn: (message: string) => void }): RequestHandler {
  let dropped = 0;
  return (req, res, next) => {
    const body: unknown = req.body;
    if (req.method !== 'POST' || typeof body !== 'object' || body === null || !(HONEYPOT_FIELD in body)) return next();
    const value = (body as Record<string, unknown>)[HONEYPOT_FIELD];
    delete (body as Record<string, unknown>)[HONEYPOT_FIELD];
    if (!filled(value)) return next();
    dropped += 1;
    deps.warn(`Honeypot: dropped a form post to ${areaOf(req)} (${dropped} since start); nothing was stored.`);
    res.set('Cache-Control', 'no-store');
    res.status(200).render('security/received', { pageTitle: res.locals.t('security:received.title') });
  };
}
