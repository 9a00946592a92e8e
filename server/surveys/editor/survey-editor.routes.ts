// The survey editor's screens under /admin/surveys: a new survey, the draft's overview with its
// sections and questions, settings and section forms, the phone-sized preview, the JSON download,
// publish and discard. The question pages are in editor-question.routes.ts.
import { Router, type Request, type Response } from 'express';
import type { TFunction } from 'i18next';
import { z } from 'zod';
import { actorOf, flash, requirePermission } from '../../admin';
import type { Db } from '../../platform/db/connection';
import { AppError } from '../../platform/http/app-error';
import type { Csrf } from '../../platform/http/csrf';
import { parseForm } from '../../platform/http/validate';
import { isoToZonedInput, zonedToIso } from '../../platform/time';
import { problemText } from '../definition-problems';
import { renderSection } from '../section-pages';
import type { SurveyFile } from '../survey-definition';
import type { SurveyRegistry } from '../survey-registry';
import * as edits from './draft-edits';
import { localizedOf, problemsAt, textValues } from './editor-forms';
import { conditionFormValues } from './condition-form';
import { questionsBeforeSection } from './condition-sources';
import { editorQuestionRoutes } from './editor-question.routes';
import { questionPreviewRoutes } from './question-preview.routes';
import { sectionFieldOfPath, sectionFormValues, sectionFromForm } from './section-form';
import { AUDIENCES, SettingsForm, settingsFieldOf } from './settings-form';
import * as editorService from './survey-editor.service';
import { TEMPLATES, type Draft, type SaveOutcome } from './survey-editor.service';

export interface SurveyEditorDeps {
  db: Db;
  catalog: SurveyRegistry;
  csrf: Csrf;
  now: () => Date;
  timeZone: string;
}

const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const PREVIEW_WIDTH = 360;

const line = (max: number) => z.string({ error: 'admin:editor.messages.invalid_value' }).trim().max(max, { error: 'errors:form.too_long' });
const required = (max: number) => line(max).min(1, { error: 'admin:editor.messages.required' });
const optional = (max: number) => line(max).optional();

const NewForm = z.object({
  slug: line(60),
  'title.tr': required(300),
  'title.en': optional(300),
  source: z.enum(['scratch', 'template', 'copy'], { error: 'admin:editor.messages.invalid_value' }),
  template: z.enum(TEMPLATES).optional().catch(undefined),
  copy: optional(60),
});
const MoveForm = z.object({
  direction: z.enum(['up', 'down']).optional(),
  section: optional(63),
  position: z.coerce.number().int().min(0).max(10_000).optional(),
});

