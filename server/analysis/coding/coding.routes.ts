// Back-office screens for coding open answers: the codebook of a survey (themes with their counts
// and quotes) and the coding screen, one answer at a time, driven from the keyboard.
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { actorOf, flash, requirePermission } from '../../admin';
import type { User } from '../../admin';
import type { Municipality } from '../../municipality';
import type { Db } from '../../platform/db/connection';
import { AppError } from '../../platform/http/app-error';
import type { Csrf } from '../../platform/http/csrf';
import { formList, parseForm, text } from '../../platform/http/validate';
import { foldTurkish } from '../../platform/text';
import { allQuestions, surveyOr404, type Survey, type SurveyCatalog } from '../../surveys';
import { ruleSuggestions } from './answer-search';
import * as codingRepository from './coding.repository';
import type { Theme, ThemeInput } from './coding.repository';
import * as codingService from './coding.service';
import { QUOTE_MAX } from './coding.service';
import { SWOT_KINDS } from './coding.table';
import { maskPersonalData } from './personal-data';
import { similarTo } from './groups.service';
import * as segmentRepository from './segment.repository';
import { suggestSegments } from './segments';
import { suggestThemes } from './theme-suggestions';

export interface CodingDeps {
  db: Db;
  catalog: SurveyCatalog;
  csrf: Csrf;
  municipality: Municipality;
  now: () => Date;
}

export const THEME_NAME_MAX = 120;
/** The theme page lists this many of its answers, newest first. */
const ANSWERS_SHOWN = 200;
/** The coding screen shows this many uncoded answers like the current one. */
const SIMILAR_SHOWN = 5;

const Id = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);

function themeForm(areaIds: string[]) {
  return z.object({
    name: text(z, THEME_NAME_MAX)
      .min(1, { error: 'errors:form.required' })
      .transform((name) => name.replace(/\s+/g, ' ')),
    area: z.union([z.literal(''), z.enum(areaIds as [string, ...string[]])], { error: 'errors:form.invalid' }).default(''),
    swot_kind: z.union([z.literal(''), z.enum(SWOT_KINDS)], { error: 'errors:form.invalid' }).default(''),
    keywords: text(z, 500).default(''),
  });
}

const QuoteForm = z.object({ quote: text(z, QUOTE_MAX).min(1, { error: 'errors:form.required' }) });
const ChooseQuoteForm = z.object({ answer: Id });
const CodingForm = z.object({
  themes: z.preprocess(formList, z.array(Id).max(500)),
  /** The "no theme" button: reviewed, nothing fits. */
  none: z.literal('1').optional(),
});

/** Keywords as typed, one per comma, each once (Turkish folding decides what "once" means). */
function keywordList(typed: string): string[] {
  const seen = new Set<string>();
  return codingRepository.parseKeywords(typed).filter((keyword) => {
    const folded = foldTurkish(keyword);
    if (seen.has(folded)) return false;
    seen.add(folded);
    return true;
  });
}

