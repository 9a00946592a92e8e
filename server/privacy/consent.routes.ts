// The page behind a consent's withdrawal link (/acik-riza/<token>): what was consented to and
// what withdrawing changes, and one button (a POST, so mail scanners that open links withdraw
// nothing).
import { Router, type Request, type Response } from 'express';
import type { Db } from '../platform/db/connection';
import { AppError } from '../platform/http/app-error';
import type { Csrf } from '../platform/http/csrf';
import type { Consent } from './consent.repository';
import * as consentService from './consent.service';
import { WITHDRAWAL_BASE } from './consent.service';

export interface ConsentRoutesDeps {
  db: Db;
  csrf: Csrf;
  now: () => Date;
}

type PageState = { state: 'ask' | 'withdrawn' | 'already'; consent: Consent } | { state: 'unknown' };

export function consentRouter(deps: ConsentRoutesDeps): Router {
  const router = Router();
  const { db, csrf } = deps;

  // The link is a bearer token: never cached, never passed on as a referrer.
  router.use(WITHDRAWAL_BASE, (_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    res.set('Referrer-Policy', 'no-referrer');
    next();
  });

  const render = (req: Request, res: Response, page: PageState) => {
    const titles = { ask: 'privacy:consent.title', withdrawn: 'privacy:consent.withdrawn_title', already: 'privacy:consent.already_title', unknown: 'privacy:consent.unknown_title' };
    res.status(page.state === 'unknown' ? 404 : 200).render('privacy/consent', {
      pageTitle: res.locals.t(titles[page.state]),
      ...page,
      action: page.state === 'ask' ? `${WITHDRAWAL_BASE}/${String(req.params.token)}` : '',
      csrfToken: page.state === 'ask' ? csrf.token(req, res) : '',
    });
  };

  router.get(`${WITHDRAWAL_BASE}/:token`, async (req, res) => {
    const consent = await consentService.findByToken(db, String(req.params.token));
    if (!consent) return render(req, res, { state: 'unknown' });
    render(req, res, { state: consent.withdrawnAt ? 'already' : 'ask', consent });
  });

  router.post(`${WITHDRAWAL_BASE}/:token`, async (req, res) => {
    const body: Record<string, unknown> = req.body ?? {};
    if (Object.keys(body).some((name) => name !== '_csrf')) throw new AppError(400, 'errors:unexpected_fields');
    const outcome = await consentService.withdraw(db, String(req.params.token), deps.now());
    if (outcome.kind === 'unknown') return render(req, res, { state: 'unknown' });
    render(req, res, { state: outcome.kind, consent: outcome.consent });
  });

  return router;
}
