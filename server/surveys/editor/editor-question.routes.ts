// The question pages of the editor: choose a kind, then fill the question's fields (drawn by
// question-fields.ejs inside this page's form); every save checks the whole draft again.
import { Router, type Request, type Response } from 'express';
import type { TFunction } from 'i18next';
import { requirePermission } from '../../admin';
import { AppError } from '../../platform/http/app-error';
import { rolesForKind } from '../survey-catalog';
import { QUESTION_KINDS, SHARED_LISTS, type QuestionFile, type QuestionKind } from '../survey-definition';
import { earlierQuestions } from './condition-sources';
import * as edits from './draft-edits';
import { blankFormValues, fieldOfPath, formValuesOf, questionFromForm, starterFormValues, type FieldErrors, type FormValues } from './question-form';
import { answeredQuestionIds, validateDraft, type Draft } from './survey-editor.service';
import { problemsAt } from './editor-forms';
import type { EditorRouteKit } from './survey-editor.routes';

const isKind = (value: unknown): value is QuestionKind => typeof value === 'string' && (QUESTION_KINDS as readonly string[]).includes(value);

/** The posted fields for the question form: everything but the form token. */
const questionBody = (req: Request): Record<string, unknown> => {
  const { _csrf: _token, ...body } = (req.body ?? {}) as Record<string, unknown>;
  return body;
};

export function editorQuestionRoutes(kit: EditorRouteKit): Router {
  const router = Router();
  const { db, catalog, csrf } = kit;
  const manage = requirePermission('surveys.manage');
  const t = (res: Response): TFunction => res.locals.t;
  const editUrl = (slug: string) => `/admin/surveys/${slug}/edit`;

  interface QuestionPage {
    draft: Draft;
    kind: QuestionKind;
    sectionId: string;
    /** The question being changed; undefined for a new one. */
    question?: QuestionFile;
    values: FormValues;
    errors: FieldErrors;
    status: number;
  }
  const renderQuestion = async (req: Request, res: Response, page: QuestionPage) => {
    const checked = validateDraft(page.draft.file, catalog);
    if (!checked.ok) throw new AppError(500, 'errors:server');
    const slug = page.draft.file.slug;
    const locked = page.question ? (await answeredQuestionIds(db, slug)).has(page.question.id) : false;
    res.status(page.status).render('admin/surveys/editor/question', {
      pageTitle: `${page.question ? `${page.question.id} — ` : ''}${t(res)(page.question ? 'admin:editor.pages.question_title' : 'admin:editor.pages.new_question_title', { kind: t(res)(`admin:editor.pages.kinds.${page.kind}`) })} — ${slug}`,
      slug,
      kind: page.kind,
      question: page.question,
      action: page.question ? `${editUrl(slug)}/questions/${page.question.id}` : `${editUrl(slug)}/sections/${page.sectionId}/questions/new?kind=${page.kind}`,
      values: page.values,
      errors: page.errors,
      roles: rolesForKind(page.kind),
      earlierQuestions: earlierQuestions(checked.survey, page.question?.id, page.sectionId, t(res), res.locals.lang),
      lists: SHARED_LISTS,
      locked,
      csrfToken: csrf.token(req, res),
      scripts: ['js/question-preview.js'],
    });
  };

  const sectionOf = (draft: Draft, req: Request) => {
    const section = draft.file.sections.find((s) => s.id === req.params.sectionId);
    if (!section) throw new AppError(404, 'errors:not_found');
    return section;
  };
  const questionOf = (draft: Draft, req: Request) => {
    for (const section of draft.file.sections) {
      const question = section.questions.find((q) => q.id === req.params.questionId);
      if (question) return { section, question };
    }
    throw new AppError(404, 'errors:not_found');
  };

  /** Saves a question from the form into the draft, or draws the page again with the errors at their fields. */
  const saveQuestion = async (req: Request, res: Response, draft: Draft, kind: QuestionKind, sectionId: string, existing?: QuestionFile) => {
    const parsed = questionFromForm(kind, questionBody(req), t(res));
    if (!parsed.ok) return renderQuestion(req, res, { draft, kind, sectionId, question: existing, values: parsed.values, errors: parsed.errors, status: 422 });
    const candidate = existing
      ? kit.apply(() => edits.replaceQuestion(draft.file, existing.id, parsed.question))
      : kit.apply(() => edits.addQuestion(draft.file, sectionId, parsed.question));
    const slug = draft.file.slug;
    const outcome = await kit.save(req, res, slug, candidate, existing ? 'question.changed' : 'question.added', parsed.question.id);
    if (outcome.kind === 'saved') return kit.backToOverview(req, res, slug, outcome, `#question-${parsed.question.id}`);
    const values = formValuesOf(parsed.question);
    Object.assign(values, Object.fromEntries(Object.entries(questionBody(req)).map(([k, v]) => [k, Array.isArray(v) ? String(v[0] ?? '') : String(v)])));
    let errors: FieldErrors;
    if (outcome.kind === 'locked') errors = { _form: outcome.reasons.join(' ') };
    else {
      // Where the question sits in the candidate, so the rules' paths inside it map to its fields.
      const s = candidate.sections.findIndex((section) => section.questions.some((q) => q === parsed.question));
      const q = candidate.sections[s]?.questions.indexOf(parsed.question) ?? -1;
      errors = problemsAt(outcome.problems, ['sections', s, 'questions', q], (rest) => fieldOfPath(rest), t(res));
    }
    return renderQuestion(req, res, { draft, kind, sectionId, question: existing, values, errors, status: 422 });
  };

  router.get('/admin/surveys/:slug/edit/sections/:sectionId/questions/new', manage, async (req, res) => {
    const draft = await kit.draftOr404(req);
    const section = sectionOf(draft, req);
    const kind = req.query.kind;
    if (!isKind(kind)) {
      return res.render('admin/surveys/editor/question-kind', {
        pageTitle: t(res)('admin:editor.pages.choose_kind_title'),
        slug: draft.file.slug,
        sectionId: section.id,
        kinds: QUESTION_KINDS,
      });
    }
    const values = { ...blankFormValues(kind), ...starterFormValues(kind) };
    values.id = freeQuestionId(draft);
    await renderQuestion(req, res, { draft, kind, sectionId: section.id, values, errors: {}, status: 200 });
  });
  router.post('/admin/surveys/:slug/edit/sections/:sectionId/questions/new', manage, async (req, res) => {
    const draft = await kit.draftOr404(req);
    const section = sectionOf(draft, req);
    const kind = req.query.kind;
    if (!isKind(kind)) throw new AppError(400, 'errors:bad_request');
    await saveQuestion(req, res, draft, kind, section.id);
  });
  router.get('/admin/surveys/:slug/edit/questions/:questionId', manage, async (req, res) => {
    const draft = await kit.draftOr404(req);
    const { section, question } = questionOf(draft, req);
    await renderQuestion(req, res, { draft, kind: question.kind, sectionId: section.id, question, values: formValuesOf(question), errors: {}, status: 200 });
  });
  router.post('/admin/surveys/:slug/edit/questions/:questionId', manage, async (req, res) => {
    const draft = await kit.draftOr404(req);
    const { section, question } = questionOf(draft, req);
    await saveQuestion(req, res, draft, question.kind, section.id, question);
  });
  return router;
}

function freeQuestionId(draft: Draft): string {
  const used = new Set(draft.file.sections.flatMap((section) => section.questions.map((q) => q.id)));
  let n = used.size + 1;
  while (used.has(`soru_${n}`)) n++;
  return `soru_${n}`;
}