export function codingRouter(deps: CodingDeps): Router {
  const router = Router();
  const { db, catalog, csrf, municipality } = deps;
  const Form = themeForm(municipality.activityAreas.map((a) => a.id));
  const manage = requirePermission('report.manage');

  const findSurvey = (req: Request) => surveyOr404(catalog, req.params.slug);
  const base = (survey: Survey) => `/admin/surveys/${survey.slug}`;
  const userId = (res: Response) => (res.locals.user as User | undefined)?.id ?? null;

  const findTheme = async (req: Request, survey: Survey): Promise<Theme> => {
    const id = Id.safeParse(req.params.themeId);
    const theme = id.success ? await codingRepository.findTheme(db, survey.slug, id.data) : undefined;
    if (!theme) throw new AppError(404, 'errors:not_found');
    return theme;
  };

  const toInput = (data: z.output<typeof Form>): ThemeInput => ({
    name: data.name,
    areaId: data.area || null,
    swotKind: data.swot_kind || null,
    keywords: keywordList(data.keywords),
  });

  const valuesOf = (theme: Theme) => ({ name: theme.name, area: theme.areaId ?? '', swot_kind: theme.swotKind ?? '', keywords: theme.keywords.join(', ') });
  const formValues = (req: Request) => (typeof req.body === 'object' && req.body !== null ? (req.body as Record<string, unknown>) : {});

  const formOptions = (res: Response) => ({
    nameMax: THEME_NAME_MAX,
    areaOptions: [
      { value: '', label: res.locals.t('coding:theme.no_area') },
      ...municipality.activityAreas.map((area) => ({ value: area.id, label: res.locals.localize(area.name).text })),
    ],
    swotOptions: [{ value: '', label: res.locals.t('coding:theme.no_swot') }, ...SWOT_KINDS.map((kind) => ({ value: kind, label: res.locals.t(`coding:swot.${kind}`) }))],
  });

  const areaName = (res: Response, id: string | null) => {
    if (id === null) return '';
    const area = municipality.activityAreas.find((a) => a.id === id);
    return area ? res.locals.localize(area.name).text : id;
  };

  // The codebook.

  const renderCodebook = async (req: Request, res: Response, survey: Survey, status: number, locals: { values: Record<string, unknown>; errors: Record<string, string> }) => {
    const [themes, counts, quotes, progress] = await Promise.all([
      codingRepository.themes(db, survey.slug),
      codingRepository.themeCounts(db, survey.slug),
      codingRepository.quotes(db, survey.slug),
      codingRepository.codingProgress(db, survey.slug),
    ]);
    res.status(status).render('admin/analysis/coding/codebook', {
      pageTitle: res.locals.t('coding:codebook.title', { title: res.locals.localize(survey.title).text }),
      survey,
      themes,
      counts,
      quotes,
      progress,
      areaName: (id: string | null) => areaName(res, id),
      csrfToken: csrf.token(req, res),
      ...formOptions(res),
      ...locals,
    });
  };

  router.get('/admin/surveys/:slug/codebook', manage, async (req, res) => {
    await renderCodebook(req, res, findSurvey(req), 200, { values: {}, errors: {} });
  });

  router.post('/admin/surveys/:slug/codebook', manage, async (req, res) => {
    const survey = findSurvey(req);
    const form = parseForm(Form, req.body);
    if (!form.ok) return renderCodebook(req, res, survey, 422, { values: formValues(req), errors: form.errors });
    const outcome = await codingService.createTheme(db, survey.slug, toInput(form.data), actorOf(req, res), deps.now());
    if (outcome.kind !== 'saved') return renderCodebook(req, res, survey, 422, { values: formValues(req), errors: { name: 'coding:theme.name_taken' } });
    flash(req, { kind: 'success', key: 'coding:theme.created', params: { name: form.data.name } });
    res.redirect(303, `${base(survey)}/codebook`);
  });

  const renderTheme = async (req: Request, res: Response, survey: Survey, theme: Theme, status: number, locals: { values: Record<string, unknown>; quoteValue?: string; errors: Record<string, string> }) => {
    const [quote, answers, counts] = await Promise.all([
      codingRepository.findQuote(db, theme.id),
      codingRepository.answersOfTheme(db, survey.slug, theme.id, ANSWERS_SHOWN),
      codingRepository.themeCounts(db, survey.slug),
    ]);
    res.status(status).render('admin/analysis/coding/theme', {
      pageTitle: res.locals.t('coding:theme.title', { name: theme.name }),
      survey,
      theme,
      quote,
      quoteValue: locals.quoteValue ?? quote?.text ?? '',
      answers,
      count: counts.get(theme.id) ?? 0,
      questionText: (questionId: string) => {
        const question = allQuestions(survey).find((q) => q.id === questionId);
        return question ? res.locals.localize(question.text).text : questionId;
      },
      masked: maskPersonalData,
      quoteMax: QUOTE_MAX,
      csrfToken: csrf.token(req, res),
      ...formOptions(res),
      values: locals.values,
      errors: locals.errors,
    });
  };

  router.get('/admin/surveys/:slug/codebook/:themeId', manage, async (req, res) => {
    const survey = findSurvey(req);
    const theme = await findTheme(req, survey);
    await renderTheme(req, res, survey, theme, 200, { values: valuesOf(theme), errors: {} });
  });

  router.post('/admin/surveys/:slug/codebook/:themeId', manage, async (req, res) => {
    const survey = findSurvey(req);
    const theme = await findTheme(req, survey);
    const form = parseForm(Form, req.body);
    if (!form.ok) return renderTheme(req, res, survey, theme, 422, { values: formValues(req), errors: form.errors });
    const outcome = await codingService.updateTheme(db, survey.slug, theme.id, toInput(form.data), actorOf(req, res), deps.now());
    if (outcome.kind === 'not_found') throw new AppError(404, 'errors:not_found');
    if (outcome.kind === 'name_taken') return renderTheme(req, res, survey, theme, 422, { values: formValues(req), errors: { name: 'coding:theme.name_taken' } });
    flash(req, { kind: 'success', key: 'coding:theme.saved', params: { name: form.data.name } });
    res.redirect(303, `${base(survey)}/codebook/${theme.id}`);
  });

  router.post('/admin/surveys/:slug/codebook/:themeId/delete', manage, async (req, res) => {
    const survey = findSurvey(req);
    const theme = await findTheme(req, survey);
    const outcome = await codingService.deleteTheme(db, survey.slug, theme.id, actorOf(req, res), deps.now());
    if (outcome.kind === 'not_found') throw new AppError(404, 'errors:not_found');
    flash(req, { kind: 'success', key: 'coding:theme.deleted', params: { name: outcome.name } });
    res.redirect(303, `${base(survey)}/codebook`);
  });

  router.post('/admin/surveys/:slug/codebook/:themeId/quote', manage, async (req, res) => {
    const survey = findSurvey(req);
    const theme = await findTheme(req, survey);
    const form = ChooseQuoteForm.safeParse(req.body ?? {});
    if (!form.success) throw new AppError(400, 'errors:bad_request');
    const outcome = await codingService.chooseQuote(db, survey.slug, theme.id, form.data.answer, actorOf(req, res), deps.now());
    if (outcome.kind !== 'saved') throw new AppError(404, 'errors:not_found');
    flash(req, { kind: 'success', key: 'coding:quote.chosen' });
    res.redirect(303, `${base(survey)}/codebook/${theme.id}#quote-heading`);
  });

  router.post('/admin/surveys/:slug/codebook/:themeId/quote/text', manage, async (req, res) => {
    const survey = findSurvey(req);
    const theme = await findTheme(req, survey);
    const form = parseForm(QuoteForm, req.body);
    if (!form.ok) {
      return renderTheme(req, res, survey, theme, 422, { values: valuesOf(theme), quoteValue: String(formValues(req).quote ?? ''), errors: form.errors });
    }
    const outcome = await codingService.editQuote(db, survey.slug, theme.id, form.data.quote, actorOf(req, res), deps.now());
    if (outcome.kind !== 'saved') throw new AppError(404, 'errors:not_found');
    flash(req, { kind: 'success', key: 'coding:quote.saved' });
    res.redirect(303, `${base(survey)}/codebook/${theme.id}#quote-heading`);
  });

  // Coding, one answer at a time.

  const renderCoding = async (req: Request, res: Response, survey: Survey, answerId: number | undefined, status: number, errors: Record<string, string>) => {
    const answer = answerId === undefined ? await codingRepository.nextUncodedAnswer(db, survey.slug) : await codingRepository.findTextAnswer(db, survey.slug, answerId);
    if (answerId !== undefined && !answer) throw new AppError(404, 'errors:not_found');
    const [themes, progress, codes, similar] = await Promise.all([
      codingRepository.themes(db, survey.slug),
      codingRepository.codingProgress(db, survey.slug),
      answer ? codingRepository.codesOf(db, [answer.id]) : Promise.resolve(new Map<number, number[]>()),
      answer ? similarTo(db, survey.slug, answer, SIMILAR_SHOWN) : Promise.resolve([]),
    ]);
    const question = answer ? allQuestions(survey).find((q) => q.id === answer.questionId) : undefined;
    res.status(status).render('admin/analysis/coding/coding', {
      pageTitle: res.locals.t('coding:coding.title', { title: res.locals.localize(survey.title).text }),
      survey,
      answer,
      questionText: question ? res.locals.localize(question.text).text : answer?.questionId,
      coded: answer ? codes.has(answer.id) : false,
      chosen: new Set(answer ? codes.get(answer.id) : []),
      suggested: new Set(answer ? suggestThemes(answer.text, themes) : []),
      ruleSuggestions: answer ? ruleSuggestions(answer.text, themes) : [],
      similar,
      themes,
      progress,
      errors,
      segments: answer ? await segmentRepository.segmentsOf(db, answer.id) : [],
      splitParts: answer ? suggestSegments(answer.text) : [],
      csrfToken: csrf.token(req, res),
      scripts: ['js/coding.js'],
    });
  };

  router.get('/admin/surveys/:slug/coding', manage, async (req, res) => {
    const survey = findSurvey(req);
    let answerId: number | undefined;
    if (req.query.answer !== undefined) {
      const id = Id.safeParse(req.query.answer);
      if (!id.success) throw new AppError(404, 'errors:not_found');
      answerId = id.data;
    }
    await renderCoding(req, res, survey, answerId, 200, {});
  });

  router.post('/admin/surveys/:slug/coding/:answerId', manage, async (req, res) => {
    const survey = findSurvey(req);
    const answerId = Id.safeParse(req.params.answerId);
    if (!answerId.success) throw new AppError(404, 'errors:not_found');
    const form = CodingForm.safeParse(req.body ?? {});
    if (!form.success) throw new AppError(400, 'errors:bad_request');
    const themeIds = form.data.none ? [] : form.data.themes;
    const outcome = await codingService.codeAnswer(db, survey.slug, answerId.data, themeIds, userId(res), deps.now());
    if (outcome.kind === 'answer_not_found') throw new AppError(404, 'errors:not_found');
    // A theme deleted in another tab meanwhile: the planner sees the answer again with today's themes.
    if (outcome.kind === 'unknown_theme') return renderCoding(req, res, survey, answerId.data, 422, { themes: 'coding:coding.unknown_theme' });
    if (outcome.kind === 'answer_split') return renderCoding(req, res, survey, answerId.data, 409, { themes: 'coding:segments.whole_refused' });
    flash(req, { kind: 'success', key: themeIds.length > 0 ? 'coding:coding.saved' : 'coding:coding.saved_without_theme' });
    res.redirect(303, `${base(survey)}/coding`);
  });

  return router;
}
