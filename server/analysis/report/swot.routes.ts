// The GZFT review screen (/admin/report/swot): the candidate statements of every source, and the
// planner's decisions that turn them into T16's items. Readers of results see it; only those who
// manage the report decide.
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { actorOf, flash, requirePermission } from '../../admin';
import { AppError } from '../../platform/http/app-error';
import { escapeHtml } from '../../platform/i18n/localize';
import type { LocalizedText } from '../../platform/schema';
import { formList, parseForm, text } from '../../platform/http/validate';
import { SWOT_KINDS } from '../coding/coding.table';
import { contextOf } from './report-context';
import type { ReportDeps } from './report.routes';
import { groupCandidates, swotEntries, type Candidate } from './swot-candidates';
import { entryFigures, swotSources } from './swot-tables';
import * as swotService from './swot.service';
import { currentData } from './current-report';

const KEY = z.string().min(1).max(300);

const ReviewForm = z.object({
  action: z.enum(['accept', 'drop', 'combine'], { error: 'report:swot_review.errors.action' }),
  groups: z.preprocess(formList, z.array(KEY, { error: 'report:swot_review.errors.unknown' }).max(1000, { error: 'report:swot_review.errors.unknown' })),
  text: text(z, 300).optional().default(''),
  kind: z.enum(SWOT_KINDS, { error: 'report:swot_review.errors.kind' }).optional(),
  into: z.preprocess((v) => (v === '' || v === undefined ? null : v), z.coerce.number({ error: 'report:swot_review.errors.item' }).int().positive().nullable()),
});

const ItemForm = z.object({
  text: text(z, 300).min(1, { error: 'report:swot_review.errors.text' }),
  kind: z.enum(SWOT_KINDS, { error: 'report:swot_review.errors.kind' }),
});

const ReopenForm = z.object({ candidates: z.preprocess(formList, z.array(KEY).max(1000)) });

const OUTCOME_ERROR: Record<string, { field: string; key: string }> = {
  nothing_selected: { field: 'groups', key: 'report:swot_review.errors.nothing_selected' },
  unknown_candidates: { field: 'groups', key: 'report:swot_review.errors.unknown' },
  unknown_item: { field: 'into', key: 'report:swot_review.errors.item' },
  text_required: { field: 'text', key: 'report:swot_review.errors.text' },
};

