// The fast entry grid for clerks (one paper form per row, option numbers typed from the keyboard)
// and the double-entry check (a second clerk's pass compared with the first, settled per cell).
// Without JavaScript the grid is one long form saving every filled row; with it, each row is saved
// as it is finished (public/js/grid.js posts it to /row and reads the JSON answer).
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { actorOf, flash, requirePermission } from '../../admin';
import type { Db } from '../../platform/db/connection';
import { AppError } from '../../platform/http/app-error';
import type { Csrf } from '../../platform/http/csrf';
import type { ResponseChannel } from '../response.table';
import type { Survey } from '../survey-definition';
import { surveyOr404, type SurveyCatalog } from '../survey-registry';
import { columnChoices, GRID_CODES, gridColumns, readFormNumber, type CellError, type Cells, type GridColumn } from './grid-cells';
import type { CellDifference } from './double-entry';
import * as gridService from './grid.service';
import { FORM_CELL, type RowOutcome } from './grid.service';
import * as paperFormRepository from './paper-form.repository';
import type { EntryPass } from './paper-form.table';

export interface GridDeps {
  db: Db;
  catalog: SurveyCatalog;
  csrf: Csrf;
  now: () => Date;
}

const ENTRY_CHANNELS = ['paper', 'face_to_face'] as const satisfies readonly ResponseChannel[];
/** Empty rows on a page without JavaScript; fewer for long surveys, to stay within the form-field limit. */
const ROWS_PER_PAGE = 10;
const MAX_FIELDS = 900;
/** Most rows one post may carry. */
const MAX_ROWS = 50;

const Batch = z.string().trim().max(60).catch('');
const Settings = z.object({
  channel: z.enum(ENTRY_CHANNELS).catch('paper'),
  batch: Batch,
  pass: z.enum(['1', '2']).catch('1'),
});
type Settings = z.output<typeof Settings>;
const readSettings = (source: unknown): Settings => Settings.parse(source && typeof source === 'object' ? source : {});

/** A row as the page shows it: what was typed and, for a refused row, why each cell was refused. */
interface ViewRow {
  form: string;
  cells: Cells;
  errors: Record<string, string>;
}

const cellName = (row: number, key: string) => `r${row}.${key}`;

/** The rows of a posted grid, by their index in the page: only rows with something typed. */
function postedRows(body: Record<string, unknown>, columns: GridColumn[]): { form: string; cells: Cells }[] {
  const indexes = new Set<number>();
  for (const name of Object.keys(body)) {
    const match = /^r(\d{1,3})\./.exec(name);
    if (match) indexes.add(Number(match[1]));
  }
  const value = (name: string) => (typeof body[name] === 'string' ? (body[name] as string) : '');
  return [...indexes]
    .sort((a, b) => a - b)
    .map((i) => ({
      form: value(cellName(i, FORM_CELL)),
      cells: Object.fromEntries(columns.map((c) => [c.key, value(cellName(i, c.key))]).filter(([, v]) => v!.trim() !== '')) as Cells,
    }))
    .filter((row) => row.form.trim() !== '' || Object.keys(row.cells).length > 0);
}

