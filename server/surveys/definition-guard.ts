// Refuses start-up when a survey file was changed so that ids used by stored answers disappear:
// those answers would become unreadable. A survey changes by getting a new slug instead.
import type { Db } from '../platform/db/connection';
import { ruleProblem, type Problem, type ProblemText } from './definition-problems';
import * as responseRepository from './response.repository';
import * as surveyDefinitionRepository from './survey-definition.repository';
import type { SurveyCatalog } from './survey-registry';
import { allQuestions, assertNever, conditionValues, OTHER_OPTION_ID, type Question, type Survey } from './survey-definition';
import { ratingRange } from './survey-answers';

export interface RemovedUsage {
  questionId: string;
  optionId?: string;
  value?: number;
  notApplicable?: true;
  /** Stored ranks above this number. */
  rankAbove?: number;
  /** What disappeared, for the message. */
  what: string;
}

type StoredSurvey = Pick<Survey, 'slug' | 'sections'>;

/** Option-like ids of a question: choice options, likert rows, ranking items. */
function optionIds(question: Question): string[] {
  switch (question.kind) {
    case 'likert_matrix':
      return question.rows.map((row) => row.id);
    case 'ranking':
      return [...question.items.map((item) => item.id), ...(question.other ? [OTHER_OPTION_ID] : [])];
    // A number's band is worked out from its value when read, never stored: bands may change freely.
    case 'number':
      return [];
    default:
      return conditionValues(question) ?? [];
  }
}

function storedValues(question: Question): number[] {
  switch (question.kind) {
    case 'likert_matrix':
      return question.scale.map((point) => point.value);
    case 'rating': {
      const { min, max } = ratingRange(question);
      return Array.from({ length: max - min + 1 }, (_, i) => min + i);
    }
    // Numbers are free values, not codes: a changed min or max does not make them unreadable.
    case 'number':
    case 'single_choice':
    case 'multiple_choice':
    case 'ranking':
    case 'short_text':
    case 'long_text':
    case 'date':
    case 'select':
      return [];
    default:
      return assertNever(question);
  }
}

/** Everything the older definition could have stored that the current one no longer knows. */
export function removedUsages(older: StoredSurvey, current: StoredSurvey): RemovedUsage[] {
  const currentById = new Map(allQuestions(current).map((q) => [q.id, q]));
  const removed: RemovedUsage[] = [];
  for (const old of allQuestions(older)) {
    const now = currentById.get(old.id);
    if (!now || now.kind !== old.kind) {
      removed.push({ questionId: old.id, what: now ? `question "${old.id}" changed kind from ${old.kind} to ${now.kind}` : `question "${old.id}"` });
      continue;
    }
    const kept = new Set(optionIds(now));
    for (const id of optionIds(old)) {
      if (!kept.has(id)) removed.push({ questionId: old.id, optionId: id, what: `option "${id}" of question "${old.id}"` });
    }
    const keptValues = new Set(storedValues(now));
    for (const value of storedValues(old)) {
      if (!keptValues.has(value)) removed.push({ questionId: old.id, value, what: `value ${value} of question "${old.id}"` });
    }
    if (old.kind === 'likert_matrix' && now.kind === 'likert_matrix' && old.notApplicable && !now.notApplicable) {
      removed.push({ questionId: old.id, notApplicable: true, what: `the "don't know" answer of question "${old.id}"` });
    }
    if (old.kind === 'ranking' && now.kind === 'ranking' && now.rankCount < old.rankCount) {
      removed.push({ questionId: old.id, rankAbove: now.rankCount, what: `ranks above ${now.rankCount} of question "${old.id}"` });
    }
  }
  return removed;
}

/** What disappeared, as a text of the planner's language (the editor's words for it). */
export function usageText(usage: RemovedUsage): ProblemText {
  const question = usage.questionId;
  if (usage.optionId !== undefined) return { key: 'admin:editor.messages.usage_option', params: { option: usage.optionId, question } };
  if (usage.value !== undefined) return { key: 'admin:editor.messages.usage_value', params: { value: usage.value, question } };
  if (usage.notApplicable) return { key: 'admin:editor.messages.usage_not_applicable', params: { question } };
  if (usage.rankAbove !== undefined) return { key: 'admin:editor.messages.usage_ranks', params: { rank: usage.rankAbove, question } };
  return { key: 'admin:editor.messages.usage_question', params: { question } };
}

/** Every stored answer the catalog could no longer read, one problem each; empty when there is none. */
export async function findUnreadableProblems(db: Db, catalog: Pick<SurveyCatalog, 'find'>): Promise<Problem[]> {
  const problems = new Map<string, Problem>();
  const add = (problem: Problem) => problems.set(problem.message, problem);
  for (const slug of await responseRepository.slugsWithResponses(db)) {
    if (!catalog.find(slug)) {
      const count = await responseRepository.countComplete(db, slug);
      add(ruleProblem('$', 'answers_survey_missing', { slug, count }));
    }
  }
  for (const stored of await surveyDefinitionRepository.definitionsInUse(db)) {
    const current = catalog.find(stored.slug);
    if (!current || current.hash === stored.hash) continue;
    const older = JSON.parse(stored.definition) as StoredSurvey;
    for (const usage of removedUsages(older, current)) {
      const count = await responseRepository.countAnswersUsing(db, stored.slug, usage);
      if (count > 0) add(ruleProblem('$', 'answers_removed', { slug: stored.slug, count, what: usage.what, usage: usageText(usage) }));
    }
  }
  return [...problems.values()];
}

/** The same problems in English, one line each, for the start-up error. */
export async function findUnreadableAnswers(db: Db, catalog: Pick<SurveyCatalog, 'find'>): Promise<string[]> {
  return (await findUnreadableProblems(db, catalog)).map((problem) => problem.message);
}
