// A survey's results under a filter: every question summarised, plus cross-tabs on request.
import type { Executor } from '../platform/db/connection';
import { allQuestions, type Question, type Survey } from '../surveys/survey-definition';
import { crossTabulate, isBreakable, isGrouping, type CrossTab } from './cross-tab';
import * as resultsRepository from './results.repository';
import type { ResultFilter } from './results.repository';
import { summarize, type QuestionResult } from './survey-results';

export interface SurveyResults {
  /** Responses that count under the filter. */
  n: number;
  results: QuestionResult[];
}

export async function surveyResults(db: Executor, survey: Survey, filter: ResultFilter): Promise<SurveyResults> {
  const questions = allQuestions(survey);
  const [n, respondents, counts, dates] = await Promise.all([
    resultsRepository.countResponses(db, survey.slug, filter),
    resultsRepository.respondentsPerQuestion(db, survey.slug, filter),
    resultsRepository.answerCounts(db, survey.slug, filter),
    resultsRepository.dateCounts(db, survey.slug, filter, questions.filter((q) => q.kind === 'date').map((q) => q.id)),
  ]);
  return {
    n,
    results: questions.map((question) =>
      summarize(question, counts, respondents.get(question.id) ?? 0, dates.filter((d) => d.questionId === question.id)),
    ),
  };
}

/** A breakdown target: a question, or one row of a likert matrix ("question.row"). */
export function findBreakdownTarget(survey: Survey, spec: string): { question: Question; rowId?: string } | undefined {
  const [questionId, rowId] = spec.split('.');
  const question = allQuestions(survey).find((q) => q.id === questionId);
  if (!question || !isBreakable(question)) return undefined;
  if (question.kind === 'likert_matrix') return question.rows.some((r) => r.id === rowId) ? { question, rowId } : undefined;
  return rowId === undefined ? { question } : undefined;
}

export async function crossTab(db: Executor, survey: Survey, filter: ResultFilter, byQuestionId: string, targetSpec: string): Promise<CrossTab | undefined> {
  const by = allQuestions(survey).find((q) => q.id === byQuestionId);
  const target = findBreakdownTarget(survey, targetSpec);
  if (!by || !isGrouping(by) || !target || target.question.id === by.id || !isBreakable(target.question)) return undefined;
  const { counts, respondents } = await resultsRepository.crossCounts(db, survey.slug, filter, by.id, { id: target.question.id, rowId: target.rowId });
  return crossTabulate(by, target.question, counts, respondents);
}
