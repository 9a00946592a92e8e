// The outbox as planners read it: every e-mail Paydaş wrote, sent or waiting, with each attempt.
// Without SMTP configured this is also where mail can be read during development.
import { Router } from 'express';
import { z } from 'zod';
import type { Db } from '../platform/db/connection';
import { AppError } from '../platform/http/app-error';
import type { Csrf } from '../platform/http/csrf';
import { mask } from '../platform/mail/mail-secrets';
import * as outboxRepository from '../platform/mail/outbox.repository';
import { actorOf, flash, requirePermission } from './access';
import * as audit from '../platform/audit/audit.repository';
import { describeMessage, loadAbout, stateLine } from './outbox-words';

const PAGE_SIZE = 50;
const Query = z.object({
  status: z.enum(['pending', 'sent', 'cancelled']).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(100_000).catch(1),
});

export function outboxRouter(deps: { db: Db; csrf: Csrf; now: () => Date; smtpConfigured: boolean; wake: () => void }): Router {
  const router = Router();
  const { db } = deps;

  router.get('/admin/outbox', requirePermission('outbox.read'), async (req, res) => {
    const query = Query.parse(req.query);
    const { messages, total } = await outboxRepository.list(db, { status: query.status }, { limit: PAGE_SIZE, offset: (query.page - 1) * PAGE_SIZE });
    const about = await loadAbout(db, messages, res.locals.lang);
    const now = deps.now();
    res.render('admin/outbox/list', {
      pageTitle: res.locals.t('admin:outbox.title'),
      messages: messages.map((m) => ({
        ...m,
        about: describeMessage(m.kind, about.get(m.id), res.locals.t),
        state: stateLine(m, now, deps.smtpConfigured, res.locals.t, res.locals.formatDateTime),
      })),
      total,
      query,
      pages: Math.max(1, Math.ceil(total / PAGE_SIZE)),
      smtpConfigured: deps.smtpConfigured,
      csrfToken: deps.csrf.token(req, res),
    });
  });

  const find = async (raw: unknown) => {
    const id = z.coerce.number().int().positive().safeParse(raw);
    const message = id.success ? await outboxRepository.find(db, id.data) : undefined;
    if (!message) throw new AppError(404, 'errors:not_found');
    return message;
  };

  router.get('/admin/outbox/:id', requirePermission('outbox.read'), async (req, res) => {
    const message = await find(req.params.id);
    const about = await loadAbout(db, [message], res.locals.lang);
    res.render('admin/outbox/message', {
      // Many messages share a subject (every invitation of a form): the number tells them apart.
      pageTitle: `${message.subject} — #${message.id}`,
      message: { ...message, text_body: mask(message.text_body, res.locals.t('admin:outbox.hidden_secret')) },
      about: describeMessage(message.kind, about.get(message.id), res.locals.t),
      state: stateLine(message, deps.now(), deps.smtpConfigured, res.locals.t, res.locals.formatDateTime),
      attempts: await outboxRepository.attemptsOf(db, message.id),
    });
  });

  // The HTML part on its own, for the preview frame: no scripts, no requests out, no forms.
  router.get('/admin/outbox/:id/html', requirePermission('outbox.read'), async (req, res) => {
    const message = await find(req.params.id);
    if (!message.html_body) throw new AppError(404, 'errors:not_found');
    res.removeHeader('X-Frame-Options');
    res.set('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'; sandbox");
    // Personal links stay sealed: planners read the mail, not the institution's key.
    res.type('html').send(mask(message.html_body, res.locals.t('admin:outbox.hidden_secret')));
  });

  router.post('/admin/outbox/retry', requirePermission('outbox.manage'), async (req, res) => {
    const { retried, sending } = await outboxRepository.retryNow(db, deps.now());
    await audit.record(db, { action: 'outbox.retried', ...audit.by(actorOf(req, res)), details: { count: retried, sending } }, deps.now());
    deps.wake();
    flash(req, {
      kind: 'success',
      key: 'admin:outbox.retrying',
      params: { count: retried },
      // Messages a worker holds right now were not touched: say so, or the planner wonders why they were not counted.
      ...(sending > 0 ? { notice: { key: 'admin:outbox.retry_sending', params: { count: sending } } } : {}),
    });
    res.redirect(303, '/admin/outbox');
  });

  return router;
}
