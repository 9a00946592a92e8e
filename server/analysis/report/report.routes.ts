// The stakeholder analysis report in the back office: the page (printable), its DOCX, XLSX, CSV
// per table and PNG figures, and its settings. The findings (T17) have their own router.
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { actorOf, flash, requirePermission } from '../../admin';
import * as audit from '../../platform/audit/audit.repository';
import type { Db } from '../../platform/db/connection';
import { TOOLS_CSV, writeCsv } from '../../platform/export/writers';
import { AppError } from '../../platform/http/app-error';
import type { Csrf } from '../../platform/http/csrf';
import { formList, parseForm, text } from '../../platform/http/validate';
import { LANGUAGES, type I18n } from '../../platform/i18n/i18n';
import { stakeholderService } from '../../stakeholders';
import type { SurveyCatalog } from '../../surveys';
import { captionOf, figuresOf, flatRows, quadrantsOf, tablesOf, type Report } from './report-model';
import { renderFigure } from './report-charts';
import { figureHeight } from './figure-config';
import { reportDocx } from './report-docx';
import * as reportSettings from './report-settings';
import { SAMPLING_METHODS, type ReportSettings } from './report-settings';
import type { ReportWords } from './report-words';
import { writeReportXlsx } from './report-xlsx';
import * as templateRepository from './template.repository';
import { templateRouter } from './template.routes';
import { swotRouter } from './swot.routes';
import { currentReport } from './current-report';

/** Where a table's CSV is, by the number the report gives it. */
export function tableCsvPath(number: number, form: 'tools' | 'excel'): string {
  return `/admin/report/tables/tablo-${number}${form === 'excel' ? '-excel' : ''}.csv`;
}

export interface ReportDeps {
  db: Db;
  catalog: SurveyCatalog;
  csrf: Csrf;
  i18n: I18n;
  timeZone: string;
  now: () => Date;
}

/** Figures are fetched right after the page that shows them: the report built for it serves them. */
const FIGURE_REUSE_MS = 30_000;

