// Raw responses as a wide table: one row per response, columns per question (per option for
// multiple choice, per row for likert, per item for ranking). Read in batches by id, so memory
// stays flat however many responses there are.
import type { Executor } from '../platform/db/connection';
import type { Cell } from '../platform/export/writers';
import type { LocalizedText } from '../platform/schema';
import { allQuestions, assertNever, bandCategory, OTHER_OPTION_ID, OTHER_TEXT_ID, OUTSIDE_BANDS_ID, ratingRange, type AnswerRow, type Question, type Survey } from '../surveys';
import * as resultsRepository from './results.repository';
import type { ResultFilter } from './results.repository';

export interface ExportColumn {
  /** Stable id in the header: question id, or question.option for per-option columns. */
  id: string;
  label: string;
  questionId: string;
  /** For the codebook: what the values mean. */
  codes: string;
  /** The cell from the response's answers to this column's question (none: not answered). */
  value(rows: AnswerRow[]): Cell;
}

export interface ExportWords {
  text: (value: LocalizedText) => string;
  /** Labels of the fixed columns and of the codebook's notes, in the chosen language. */
  fixed: { id: string; submittedAt: string; channel: string; language: string };
  chosen: string;
  rank: string;
  notApplicable: string;
  /** The "Diğer" tick's label, after the question. */
  other: string;
  /** The label of the text written with "Diğer", after the question, and its codebook note. */
  otherText: string;
  otherTextCodes: string;
  /** A banded number's band column, after the question, and the label of "outside every band". */
  band: string;
  outsideBands: string;
}

/** The suffix of a banded number's band column: `<question>.band`. */
export const BAND_COLUMN = 'band';


const NOT_APPLICABLE = 'na';

function questionColumns(question: Question, words: ExportWords): ExportColumn[] {
  const title = words.text(question.text);
  const codesOf = (options: { id: string; label: LocalizedText }[]) => options.map((o) => `${o.id} = ${words.text(o.label)}`).join('; ');
  const otherTextColumn = (): ExportColumn => ({
    id: `${question.id}.${OTHER_TEXT_ID}`,
    label: `${title} – ${words.otherText}`,
    questionId: question.id,
    codes: words.otherTextCodes,
    value: (rows) => rows.find((row) => row.option_id === OTHER_OPTION_ID)?.text ?? null,
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
          value: (rows) => rows[0]?.option_id ?? null,
        },
        ...(question.other ? [otherTextColumn()] : []),
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
          value: (rows: AnswerRow[]) => (rows.length === 0 ? null : rows.some((row) => row.option_id === id) ? 1 : 0),
        })),
        ...(question.other ? [otherTextColumn()] : []),
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
          const answer = rows.find((r) => r.option_id === row.id);
          return answer ? (answer.not_applicable ? NOT_APPLICABLE : answer.value) : null;
        },
      }));
    case 'ranking':
      return [
        ...[...question.items, ...(question.other ? [{ id: OTHER_OPTION_ID, label: undefined }] : [])].map((item) => ({
          id: `${question.id}.${item.id}`,
          label: `${title} – ${item.label ? words.text(item.label) : words.other}`,
          questionId: question.id,
          codes: words.rank,
          value: (rows: AnswerRow[]) => rows.find((r) => r.option_id === item.id)?.rank ?? null,
        })),
        ...(question.other ? [otherTextColumn()] : []),
      ];
    case 'rating': {
      const { min, max } = ratingRange(question);
      return [{ id: question.id, label: title, questionId: question.id, codes: `${min}–${max}`, value: (rows) => rows[0]?.value ?? null }];
    }
    case 'number': {
      const value: ExportColumn = { id: question.id, label: title, questionId: question.id, codes: '', value: (rows) => rows[0]?.value ?? null };
      const bands = question.bands;
      if (!bands) return [value];
      // The band beside the value, worked out as the results do, so tables can be redone from the file.
      const band: ExportColumn = {
        id: `${question.id}.${BAND_COLUMN}`,
        label: `${title} – ${words.band}`,
        questionId: question.id,
        codes: [...bands.map((b) => `${b.id} = ${words.text(b.label)}`), `${OUTSIDE_BANDS_ID} = ${words.outsideBands}`].join('; '),
        value: (rows) => (rows[0]?.value === null || rows[0]?.value === undefined ? null : bandCategory(bands, rows[0].value)),
      };
      return [value, band];
    }
    case 'date':
      return [{ id: question.id, label: title, questionId: question.id, codes: 'YYYY-MM-DD', value: (rows) => rows[0]?.text ?? null }];
    case 'short_text':
    case 'long_text':
      return [{ id: question.id, label: title, questionId: question.id, codes: '', value: (rows) => rows[0]?.text ?? null }];
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

/**
 * One header row, the labels in the reader's language: a spreadsheet or a statistics package
 * takes the first row as the names. The ids are in the codebook, row for column.
 */
export function exportHeader(columns: ReturnType<typeof exportColumns>): Cell[][] {
  return [[...columns.fixed.map((c) => c.label), ...columns.questions.map((c) => c.label)]];
}

const NO_ANSWERS: AnswerRow[] = [];

export function exportRow(columns: ReturnType<typeof exportColumns>, response: ExportedResponse): Cell[] {
  // Grouped once per response: each of the ~130 columns filtering all ~50 answers itself was a
  // tenth of the export's time and most of its garbage.
  const byQuestion = new Map<string, AnswerRow[]>();
  for (const answer of response.answers) {
    const list = byQuestion.get(answer.question_id);
    if (list) list.push(answer);
    else byQuestion.set(answer.question_id, [answer]);
  }
  const row: Cell[] = [response.id, response.submittedAt, response.channel, response.language];
  for (const column of columns.questions) row.push(column.value(byQuestion.get(column.questionId) ?? NO_ANSWERS));
  return row;
}

/** The included responses with their answers, oldest first, a batch at a time. */
export function exportedResponses(db: Executor, surveySlug: string, filter: ResultFilter): AsyncGenerator<ExportedResponse> {
  return resultsRepository.responsesWithAnswers(db, surveySlug, filter);
}

/** The codebook sheet: every column, what it asks and what its codes mean. */
export function codebookRows(columns: ReturnType<typeof exportColumns>, survey: Survey): Cell[][] {
  const kinds = new Map(allQuestions(survey).map((q) => [q.id, q.kind]));
  return [
    ...columns.fixed.map((c) => [c.id, '', c.label, '', '']),
    ...columns.questions.map((c) => [c.id, c.questionId, c.label, c.questionId ? (kinds.get(c.questionId) ?? '') : '', c.codes]),
  ];
}