export function surveyEditorRouter(deps: SurveyEditorDeps): Router {
  const router = Router();
  const { db, catalog, csrf } = deps;
  const manage = requirePermission('surveys.manage');
  const t = (res: Response): TFunction => res.locals.t;
  const slugOf = (req: Request): string => {
    const slug = String(req.params.slug);
    if (!SLUG.test(slug)) throw new AppError(404, 'errors:survey_not_found');
    return slug;
  };
  const draftOr404 = async (req: Request): Promise<Draft> => {
    const draft = await editorService.findDraft(db, slugOf(req));
    if (!draft) throw new AppError(404, 'errors:not_found');
    return draft;
  };
  const editUrl = (slug: string) => `/admin/surveys/${slug}/edit`;
  const translated = (res: Response, errors: Record<string, string>) =>
    Object.fromEntries(Object.entries(errors).map(([field, key]) => [field, t(res)(key)]));
  /** After a step from the overview: back to it, saying what went wrong if anything did. */
  const backToOverview = (req: Request, res: Response, slug: string, outcome: SaveOutcome, anchor = '') => {
    if (outcome.kind === 'locked') flash(req, { kind: 'error', key: 'admin:editor.messages.refused', params: { reason: outcome.reasons.join(' ') } });
    else if (outcome.kind === 'invalid') flash(req, { kind: 'error', key: 'admin:editor.messages.refused', params: { reason: outcome.problems.map((p) => `${p.path.join('.')}: ${problemText(p, t(res))}`).join('; ') } });
    else flash(req, { kind: 'success', key: 'admin:editor.messages.saved' });
    res.redirect(303, `${editUrl(slug)}${anchor}`);
  };
  const save = (req: Request, res: Response, slug: string, candidate: SurveyFile, step: string, target?: string) =>
    editorService.saveDraft(db, catalog, slug, candidate, { step, ...(target ? { target } : {}) }, actorOf(req, res), deps.now(), t(res));
  /** Runs an edit op; an id that is not (or no longer) in the draft is a 404. */
  const apply = (op: () => SurveyFile): SurveyFile => {
    try {
      return op();
    } catch (error) {
      if (error instanceof edits.DraftEditError) throw new AppError(404, 'errors:not_found');
      throw error;
    }
  };

  // A new survey: from scratch, a bundled template or a copy of a survey the site serves.
  const renderNew = (req: Request, res: Response, status: number, values: Record<string, string> = {}, errors: Record<string, string> = {}) => {
    res.status(status).render('admin/surveys/editor/new', {
      pageTitle: t(res)('admin:editor.pages.new_title'),
      values: { source: 'scratch', template: TEMPLATES[0], ...values },
      errors,
      templates: TEMPLATES,
      surveys: catalog.surveys,
      csrfToken: csrf.token(req, res),
    });
  };
  router.get('/admin/surveys/new', manage, (req, res) => {
    const copy = typeof req.query.copy === 'string' && catalog.find(req.query.copy) ? req.query.copy : undefined;
    renderNew(req, res, 200, copy ? { source: 'copy', copy } : {});
  });
  router.post('/admin/surveys/new', manage, async (req, res) => {
    const values = Object.fromEntries(Object.entries(req.body ?? {}).map(([k, v]) => [k, String(v)]));
    const form = parseForm(NewForm, req.body);
    if (!form.ok) return renderNew(req, res, 422, values, translated(res, form.errors));
    const { data } = form;
    const source: editorService.CreateSource | undefined =
      data.source === 'scratch'
        ? { kind: 'scratch' }
        : data.source === 'template'
          ? data.template && { kind: 'template', name: data.template }
          : data.copy && catalog.find(data.copy) ? { kind: 'copy', slug: data.copy } : undefined;
    if (!source) return renderNew(req, res, 422, values, translated(res, { [data.source]: 'admin:editor.messages.choose_source' }));
    const outcome = await editorService.createDraft(db, catalog, { slug: data.slug, title: localizedOf(data, 'title')!, source }, actorOf(req, res), deps.now());
    if (outcome.kind === 'invalid') return renderNew(req, res, 422, values, translated(res, outcome.errors));
    flash(req, { kind: 'success', key: 'admin:editor.messages.created', params: { slug: outcome.slug } });
    res.redirect(303, editUrl(outcome.slug));
  });

  // The overview: the draft's sections and questions, with everything that can be done to them.
  router.get('/admin/surveys/:slug/edit', manage, async (req, res) => {
    const slug = slugOf(req);
    const draft = await editorService.findDraft(db, slug);
    const published = catalog.find(slug);
    if (!draft && !published) throw new AppError(404, 'errors:survey_not_found');
    const sectionCount = draft?.file.sections.length ?? 0;
    const previewNumber = Math.min(Math.max(1, Number(req.query.section) || 1), Math.max(1, sectionCount));
    res.render('admin/surveys/editor/overview', {
      pageTitle: t(res)('admin:editor.pages.overview_title', { slug }),
      slug,
      draft,
      published,
      source: published ? catalog.source(slug) : undefined,
      schedule: published ? catalog.schedule(slug) : undefined,
      previewNumber,
      previewWidth: PREVIEW_WIDTH,
      csrfToken: csrf.token(req, res),
      scripts: ['js/editor.js'],
    });
  });

  router.post('/admin/surveys/:slug/edit/start', manage, async (req, res) => {
    const slug = slugOf(req);
    const outcome = await editorService.startEditing(db, catalog, slug, actorOf(req, res), deps.now());
    if (outcome === 'not_editable') flash(req, { kind: 'error', key: 'admin:editor.messages.not_editable' });
    res.redirect(303, editUrl(slug));
  });

  // Settings: title, intro and thank-you texts, audience and dates.
  const renderSettings = (req: Request, res: Response, status: number, draft: Draft, values?: Record<string, string>, errors: Record<string, string> = {}) => {
    const file = draft.file;
    const localInput = (iso: string) => isoToZonedInput(iso, deps.timeZone);
    res.status(status).render('admin/surveys/editor/settings', {
      pageTitle: `${t(res)('admin:editor.pages.settings_title')} — ${file.slug}`,
      slug: file.slug,
      values: values ?? {
        ...textValues('title', file.title),
        ...textValues('intro', file.intro),
        ...textValues('thanks', file.thanks),
        audience: file.audience,
        opens_at: localInput(file.opensAt),
        closes_at: localInput(file.closesAt),
        anonymous: file.anonymous === false ? '' : 'on',
        oneResponsePerBrowser: file.oneResponsePerBrowser === false ? '' : 'on',
        estimatedMinutes: file.estimatedMinutes === undefined ? '' : String(file.estimatedMinutes),
      },
      errors,
      audiences: AUDIENCES,
      csrfToken: csrf.token(req, res),
    });
  };
  router.get('/admin/surveys/:slug/edit/settings', manage, async (req, res) => {
    renderSettings(req, res, 200, await draftOr404(req));
  });
  router.post('/admin/surveys/:slug/edit/settings', manage, async (req, res) => {
    const draft = await draftOr404(req);
    const values = Object.fromEntries(Object.entries(req.body ?? {}).map(([k, v]) => [k, String(v)]));
    const form = parseForm(SettingsForm, req.body);
    if (!form.ok) return renderSettings(req, res, 422, draft, values, translated(res, form.errors));
    const opensAt = zonedToIso(form.data.opens_at, deps.timeZone);
    const closesAt = zonedToIso(form.data.closes_at, deps.timeZone);
    if (!opensAt) return renderSettings(req, res, 422, draft, values, translated(res, { opens_at: 'admin:surveys.date_time_format' }));
    if (!closesAt) return renderSettings(req, res, 422, draft, values, translated(res, { closes_at: 'admin:surveys.date_time_format' }));
    if (Date.parse(closesAt) <= Date.parse(opensAt)) return renderSettings(req, res, 422, draft, values, translated(res, { closes_at: 'admin:editor.messages.closes_before_opens' }));
    const thanks = localizedOf(form.data, 'thanks');
    const candidate = edits.setSettings(draft.file, {
      title: localizedOf(form.data, 'title')!,
      intro: localizedOf(form.data, 'intro')!,
      ...(thanks ? { thanks } : {}),
      audience: form.data.audience,
      opensAt,
      closesAt,
      anonymous: form.data.anonymous === 'on',
      oneResponsePerBrowser: form.data.oneResponsePerBrowser === 'on',
      ...(form.data.estimatedMinutes !== undefined ? { estimatedMinutes: form.data.estimatedMinutes } : {}),
    });
    const outcome = await save(req, res, draft.file.slug, candidate, 'settings');
    if (outcome.kind === 'saved') return backToOverview(req, res, draft.file.slug, outcome);
    const errors =
      outcome.kind === 'locked'
        ? { _form: outcome.reasons.join(' ') }
        : problemsAt(outcome.problems, [], settingsFieldOf, t(res));
    renderSettings(req, res, 422, draft, values, errors);
  });

  // Sections: new, rename (id, title, intro), move, remove.
  const renderSection_ = (req: Request, res: Response, status: number, draft: Draft, sectionId: string | undefined, values: Record<string, string>, errors: Record<string, string> = {}) => {
    const checked = editorService.validateDraft(draft.file, catalog);
    res.status(status).render('admin/surveys/editor/section', {
      pageTitle: `${t(res)(sectionId ? 'admin:editor.pages.section_title' : 'admin:editor.pages.new_section_title')} — ${sectionId ? `${sectionId} — ` : ''}${draft.file.slug}`,
      slug: draft.file.slug,
      sectionId,
      values,
      errors,
      // The condition may compare with questions of the sections before this one.
      sources: checked.ok ? questionsBeforeSection(checked.survey, sectionId, t(res), res.locals.lang) : [],
      csrfToken: csrf.token(req, res),
    });
  };
  const sectionFormDone = async (req: Request, res: Response, draft: Draft, sectionId: string | undefined) => {
    const slug = draft.file.slug;
    const { _csrf: _token, ...body } = (req.body ?? {}) as Record<string, unknown>;
    const form = sectionFromForm(body, t(res));
    if (!form.ok) return renderSection_(req, res, 422, draft, sectionId, form.values, form.errors);
    const { fields } = form;
    const values = sectionFormValues(fields);
    const candidate = sectionId
      ? apply(() => edits.renameSection(draft.file, sectionId, fields))
      : edits.addSection(draft.file, fields, placeholderQuestion(draft.file));
    const index = sectionId ? draft.file.sections.findIndex((s) => s.id === sectionId) : draft.file.sections.length;
    const outcome = await save(req, res, slug, candidate, sectionId ? 'section.changed' : 'section.added', fields.id);
    if (outcome.kind === 'saved') return backToOverview(req, res, slug, outcome, `#section-${fields.id}`);
    const errors =
      outcome.kind === 'locked'
        ? { _form: outcome.reasons.join(' ') }
        : problemsAt(outcome.problems, ['sections', index], sectionFieldOfPath, t(res));
    renderSection_(req, res, 422, draft, sectionId, values, errors);
  };
  router.get('/admin/surveys/:slug/edit/sections/new', manage, async (req, res) => {
    const draft = await draftOr404(req);
    renderSection_(req, res, 200, draft, undefined, { ...conditionFormValues(undefined), id: freeId(draft.file, 'bolum_'), 'title.tr': '', 'title.en': '' });
  });
  router.post('/admin/surveys/:slug/edit/sections/new', manage, async (req, res) => {
    await sectionFormDone(req, res, await draftOr404(req), undefined);
  });
  const sectionOf = (draft: Draft, req: Request) => {
    const section = draft.file.sections.find((s) => s.id === req.params.sectionId);
    if (!section) throw new AppError(404, 'errors:not_found');
    return section;
  };
  router.get('/admin/surveys/:slug/edit/sections/:sectionId', manage, async (req, res) => {
    const draft = await draftOr404(req);
    const section = sectionOf(draft, req);
    renderSection_(req, res, 200, draft, section.id, sectionFormValues(section));
  });
  router.post('/admin/surveys/:slug/edit/sections/:sectionId', manage, async (req, res) => {
    const draft = await draftOr404(req);
    await sectionFormDone(req, res, draft, sectionOf(draft, req).id);
  });
  router.post('/admin/surveys/:slug/edit/sections/:sectionId/move', manage, async (req, res) => {
    const draft = await draftOr404(req);
    const section = sectionOf(draft, req);
    const form = parseForm(MoveForm, req.body);
    if (!form.ok || !form.data.direction) throw new AppError(400, 'errors:bad_request');
    const candidate = apply(() => edits.moveSection(draft.file, section.id, form.data.direction === 'up' ? -1 : 1));
    backToOverview(req, res, draft.file.slug, await save(req, res, draft.file.slug, candidate, 'section.moved', section.id), `#section-${section.id}`);
  });
  router.post('/admin/surveys/:slug/edit/sections/:sectionId/remove', manage, async (req, res) => {
    const draft = await draftOr404(req);
    const section = sectionOf(draft, req);
    const candidate = apply(() => edits.removeSection(draft.file, section.id));
    backToOverview(req, res, draft.file.slug, await save(req, res, draft.file.slug, candidate, 'section.removed', section.id));
  });

  // Questions: move (buttons, or a position from drag-and-drop) and remove; the forms are elsewhere.
  router.post('/admin/surveys/:slug/edit/questions/:questionId/move', manage, async (req, res) => {
    const draft = await draftOr404(req);
    const questionId = String(req.params.questionId);
    const form = parseForm(MoveForm, req.body);
    if (!form.ok) throw new AppError(400, 'errors:bad_request');
    const { direction, section, position } = form.data;
    let candidate: SurveyFile;
    if (direction) candidate = apply(() => edits.moveQuestionBy(draft.file, questionId, direction === 'up' ? -1 : 1));
    else if (section && position !== undefined) candidate = apply(() => edits.moveQuestionTo(draft.file, questionId, section, position));
    else throw new AppError(400, 'errors:bad_request');
    const outcome = await save(req, res, draft.file.slug, candidate, 'question.moved', questionId);
    // The drag-and-drop script asks for JSON and redraws the preview itself.
    if (req.get('accept')?.includes('application/json')) {
      return res.status(outcome.kind === 'saved' ? 200 : 422).json({ ok: outcome.kind === 'saved' });
    }
    backToOverview(req, res, draft.file.slug, outcome, `#question-${questionId}`);
  });
  router.post('/admin/surveys/:slug/edit/questions/:questionId/remove', manage, async (req, res) => {
    const draft = await draftOr404(req);
    const questionId = String(req.params.questionId);
    const candidate = apply(() => edits.removeQuestion(draft.file, questionId));
    backToOverview(req, res, draft.file.slug, await save(req, res, draft.file.slug, candidate, 'question.removed', questionId));
  });

  router.use(questionPreviewRoutes({ catalog, draftOr404 }));
  router.use(editorQuestionRoutes({ ...deps, draftOr404, save, apply, backToOverview }));

  // Preview: one section of the draft as respondents would see it, framed by the overview.
  const previewOf = async (req: Request) => {
    const draft = await draftOr404(req);
    const checked = editorService.validateDraft(draft.file, catalog);
    if (!checked.ok) throw new AppError(500, 'errors:server');
    const number = String(req.params.section);
    if (!/^[1-9]\d{0,2}$/.test(number) || Number(number) > checked.survey.sections.length) throw new AppError(404, 'errors:not_found');
    return { survey: checked.survey, index: Number(number) - 1 };
  };
  router.get('/admin/surveys/:slug/edit/preview/:section', manage, async (req, res) => {
    const { survey, index } = await previewOf(req);
    // Only this page may be framed, and only by the back office itself.
    const policy = String(res.getHeader('Content-Security-Policy') ?? '');
    res.setHeader('Content-Security-Policy', policy.replace("frame-ancestors 'none'", "frame-ancestors 'self'"));
    res.setHeader('X-Frame-Options', 'SAMEORIGIN');
    res.locals.layout = 'layout';
    renderSection(req, res, csrf, {
      survey,
      index,
      values: {},
      errors: [],
      key: 'editor-preview-not-stored',
      base: `/admin/surveys/${survey.slug}/edit/preview`,
      banner: t(res)('admin:editor.messages.preview_banner'),
    });
  });
  // Read-only: "next" and "back" only turn the page; nothing is checked or kept.
  router.post('/admin/surveys/:slug/edit/preview/:section', manage, async (req, res) => {
    const { survey, index } = await previewOf(req);
    const next = req.body?._nav === 'back' ? index : index + 2;
    res.redirect(303, `/admin/surveys/${survey.slug}/edit/preview/${Math.min(Math.max(next, 1), survey.sections.length)}`);
  });

  // The draft as a JSON file, exactly what the upload takes back.
  router.get('/admin/surveys/:slug/edit/draft.json', manage, async (req, res) => {
    const draft = await draftOr404(req);
    res.type('application/json');
    res.attachment(`${draft.file.slug}.json`);
    res.send(draft.text);
  });

  router.post('/admin/surveys/:slug/edit/publish', manage, async (req, res) => {
    const slug = slugOf(req);
    const outcome = await editorService.publishDraft(db, catalog, slug, actorOf(req, res), deps.now());
    if (outcome.kind === 'no_draft') throw new AppError(404, 'errors:not_found');
    if (outcome.kind === 'invalid') {
      flash(req, { kind: 'error', key: 'admin:editor.messages.publish_refused', params: { reason: outcome.problems.map((p) => problemText(p, t(res))).join(' ') } });
      return res.redirect(303, editUrl(slug));
    }
    flash(req, { kind: 'success', key: 'admin:editor.messages.published', params: { slug } });
    res.redirect(303, `/admin/surveys/${slug}`);
  });

  router.post('/admin/surveys/:slug/edit/discard', manage, async (req, res) => {
    const slug = slugOf(req);
    if (!(await editorService.discardDraft(db, slug, actorOf(req, res), deps.now()))) throw new AppError(404, 'errors:not_found');
    flash(req, { kind: 'success', key: 'admin:editor.messages.discarded', params: { slug } });
    res.redirect(303, catalog.find(slug) ? `/admin/surveys/${slug}` : '/admin/surveys');
  });

  return router;
}

/** The first `<prefix><n>` not used as a section or question id in the draft. */
export function freeId(file: SurveyFile, prefix: string): string {
  const used = new Set(file.sections.flatMap((s) => [s.id, ...s.questions.map((q) => q.id)]));
  let n = 1;
  while (used.has(`${prefix}${n}`)) n++;
  return `${prefix}${n}`;
}

/** A new section's first question, to be edited: the format has no empty sections. */
function placeholderQuestion(file: SurveyFile) {
  return { kind: 'short_text' as const, id: freeId(file, 'soru_'), text: { tr: 'Yeni soru', en: 'New question' }, required: false, maxLength: 200 };
}

export type EditorRouteKit = SurveyEditorDeps & {
  draftOr404(req: Request): Promise<Draft>;
  save(req: Request, res: Response, slug: string, candidate: SurveyFile, step: string, target?: string): Promise<SaveOutcome>;
  apply(op: () => SurveyFile): SurveyFile;
  backToOverview(req: Request, res: Response, slug: string, outcome: SaveOutcome, anchor?: string): void;
};
