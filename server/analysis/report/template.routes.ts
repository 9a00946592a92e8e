// The municipality's Word template for the report's DOCX: upload (checked by writing the current
// report into it, so a template that is accepted always exports), download and removal.
import { Router, type Request, type Response } from 'express';
import multer from 'multer';
import { actorOf, flash, requirePermission } from '../../admin';
import * as audit from '../../platform/audit/audit.repository';
import { AppError } from '../../platform/http/app-error';
import { reportDocx } from './report-docx';
import type { ReportDeps } from './report.routes';
import { MAX_TEMPLATE_BYTES, readTemplate, TEMPLATE_PLACEHOLDER, type TemplateProblem } from './docx-template';
import * as templateRepository from './template.repository';
import { currentReport } from './current-report';

export const TEMPLATE_UPLOAD_PATHS = ['/admin/report/template'] as const;

type Problem = TemplateProblem | 'missing_file' | 'too_large' | 'unusable';

export function templateRouter(deps: ReportDeps): Router {
  const router = Router();
  const { db, catalog, csrf } = deps;
  // File names as browsers send them, in UTF-8 ("Yeşilvadi SP şablonu.docx").
  const upload = multer({ storage: multer.memoryStorage(), defParamCharset: 'utf8', limits: { fileSize: MAX_TEMPLATE_BYTES, files: 1, fields: 2 } });

  async function render(req: Request, res: Response, status: number, problem?: Problem) {
    res.status(status).render('admin/report/template', {
      pageTitle: res.locals.t('report:template.title'),
      current: await templateRepository.describe(db),
      placeholder: `{{${TEMPLATE_PLACEHOLDER}}}`,
      maxMegabytes: MAX_TEMPLATE_BYTES / 1024 / 1024,
      problem,
      uploadToken: csrf.token(req, res),
    });
  }

  /** The current report written into the template: what every later export will do. */
  async function tryOut(content: Buffer): Promise<boolean> {
    const { report, words } = await currentReport(deps);
    try {
      await reportDocx(report, words, content);
      return true;
    } catch {
      return false;
    }
  }

  router.get('/admin/report/template', requirePermission('report.manage'), (req, res) => render(req, res, 200));

  router.post(
    '/admin/report/template',
    requirePermission('report.manage'),
    (req, res, next) => {
      upload.single('template')(req, res, (error?: unknown) => {
        if ((error as { code?: string } | undefined)?.code === 'LIMIT_FILE_SIZE') return void render(req, res, 413, 'too_large').catch(next);
        if (error) return next(new AppError(400, 'errors:bad_request'));
        next();
      });
    },
    async (req, res) => {
      if (res.headersSent) return;
      const file = req.file;
      if (!file || file.size === 0) return render(req, res, 422, 'missing_file');
      if (!/\.docx$/i.test(file.originalname)) return render(req, res, 422, 'not_docx');
      const read = await readTemplate(file.buffer);
      if (!read.ok) return render(req, res, 422, read.problem);
      if (!(await tryOut(file.buffer))) return render(req, res, 422, 'unusable');
      const now = deps.now();
      const actor = actorOf(req, res);
      const fileName = file.originalname.slice(0, 200);
      await db.transaction().execute(async (trx) => {
        await templateRepository.save(trx, { fileName, content: file.buffer }, actor.userId, now);
        await audit.record(trx, { action: 'report.template_uploaded', ...audit.by(actor), target: fileName }, now);
      });
      flash(req, { kind: 'success', key: 'report:template.saved' });
      res.redirect(303, '/admin/report/template');
    },
  );

  router.get('/admin/report/template.docx', requirePermission('report.manage'), async (_req, res) => {
    const template = await templateRepository.find(db);
    if (!template) throw new AppError(404, 'errors:not_found');
    res.type('application/vnd.openxmlformats-officedocument.wordprocessingml.document').attachment(template.fileName).send(template.content);
  });

  router.post('/admin/report/template/delete', requirePermission('report.manage'), async (req, res) => {
    const now = deps.now();
    const actor = actorOf(req, res);
    const removed = await db.transaction().execute(async (trx) => {
      const done = await templateRepository.remove(trx);
      if (done) await audit.record(trx, { action: 'report.template_removed', ...audit.by(actor) }, now);
      return done;
    });
    flash(req, { kind: removed ? 'success' : 'error', key: removed ? 'report:template.removed' : 'report:template.none' });
    res.redirect(303, '/admin/report/template');
  });

  return router;
}
