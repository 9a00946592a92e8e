// Search and apply: a question's open answers found with a Turkish-aware query, themes applied
// to the ones the planner keeps ticked, bulk changes undone as a whole, a search kept as a theme's rule.
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { actorOf, flash, requirePermission } from '../../admin';
import { AppError } from '../../platform/http/app-error';
import { formList, text } from '../../platform/http/validate';
import { allQuestions, surveyOr404, type Survey } from '../../surveys';
import { QUERY_MAX } from './answer-search';
import * as batchRepository from './coding-batch.repository';
import * as batchService from './coding-batch.service';
import { SHOWN_MAX, THEMES_MAX } from './coding-batch.service';
import * as codingRepository from './coding.repository';
import type { CodingDeps } from './coding.routes';

/** Bulk operations listed under the search, newest first. */
const BATCHES_SHOWN = 10;

const Id = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const Scope = z.enum(['uncoded', 'all']);
// The query is not limited here: parseQuery refuses long ones with its own message.
const SearchParams = z.object({ q: z.string().max(QUERY_MAX * 4).default(''), question: z.string().max(200).optional(), scope: Scope.default('uncoded') });
const ApplyForm = z.object({
  q: text(z, QUERY_MAX * 4).default(''),
  question: z.string().max(200),
  scope: Scope.default('uncoded'),
  answers: z.preprocess(formList, z.array(Id).max(SHOWN_MAX)),
  themes: z.preprocess(formList, z.array(Id).max(THEMES_MAX)),
});
const RuleForm = z.object({ q: text(z, QUERY_MAX * 4).default(''), theme: Id, question: z.string().max(200).optional(), scope: Scope.default('uncoded'), clear: z.literal('1').optional() });

