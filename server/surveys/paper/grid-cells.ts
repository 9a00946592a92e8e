// The fast entry grid's columns and cells: what a clerk types from a paper form (option numbers as
// printed on it) becomes answers, and answers become cells again. Pure: no HTTP, no database.
//
// The numbers are the printed form's, from paper-numbering (their single source): a column per
// question (5), a likert matrix's rows their own columns (5a, 5b…), a choice's printed number. In a
// cell, "Diğer" text follows its number ("6 kasap"); rating and number take the value itself;
// multiple choice takes numbers separated by spaces or commas; ranking item numbers in rank order.
// A blank is no answer: required applies to people answering online, a clerk copies paper as it is.
import {
  answerRows,
  fieldNames,
  otherField,
  parseQuestion,
  rankField,
  rowField,
  type Answer,
  type AnswerRow,
  type FormFields,
  type ValidationCode,
} from '../survey-answers';
import { assertNever, OTHER_OPTION_ID, type Option, type Question, type Survey } from '../survey-definition';
import { questionAsEntered } from '../answer-requirement';
import { conditionHolds } from '../survey-flow';
import { numberedChoices, paperQuestions, rowLetter } from './paper-numbering';

export { rowLetter };

export interface GridColumn {
  /** The printed number: "5", or "5a" for a matrix row; also the cell's field name suffix. */
  key: string;
  question: Question;
  /** The matrix row this column answers. */
  row?: Option;
  /** The keyboard a phone or tablet should offer. */
  numeric: boolean;
}

/** Codes of the grid's own cell errors; the others come from answer parsing (validation namespace). */
export const GRID_CODES = ['not_a_number', 'no_such_option', 'hidden', 'text_not_allowed', 'form_number', 'form_number_required', 'duplicate'] as const;
export type GridCode = (typeof GRID_CODES)[number];

export interface CellError {
  code: GridCode | ValidationCode;
  params?: Record<string, string | number>;
}

/** A row's cells as typed, by column key. */
export type Cells = Record<string, string>;

/** The grid's columns, one per printed number: the printed form's questions, a matrix's rows apart. */
export function gridColumns(survey: Pick<Survey, 'sections'>): GridColumn[] {
  return paperQuestions(survey).flatMap(({ number, question, rows }): GridColumn[] => {
    if (question.kind === 'likert_matrix') return rows.map(({ number: key, row }) => ({ key, question, row, numeric: true }));
    const numeric = question.kind !== 'short_text' && question.kind !== 'long_text' && question.kind !== 'date';
    return [{ key: number, question, numeric }];
  });
}

/** What each number means in a column, for the grid's legend: the printed form's numbered choices (a rating's values aside). */
export interface ColumnChoice {
  number: number;
  option: Option | 'other' | 'not_applicable';
  value?: number;
}

export function columnChoices(column: GridColumn): ColumnChoice[] {
  return numberedChoices(column.question).flatMap((choice): ColumnChoice[] => {
    switch (choice.kind) {
      case 'option':
        return [{ number: choice.number, option: { id: choice.id, label: choice.label! }, ...(column.question.kind === 'likert_matrix' ? { value: Number(choice.id) } : {}) }];
      case 'other':
        return [{ number: choice.number, option: 'other' }];
      case 'not_applicable':
        return [{ number: choice.number, option: 'not_applicable' }];
      case 'value':
        return [];
      default:
        return assertNever(choice.kind);
    }
  });
}

/** A question's printed numbers to the ids they stand for, and back. */
function numbering(question: Question): { idOf: Map<number, string>; numberOf: Map<string, number>; max: number } {
  const choices = numberedChoices(question);
  return {
    idOf: new Map(choices.map((c) => [c.number, c.id])),
    numberOf: new Map(choices.map((c) => [c.id, c.number])),
    max: choices.length === 0 ? 0 : Math.max(...choices.map((c) => c.number)),
  };
}

