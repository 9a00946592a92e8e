// Back-office screens of the stakeholder register: list and filters, the form, archive and
// merge, import with a preview, export, and the analysis tables T1, T2 with the matrix F1.
import { Router, type Request, type Response } from 'express';
import multer from 'multer';
import { z } from 'zod';
import { actorOf, flash, requirePermission } from '../admin';
import type { Municipality } from '../municipality';
import type { Db, Executor } from '../platform/db/connection';
import { AppError } from '../platform/http/app-error';
import type { Csrf } from '../platform/http/csrf';
import { LOCALES } from '../platform/http/locals';
import { formList, parseForm, text } from '../platform/http/validate';
import type { Language } from '../platform/i18n/i18n';
import { writeCsv, writeXlsx, type Cell } from '../platform/export/writers';
import * as stakeholderRepository from './stakeholder.repository';
import type { Stakeholder, StakeholderInput } from './stakeholder.repository';
import * as stakeholderService from './stakeholder.service';
import { checkRows, IMPORT_COLUMNS, importVocabulary, readSpreadsheet, type ImportRow } from './stakeholder-import';
import { stakeholderMatrix } from './stakeholder-matrix';
import { byGroup, byPriority, category, CATEGORIES, priority } from './stakeholder-rules';
import { STAKEHOLDER_GROUPS, STAKEHOLDER_SCOPES, STAKEHOLDER_TYPES } from './stakeholder.table';

declare module 'express-session' {
  interface SessionData {
    /** Rows of an import waiting for the planner's confirmation. */
    stakeholderImport?: { rows: StakeholderInput[]; at: string };
  }
}

export interface StakeholderDeps {
  db: Db;
  csrf: Csrf;
  municipality: Municipality;
  now: () => Date;
  /** Runs in a merge's transaction: the consultation reconciles the institution's invitations. */
  afterMerge?: (trx: Executor, intoId: number, now: Date) => Promise<void>;
  /** The numbers the report gives T1, T2 and F1, so the analysis page calls them what the report does. */
  reportNumbers?: () => Promise<Partial<Record<'T1' | 'T2' | 'F1', number>>>;
}

/** The upload form of the import; CSRF reads its token from the URL (see createCsrf). */
export const STAKEHOLDER_UPLOAD_PATHS = ['/admin/stakeholders/import'] as const;
const MAX_IMPORT_BYTES = 2 * 1024 * 1024;
const IMPORT_LIFETIME_MS = 30 * 60_000;

const splitList = (value: unknown) => (typeof value === 'string' ? value.split(/[;,\s]+/).filter(Boolean) : []);
const score = () => z.coerce.number({ error: 'errors:form.invalid' }).int().min(1).max(5);

function stakeholderForm(areaIds: string[]) {
  return z.object({
    name: text(z, 200).min(1, { error: 'errors:form.required' }),
    group: z.enum(STAKEHOLDER_GROUPS, { error: 'errors:form.invalid' }),
    scope: z.enum(STAKEHOLDER_SCOPES, { error: 'errors:form.invalid' }),
    type: z.union([z.literal(''), z.enum(STAKEHOLDER_TYPES)], { error: 'errors:form.invalid' }),
    emails: z
      .string()
      .max(2000, { error: 'errors:form.too_long' })
      .transform((value) => splitList(value).map((e) => e.toLowerCase()))
      .pipe(z.array(z.email({ error: 'stakeholders:form.email' })).max(10, { error: 'errors:form.too_long' })),
    contact_person: text(z, 200).default(''),
    areas: z.preprocess(formList, z.array(z.enum(areaIds as [string, ...string[]], { error: 'stakeholders:form.area' })).max(100)),
    reason: text(z, 1000).default(''),
    importance: score(),
    influence: score(),
    language: z.enum(['tr', 'en'], { error: 'errors:form.invalid' }),
  });
}

const ListQuery = z.object({
  group: z.enum(STAKEHOLDER_GROUPS).optional().catch(undefined),
  category: z.enum(CATEGORIES).optional().catch(undefined),
  archived: z.literal('1').optional().catch(undefined),
});