export function codingSearchRouter(deps: Pick<CodingDeps, 'db' | 'catalog' | 'csrf' | 'now'>): Router {
  const router = Router();
  const { db, catalog, csrf } = deps;
  const manage = requirePermission('report.manage');

  const textQuestions = (survey: Survey) => allQuestions(survey).filter((q) => q.kind === 'long_text');
  const searchUrl = (survey: Survey, params: { q?: string; question?: string; scope?: string }) => {
    const query = new URLSearchParams();
    if (params.question) query.set('question', params.question);
    if (params.scope) query.set('scope', params.scope);
    if (params.q) query.set('q', params.q);
    return `/admin/surveys/${survey.slug}/coding/search?${query.toString()}`;
  };
  /** The asked question, or the survey's first open one; an unknown id is a 404 (a stale link). */
  const questionOf = (survey: Survey, id: string | undefined) => {
    const questions = textQuestions(survey);
    const question = id === undefined || id === '' ? questions[0] : questions.find((q) => q.id === id);
    if (!question) throw new AppError(404, 'errors:not_found');
    return question;
  };

  const render = async (
    req: Request,
    res: Response,
    survey: Survey,
    params: { q: string; questionId: string; scope: 'uncoded' | 'all' },
    status: number,
    errors: Record<string, string>,
    state: { ticked?: Set<number>; chosenThemes?: Set<number> } = {},
  ) => {
    const [themes, batches] = await Promise.all([codingRepository.themes(db, survey.slug), batchRepository.recentBatches(db, survey.slug, BATCHES_SHOWN)]);
    let outcome: batchService.SearchOutcome | undefined;
    if (params.q.trim() !== '') {
      outcome = await batchService.search(db, survey.slug, params.questionId, params.scope, params.q);
      if (outcome.kind === 'bad_query') {
        errors = { q: `coding_search:query_errors.${outcome.error}`, ...errors };
        if (status === 200) status = 422;
      }
    }
    res.status(status).render('admin/analysis/coding/search', {
      pageTitle: res.locals.t('coding_search:title', { title: res.locals.localize(survey.title).text }),
      survey,
      questions: textQuestions(survey).map((q) => ({ id: q.id, text: res.locals.localize(q.text).text })),
      params,
      found: outcome?.kind === 'found' ? outcome : undefined,
      shownMax: SHOWN_MAX,
      themes,
      batches,
      questionText: (id: string) => {
        const question = allQuestions(survey).find((q) => q.id === id);
        return question ? res.locals.localize(question.text).text : id;
      },
      ticked: state.ticked,
      chosenThemes: state.chosenThemes ?? new Set<number>(),
      errors,
      csrfToken: csrf.token(req, res),
      // Matches previewed as the planner types; the form works the same without it.
      scripts: ['js/coding-search.js'],
    });
  };

  router.get('/admin/surveys/:slug/coding/search', manage, async (req, res) => {
    const survey = surveyOr404(catalog, req.params.slug);
    const params = SearchParams.safeParse(req.query);
    if (!params.success) throw new AppError(400, 'errors:bad_request');
    const question = questionOf(survey, params.data.question);
    await render(req, res, survey, { q: params.data.q, questionId: question.id, scope: params.data.scope }, 200, {});
  });

  router.post('/admin/surveys/:slug/coding/search/apply', manage, async (req, res) => {
    const survey = surveyOr404(catalog, req.params.slug);
    const form = ApplyForm.safeParse(req.body ?? {});
    if (!form.success) throw new AppError(400, 'errors:bad_request');
    const question = questionOf(survey, form.data.question);
    const params = { q: form.data.q, questionId: question.id, scope: form.data.scope };
    const outcome = await batchService.applyThemes(
      db,
      { surveySlug: survey.slug, questionId: question.id, query: form.data.q, answerIds: form.data.answers, themeIds: form.data.themes },
      actorOf(req, res),
      deps.now(),
    );
    if (outcome.kind !== 'applied') {
      const field = outcome.kind === 'no_answers' || outcome.kind === 'unknown_answer' ? 'answers' : 'themes';
      return render(req, res, survey, params, 422, { [field]: `coding_search:apply_errors.${outcome.kind}` }, {
        ticked: new Set(form.data.answers),
        chosenThemes: new Set(form.data.themes),
      });
    }
    flash(req, { kind: 'success', key: 'coding_search:applied', params: { count: outcome.count } });
    res.redirect(303, searchUrl(survey, { q: form.data.q, question: question.id, scope: form.data.scope }));
  });

  router.post('/admin/surveys/:slug/coding/batches/:batchId/undo', manage, async (req, res) => {
    const survey = surveyOr404(catalog, req.params.slug);
    const batchId = Id.safeParse(req.params.batchId);
    if (!batchId.success) throw new AppError(404, 'errors:not_found');
    const outcome = await batchService.undoBatch(db, survey.slug, batchId.data, actorOf(req, res), deps.now());
    if (outcome.kind === 'not_found') throw new AppError(404, 'errors:not_found');
    if (outcome.kind !== 'undone') throw new AppError(409, `coding_search:undo_errors.${outcome.kind}`);
    flash(req, { kind: 'success', key: 'coding_search:undone', params: { count: outcome.count } });
    res.redirect(303, `/admin/surveys/${survey.slug}/coding/search#batches-heading`);
  });

  router.post('/admin/surveys/:slug/coding/search/rule', manage, async (req, res) => {
    const survey = surveyOr404(catalog, req.params.slug);
    const form = RuleForm.safeParse(req.body ?? {});
    if (!form.success) throw new AppError(400, 'errors:bad_request');
    const question = questionOf(survey, form.data.question);
    const rule = form.data.clear ? '' : form.data.q;
    const outcome = await batchService.setRule(db, survey.slug, form.data.theme, rule, actorOf(req, res), deps.now());
    if (outcome.kind === 'not_found') throw new AppError(404, 'errors:not_found');
    if (outcome.kind === 'bad_query') return render(req, res, survey, { q: form.data.q, questionId: question.id, scope: form.data.scope }, 422, {});
    flash(req, { kind: 'success', key: rule === '' ? 'coding_search:rule_cleared' : 'coding_search:rule_saved', params: { name: outcome.name } });
    res.redirect(303, searchUrl(survey, { q: form.data.q, question: question.id, scope: form.data.scope }));
  });

  return router;
}