/** Leading whole numbers, then an optional text (the "Diğer" text). */
const NUMBERS_THEN_TEXT = /^(\d+(?:[\s,;]+\d+)*)(?:[\s,;]+(\D[\s\S]*))?$/;

function clean(text: string | undefined): string {
  return (text ?? '').replace(/\s+/g, ' ').trim();
}

type CellFields = { fields: FormFields } | { error: CellError };

/** One cell's text as the form fields the survey pages would post for it. */
function cellFields(column: GridColumn, raw: string): CellFields {
  const q = column.question;
  const text = clean(raw);
  const numbered = (many: boolean): { ids: string[]; otherText?: string } | { error: CellError } => {
    const match = NUMBERS_THEN_TEXT.exec(text);
    if (!match) return { error: { code: 'not_a_number' } };
    const numbers = match[1]!.split(/[\s,;]+/).map(Number);
    if (!many && numbers.length > 1) return { error: { code: 'not_a_number' } };
    const { idOf, max } = numbering(q);
    const wrong = numbers.find((n) => !idOf.has(n));
    if (wrong !== undefined) return { error: { code: 'no_such_option', params: { number: wrong, max } } };
    const ids = numbers.map((n) => idOf.get(n)!);
    const otherText = clean(match[2]);
    if (otherText && !ids.includes(OTHER_OPTION_ID)) return { error: { code: 'text_not_allowed', params: { number: max } } };
    return otherText ? { ids, otherText } : { ids };
  };
  switch (q.kind) {
    case 'single_choice':
    case 'select':
    case 'multiple_choice': {
      const read = numbered(q.kind === 'multiple_choice');
      if ('error' in read) return read;
      const fields: FormFields = { [q.id]: q.kind === 'multiple_choice' ? read.ids : read.ids[0]! };
      if (read.otherText) fields[otherField(q)] = read.otherText;
      return { fields };
    }
    case 'ranking': {
      const read = numbered(true);
      if ('error' in read) return read;
      if (read.ids.length > q.rankCount) return { error: { code: 'too_many_choices', params: { max: q.rankCount } } };
      const fields: FormFields = Object.fromEntries(read.ids.map((id, i) => [rankField(q, i + 1), id]));
      if (read.otherText) fields[otherField(q)] = read.otherText;
      return { fields };
    }
    case 'likert_matrix': {
      if (!/^\d+$/.test(text)) return { error: { code: 'not_a_number' } };
      const n = Number(text);
      const { idOf, max } = numbering(q);
      const id = idOf.get(n);
      if (id === undefined) return { error: { code: 'no_such_option', params: { number: n, max } } };
      return { fields: { [rowField(q, column.row!.id)]: id } };
    }
    case 'rating':
      if (!/^\d+$/.test(text)) return { error: { code: 'not_a_number' } };
      return { fields: { [q.id]: text } };
    case 'number':
    case 'short_text':
    case 'long_text':
    case 'date':
      return { fields: { [q.id]: raw.trim() } };
    default:
      return assertNever(q);
  }
}

export type ParsedRow =
  | { ok: true; answers: Map<string, Answer>; rows: AnswerRow[]; cells: Cells }
  | { ok: false; errors: Record<string, CellError> };

/**
 * Reads one paper form's cells. Every cell is checked; a value in a question the form's own
 * answers hide is refused (a blank there is fine). On success, cells are the canonical spelling
 * of the answers, so "1,3" and "3 1" compare equal in double entry.
 */