export function stakeholdersRouter(deps: StakeholderDeps): Router {
  const router = Router();
  const { db, csrf } = deps;
  const areaIds = deps.municipality.activityAreas.map((a) => a.id);
  const Form = stakeholderForm(areaIds);
  const upload = multer({ storage: multer.memoryStorage(), limits: { fileSize: MAX_IMPORT_BYTES, files: 1, fields: 5 } });

  const toInput = (data: z.output<typeof Form>): StakeholderInput => ({
    name: data.name,
    group: data.group,
    scope: data.scope,
    type: data.type || null,
    emails: [...new Set(data.emails)],
    contactPerson: data.contact_person || null,
    areas: [...new Set(data.areas)],
    reason: data.reason || null,
    importance: data.importance,
    influence: data.influence,
    language: data.language,
  });

  const findStakeholder = async (req: Request): Promise<Stakeholder> => {
    const id = z.coerce.number().int().positive().safeParse(req.params.id);
    const stakeholder = id.success ? await stakeholderRepository.find(db, id.data) : undefined;
    if (!stakeholder) throw new AppError(404, 'errors:not_found');
    return stakeholder;
  };

  router.get('/admin/stakeholders', requirePermission('stakeholders.manage'), async (req, res) => {
    const query = ListQuery.parse(req.query);
    const threshold = await stakeholderService.threshold(db);
    const stakeholders = await stakeholderRepository.list(db, {
      group: query.group,
      archived: query.archived === '1',
      ...(query.category ? { category: { category: query.category, threshold } } : {}),
    });
    res.render('admin/stakeholders/list', {
      pageTitle: res.locals.t('stakeholders:title'),
      stakeholders,
      query,
      threshold,
      priority,
      category,
      groups: STAKEHOLDER_GROUPS,
      categories: CATEGORIES,
    });
  });

  const renderForm = (req: Request, res: Response, status: number, locals: { stakeholder?: Stakeholder; values: Record<string, unknown>; errors: Record<string, string>; candidates?: Stakeholder[] }) =>
    res.status(status).render('admin/stakeholders/form', {
      pageTitle: locals.stakeholder ? `${locals.stakeholder.name} — ${res.locals.t('stakeholders:form.edit_title')}` : res.locals.t('stakeholders:form.new_title'),
      csrfToken: csrf.token(req, res),
      groups: STAKEHOLDER_GROUPS,
      types: STAKEHOLDER_TYPES,
      scopes: STAKEHOLDER_SCOPES,
      areas: deps.municipality.activityAreas,
      stakeholder: undefined,
      candidates: [],
      ...locals,
    });

  const valuesOf = (s: Stakeholder) => ({
    name: s.name,
    group: s.group,
    scope: s.scope,
    type: s.type ?? '',
    emails: s.emails.join(', '),
    contact_person: s.contactPerson ?? '',
    areas: s.areas,
    reason: s.reason ?? '',
    importance: String(s.importance),
    influence: String(s.influence),
    language: s.language,
  });

  router.get('/admin/stakeholders/new', requirePermission('stakeholders.manage'), (req, res) => {
    renderForm(req, res, 200, { values: { scope: 'external', importance: '3', influence: '3', language: 'tr', areas: [] }, errors: {} });
  });

  router.post('/admin/stakeholders', requirePermission('stakeholders.manage'), async (req, res) => {
    const form = parseForm(Form, req.body);
    if (!form.ok) return renderForm(req, res, 422, { values: { ...req.body, areas: formList(req.body?.areas) }, errors: form.errors });
    const input = toInput(form.data);
    const id = await stakeholderService.create(db, input, actorOf(req, res), deps.now());
    flash(req, { kind: 'success', key: 'stakeholders:form.saved', params: { name: input.name } });
    res.redirect(303, `/admin/stakeholders/${id}`);
  });

  router.get('/admin/stakeholders/import', requirePermission('stakeholders.manage'), (req, res) => {
    res.render('admin/stakeholders/import', { pageTitle: res.locals.t('stakeholders:import.title'), uploadToken: csrf.token(req, res), columns: IMPORT_COLUMNS, preview: undefined, problem: undefined });
  });

  router.post(
    '/admin/stakeholders/import',
    requirePermission('stakeholders.manage'),
    (req, res, next) => {
      upload.single('file')(req, res, (error?: unknown) => {
        if ((error as { code?: string } | undefined)?.code === 'LIMIT_FILE_SIZE') return next(new AppError(413, 'errors:too_large'));
        if (error) return next(new AppError(400, 'errors:bad_request'));
        next();
      });
    },
    async (req, res) => {
      const show = (status: number, locals: { preview?: ImportRow[]; problem?: { key: string; params?: Record<string, string> } }) =>
        res.status(status).render('admin/stakeholders/import', { pageTitle: res.locals.t('stakeholders:import.title'), uploadToken: csrf.token(req, res), columns: IMPORT_COLUMNS, preview: undefined, problem: undefined, ...locals });
      if (!req.file) return show(422, { problem: { key: 'stakeholders:import.missing_file' } });
      const t = res.locals.t;
      const vocabulary = importVocabulary(
        (key, language) => t(key, { lng: language }),
        deps.municipality.activityAreas,
        (await stakeholderRepository.names(db)).map((n) => n.name),
      );
      let cells: string[][];
      try {
        cells = await readSpreadsheet(req.file.originalname, req.file.buffer, vocabulary);
      } catch {
        return show(422, { problem: { key: 'stakeholders:import.unreadable' } });
      }
      const { rows, missingColumns } = checkRows(cells, vocabulary);
      if (missingColumns.length > 0) {
        const columns = missingColumns.map((field) => t(`stakeholders:import.columns.${field}`)).join(', ');
        return show(422, { problem: { key: 'stakeholders:import.missing_columns', params: { columns } } });
      }
      req.session.stakeholderImport = { rows: rows.flatMap((row) => (row.input ? [row.input] : [])), at: deps.now().toISOString() };
      show(200, { preview: rows });
    },
  );

  router.post('/admin/stakeholders/import/confirm', requirePermission('stakeholders.manage'), async (req, res) => {
    const pending = req.session.stakeholderImport;
    delete req.session.stakeholderImport;
    if (!pending || deps.now().getTime() - Date.parse(pending.at) > IMPORT_LIFETIME_MS) {
      flash(req, { kind: 'error', key: 'stakeholders:import.expired' });
      return res.redirect(303, '/admin/stakeholders/import');
    }
    const count = await stakeholderService.importRows(db, pending.rows, actorOf(req, res), deps.now());
    flash(req, { kind: 'success', key: 'stakeholders:import.imported', params: { count } });
    res.redirect(303, '/admin/stakeholders');
  });

  const exportRows = async (res: Response): Promise<{ header: Cell[][]; rows: Cell[][] }> => {
    const t = res.locals.t;
    const threshold = await stakeholderService.threshold(db);
    const stakeholders = await stakeholderRepository.list(db, {});
    const areaName = (id: string) => res.locals.localize(deps.municipality.activityAreas.find((a) => a.id === id)?.name ?? { tr: id }).text;
    return {
      header: [
        [
          t('stakeholders:fields.name'), t('stakeholders:fields.group'), t('stakeholders:fields.scope'), t('stakeholders:fields.type'), t('stakeholders:fields.emails'),
          t('stakeholders:fields.contact_person'), t('stakeholders:fields.areas'), t('stakeholders:fields.reason'), t('stakeholders:fields.importance'),
          t('stakeholders:fields.influence'), t('stakeholders:fields.priority'), t('stakeholders:fields.category'), t('stakeholders:fields.language'), t('stakeholders:fields.source'),
        ],
      ],
      rows: stakeholders.map((s) => [
        s.name,
        t(`stakeholders:groups.${s.group}`),
        t(`stakeholders:scopes.${s.scope}`),
        s.type ? t(`stakeholders:types.${s.type}`) : '',
        s.emails.join('; '),
        s.contactPerson,
        s.areas.map(areaName).join('; '),
        s.reason,
        s.importance,
        s.influence,
        priority(s.importance, s.influence),
        t(`stakeholders:categories.${category(s.importance, s.influence, threshold)}`),
        s.language,
        t(`stakeholders:sources.${s.source}`),
      ]),
    };
  };

  router.get('/admin/stakeholders/export.csv', requirePermission('stakeholders.manage'), async (_req, res) => {
    const { header, rows } = await exportRows(res);
    res.type('text/csv; charset=utf-8').attachment(`paydaslar-${deps.now().toISOString().slice(0, 10)}.csv`);
    await writeCsv(res, header, rows, res.locals.lang);
  });

  router.get('/admin/stakeholders/export.xlsx', requirePermission('stakeholders.manage'), async (_req, res) => {
    const { header, rows } = await exportRows(res);
    res.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').attachment(`paydaslar-${deps.now().toISOString().slice(0, 10)}.xlsx`);
    await writeXlsx(res, [{ name: res.locals.t('stakeholders:title'), header, rows }]);
  });

  router.get('/admin/stakeholders/analysis', requirePermission('results.read'), async (req, res) => {
    const threshold = await stakeholderService.threshold(db);
    // Listed as the report's T1 lists them, so a row's number is the same on both.
    const stakeholders = (await stakeholderRepository.list(db, {})).filter((s) => s.scope === 'external' || s.scope === 'internal').sort(byGroup(STAKEHOLDER_GROUPS));
    const ranked = [...stakeholders].sort(byPriority);
    const numbers = { T1: 1, T2: 2, F1: 1, ...(deps.reportNumbers ? await deps.reportNumbers() : {}) };
    res.render('admin/stakeholders/analysis', {
      numbers,
      pageTitle: res.locals.t('stakeholders:analysis.title'),
      stakeholders,
      ranked,
      threshold,
      priority,
      category,
      matrix: stakeholders.length === 0 ? null : stakeholderMatrix(stakeholders, threshold, res.locals.t, LOCALES[res.locals.lang as Language]),
      areas: deps.municipality.activityAreas,
      csrfToken: csrf.token(req, res),
      // The report's figure configuration, so this F1 is drawn as the report's is.
      scripts: ['vendor/chart.umd.js', 'vendor/figures.js', 'js/report.js'],
    });
  });

  router.post('/admin/stakeholders/threshold', requirePermission('stakeholders.manage'), async (req, res) => {
    const form = z.object({ threshold: z.coerce.number().int().min(2).max(5) }).safeParse(req.body);
    if (!form.success) throw new AppError(400, 'errors:bad_request');
    await stakeholderService.setThreshold(db, form.data.threshold, actorOf(req, res), deps.now());
    flash(req, { kind: 'success', key: 'stakeholders:analysis.threshold_saved', params: { threshold: form.data.threshold } });
    res.redirect(303, '/admin/stakeholders/analysis');
  });

  router.get('/admin/stakeholders/:id', requirePermission('stakeholders.manage'), async (req, res) => {
    const stakeholder = await findStakeholder(req);
    const candidates = stakeholder.source === 'self' ? (await stakeholderRepository.list(db, {})).filter((s) => s.id !== stakeholder.id) : [];
    renderForm(req, res, 200, { stakeholder, values: valuesOf(stakeholder), errors: {}, candidates });
  });

  router.post('/admin/stakeholders/:id', requirePermission('stakeholders.manage'), async (req, res) => {
    const stakeholder = await findStakeholder(req);
    const form = parseForm(Form, req.body);
    if (!form.ok) return renderForm(req, res, 422, { stakeholder, values: { ...req.body, areas: formList(req.body?.areas) }, errors: form.errors });
    await stakeholderService.update(db, stakeholder.id, toInput(form.data), actorOf(req, res), deps.now());
    flash(req, { kind: 'success', key: 'stakeholders:form.saved', params: { name: form.data.name } });
    res.redirect(303, `/admin/stakeholders/${stakeholder.id}`);
  });

  router.post('/admin/stakeholders/:id/archive', requirePermission('stakeholders.manage'), async (req, res) => {
    const stakeholder = await findStakeholder(req);
    await stakeholderService.setArchived(db, stakeholder.id, !stakeholder.archived, actorOf(req, res), deps.now());
    flash(req, { kind: 'success', key: stakeholder.archived ? 'stakeholders:form.restored' : 'stakeholders:form.archived', params: { name: stakeholder.name } });
    res.redirect(303, `/admin/stakeholders/${stakeholder.id}`);
  });

  router.post('/admin/stakeholders/:id/merge', requirePermission('stakeholders.manage'), async (req, res) => {
    const stakeholder = await findStakeholder(req);
    const into = z.coerce.number().int().positive().safeParse(req.body?.into);
    if (!into.success) throw new AppError(400, 'errors:bad_request');
    const outcome = await stakeholderService.merge(db, stakeholder.id, into.data, actorOf(req, res), deps.now(), deps.afterMerge);
    if (outcome.kind === 'not_found') throw new AppError(404, 'errors:not_found');
    if (outcome.kind === 'same') {
      flash(req, { kind: 'error', key: 'stakeholders:form.merge_same' });
      return res.redirect(303, `/admin/stakeholders/${stakeholder.id}`);
    }
    flash(req, { kind: 'success', key: 'stakeholders:form.merged' });
    res.redirect(303, `/admin/stakeholders/${into.data}`);
  });

  return router;
}