export function reportRouter(deps: ReportDeps): Router {
  const router = Router();
  const { db, catalog, csrf } = deps;
  let recent: { report: Report; at: number } | undefined;

  async function build(): Promise<{ report: Report; settings: ReportSettings; words: ReportWords }> {
    const { report, settings, words } = await currentReport(deps);
    recent = { report, at: Date.now() };
    return { report, settings, words };
  }

  const fileName = (settings: ReportSettings, ext: string) => `dis-paydas-analizi-${settings.planStart}-${settings.planEnd}.${ext}`;
  const csvName = (settings: ReportSettings, name: string) => `dis-paydas-analizi-${settings.planStart}-${settings.planEnd}-${name}.csv`;
  const exported = (req: Request, res: Response, format: string) =>
    audit.record(db, { action: 'export.downloaded', ...audit.by(actorOf(req, res)), target: 'report', details: { format } }, deps.now());

  router.get('/admin/report', requirePermission('results.read'), async (req, res) => {
    const { report, words } = await build();
    res.render('admin/report/report', {
      pageTitle: report.title,
      template: await templateRepository.describe(db),
      report,
      captionOf,
      quadrantsOf,
      tableCsvPath,
      figureHeight,
      formatCell: words.formatCell,
      scripts: ['vendor/chart.umd.js', 'vendor/figures.js', 'js/report.js'],
      csrfToken: csrf.token(req, res),
    });
  });

  router.get('/admin/report.docx', requirePermission('results.read'), requirePermission('export.download'), async (req, res) => {
    const { report, settings, words } = await build();
    // With the municipality's template unless the section alone is asked for (to paste).
    const template = req.query.plain === undefined ? await templateRepository.find(db) : undefined;
    let docx: Buffer;
    try {
      docx = await reportDocx(report, words, template?.content);
    } catch (error) {
      // Tried with the report when it was kept, a template may still fail with today's report:
      // the planner is told so (and where the plain export is), not shown a server error.
      if (!template) throw error;
      throw new AppError(409, 'report:template.export_failed');
    }
    await exported(req, res, 'docx');
    res.type('application/vnd.openxmlformats-officedocument.wordprocessingml.document').attachment(fileName(settings, 'docx')).send(docx);
  });

  router.get('/admin/report.xlsx', requirePermission('results.read'), requirePermission('export.download'), async (req, res) => {
    const { report, settings } = await build();
    await exported(req, res, 'xlsx');
    res.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').attachment(fileName(settings, 'xlsx'));
    await writeReportXlsx(res, report);
  });

  // A table's CSV is named by the number the planner sees ("tablo-16.csv"), in two forms: for
  // tools (commas, decimal point, no BOM) and for a double-click in Excel ("-excel.csv": the
  // reader's separators and a BOM). The older address by table id goes on to the Excel form,
  // which is what it used to serve.
  router.get('/admin/report/tables/:file', requirePermission('results.read'), requirePermission('export.download'), async (req, res) => {
    const file = String(req.params.file);
    const byNumber = /^tablo-(\d{1,4})(-excel)?\.csv$/.exec(file);
    const byId = /^(T\d+[a-z]?)\.csv$/.exec(file);
    if (!byNumber && !byId) throw new AppError(404, 'errors:not_found');
    const { report, settings } = await build();
    const table = tablesOf(report).find((t) => (byNumber ? t.number === Number(byNumber[1]) : t.id === byId![1]));
    if (!table) throw new AppError(404, 'errors:not_found');
    if (byId) return res.redirect(301, tableCsvPath(table.number, 'excel'));
    const excel = byNumber![2] !== undefined;
    await exported(req, res, `csv:${table.id}`);
    res.type('text/csv; charset=utf-8').attachment(csvName(settings, `tablo-${table.number}${excel ? '-excel' : ''}`));
    // One header row, the columns': a spreadsheet takes the first row as the names. The caption
    // stays on the page, in the DOCX and above the XLSX sheet's table.
    // The table's words are the report's language; the Excel form's separators are the reader's, whose Excel opens it.
    const { header, rows } = flatRows(table);
    await writeCsv(res, [header], rows, excel ? res.locals.lang : TOOLS_CSV);
  });

  router.get('/admin/report/figures/:file', requirePermission('results.read'), async (req, res) => {
    const match = /^(F\d)\.png$/.exec(String(req.params.file));
    if (!match) throw new AppError(404, 'errors:not_found');
    const report = recent && Date.now() - recent.at < FIGURE_REUSE_MS ? recent.report : (await build()).report;
    const figure = figuresOf(report).find((f) => f.id === match[1]);
    if (!figure?.data) throw new AppError(404, 'errors:not_found');
    const image = renderFigure(figure.data);
    res.set('Cache-Control', 'private, no-cache');
    if (req.query.download !== undefined) {
      // Shown on the page to any reader; handed out as a file only to those who may export.
      if (!res.locals.can?.('export.download')) throw new AppError(403, 'errors:forbidden');
      res.attachment(`grafik-${figure.number}.png`);
    }
    res.type('image/png').send(image.png);
  });

  // Settings.
  const firstError = { error: 'report:settings.errors.first_number' };
  // Left empty (or not sent) keeps the number saved before.
  const firstNumber = z.preprocess(
    (value) => (value === '' ? undefined : value),
    z.coerce.number(firstError).int(firstError).min(1, firstError).max(reportSettings.MAX_FIRST_NUMBER, firstError).optional(),
  );
  const SettingsForm = z.object({
    municipality_name: text(z, 200).min(1, { error: 'report:settings.errors.name' }),
    plan_start: z.coerce.number({ error: 'report:settings.errors.period' }).int({ error: 'report:settings.errors.period' }).min(2000, { error: 'report:settings.errors.period' }).max(2100, { error: 'report:settings.errors.period' }),
    plan_end: z.coerce.number({ error: 'report:settings.errors.period' }).int({ error: 'report:settings.errors.period' }).min(2000, { error: 'report:settings.errors.period' }).max(2100, { error: 'report:settings.errors.period' }),
    surveys: z.preprocess(formList, z.array(z.string().max(100)).max(100)),
    citizen_survey: z.string().max(100).optional(),
    threshold: z.coerce.number({ error: 'report:settings.errors.threshold' }).int({ error: 'report:settings.errors.threshold' }).min(2, { error: 'report:settings.errors.threshold' }).max(5, { error: 'report:settings.errors.threshold' }),
    suppression: z.coerce.number({ error: 'report:settings.errors.suppression' }).int({ error: 'report:settings.errors.suppression' }).min(1, { error: 'report:settings.errors.suppression' }).max(50, { error: 'report:settings.errors.suppression' }),
    language: z.enum(LANGUAGES, { error: 'report:settings.errors.language' }),
    first_table: firstNumber,
    first_figure: firstNumber,
  });

  async function renderSettings(req: Request, res: Response, status: number, values: Record<string, unknown>, errors: Record<string, string>) {
    res.status(status).render('admin/report/settings', {
      pageTitle: res.locals.t('report:settings.title'),
      values,
      errors,
      surveys: catalog.surveys,
      samplingMethods: SAMPLING_METHODS,
      csrfToken: csrf.token(req, res),
    });
  }

  router.get('/admin/report/settings', requirePermission('report.manage'), async (req, res) => {
    const settings = await reportSettings.load(db, catalog.municipality, catalog.surveys);
    await renderSettings(req, res, 200, {
      municipality_name: settings.municipalityName,
      plan_start: settings.planStart,
      plan_end: settings.planEnd,
      surveys: settings.surveys,
      citizen_survey: settings.citizenSurvey ?? '',
      threshold: await stakeholderService.threshold(db),
      suppression: settings.suppression,
      language: settings.language,
      sampling: settings.sampling,
      first_table: settings.firstTable,
      first_figure: settings.firstFigure,
    }, {});
  });

  router.post('/admin/report/settings', requirePermission('report.manage'), async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const form = parseForm(SettingsForm, body);
    const errors: Record<string, string> = form.ok ? {} : { ...form.errors };
    const sampling: Record<string, reportSettings.SamplingMethod> = {};
    for (const survey of catalog.surveys) {
      const value = body[`sampling_${survey.slug}`];
      if (value === undefined) continue;
      if ((SAMPLING_METHODS as readonly unknown[]).includes(value)) sampling[survey.slug] = value as reportSettings.SamplingMethod;
      else errors[`sampling_${survey.slug}`] = 'report:settings.errors.sampling';
    }
    if (form.ok) {
      const known = new Set(catalog.surveys.map((s) => s.slug));
      if (form.data.surveys.some((slug) => !known.has(slug))) errors.surveys = 'report:settings.errors.surveys';
      if (form.data.plan_end <= form.data.plan_start) errors.plan_end = 'report:settings.errors.period_order';
      const citizen = form.data.citizen_survey ? catalog.find(form.data.citizen_survey) : undefined;
      if (form.data.citizen_survey && (!citizen || citizen.audience !== 'citizen' || !form.data.surveys.includes(citizen.slug))) errors.citizen_survey = 'report:settings.errors.citizen_survey';
    }
    if (!form.ok || Object.keys(errors).length > 0) {
      return renderSettings(req, res, 422, { ...body, surveys: formList(body.surveys), sampling: { ...sampling, ...Object.fromEntries(catalog.surveys.map((s) => [s.slug, body[`sampling_${s.slug}`]])) } }, errors);
    }
    const current = await reportSettings.load(db, catalog.municipality, catalog.surveys);
    const settings: ReportSettings = {
      municipalityName: form.data.municipality_name,
      planStart: form.data.plan_start,
      planEnd: form.data.plan_end,
      surveys: catalog.surveys.filter((s) => form.data.surveys.includes(s.slug)).map((s) => s.slug),
      citizenSurvey: form.data.citizen_survey || null,
      suppression: form.data.suppression,
      language: form.data.language,
      sampling: { ...current.sampling, ...sampling },
      firstTable: form.data.first_table ?? current.firstTable,
      firstFigure: form.data.first_figure ?? current.firstFigure,
    };
    const now = deps.now();
    const actor = actorOf(req, res);
    await db.transaction().execute(async (trx) => {
      await reportSettings.save(trx, settings, now);
      await audit.record(trx, { action: 'report.settings_changed', ...audit.by(actor), details: { ...settings } }, now);
    });
    if ((await stakeholderService.threshold(db)) !== form.data.threshold) await stakeholderService.setThreshold(db, form.data.threshold, actor, now);
    flash(req, { kind: 'success', key: 'report:settings.saved' });
    res.redirect(303, '/admin/report');
  });

  router.use(swotRouter(deps));
  router.use(templateRouter(deps));

  return router;
}

