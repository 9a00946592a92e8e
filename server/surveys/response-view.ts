// One stored response as people read it: each answered question with its answer in words.
import type { LocalizedText } from '../platform/schema';
import type { AnswerRow } from './survey-answers';
import { matrixRowGroups } from './matrix-layout';
import { allQuestions, assertNever, bandOf, OTHER_OPTION_ID, type Question, type QuestionOf, type Survey } from './survey-definition';
import { leadIn } from './survey-page';

export interface AnswerLine {
  questionId: string;
  question: string;
  /** One or more lines of answer. */
  answer: string[];
  /** Indexes of the lines of answer that are a matrix's group headings ("KURUMSAL"), not answers. */
  headings?: number[];
}

type Words = { other: string; notApplicable: string; formatDate: (isoDate: string) => string };

export function describeResponse(
  survey: Survey,
  rows: AnswerRow[],
  text: (value: LocalizedText) => string,
  words: Words,
): AnswerLine[] {
  const byQuestion = new Map<string, AnswerRow[]>();
  for (const row of rows) byQuestion.set(row.question_id, [...(byQuestion.get(row.question_id) ?? []), row]);
  return allQuestions(survey)
    .filter((question) => byQuestion.has(question.id))
    .map((question) => {
      const answered = byQuestion.get(question.id)!;
      const line = { questionId: question.id, question: text(question.text) };
      if (question.kind === 'likert_matrix' && question.rowGroups) return { ...line, ...describeGroupedMatrix(question, answered, text, words) };
      return { ...line, answer: describe(question, answered, text, words) };
    });
}

/** A grouped matrix's answers in the order of its rows, each group's heading before its answered rows. */
function describeGroupedMatrix(
  question: QuestionOf<'likert_matrix'>,
  rows: AnswerRow[],
  text: (value: LocalizedText) => string,
  words: Words,
): { answer: string[]; headings: number[] } {
  const answer: string[] = [];
  const headings: number[] = [];
  const byRow = new Map(rows.map((row) => [row.option_id, row]));
  for (const group of matrixRowGroups(question)) {
    const answered = group.rows.flatMap((row) => byRow.get(row.id) ?? []);
    if (answered.length === 0) continue;
    if (group.title) {
      headings.push(answer.length);
      answer.push(text(group.title));
    }
    answer.push(...describe(question, answered, text, words));
  }
  return { answer, headings };
}

function describe(
  question: Question,
  rows: AnswerRow[],
  text: (value: LocalizedText) => string,
  words: Words,
): string[] {
  const label = (options: { id: string; label: LocalizedText }[], id: string | null) => {
    const option = options.find((o) => o.id === id);
    return option ? text(option.label) : String(id);
  };
  switch (question.kind) {
    case 'single_choice':
    case 'multiple_choice':
    case 'select':
      return rows.map((row) => (row.option_id === OTHER_OPTION_ID ? (row.text ? `${words.other}: ${row.text}` : words.other) : label(question.options, row.option_id)));
    case 'likert_matrix':
      return rows.map((row) => {
        const point = question.scale.find((p) => p.value === row.value);
        const answer = row.not_applicable ? (question.notApplicable ? text(question.notApplicable) : words.notApplicable) : point ? `${row.value} – ${text(point.label)}` : String(row.value);
        return `${leadIn(label(question.rows, row.option_id))}: ${answer}`;
      });
    case 'ranking':
      return [...rows]
        .sort((a, b) => (a.rank ?? 0) - (b.rank ?? 0))
        .map((row) => `${row.rank}. ${row.option_id === OTHER_OPTION_ID ? (row.text ? `${words.other}: ${row.text}` : words.other) : label(question.items, row.option_id)}`);
    case 'rating':
      return rows.map((row) => String(row.value));
    case 'number':
      return rows.map((row) => {
        const band = question.bands && row.value !== null ? question.bands.find((b) => b.id === bandOf(question.bands!, row.value!)) : undefined;
        return band ? `${row.value} (${text(band.label)})` : String(row.value);
      });
    case 'date':
      return rows.map((row) => (row.text ? words.formatDate(row.text) : ''));
    case 'short_text':
    case 'long_text':
      return rows.map((row) => row.text ?? '');
    default:
      return assertNever(question);
  }
}
