// The findings (T17) planners write in the back office: the list, the form, and the rows of the
// report's tables they cite as evidence.
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { actorOf, flash, requirePermission } from '../../admin';
import * as audit from '../../platform/audit/audit.repository';
import { AppError } from '../../platform/http/app-error';
import { formList, parseForm, text } from '../../platform/http/validate';
import * as findingRepository from './finding.repository';
import type { Finding } from './finding.repository';
import { captionOf, tablesOf, type Report } from './report-model';
import { buildReport } from './report-builder';
import { loadReportData } from './report-data';
import type { ReportDeps } from './report.routes';
import * as reportSettings from './report-settings';
import { reportWords, type ReportWords } from './report-words';

export function findingsRouter(deps: ReportDeps): Router {
  const router = Router();
  const { db, catalog, csrf } = deps;

  async function build(): Promise<{ report: Report; words: ReportWords }> {
    const settings = await reportSettings.load(db, catalog.municipality, catalog.surveys);
    const words = reportWords(deps.i18n, settings.language, deps.timeZone);
    return { report: buildReport(await loadReportData(db, catalog, settings, deps.now()), words), words };
  }

  const FindingForm = z.object({
    finding: text(z, 1000).min(1, { error: 'report:findings.errors.finding' }),
    need: text(z, 1000).min(1, { error: 'report:findings.errors.need' }),
    area: z.string().max(100).optional(),
    evidence: z.preprocess(formList, z.array(z.string().max(300)).max(50, { error: 'report:findings.errors.evidence' })),
  });

  /** Every row of every table but T17, as the choices for a finding's evidence. */
  async function evidenceChoices(): Promise<{ table: string; options: { value: string; label: string }[] }[]> {
    const { report } = await build();
    return tablesOf(report)
      .filter((t) => t.id !== 'T17' && t.rows.length > 0)
      .map((t) => ({
        table: captionOf(report, t),
        options: t.rows.map((r) => ({ value: `${t.id}|${r.key}`, label: String(r.cells.find((c) => typeof c === 'string' && c !== '') ?? r.key) })),
      }));
  }

  const findingOr404 = async (req: Request): Promise<Finding> => {
    const id = z.coerce.number().int().positive().safeParse(req.params.id);
    const finding = id.success ? await findingRepository.find(db, id.data) : undefined;
    if (!finding) throw new AppError(404, 'errors:not_found');
    return finding;
  };

  async function renderFinding(req: Request, res: Response, status: number, finding: Finding | undefined, values: Record<string, unknown>, errors: Record<string, string>) {
    res.status(status).render('admin/report/finding-form', {
      pageTitle: res.locals.t(finding ? 'report:findings.edit_title' : 'report:findings.new_title'),
      finding,
      values,
      errors,
      areas: catalog.municipality.activityAreas,
      choices: await evidenceChoices(),
      csrfToken: csrf.token(req, res),
    });
  }

  router.get('/admin/report/findings', requirePermission('results.read'), async (req, res) => {
    const { report, words } = await build();
    res.render('admin/report/findings', {
      pageTitle: res.locals.t('report:findings.title'),
      t17: tablesOf(report).find((t) => t.id === 'T17')!,
      findings: await findingRepository.list(db),
      formatCell: words.formatCell,
      csrfToken: csrf.token(req, res),
    });
  });

  router.get('/admin/report/findings/new', requirePermission('report.manage'), async (req, res) => {
    await renderFinding(req, res, 200, undefined, { evidence: [] }, {});
  });

  async function saveFinding(req: Request, res: Response, finding: Finding | undefined) {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const form = parseForm(FindingForm, body);
    const errors: Record<string, string> = form.ok ? {} : { ...form.errors };
    if (form.ok) {
      if (form.data.area && !catalog.municipality.activityAreas.some((a) => a.id === form.data.area)) errors.area = 'report:findings.errors.area';
      const valid = new Set((await evidenceChoices()).flatMap((c) => c.options.map((o) => o.value)));
      if (form.data.evidence.some((e) => !valid.has(e))) errors.evidence = 'report:findings.errors.evidence';
    }
    if (!form.ok || Object.keys(errors).length > 0) return renderFinding(req, res, 422, finding, { ...body, evidence: formList(body.evidence) }, errors);
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
    await db.transaction().execute(async (trx) => {
      if (finding) await findingRepository.update(trx, finding.id, input, now);
      else await findingRepository.insert(trx, input, now);
      await audit.record(trx, { action: finding ? 'finding.changed' : 'finding.created', ...audit.by(actor), target: input.finding.slice(0, 80) }, now);
    });
    flash(req, { kind: 'success', key: 'report:findings.saved' });
    res.redirect(303, '/admin/report/findings');
  }

  router.post('/admin/report/findings', requirePermission('report.manage'), (req, res) => saveFinding(req, res, undefined));

  router.get('/admin/report/findings/:id', requirePermission('report.manage'), async (req, res) => {
    const finding = await findingOr404(req);
    await renderFinding(req, res, 200, finding, { finding: finding.finding, need: finding.need, area: finding.areaId ?? '', evidence: finding.evidence.map((e) => `${e.tableKey}|${e.rowKey}`) }, {});
  });

  router.post('/admin/report/findings/:id', requirePermission('report.manage'), async (req, res) => saveFinding(req, res, await findingOr404(req)));

  router.post('/admin/report/findings/:id/delete', requirePermission('report.manage'), async (req, res) => {
    const finding = await findingOr404(req);
    const now = deps.now();
    await db.transaction().execute(async (trx) => {
      await findingRepository.remove(trx, finding.id);
      await audit.record(trx, { action: 'finding.deleted', ...audit.by(actorOf(req, res)), target: finding.finding.slice(0, 80) }, now);
    });
    flash(req, { kind: 'success', key: 'report:findings.deleted' });
    res.redirect(303, '/admin/report/findings');
  });

  return router;
}