export function swotRouter(deps: ReportDeps): Router {
  const router = Router();
  const { db, catalog, csrf } = deps;

  async function load() {
    const { data, words } = await currentData(deps);
    const ctx = contextOf(data, words);
    const { candidates, mentions } = swotSources(ctx);
    const state = swotEntries(candidates, mentions, data.swot.reviews, data.swot.items);
    return { ctx, data, state };
  }

  async function render(req: Request, res: Response, status: number, values: Record<string, unknown>, errors: Record<string, string>) {
    const { ctx, data, state } = await load();
    const names = new Map(data.institutions.flatMap((i) => i.records.map((r) => [r.stakeholderId, r.name] as const)));
    const meetingOf = new Map(data.meetings.requests.map((r) => [r.id, data.meetings.meetings.find((m) => m.id === r.meeting_id)] as const));
    // Escaped HTML in the reader's language: a meeting without an English title shows its Turkish one marked lang="tr".
    const t = res.locals.t as (key: string) => string;
    const L = res.locals.L as (text: LocalizedText) => string;
    const sourceLabel = (c: Candidate): string => {
      switch (c.source.kind) {
        case 'institution':
          return escapeHtml(`${names.get(c.source.stakeholderId) ?? ''} (${t(`stakeholders:groups.${c.source.group}`)})`);
        case 'meeting': {
          const meeting = meetingOf.get(c.source.requestId);
          const title = meeting ? L(meeting.title_en ? { tr: meeting.title_tr, en: meeting.title_en } : { tr: meeting.title_tr }) : '';
          return `${escapeHtml(t('report:sources.meetings'))}: ${title}`;
        }
        case 'citizen':
          return escapeHtml(`${t('report:sources.citizen_survey')}${c.source.detail ? ` (${c.source.detail})` : ''}`);
      }
    };
    const reviewOf = new Map(data.swot.reviews.map((r) => [r.candidateKey, r]));
    const items = data.swot.items.map((item) => {
      const entry = state.entries.find((e) => e.key === `${item.kind}:item:${item.id}`);
      return {
        item,
        candidates: state.reviewed.filter((c) => reviewOf.get(c.key)?.itemId === item.id),
        figures: entry ? entryFigures(ctx, entry) : null,
      };
    });
    res.status(status).render('admin/report/swot', {
      pageTitle: res.locals.t('report:swot_review.title'),
      kinds: SWOT_KINDS,
      groups: groupCandidates(state.pending),
      themes: state.entries.filter((e) => e.key.includes(':theme:')).map((entry) => ({ entry, figures: entryFigures(ctx, entry) })),
      items,
      dropped: state.reviewed.filter((c) => reviewOf.get(c.key)?.decision === 'dropped'),
      counts: { reviewed: state.reviewed.length, pending: state.pending.length },
      sourceLabel,
      values,
      errors,
      csrfToken: csrf.token(req, res),
    });
  }

  router.get('/admin/report/swot', requirePermission('results.read'), async (req, res) => {
    await render(req, res, 200, { groups: [] }, {});
  });

  router.post('/admin/report/swot', requirePermission('report.manage'), async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const form = parseForm(ReviewForm, body);
    const values = { ...body, groups: formList(body.groups) };
    if (!form.ok) return render(req, res, 422, values, form.errors);
    if (form.data.action === 'combine' && form.data.into === null && !form.data.kind) return render(req, res, 422, values, { kind: 'report:swot_review.errors.kind' });
    const { state } = await load();
    const input: swotService.ReviewInput =
      form.data.action === 'combine'
        ? { action: 'combine', groups: form.data.groups, text: form.data.text, kind: form.data.kind ?? 'strength', into: form.data.into }
        : { action: form.data.action, groups: form.data.groups };
    let outcome: swotService.ReviewOutcome;
    try {
      outcome = await db.transaction().execute((trx) => swotService.review(trx, state.pending, input, actorOf(req, res), deps.now()));
    } catch (error) {
      if (!(error instanceof swotService.StaleReview)) throw error;
      outcome = { kind: 'unknown_candidates' };
    }
    if (outcome.kind !== 'saved') {
      const error = OUTCOME_ERROR[outcome.kind]!;
      return render(req, res, 422, values, { [error.field]: error.key });
    }
    flash(req, { kind: 'success', key: `report:swot_review.saved.${outcome.decision}`, params: { count: outcome.candidates } });
    res.redirect(303, '/admin/report/swot');
  });

  const itemId = (req: Request): number => {
    const id = z.coerce.number().int().positive().safeParse(req.params.id);
    if (!id.success) throw new AppError(404, 'errors:not_found');
    return id.data;
  };

  router.post('/admin/report/swot/items/:id', requirePermission('report.manage'), async (req, res) => {
    const id = itemId(req);
    const form = parseForm(ItemForm, req.body);
    if (!form.ok) return render(req, res, 422, { groups: [], item: id, ...(req.body as object) }, Object.fromEntries(Object.entries(form.errors).map(([k, v]) => [`item_${k}`, v])));
    const outcome = await db.transaction().execute((trx) => swotService.changeItem(trx, id, form.data.kind, form.data.text, actorOf(req, res), deps.now()));
    if (outcome === 'not_found') throw new AppError(404, 'errors:not_found');
    flash(req, { kind: 'success', key: 'report:swot_review.saved.item' });
    res.redirect(303, '/admin/report/swot');
  });

  router.post('/admin/report/swot/items/:id/reopen', requirePermission('report.manage'), async (req, res) => {
    const outcome = await db.transaction().execute((trx) => swotService.reopenItem(trx, itemId(req), actorOf(req, res), deps.now()));
    if (outcome === 'not_found') throw new AppError(404, 'errors:not_found');
    flash(req, { kind: 'success', key: 'report:swot_review.saved.reopened' });
    res.redirect(303, '/admin/report/swot');
  });

  router.post('/admin/report/swot/reopen', requirePermission('report.manage'), async (req, res) => {
    const form = parseForm(ReopenForm, req.body);
    const keys = form.ok ? form.data.candidates : [];
    const { state, data } = await load();
    const reviewOf = new Map(data.swot.reviews.map((r) => [r.candidateKey, r]));
    const dropped = state.reviewed.filter((c) => reviewOf.get(c.key)?.decision === 'dropped');
    const outcome = await db.transaction().execute((trx) => swotService.reopenDropped(trx, dropped, keys, actorOf(req, res), deps.now()));
    if (outcome !== 'saved') return render(req, res, 422, { groups: [] }, { dropped: outcome === 'nothing_selected' ? 'report:swot_review.errors.nothing_selected' : 'report:swot_review.errors.unknown' });
    flash(req, { kind: 'success', key: 'report:swot_review.saved.reopened' });
    res.redirect(303, '/admin/report/swot');
  });

  return router;
}
