// Back-office screens for themes proposed from the answers: a planner starts a proposal for a
// question, watches its progress, then names a group (a theme with its answers coded), splits it
// or sets it aside.
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { actorOf, flash, requirePermission } from '../../admin';
import type { Municipality } from '../../municipality';
import type { Db } from '../../platform/db/connection';
import { AppError } from '../../platform/http/app-error';
import type { Csrf } from '../../platform/http/csrf';
import { parseForm, text } from '../../platform/http/validate';
import { allQuestions, surveyOr404, type Survey, type SurveyCatalog } from '../../surveys';
import { THEME_NAME_MAX } from './coding.routes';
import { createGroupJobs, type GroupJob, type GroupJobs } from './groups.jobs';
import * as groupsRepository from './groups.repository';
import * as groupsService from './groups.service';

export interface CodingGroupsDeps {
  db: Db;
  catalog: SurveyCatalog;
  csrf: Csrf;
  municipality: Municipality;
  now: () => Date;
  /** Given by tests that look into the proposals; one store per app otherwise. */
  jobs?: GroupJobs;
}

/** While a proposal runs, the page reloads itself this often (no JavaScript needed). */
const REFRESH_SECONDS = 2;

const GroupKey = z.string().regex(/^\d{1,3}(\.\d{1,2}){0,4}$/);
const ProposalForm = z.object({ question: z.string().max(200), proposal: z.coerce.number().int().positive() });

function nameForm(areaIds: string[]) {
  return ProposalForm.extend({
    name: text(z, THEME_NAME_MAX)
      .min(1, { error: 'errors:form.required' })
      .transform((name) => name.replace(/\s+/g, ' ')),
    area: z.union([z.literal(''), z.enum(areaIds as [string, ...string[]])], { error: 'errors:form.invalid' }).default(''),
  });
}