export function parseGridRow(survey: Pick<Survey, 'sections'>, typed: Cells): ParsedRow {
  const columns = gridColumns(survey);
  const errors: Record<string, CellError> = {};
  const fields: FormFields = {};
  const columnOfField = new Map<string, string>();
  for (const column of columns) {
    const raw = Object.hasOwn(typed, column.key) ? typed[column.key]! : '';
    if (clean(raw) === '') continue;
    const read = cellFields(column, raw);
    if ('error' in read) errors[column.key] = read.error;
    else Object.assign(fields, read.fields);
    const names = column.row ? [rowField(column.question, column.row.id)] : fieldNames(column.question);
    for (const name of names) columnOfField.set(name, column.key);
  }
  const filled = (question: Question) => columns.some((c) => c.question.id === question.id && clean(typed[c.key]) !== '');
  const answers = new Map<string, Answer>();
  for (const section of survey.sections) {
    const sectionShown = !section.showWhen || conditionHolds(section.showWhen, answers);
    for (const question of section.questions) {
      const mine = columns.filter((c) => c.question.id === question.id);
      if (!sectionShown || (question.showWhen && !conditionHolds(question.showWhen, answers))) {
        if (filled(question)) for (const c of mine) if (clean(typed[c.key]) !== '' && !errors[c.key]) errors[c.key] = { code: 'hidden' };
        continue;
      }
      if (mine.some((c) => errors[c.key])) continue;
      const parsed = parseQuestion(questionAsEntered(question), fields);
      if (parsed.error) {
        const key = columnOfField.get(parsed.error.field) ?? mine[0]!.key;
        errors[key] = { code: parsed.error.code, ...(parsed.error.params ? { params: parsed.error.params } : {}) };
      } else if (parsed.answer) answers.set(question.id, parsed.answer);
    }
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const rows = [...answers].flatMap(([questionId, answer]) => answerRows(questionId, answer));
  return { ok: true, answers, rows, cells: answersToCells(survey, answers) };
}

/** The canonical cells of a form's answers: the inverse of parseGridRow, blanks left out. */
export function answersToCells(survey: Pick<Survey, 'sections'>, answers: ReadonlyMap<string, Answer>): Cells {
  const cells: Cells = {};
  const withText = (numbers: number[], otherText?: string) => [numbers.join(' '), otherText ?? ''].filter(Boolean).join(' ');
  const numberOf = (question: Question, id: string) => numbering(question).numberOf.get(id) ?? 0;
  for (const column of gridColumns(survey)) {
    const answer = answers.get(column.question.id);
    const q = column.question;
    if (!answer) continue;
    let cell: string | undefined;
    if ((q.kind === 'single_choice' || q.kind === 'select') && (answer.kind === 'single_choice' || answer.kind === 'select')) {
      cell = withText([numberOf(q, answer.optionId)], answer.otherText);
    } else if (q.kind === 'multiple_choice' && answer.kind === 'multiple_choice') {
      cell = withText(answer.optionIds.map((id) => numberOf(q, id)), answer.otherText);
    } else if (q.kind === 'ranking' && answer.kind === 'ranking') {
      cell = withText(answer.itemIds.map((id) => numberOf(q, id)), answer.otherText);
    } else if (q.kind === 'likert_matrix' && answer.kind === 'likert_matrix') {
      const value = answer.rows[column.row!.id];
      if (value !== undefined) cell = String(numberOf(q, String(value)));
    } else if (answer.kind === 'rating' || answer.kind === 'number') {
      cell = String(answer.value);
    } else if (answer.kind === 'short_text' || answer.kind === 'long_text') {
      cell = answer.text;
    } else if (answer.kind === 'date') {
      cell = answer.date;
    }
    if (cell !== undefined && cell !== '') cells[column.key] = cell;
  }
  return cells;
}

/** Whether two rows of canonical cells hold the same answers. */
export function sameCells(a: Cells, b: Cells): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].every((key) => (a[key] ?? '') === (b[key] ?? ''));
}

/** A form number as written in the box: digits, letters and dashes, up to 20 characters. */
export function readFormNumber(raw: string | undefined): { ok: true; number: string } | { ok: false; error: CellError } {
  const text = clean(raw).toLocaleUpperCase('tr');
  if (text === '') return { ok: false, error: { code: 'form_number_required' } };
  if (!/^[0-9A-Z][0-9A-Z-]{0,19}$/.test(text)) return { ok: false, error: { code: 'form_number' } };
  // "007" and "7" are the same box: leading zeros of a plain number do not count.
  return { ok: true, number: /^\d+$/.test(text) ? String(Number(text)) : text };
}
