// The question page's live preview: the form as posted so far, drawn by the public partial as an
// HTML fragment for question-preview.js. Nothing is saved, and nothing is audited.
import { Router, type Request, type Response } from 'express';
import type { TFunction } from 'i18next';
import { requirePermission } from '../../admin';
import { AppError } from '../../platform/http/app-error';
import { matrixRowGroups, notApplicablePosition } from '../matrix-layout';
import { QUESTION_KINDS, type QuestionKind } from '../survey-definition';
import { evaluate } from '../survey-flow';
import { ratingRange } from '../survey-answers';
import { buildSectionPage, fieldId } from '../survey-page';
import { questionFromForm } from './question-form';
import { previewProblems, previewSurvey } from './question-preview';
import type { EditorRouteKit } from './survey-editor.routes';

const isKind = (value: unknown): value is QuestionKind => typeof value === 'string' && (QUESTION_KINDS as readonly string[]).includes(value);

export function questionPreviewRoutes(kit: Pick<EditorRouteKit, 'catalog' | 'draftOr404'>): Router {
  const router = Router();
  const manage = requirePermission('surveys.manage');

  const problemsFragment = (res: Response, problems: ReturnType<typeof previewProblems>) =>
    res.status(422).render('admin/surveys/editor/question-preview', { layout: false, problems });

  // Registered before /questions/:questionId, which would otherwise take "preview" for an id.
  router.post('/admin/surveys/:slug/edit/questions/preview', manage, async (req: Request, res: Response) => {
    const draft = await kit.draftOr404(req);
    const kind = req.query.kind;
    if (!isKind(kind)) throw new AppError(400, 'errors:bad_request');
    const t: TFunction = res.locals.t;
    const { _csrf: _token, ...body } = (req.body ?? {}) as Record<string, unknown>;
    const parsed = questionFromForm(kind, body, t);
    if (!parsed.ok) return problemsFragment(res, previewProblems(parsed.errors, t));
    const resolved = previewSurvey(draft.file, parsed.question, kit.catalog.municipality);
    if ('problems' in resolved) return problemsFragment(res, resolved.problems.map((message) => ({ href: '', label: '', message })));
    const survey = resolved.survey;
    const page = buildSectionPage({
      survey,
      sectionIndex: 0,
      evaluation: evaluate(survey, {}),
      values: {},
      errors: [],
      language: res.locals.lang,
      t,
      formatDate: (isoDate) => res.locals.formatDate(`${isoDate}T12:00:00Z`),
    });
    res.render('admin/surveys/editor/question-preview', {
      layout: false,
      problems: [],
      page,
      fieldId,
      ratingRange,
      matrixRowGroups,
      notApplicablePosition,
    });
  });
  return router;
}