export function codingGroupsRouter(deps: CodingGroupsDeps): Router {
  const router = Router();
  const { db, catalog, csrf, municipality } = deps;
  const jobs = deps.jobs ?? createGroupJobs({ warn: (message, error) => console.error(message, error) });
  const manage = requirePermission('report.manage');
  const NameForm = nameForm(municipality.activityAreas.map((a) => a.id));

  const textQuestions = (survey: Survey) => allQuestions(survey).filter((q) => q.kind === 'long_text');
  const pageUrl = (survey: Survey, questionId: string) => `/admin/surveys/${survey.slug}/coding/groups?question=${encodeURIComponent(questionId)}`;

  /** The question a form or link names; a question that is not an open one of the survey is refused. */
  const questionOf = (survey: Survey, id: unknown, status: number): string => {
    const found = textQuestions(survey).find((q) => q.id === id);
    if (!found) throw new AppError(status, status === 404 ? 'errors:not_found' : 'errors:bad_request');
    return found.id;
  };

  /** The proposal a group form was made from; a form of an older or missing proposal changes nothing. */
  const jobOf = (survey: Survey, questionId: string, proposalId: number): GroupJob => {
    const job = jobs.find(survey.slug, questionId);
    if (!job || job.id !== proposalId || job.state !== 'done') throw new AppError(409, 'coding:groups.stale');
    return job;
  };

  const groupOf = (req: Request, job: GroupJob) => {
    const key = GroupKey.safeParse(req.params.key);
    const group = key.success ? job.groups.find((g) => g.key === key.data) : undefined;
    if (!group) throw new AppError(404, 'errors:not_found');
    return group;
  };

  const render = (req: Request, res: Response, survey: Survey, questionId: string, status: number, form: { key?: string; values?: Record<string, unknown>; errors?: Record<string, string> } = {}) => {
    const job = jobs.find(survey.slug, questionId);
    const question = textQuestions(survey).find((q) => q.id === questionId)!;
    res.status(status).render('admin/analysis/coding/groups', {
      pageTitle: res.locals.t('coding:groups.title', { title: res.locals.localize(survey.title).text }),
      survey,
      questions: textQuestions(survey).map((q) => ({ id: q.id, text: res.locals.localize(q.text).text, url: pageUrl(survey, q.id) })),
      questionId,
      questionText: res.locals.localize(question.text).text,
      job,
      ungrouped: job?.proposal?.ungroupedIds.length ?? 0,
      refreshSeconds: job?.state === 'running' ? REFRESH_SECONDS : undefined,
      pageUrl: pageUrl(survey, questionId),
      areaOptions: [{ value: '', label: res.locals.t('coding:theme.no_area') }, ...municipality.activityAreas.map((area) => ({ value: area.id, label: res.locals.localize(area.name).text }))],
      nameMax: THEME_NAME_MAX,
      formKey: form.key,
      values: form.values ?? {},
      errors: form.errors ?? {},
      csrfToken: csrf.token(req, res),
    });
  };

  router.get('/admin/surveys/:slug/coding/groups', manage, (req, res) => {
    const survey = surveyOr404(catalog, req.params.slug);
    const first = textQuestions(survey)[0];
    if (!first) throw new AppError(404, 'errors:not_found');
    render(req, res, survey, req.query.question === undefined ? first.id : questionOf(survey, req.query.question, 404), 200);
  });

  router.post('/admin/surveys/:slug/coding/groups/propose', manage, (req, res) => {
    const survey = surveyOr404(catalog, req.params.slug);
    const questionId = questionOf(survey, (req.body as Record<string, unknown> | undefined)?.question, 400);
    jobs.start(survey.slug, questionId, () => groupsRepository.uncodedAnswers(db, survey.slug, questionId));
    res.redirect(303, pageUrl(survey, questionId));
  });

  router.post('/admin/surveys/:slug/coding/groups/:key/theme', manage, async (req, res) => {
    const survey = surveyOr404(catalog, req.params.slug);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const questionId = questionOf(survey, body.question, 400);
    const proposal = ProposalForm.safeParse(body);
    if (!proposal.success) throw new AppError(400, 'errors:bad_request');
    const job = jobOf(survey, questionId, proposal.data.proposal);
    const group = groupOf(req, job);
    const form = parseForm(NameForm, body);
    if (!form.ok) return render(req, res, survey, questionId, 422, { key: group.key, values: body, errors: form.errors });
    const outcome = await groupsService.themeFromGroup(
      db,
      survey.slug,
      questionId,
      { name: form.data.name, areaId: form.data.area || null, swotKind: null, keywords: [] },
      group.memberIds,
      actorOf(req, res),
      deps.now(),
    );
    if (outcome.kind === 'name_taken') return render(req, res, survey, questionId, 422, { key: group.key, values: body, errors: { name: 'coding:theme.name_taken' } });
    if (outcome.kind === 'nothing_to_code') throw new AppError(409, 'coding:groups.nothing_to_code');
    jobs.remove(job, group.key, 'named');
    flash(req, { kind: 'success', key: 'coding:groups.named', params: { name: form.data.name, count: outcome.coded } });
    res.redirect(303, pageUrl(survey, questionId));
  });

  for (const action of ['split', 'ignore'] as const) {
    router.post(`/admin/surveys/:slug/coding/groups/:key/${action}`, manage, (req, res) => {
      const survey = surveyOr404(catalog, req.params.slug);
      const body = (req.body ?? {}) as Record<string, unknown>;
      const questionId = questionOf(survey, body.question, 400);
      const proposal = ProposalForm.safeParse(body);
      if (!proposal.success) throw new AppError(400, 'errors:bad_request');
      const job = jobOf(survey, questionId, proposal.data.proposal);
      const group = groupOf(req, job);
      if (action === 'ignore') {
        jobs.remove(job, group.key, 'ignored');
        flash(req, { kind: 'success', key: 'coding:groups.ignored' });
      } else if (jobs.split(job, group.key)) {
        flash(req, { kind: 'success', key: 'coding:groups.split' });
      } else {
        throw new AppError(422, 'coding:groups.cannot_split');
      }
      res.redirect(303, `${pageUrl(survey, questionId)}#group-${group.key.split('.')[0]}`);
    });
  }

  return router;
}
