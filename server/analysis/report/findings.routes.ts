// The findings (T17) in the back office: findings drafted from the report's tables, which a planner
// accepts, edits or dismisses; the list; the form, whose evidence is rows of the report's tables.
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { actorOf, flash, requirePermission } from '../../admin';
import * as audit from '../../platform/audit/audit.repository';
import { AppError } from '../../platform/http/app-error';
import { formList, parseForm, text } from '../../platform/http/validate';
import * as decisionRepository from './finding-draft.repository';
import * as draftService from './finding-draft.service';
import { findingDrafts, rowLabels, type FindingDraft } from './finding-drafts';
import * as findingRepository from './finding.repository';
import type { Evidence, Finding } from './finding.repository';
import { captionOf, tablesOf, type Report } from './report-model';
import type { ReportDeps } from './report.routes';
import { reportWords, type ReportWords } from './report-words';
import { currentReport } from './current-report';
import { excerpt } from './report-context';
import { buildReport } from './report-builder';
import type { Language } from '../../platform/i18n/i18n';

export interface EvidenceGroup {
  tableId: string;
  caption: string;
  /** Set when the caption is in the report's language, not the reader's. */
  lang?: string;
  options: { value: string; label: string; lang?: string }[];
}

const evidenceValue = (e: Evidence) => `${e.tableKey}|${e.rowKey}`;

/**
 * Every row of every table but T17, grouped by table, as the choices for a finding's evidence.
 * The rows are the report's; given the same report in the reader's language (`screen`), each
 * table and row is named as that one names it, or in the report's language where it has no match
 * (a row built from words, such as a GZFT item drafted from a Turkish sentence).
 */
export function evidenceGroups(report: Report, screen: Report = report, reportLanguage?: string): EvidenceGroup[] {
  const screenTables = new Map(tablesOf(screen).map((t) => [t.id, t]));
  return tablesOf(report)
    .filter((t) => t.id !== 'T17' && t.rows.length > 0)
    .map((t) => {
      const labels = rowLabels(t);
      const shown = screen === report ? undefined : screenTables.get(t.id);
      const shownLabels = shown ? new Map(rowLabels(shown).map((label, i) => [shown.rows[i]!.key, label])) : undefined;
      const fallback = screen === report ? {} : { lang: reportLanguage };
      const marked = (label: string | undefined, reportLabel: string) => (label !== undefined ? { label } : { label: reportLabel, ...fallback });
      return {
        tableId: t.id,
        ...(shown ? { caption: captionOf(screen, shown) } : { caption: captionOf(report, t), ...fallback }),
        options: t.rows.map((r, i) => ({ value: evidenceValue({ tableKey: t.id, rowKey: r.key }), ...marked(shownLabels?.get(r.key), labels[i]!) })),
      };
    });
}

/** A draft's evidence as the findings page lists it, named like the form names it. */
function evidenceList(groups: EvidenceGroup[], evidence: Evidence[]): { label: string; lang?: string }[] {
  return evidence.map((e) => {
    const group = groups.find((g) => g.tableId === e.tableKey);
    const option = group?.options.find((o) => o.value === evidenceValue(e));
    if (!group || !option) return { label: `${e.tableKey} — ${e.rowKey}` };
    return { label: `${group.caption} — ${option.label}`, ...(group.lang || option.lang ? { lang: group.lang ?? option.lang } : {}) };
  });
}

interface Built {
  report: Report;
  words: ReportWords;
  /** The report in the reader's language, for headers and row names on the screen. */
  screen: Report;
  screenWords: ReportWords;
}

