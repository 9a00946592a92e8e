// One confirmation step for every destructive one-tap action: a plain page (no JavaScript needed)
// that says what will happen, with a confirmed form and a way back. A post without `confirm=yes`
// only shows this page, so a stray or replayed tap can never destroy anything.
import type { Request, Response } from 'express';
import type { Csrf } from './csrf';

export const CONFIRM_FIELD = 'confirm';
export const CONFIRM_VALUE = 'yes';

export interface ConfirmPage {
  /** Page heading (already translated). */
  heading: string;
  /** What will happen, one paragraph each (already translated; escaped on output). */
  lines: string[];
  /** The form's action; the confirmed post goes here with `confirm=yes`. */
  action: string;
  confirmLabel: string;
  backHref: string;
  backLabel: string;
  /** Fields to carry over to the confirmed post (e.g. a cancellation reason). */
  fields?: Record<string, string>;
  /** Public forms carry the honeypot like every other public form. */
  honeypot?: boolean;
}

export function isConfirmed(body: unknown): boolean {
  return typeof body === 'object' && body !== null && (body as Record<string, unknown>)[CONFIRM_FIELD] === CONFIRM_VALUE;
}

export function renderConfirm(req: Request, res: Response, csrf: Csrf, page: ConfirmPage): void {
  res.render('partials/confirm', {
    pageTitle: page.heading,
    confirm: { ...page, fields: page.fields ?? {}, honeypot: page.honeypot ?? false },
    confirmField: CONFIRM_FIELD,
    confirmValue: CONFIRM_VALUE,
    csrfToken: csrf.token(req, res),
  });
}