export function gridRouter(deps: GridDeps): Router {
  const router = Router();
  const { db, catalog, csrf } = deps;
  const findSurvey = (req: Request): Survey => surveyOr404(catalog, req.params.slug);
  const gridUrl = (survey: Survey, s: Settings) =>
    `/admin/surveys/${survey.slug}/grid?${new URLSearchParams({ channel: s.channel, batch: s.batch, pass: s.pass }).toString()}`;
  const compareUrl = (survey: Survey, batch: string) => `/admin/surveys/${survey.slug}/grid/compare?${new URLSearchParams({ batch }).toString()}`;
  const rowsPerPage = (columns: GridColumn[]) => Math.max(1, Math.min(ROWS_PER_PAGE, Math.floor(MAX_FIELDS / (columns.length + 1))));

  /** A cell error in the reader's language. */
  const describe = (res: Response, error: CellError): string => {
    return res.locals.t((GRID_CODES as readonly string[]).includes(error.code) ? `entry_grid:errors.${error.code}` : `validation:${error.code}`, error.params ?? {});
  };
  const describeAll = (res: Response, errors: Record<string, CellError>) =>
    Object.fromEntries(Object.entries(errors).map(([key, error]) => [key, describe(res, error)]));
  const outcomeErrors = (outcome: RowOutcome): Record<string, CellError> =>
    outcome.kind === 'invalid' ? outcome.errors : outcome.kind === 'duplicate' ? { [FORM_CELL]: { code: 'duplicate', params: { number: outcome.formNumber } } } : {};

  const save = (req: Request, res: Response, survey: Survey, settings: Settings, row: { form: string; cells: Cells }) =>
    db.transaction().execute((trx) =>
      gridService.saveRow(trx, {
        survey,
        channel: settings.channel,
        batch: settings.batch,
        pass: Number(settings.pass) as EntryPass,
        formNumber: row.form,
        cells: row.cells,
        language: res.locals.lang,
        enteredBy: res.locals.user.id,
        now: deps.now(),
      }),
    );

  const renderGrid = async (req: Request, res: Response, survey: Survey, settings: Settings, status: number, refused: ViewRow[] = [], notice?: string) => {
    const columns = gridColumns(survey);
    const blank = Math.max(rowsPerPage(columns) - refused.length, refused.length > 0 ? 1 : rowsPerPage(columns));
    const rows: ViewRow[] = [...refused, ...Array.from({ length: blank }, () => ({ form: '', cells: {}, errors: {} }))];
    res.status(status).render('admin/surveys/grid/grid', {
      pageTitle: res.locals.t('entry_grid:title', { survey: res.locals.localize(survey.title).text }),
      survey,
      settings,
      channels: ENTRY_CHANNELS,
      columns,
      legend: columns.map((column) => ({ column, choices: columnChoices(column) })),
      rows,
      refusedCount: refused.length,
      notice,
      saved: await paperFormRepository.countPass(db, survey.slug, settings.batch, Number(settings.pass) as EntryPass),
      csrfToken: csrf.token(req, res),
      scripts: ['js/grid.js'],
    });
  };

  router.get('/admin/surveys/:slug/grid', requirePermission('entry.create'), async (req, res) => {
    const survey = findSurvey(req);
    await renderGrid(req, res, survey, readSettings(req.query), 200);
  });

  // Without JavaScript: every filled row, each in its own transaction; refused rows come back.
  router.post('/admin/surveys/:slug/grid', requirePermission('entry.create'), async (req, res) => {
    const survey = findSurvey(req);
    const settings = readSettings(req.body);
    const columns = gridColumns(survey);
    const rows = postedRows(req.body as Record<string, unknown>, columns);
    if (rows.length > MAX_ROWS) throw new AppError(413, 'errors:too_large');
    let saved = 0;
    let again = 0;
    const refused: ViewRow[] = [];
    for (const row of rows) {
      const outcome = await save(req, res, survey, settings, row);
      if (outcome.kind === 'saved') saved++;
      else if (outcome.kind === 'already_saved') again++;
      else refused.push({ ...row, errors: describeAll(res, outcomeErrors(outcome)) });
    }
    const notice = res.locals.t('entry_grid:saved_rows', { count: saved }) + (again > 0 ? ` ${res.locals.t('entry_grid:already_rows', { count: again })}` : '');
    if (refused.length > 0) return renderGrid(req, res, survey, settings, 422, refused, notice);
    flash(req, { kind: 'success', key: rows.length === 0 ? 'entry_grid:nothing_typed' : 'entry_grid:saved_notice', params: { notice } });
    res.redirect(303, gridUrl(survey, settings));
  });

  // With JavaScript: one row, answered in JSON with each refused cell's message.
  router.post('/admin/surveys/:slug/grid/row', requirePermission('entry.create'), async (req, res) => {
    const survey = findSurvey(req);
    const settings = readSettings(req.body);
    const body = req.body as Record<string, unknown>;
    const value = (name: string) => (typeof body[name] === 'string' ? (body[name] as string) : '');
    const cells = Object.fromEntries(gridColumns(survey).map((c) => [c.key, value(`c.${c.key}`)]).filter(([, v]) => v!.trim() !== '')) as Cells;
    const outcome = await save(req, res, survey, settings, { form: value(FORM_CELL), cells });
    const count = await paperFormRepository.countPass(db, survey.slug, settings.batch, Number(settings.pass) as EntryPass);
    const ok = outcome.kind === 'saved' || outcome.kind === 'already_saved';
    res.status(ok ? 200 : 422).json({
      kind: outcome.kind,
      count,
      countText: res.locals.t('entry_grid:count', { count }),
      message: ok
        ? res.locals.t(outcome.kind === 'saved' ? 'entry_grid:row_saved' : 'entry_grid:row_already', { number: outcome.formNumber })
        : res.locals.t('entry_grid:row_refused'),
      errors: describeAll(res, outcomeErrors(outcome)),
    });
  });

  // Double entry: the batches, and one batch's differences to settle against the paper.
  const renderCompare = async (req: Request, res: Response, status: number, refused?: { form: string; errors: Record<string, string>; chosen: Record<string, string> }) => {
    const survey = findSurvey(req);
    const batch = typeof req.query.batch === 'string' ? Batch.parse(req.query.batch) : typeof req.body?.batch === 'string' ? Batch.parse(req.body.batch) : undefined;
    const comparison = batch === undefined ? undefined : await gridService.compareBatch(db, survey, batch);
    const columns = new Map(gridColumns(survey).map((c) => [c.key, c]));
    const byForm = new Map<string, CellDifference[]>();
    for (const difference of comparison?.differences ?? []) byForm.set(difference.formNumber, [...(byForm.get(difference.formNumber) ?? []), difference]);
    res.status(status).render('admin/surveys/grid/compare', {
      pageTitle: res.locals.t('entry_grid:compare_title', { survey: res.locals.localize(survey.title).text }),
      survey,
      batches: await paperFormRepository.batches(db, survey.slug),
      batch,
      comparison,
      forms: [...byForm],
      columns,
      refused,
      csrfToken: csrf.token(req, res),
      compareUrl: (b: string) => compareUrl(survey, b),
    });
  };

  router.get('/admin/surveys/:slug/grid/compare', requirePermission('entry.create'), async (req, res) => {
    await renderCompare(req, res, 200);
  });

  router.post('/admin/surveys/:slug/grid/compare/settle', requirePermission('entry.create'), async (req, res) => {
    const survey = findSurvey(req);
    const body = req.body as Record<string, unknown>;
    const batch = Batch.parse(body.batch);
    const number = readFormNumber(typeof body.form === 'string' ? body.form : '');
    if (!number.ok) throw new AppError(404, 'errors:not_found');
    const comparison = await gridService.compareBatch(db, survey, batch);
    const differences = comparison.differences.filter((d) => d.formNumber === number.number);
    const chosen: Cells = {};
    const posted: Record<string, string> = {};
    const missing: Record<string, string> = {};
    for (const difference of differences) {
      const pick = body[`pick.${difference.column}`];
      const edit = typeof body[`edit.${difference.column}`] === 'string' ? (body[`edit.${difference.column}`] as string) : '';
      posted[difference.column] = typeof pick === 'string' ? pick : '';
      posted[`edit.${difference.column}`] = edit;
      if (pick === 'first') chosen[difference.column] = difference.first;
      else if (pick === 'second') chosen[difference.column] = difference.second;
      else if (pick === 'edit') chosen[difference.column] = edit;
      else missing[difference.column] = res.locals.t('entry_grid:pick_required');
    }
    if (differences.length === 0) throw new AppError(404, 'errors:not_found');
    if (Object.keys(missing).length > 0) return renderCompare(req, res, 422, { form: number.number, errors: missing, chosen: posted });
    const outcome = await db.transaction().execute((trx) =>
      gridService.settleForm(trx, { survey, batch, formNumber: number.number, chosen, actor: actorOf(req, res), now: deps.now() }),
    );
    if (outcome.kind === 'not_found') throw new AppError(404, 'errors:not_found');
    if (outcome.kind === 'invalid') return renderCompare(req, res, 422, { form: number.number, errors: describeAll(res, outcome.errors), chosen: posted });
    flash(req, { kind: 'success', key: 'entry_grid:settled', params: { number: number.number, id: outcome.responseId } });
    res.redirect(303, compareUrl(survey, batch));
  });

  // Correcting one saved form against its paper: its cells in a column, as the grid reads them.
  const ResponseId = z.coerce.number().int().positive();
  const renderCorrect = async (req: Request, res: Response, status: number, typed?: Cells, errors: Record<string, string> = {}) => {
    const survey = findSurvey(req);
    const id = ResponseId.safeParse(req.params.id);
    const form = id.success ? await paperFormRepository.findFirstPassOf(db, survey.slug, id.data) : undefined;
    if (!form) throw new AppError(404, 'errors:not_found');
    const columns = gridColumns(survey);
    res.status(status).render('admin/surveys/grid/correct', {
      pageTitle: res.locals.t('entry_grid:correct_title', { number: form.formNumber, id: form.responseId }),
      survey,
      form,
      responseId: id.data,
      legend: columns.map((column) => ({ column, choices: columnChoices(column) })),
      cells: typed ?? form.cells,
      errors,
      csrfToken: csrf.token(req, res),
    });
  };

  router.get('/admin/surveys/:slug/grid/forms/:id', requirePermission('responses.manage'), async (req, res) => {
    await renderCorrect(req, res, 200);
  });

  router.post('/admin/surveys/:slug/grid/forms/:id', requirePermission('responses.manage'), async (req, res) => {
    const survey = findSurvey(req);
    const id = ResponseId.safeParse(req.params.id);
    if (!id.success) throw new AppError(404, 'errors:not_found');
    const body = req.body as Record<string, unknown>;
    const cells = Object.fromEntries(
      gridColumns(survey)
        .map((c) => [c.key, typeof body[`c.${c.key}`] === 'string' ? (body[`c.${c.key}`] as string) : ''])
        .filter(([, v]) => v!.trim() !== ''),
    ) as Cells;
    const outcome = await db.transaction().execute((trx) => gridService.correctForm(trx, { survey, responseId: id.data, cells, actor: actorOf(req, res), now: deps.now() }));
    if (outcome.kind === 'not_found') throw new AppError(404, 'errors:not_found');
    if (outcome.kind === 'invalid') return renderCorrect(req, res, 422, cells, describeAll(res, outcome.errors));
    flash(req, { kind: 'success', key: 'entry_grid:corrected', params: { count: outcome.changed } });
    res.redirect(303, `/admin/surveys/${survey.slug}/responses/${id.data}`);
  });

  return router;
}