export function findingsRouter(deps: ReportDeps): Router {
  const router = Router();
  const { db, catalog, csrf } = deps;
  const areaIds = catalog.municipality.activityAreas.map((a) => a.id);

  /**
   * The report in its own language (drafts become report text, so they are written in it) and, for
   * the screen's tables and evidence lists, the same report in the reader's language: a planner
   * reading in English sees English headers and row names where the report is Turkish.
   */
  const build = async (res: Response): Promise<Built> => {
    const { report, words, data } = await currentReport(deps);
    const language: Language = res.locals.lang;
    if (language === words.language) return { report, words, screen: report, screenWords: words };
    const screenWords = reportWords(deps.i18n, language, deps.timeZone);
    return { report, words, screen: buildReport(data, screenWords), screenWords };
  };

  const FindingForm = z.object({
    finding: text(z, 1000).min(1, { error: 'report:findings.errors.finding' }),
    need: text(z, 1000).min(1, { error: 'report:findings.errors.need' }),
    area: z.string().max(100).optional(),
    evidence: z.preprocess(formList, z.array(z.string().max(300)).max(50, { error: 'report:findings.errors.evidence' })),
    draft: z.string().max(300).optional(),
  });
  const DraftForm = z.object({ draft: z.string().min(1).max(300) });

  const findingOr404 = async (req: Request): Promise<Finding> => {
    const id = z.coerce.number().int().positive().safeParse(req.params.id);
    const finding = id.success ? await findingRepository.find(db, id.data) : undefined;
    if (!finding) throw new AppError(404, 'errors:not_found');
    return finding;
  };

  /** The draft a form names, as the report offers it now: its figures are today's. */
  const draftOf = (report: Report, words: ReportWords, key: string): FindingDraft | undefined => findingDrafts(report, words, areaIds).find((d) => d.key === key);

  async function draftOr404(req: Request, res: Response): Promise<Built & { draft: FindingDraft }> {
    const form = DraftForm.safeParse(req.method === 'GET' ? req.query : req.body);
    if (!form.success) throw new AppError(400, 'errors:bad_request');
    const built = await build(res);
    const draft = draftOf(built.report, built.words, form.data.draft);
    if (!draft) throw new AppError(404, 'report:findings.drafts.gone');
    return { ...built, draft };
  }

  function renderFinding(req: Request, res: Response, status: number, { report, words, screen }: Built, finding: Finding | undefined, values: Record<string, unknown>, errors: Record<string, string>) {
    res.status(status).render('admin/report/finding-form', {
      pageTitle: finding ? `${excerpt(finding.finding, 60)} — ${res.locals.t('report:findings.edit_title')}` : res.locals.t('report:findings.new_title'),
      finding,
      values,
      errors,
      areas: catalog.municipality.activityAreas,
      choices: evidenceGroups(report, screen, words.language),
      csrfToken: csrf.token(req, res),
    });
  }

  router.get('/admin/report/findings', requirePermission('results.read'), async (req, res) => {
    const { report, words, screen, screenWords } = await build(res);
    const decisions = new Map((await decisionRepository.list(db)).map((d) => [d.key, d.decision]));
    const groups = evidenceGroups(report, screen, words.language);
    const drafts = findingDrafts(report, words, areaIds).map((draft) => ({ ...draft, evidenceLabels: evidenceList(groups, draft.evidence) }));
    res.render('admin/report/findings', {
      pageTitle: res.locals.t('report:findings.title'),
      // T17 as the report prints it (its cells are report text), under the reader's headers.
      t17: tablesOf(report).find((t) => t.id === 'T17')!,
      t17Columns: tablesOf(screen).find((t) => t.id === 'T17')!.columns,
      findings: await findingRepository.list(db),
      drafts: drafts.filter((d) => !decisions.has(d.key)),
      // Only dismissals the report would still offer: one whose subject is gone has nothing to bring back.
      dismissed: drafts.filter((d) => decisions.get(d.key) === 'dismissed'),
      areas: catalog.municipality.activityAreas,
      reportLanguage: words.language,
      formatCell: words.formatCell,
      csrfToken: csrf.token(req, res),
    });
  });

  router.get('/admin/report/findings/new', requirePermission('report.manage'), async (req, res) => {
    if (req.query.draft === undefined) {
      return renderFinding(req, res, 200, await build(res), undefined, { evidence: [] }, {});
    }
    const built = await draftOr404(req, res);
    const { draft } = built;
    renderFinding(req, res, 200, built, undefined, { finding: draft.finding, need: draft.need, area: draft.areaId ?? '', evidence: draft.evidence.map(evidenceValue), draft: draft.key }, {});
  });

  async function saveFinding(req: Request, res: Response, finding: Finding | undefined) {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const form = parseForm(FindingForm, body);
    const errors: Record<string, string> = form.ok ? {} : { ...form.errors };
    const built = await build(res);
    const { report, words } = built;
    const values: Record<string, unknown> = { ...body, evidence: formList(body.evidence) };
    if (form.ok) {
      if (form.data.area && !catalog.municipality.activityAreas.some((a) => a.id === form.data.area)) errors.area = 'report:findings.errors.area';
      const valid = new Set(evidenceGroups(report).flatMap((c) => c.options.map((o) => o.value)));
      if (form.data.evidence.some((e) => !valid.has(e))) errors.evidence = 'report:findings.errors.evidence';
      // A draft no longer offered: the text is kept, and saving again adds it as a finding of its own.
      if (!finding && form.data.draft && !draftOf(report, words, form.data.draft)) {
        errors.draft = 'report:findings.drafts.errors.gone';
        delete values.draft;
      }
    }
    if (!form.ok || Object.keys(errors).length > 0) return renderFinding(req, res, 422, built, finding, values, errors);
    const input = {
      finding: form.data.finding,
      need: form.data.need,
      areaId: form.data.area || null,
      evidence: form.data.evidence.map((value) => {
        const [tableKey, ...rest] = value.split('|');
        return { tableKey: tableKey!, rowKey: rest.join('|') };
      }),
    };
    const now = deps.now();
    const actor = actorOf(req, res);
    const draftKey = !finding && form.data.draft ? form.data.draft : undefined;
    const outcome = await db.transaction().execute(async (trx) => {
      if (draftKey) return draftService.acceptDraft(trx, draftKey, input, actor, now);
      if (finding) await findingRepository.update(trx, finding.id, input, now);
      else await findingRepository.insert(trx, input, now);
      await audit.record(trx, { action: finding ? 'finding.changed' : 'finding.created', ...audit.by(actor), target: input.finding.slice(0, 80) }, now);
      return { kind: 'saved' as const };
    });
    flash(req, outcome.kind === 'already_decided' ? { kind: 'error', key: 'report:findings.drafts.already_decided' } : { kind: 'success', key: 'report:findings.saved' });
    res.redirect(303, '/admin/report/findings');
  }

  router.post('/admin/report/findings', requirePermission('report.manage'), (req, res) => saveFinding(req, res, undefined));

  // Drafts: accept as offered, dismiss, or offer a dismissed one again.
  router.post('/admin/report/findings/drafts/accept', requirePermission('report.manage'), async (req, res) => {
    const { draft } = await draftOr404(req, res);
    const input = { finding: draft.finding, need: draft.need, areaId: draft.areaId, evidence: draft.evidence };
    const outcome = await db.transaction().execute((trx) => draftService.acceptDraft(trx, draft.key, input, actorOf(req, res), deps.now()));
    flash(req, outcome.kind === 'accepted' ? { kind: 'success', key: 'report:findings.drafts.accepted' } : { kind: 'error', key: 'report:findings.drafts.already_decided' });
    res.redirect(303, '/admin/report/findings');
  });

  router.post('/admin/report/findings/drafts/dismiss', requirePermission('report.manage'), async (req, res) => {
    const { draft } = await draftOr404(req, res);
    const outcome = await db.transaction().execute((trx) => draftService.dismissDraft(trx, draft.key, actorOf(req, res), deps.now()));
    flash(req, outcome.kind === 'dismissed' ? { kind: 'success', key: 'report:findings.drafts.dismissed' } : { kind: 'error', key: 'report:findings.drafts.already_decided' });
    res.redirect(303, '/admin/report/findings');
  });

  router.post('/admin/report/findings/drafts/restore', requirePermission('report.manage'), async (req, res) => {
    const { draft } = await draftOr404(req, res);
    const outcome = await db.transaction().execute((trx) => draftService.restoreDraft(trx, draft.key, actorOf(req, res), deps.now()));
    // Restored meanwhile (another window) or never dismissed: said, not claimed as done.
    flash(req, outcome.kind === 'restored' ? { kind: 'success', key: 'report:findings.drafts.restored' } : { kind: 'error', key: 'report:findings.drafts.not_dismissed' });
    res.redirect(303, '/admin/report/findings');
  });

  router.get('/admin/report/findings/:id', requirePermission('report.manage'), async (req, res) => {
    const finding = await findingOr404(req);
    renderFinding(req, res, 200, await build(res), finding, { finding: finding.finding, need: finding.need, area: finding.areaId ?? '', evidence: finding.evidence.map(evidenceValue) }, {});
  });

  router.post('/admin/report/findings/:id', requirePermission('report.manage'), async (req, res) => saveFinding(req, res, await findingOr404(req)));

  router.post('/admin/report/findings/:id/delete', requirePermission('report.manage'), async (req, res) => {
    const finding = await findingOr404(req);
    const now = deps.now();
    await db.transaction().execute(async (trx) => {
      await findingRepository.remove(trx, finding.id);
      if (finding.draftKey) await decisionRepository.dismissAccepted(trx, finding.draftKey, now);
      await audit.record(trx, { action: 'finding.deleted', ...audit.by(actorOf(req, res)), target: finding.finding.slice(0, 80) }, now);
    });
    flash(req, { kind: 'success', key: 'report:findings.deleted' });
    res.redirect(303, '/admin/report/findings');
  });

  return router;
}
