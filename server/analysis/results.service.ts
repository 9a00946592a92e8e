// A survey's results under a filter: every question summarised, plus cross-tabs on request.
import type { Executor } from '../platform/db/connection';
import { allQuestions, answerTallyRepository, OTHER_OPTION_ID, type Question, type Survey } from '../surveys';
import { crossLabels, crossTable, resultTable, withUnanswered, type ResultTable, type TableWords } from './result-tables';
import { SUPPRESSION_THRESHOLD } from './suppression';
import { countsByBand, crossTabulate, isGrouping, type CrossTab } from './cross-tab';
import * as resultsRepository from './results.repository';
import type { ResultFilter } from './results.repository';
import { summarize, unanswered, type QuestionResult, type Unanswered } from './survey-results';

export interface SurveyResults {
  /** Responses that count under the filter. */
  n: number;
  results: QuestionResult[];
  /** Per question: the counted responses that left it blank. */
  unanswered: Map<string, Unanswered>;
}

export async function surveyResults(db: Executor, survey: Survey, filter: ResultFilter): Promise<SurveyResults> {
  const questions = allQuestions(survey);
  // Unfiltered, the running counts give the same numbers without grouping every answer row.
  const whole = !isBreakdown(filter);
  const [n, respondents, counts, dates] = await Promise.all([
    resultsRepository.countResponses(db, survey.slug, filter),
    whole ? answerTallyRepository.respondents(db, survey.slug) : resultsRepository.respondentsPerQuestion(db, survey.slug, filter),
    whole ? answerTallyRepository.tallies(db, survey.slug) : resultsRepository.answerCounts(db, survey.slug, filter),
    resultsRepository.dateCounts(db, survey.slug, filter, questions.filter((q) => q.kind === 'date').map((q) => q.id)),
  ]);
  return {
    n,
    results: questions.map((question) =>
      summarize(question, counts, respondents.get(question.id) ?? 0, dates.filter((d) => d.questionId === question.id)),
    ),
    unanswered: new Map(questions.map((question) => [question.id, unanswered(survey, question.id, n, respondents.get(question.id) ?? 0)])),
  };
}

/** A breakdown target: any question, or one row of a likert matrix ("question.row"). */
export function findBreakdownTarget(survey: Survey, spec: string): { question: Question; rowId?: string } | undefined {
  const [questionId, rowId, ...rest] = spec.split('.');
  const question = allQuestions(survey).find((q) => q.id === questionId);
  if (!question || rest.length > 0) return undefined;
  if (question.kind === 'likert_matrix') return question.rows.some((r) => r.id === rowId) ? { question, rowId } : undefined;
  return rowId === undefined ? { question } : undefined;
}

/** Everything a cross-tab can break down, as the choices of the page's form. */
export function breakdownTargets(survey: Survey, text: (question: Question, rowId?: string) => string): { value: string; label: string }[] {
  return allQuestions(survey).flatMap((q) =>
    q.kind === 'likert_matrix' ? q.rows.map((row) => ({ value: `${q.id}.${row.id}`, label: text(q, row.id) })) : [{ value: q.id, label: text(q) }],
  );
}

export async function crossTab(db: Executor, survey: Survey, filter: ResultFilter, byQuestionId: string, targetSpec: string): Promise<CrossTab | undefined> {
  const by = allQuestions(survey).find((q) => q.id === byQuestionId);
  const target = findBreakdownTarget(survey, targetSpec);
  if (!by || !isGrouping(by) || !target || target.question.id === by.id) return undefined;
  const answered = { id: target.question.id, rowId: target.rowId };
  if (by.kind === 'number') {
    const byValue = await resultsRepository.crossCounts(db, survey.slug, filter, by.id, answered, 'value');
    const { counts, respondents } = countsByBand(by.bands, byValue.counts, byValue.respondents);
    return crossTabulate(by, target.question, counts, respondents);
  }
  const { counts, respondents } = await resultsRepository.crossCounts(db, survey.slug, filter, by.id, answered);
  return crossTabulate(by, target.question, counts, respondents);
}

/** A filter narrows the results to a group: then small counts must be hidden (KVKK). */
export function isBreakdown(filter: ResultFilter): boolean {
  return Boolean(filter.from || filter.to || filter.channel || filter.accessCode || filter.answers.length > 0);
}

export interface ResultsPage {
  n: number;
  /** Small counts are hidden. */
  suppress: boolean;
  /** A breakdown of fewer than five responses: nothing is shown but that. */
  tooFew: boolean;
  tables: ResultTable[];
  /** "Other (please specify)" texts per question, where their count is not hidden. */
  otherTexts: Map<string, string[]>;
  cross?: ResultTable;
  breakdownTargets: { value: string; label: string }[];
}

const OTHER_TEXTS_SHOWN = 20;

export async function resultsPage(
  db: Executor,
  survey: Survey,
  filter: ResultFilter,
  crossSpec: { by?: string; target?: string },
  words: TableWords,
): Promise<ResultsPage> {
  const { n, results, unanswered: blanks } = await surveyResults(db, survey, filter);
  const suppress = isBreakdown(filter);
  const tooFew = suppress && n < SUPPRESSION_THRESHOLD;
  const tables = tooFew ? [] : results.map((result) => withUnanswered(resultTable(result, words, suppress), blanks.get(result.question.id), words, suppress));
  const otherTexts = new Map<string, string[]>();
  for (const result of tooFew ? [] : results) {
    if ((result.kind !== 'choice' && result.kind !== 'ranking') || !('other' in result.question) || !result.question.other) continue;
    const others = result.kind === 'choice' ? result.options.find((o) => o.id === OTHER_OPTION_ID)!.count : result.items.find((i) => i.id === OTHER_OPTION_ID)!.chosen;
    // The list's length is the count: it is shown only where the count itself may be.
    if (others === 0 || (suppress && others < SUPPRESSION_THRESHOLD)) continue;
    const texts = await resultsRepository.texts(db, survey.slug, filter, result.question.id, { optionId: OTHER_OPTION_ID, limit: OTHER_TEXTS_SHOWN });
    otherTexts.set(result.question.id, texts.map((t) => t.text));
  }
  let cross: ResultTable | undefined;
  if (!tooFew && crossSpec.by && crossSpec.target) {
    const tab = await crossTab(db, survey, filter, crossSpec.by, crossSpec.target);
    const by = allQuestions(survey).find((q) => q.id === crossSpec.by);
    const target = findBreakdownTarget(survey, crossSpec.target);
    if (tab && by && target) {
      cross = crossTable(tab, crossLabels(by, target.question, words), words);
      const row = target.rowId && target.question.kind === 'likert_matrix' ? target.question.rows.find((r) => r.id === target.rowId) : undefined;
      cross.title = `${words.text(by.text)} × ${words.text(target.question.text)}${row ? ` – ${words.text(row.label)}` : ''}`;
    }
  }
  return {
    n,
    suppress,
    tooFew,
    tables,
    otherTexts,
    cross,
    breakdownTargets: breakdownTargets(survey, (q, rowId) => {
      const row = rowId && q.kind === 'likert_matrix' ? q.rows.find((r) => r.id === rowId) : undefined;
      return `${words.text(q.text)}${row ? ` – ${words.text(row.label)}` : ''}`;
    }),
  };
}
