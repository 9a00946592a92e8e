// The codebook as a file: exported as CSV (for tools, and for a double-click in the reader's
// Excel) and XLSX, and imported from either with a preview before anything is stored.
import { Router, type Request, type Response } from 'express';
import multer from 'multer';
import { actorOf, flash, requirePermission } from '../../admin';
import type { Municipality } from '../../municipality';
import type { Db } from '../../platform/db/connection';
import { TOOLS_CSV, writeCsv, writeXlsx, type Cell } from '../../platform/export/writers';
import { AppError } from '../../platform/http/app-error';
import type { Csrf } from '../../platform/http/csrf';
import { surveyOr404, type Survey, type SurveyCatalog } from '../../surveys';
import * as codingRepository from './coding.repository';
import { CODEBOOK_COLUMNS, checkCodebook, codebookVocabulary, exportRows, readCodebookFile, UnreadableFile, type CodebookImportRow } from './codebook-io';
import * as codebookIoService from './codebook-io.service';
import type { ImportedTheme } from './codebook-io';

declare module 'express-session' {
  interface SessionData {
    /** Rows of a codebook import waiting for the planner's confirmation. */
    codebookImport?: { survey: string; rows: ImportedTheme[]; at: string };
  }
}

export interface CodebookIoDeps {
  db: Db;
  catalog: SurveyCatalog;
  csrf: Csrf;
  municipality: Municipality;
  now: () => Date;
}

/** The upload form of the import; CSRF reads its token from the URL (see createCsrf). */
export const CODEBOOK_UPLOAD_PATHS = [/^\/admin\/surveys\/[^/]+\/codebook\/import$/] as const;
const MAX_IMPORT_BYTES = 1024 * 1024;
const IMPORT_LIFETIME_MS = 30 * 60_000;

type Problem = { key: string; params?: Record<string, string> };

export function codebookIoRouter(deps: CodebookIoDeps): Router {
  const router = Router();
  const { db, catalog, csrf, municipality } = deps;
  const manage = requirePermission('report.manage');
  const upload = multer({ storage: multer.memoryStorage(), limits: { fileSize: MAX_IMPORT_BYTES, files: 1, fields: 5 } });
  const findSurvey = (req: Request) => surveyOr404(catalog, req.params.slug);
  const codebookUrl = (survey: Survey) => `/admin/surveys/${survey.slug}/codebook`;
  const fileName = (survey: Survey, ext: string) => `kod-defteri-${survey.slug}-${deps.now().toISOString().slice(0, 10)}${ext}`;

  const table = async (res: Response, survey: Survey): Promise<{ header: Cell[][]; rows: Cell[][] }> => {
    const t = res.locals.t;
    const themes = await codingRepository.themes(db, survey.slug);
    const area = (id: string) => {
      const found = municipality.activityAreas.find((a) => a.id === id);
      return found ? res.locals.localize(found.name).text : id;
    };
    return {
      header: [CODEBOOK_COLUMNS.map((column) => t(`coding:codebook_io.columns.${column}`))],
      rows: exportRows(themes, { area, swot: (kind) => t(`coding:swot.${kind}`) }),
    };
  };

  // For tools (commas, no BOM) and, as "-excel.csv", for a double-click in the reader's Excel.
  router.get('/admin/surveys/:slug/codebook/export{-:form}.csv', manage, async (req, res) => {
    const survey = findSurvey(req);
    const excel = req.params.form === 'excel';
    if (req.params.form !== undefined && !excel) throw new AppError(404, 'errors:not_found');
    const { header, rows } = await table(res, survey);
    res.type('text/csv; charset=utf-8').attachment(fileName(survey, excel ? '-excel.csv' : '.csv'));
    await writeCsv(res, header, rows, excel ? res.locals.lang : TOOLS_CSV);
  });

  router.get('/admin/surveys/:slug/codebook/export.xlsx', manage, async (req, res) => {
    const survey = findSurvey(req);
    const { header, rows } = await table(res, survey);
    res.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').attachment(fileName(survey, '.xlsx'));
    await writeXlsx(res, [{ name: res.locals.t('coding:codebook.heading'), header, rows, widths: [40, 22, 30, 16, 50] }]);
  });

  const renderImport = (req: Request, res: Response, survey: Survey, status: number, locals: { preview?: CodebookImportRow[]; problem?: Problem }) => {
    res.status(status).render('admin/analysis/coding/codebook-import', {
      pageTitle: res.locals.t('coding:codebook_io.title', { title: res.locals.localize(survey.title).text }),
      survey,
      uploadToken: csrf.token(req, res),
      columns: CODEBOOK_COLUMNS,
      preview: locals.preview,
      problem: locals.problem,
    });
  };

  router.get('/admin/surveys/:slug/codebook/import', manage, (req, res) => {
    renderImport(req, res, findSurvey(req), 200, {});
  });

  router.post(
    '/admin/surveys/:slug/codebook/import',
    manage,
    (req, res, next) => {
      upload.single('file')(req, res, (error?: unknown) => {
        if ((error as { code?: string } | undefined)?.code === 'LIMIT_FILE_SIZE') return next(new AppError(413, 'errors:too_large'));
        if (error) return next(new AppError(400, 'errors:bad_request'));
        next();
      });
    },
    async (req, res) => {
      const survey = findSurvey(req);
      const show = (status: number, locals: { preview?: CodebookImportRow[]; problem?: Problem }) => renderImport(req, res, survey, status, locals);
      if (!req.file || req.file.size === 0) return show(422, { problem: { key: 'coding:codebook_io.missing_file' } });
      const t = res.locals.t;
      const vocabulary = codebookVocabulary((key, language) => t(key, { lng: language }), municipality.activityAreas);
      let cells: string[][];
      try {
        cells = await readCodebookFile(req.file.buffer, vocabulary);
      } catch (error) {
        if (!(error instanceof UnreadableFile)) throw error;
        return show(422, { problem: { key: 'coding:codebook_io.unreadable' } });
      }
      const { rows, missingColumns } = checkCodebook(cells, vocabulary, await codingRepository.themes(db, survey.slug));
      if (missingColumns.length > 0) {
        const columns = missingColumns.map((column) => t(`coding:codebook_io.columns.${column}`)).join(', ');
        return show(422, { problem: { key: 'coding:codebook_io.missing_columns', params: { columns } } });
      }
      if (rows.length === 0) return show(422, { problem: { key: 'coding:codebook_io.no_rows' } });
      req.session.codebookImport = { survey: survey.slug, rows: rows.flatMap((row) => (row.input ? [row.input] : [])), at: deps.now().toISOString() };
      show(200, { preview: rows });
    },
  );

  router.post('/admin/surveys/:slug/codebook/import/confirm', manage, async (req, res) => {
    const survey = findSurvey(req);
    const pending = req.session.codebookImport;
    delete req.session.codebookImport;
    if (!pending || pending.survey !== survey.slug || deps.now().getTime() - Date.parse(pending.at) > IMPORT_LIFETIME_MS) {
      flash(req, { kind: 'error', key: 'coding:codebook_io.expired' });
      return res.redirect(303, `${codebookUrl(survey)}/import`);
    }
    const outcome = await codebookIoService.importCodebook(db, survey.slug, pending.rows, actorOf(req, res), deps.now());
    flash(req, { kind: 'success', key: 'coding:codebook_io.imported', params: { ...outcome } });
    res.redirect(303, codebookUrl(survey));
  });

  return router;
}
