// Raw responses as a wide table: one row per response, columns per question (per option for
// multiple choice, per row for likert, per item for ranking). Read in batches by id, so memory
// stays flat however many responses there are.
import type { Executor } from '../platform/db/connection';
import type { Cell } from '../platform/export/writers';
import type { LocalizedText } from '../platform/schema';
import { allQuestions, assertNever, OTHER_OPTION_ID, ratingRange, type AnswerRow, type Question, type Survey } from '../surveys';
import * as resultsRepository from './results.repository';
import type { ResultFilter } from './results.repository';

export interface ExportColumn {
  /** Stable id in the header: question id, or question.option for per-option columns. */
  id: string;
  label: string;
  questionId: string | null;
  /** For the codebook: what the values mean. */
  codes: string;
  value(rows: AnswerRow[]): Cell;
}

export interface ExportWords {
  text: (value: LocalizedText) => string;
  /** Labels of the fixed columns and of the codebook's notes, in the chosen language. */
  fixed: { id: string; submittedAt: string; channel: string; language: string };
  chosen: string;
  rank: string;
  notApplicable: string;
  other: string;
}

const NOT_APPLICABLE = 'na';

function questionColumns(question: Question, words: ExportWords): ExportColumn[] {
  const title = words.text(question.text);
  const of = (rows: AnswerRow[]) => rows.filter((row) => row.question_id === question.id);
  const codesOf = (options: { id: string; label: LocalizedText }[]) => options.map((o) => `${o.id} = ${words.text(o.label)}`).join('; ');
  const otherColumn = (): ExportColumn => ({
    id: `${question.id}.${OTHER_OPTION_ID}`,
    label: `${title} – ${words.other}`,
    questionId: question.id,
    codes: words.other,
    value: (rows) => of(rows).find((row) => row.option_id === OTHER_OPTION_ID)?.text ?? null,
  });
  switch (question.kind) {
    case 'single_choice':
    case 'select':
      return [
        {
          id: question.id,
          label: title,
          questionId: question.id,
          codes: codesOf(question.options) + ('other' in question && question.other ? `; ${OTHER_OPTION_ID} = ${words.other}` : ''),
          value: (rows) => of(rows)[0]?.option_id ?? null,
        },
        ...(question.kind === 'single_choice' && question.other ? [otherColumn()] : []),
      ];
    case 'multiple_choice': {
      const ids = [...question.options.map((o) => o.id), ...(question.other ? [OTHER_OPTION_ID] : [])];
      return [
        ...ids.map((id) => ({
          id: `${question.id}.${id}`,
          label: `${title} – ${id === OTHER_OPTION_ID ? words.other : words.text(question.options.find((o) => o.id === id)!.label)}`,
          questionId: question.id,
          codes: words.chosen,
          // 1 chosen, 0 not chosen by someone who answered the question, empty when unanswered.
          value: (rows: AnswerRow[]) => {
            const mine = of(rows);
            return mine.length === 0 ? null : mine.some((row) => row.option_id === id) ? 1 : 0;
          },
        })),
        ...(question.other ? [otherColumn()] : []),
      ];
    }
    case 'likert_matrix':
      return question.rows.map((row) => ({
        id: `${question.id}.${row.id}`,
        label: `${title} – ${words.text(row.label)}`,
        questionId: question.id,
        codes:
          question.scale.map((p) => `${p.value} = ${words.text(p.label)}`).join('; ') +
          (question.notApplicable ? `; ${NOT_APPLICABLE} = ${words.text(question.notApplicable)}` : ''),
        value: (rows: AnswerRow[]) => {
          const answer = of(rows).find((r) => r.option_id === row.id);
          return answer ? (answer.not_applicable ? NOT_APPLICABLE : answer.value) : null;
        },
      }));
    case 'ranking':
      return question.items.map((item) => ({
        id: `${question.id}.${item.id}`,
        label: `${title} – ${words.text(item.label)}`,
        questionId: question.id,
        codes: words.rank,
        value: (rows: AnswerRow[]) => of(rows).find((r) => r.option_id === item.id)?.rank ?? null,
      }));
    case 'rating': {
      const { min, max } = ratingRange(question);
      return [{ id: question.id, label: title, questionId: question.id, codes: `${min}–${max}`, value: (rows) => of(rows)[0]?.value ?? null }];
    }
    case 'number':
      return [{ id: question.id, label: title, questionId: question.id, codes: '', value: (rows) => of(rows)[0]?.value ?? null }];
    case 'date':
      return [{ id: question.id, label: title, questionId: question.id, codes: 'YYYY-MM-DD', value: (rows) => of(rows)[0]?.text ?? null }];
    case 'short_text':
    case 'long_text':
      return [{ id: question.id, label: title, questionId: question.id, codes: '', value: (rows) => of(rows)[0]?.text ?? null }];
    default:
      return assertNever(question);
  }
}

export type { ExportedResponse } from './results.repository';
import type { ExportedResponse } from './results.repository';

export function exportColumns(survey: Survey, words: ExportWords): { fixed: { id: string; label: string }[]; questions: ExportColumn[] } {
  return {
    fixed: [
      { id: 'response_id', label: words.fixed.id },
      { id: 'submitted_at', label: words.fixed.submittedAt },
      { id: 'channel', label: words.fixed.channel },
      { id: 'language', label: words.fixed.language },
    ],
    questions: allQuestions(survey).flatMap((question) => questionColumns(question, words)),
  };
}

/** The two header rows: ids, then labels in the chosen language. */
export function exportHeader(columns: ReturnType<typeof exportColumns>): Cell[][] {
  return [
    [...columns.fixed.map((c) => c.id), ...columns.questions.map((c) => c.id)],
    [...columns.fixed.map((c) => c.label), ...columns.questions.map((c) => c.label)],
  ];
}

export function exportRow(columns: ReturnType<typeof exportColumns>, response: ExportedResponse): Cell[] {
  return [response.id, response.submittedAt, response.channel, response.language, ...columns.questions.map((column) => column.value(response.answers))];
}

/** The included responses with their answers, oldest first, a batch of ids at a time. */
export async function* exportedResponses(db: Executor, surveySlug: string, filter: ResultFilter): AsyncGenerator<ExportedResponse> {
  for (let after = 0; ; ) {
    const batch = await resultsRepository.responseBatch(db, surveySlug, filter, after);
    if (batch.length === 0) return;
    yield* batch;
    after = batch.at(-1)!.id;
  }
}

/** The codebook sheet: every column, what it asks and what its codes mean. */
export function codebookRows(columns: ReturnType<typeof exportColumns>, survey: Survey): Cell[][] {
  const kinds = new Map(allQuestions(survey).map((q) => [q.id, q.kind]));
  return [
    ...columns.fixed.map((c) => [c.id, '', c.label, '', '']),
    ...columns.questions.map((c) => [c.id, c.questionId, c.label, c.questionId ? (kinds.get(c.questionId) ?? '') : '', c.codes]),
  ];
}
