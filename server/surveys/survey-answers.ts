// Turns posted form fields into typed answers, one question at a time, with validation errors
// as codes the views translate. Pure: no HTTP, no database.
import {
  assertNever,
  bandOf,
  OTHER_OPTION_ID,
  type Question,
  type QuestionOf,
} from './survey-definition';

/** Form fields as parsed by a flat urlencoded parser: repeated names become arrays. */
export type FormFields = Record<string, string | string[]>;

export type Answer =
  | { kind: 'single_choice'; optionId: string; otherText?: string }
  | { kind: 'multiple_choice'; optionIds: string[]; otherText?: string }
  | { kind: 'likert_matrix'; rows: Record<string, number | 'na'> }
  | { kind: 'rating'; value: number }
  | { kind: 'ranking'; itemIds: string[]; otherText?: string }
  | { kind: 'short_text'; text: string }
  | { kind: 'long_text'; text: string }
  /** band: worked out from the value for conditions; never stored, so bands may change later. */
  | { kind: 'number'; value: number; band?: string }
  | { kind: 'date'; date: string }
  | { kind: 'select'; optionId: string; otherText?: string };

export const VALIDATION_CODES = [
  'required',
  'rows_required',
  'invalid_value',
  'invalid_option',
  'other_text_required',
  'other_not_chosen',
  'other_not_ranked',
  'too_long',
  'too_few_choices',
  'too_many_choices',
  'exclusive',
  'duplicate_rank',
  'missing_rank',
  'too_few_ranks',
  'not_a_number',
  'ambiguous_number',
  'not_an_integer',
  'too_small',
  'too_large',
  'invalid_date',
  'date_too_early',
  'date_too_late',
] as const;
export type ValidationCode = (typeof VALIDATION_CODES)[number];

export interface AnswerError {
  code: ValidationCode;
  /** The form field the error is about; the page links to its input. */
  field: string;
  params?: Record<string, string | number>;
}

export type ParsedQuestion = { answer?: Answer; error?: AnswerError };

/** The value a likert row gets for "Bilgim yok". */
export const NOT_APPLICABLE = 'na';

const SUBFIELD = '.';
const OTHER_SUFFIX = `${SUBFIELD}other`;

export function otherField(question: Question): string {
  return `${question.id}${OTHER_SUFFIX}`;
}

export function rowField(question: Question, rowId: string): string {
  return `${question.id}${SUBFIELD}${rowId}`;
}

export function rankField(question: Question, rank: number): string {
  return `${question.id}${SUBFIELD}${rank}`;
}

/** Every form field name a question may post; anything else in a post is refused. */
export function fieldNames(question: Question): string[] {
  switch (question.kind) {
    case 'single_choice':
    case 'multiple_choice':
    case 'select':
      return question.other ? [question.id, otherField(question)] : [question.id];
    case 'likert_matrix':
      return question.rows.map((row) => rowField(question, row.id));
    case 'ranking': {
      const ranks = Array.from({ length: question.rankCount }, (_, i) => rankField(question, i + 1));
      return question.other ? [...ranks, otherField(question)] : ranks;
    }
    case 'rating':
    case 'short_text':
    case 'long_text':
    case 'number':
    case 'date':
      return [question.id];
    default:
      return assertNever(question);
  }
}

/**
 * Parses one question's fields. Returns no answer when nothing was entered; whether that is an
 * error depends on `required` and on visibility, which the caller knows.
 */
export function parseQuestion(question: Question, fields: FormFields): ParsedQuestion {
  switch (question.kind) {
    case 'single_choice':
      return parseSingleChoice(question, fields);
    case 'multiple_choice':
      return parseMultipleChoice(question, fields);
    case 'likert_matrix':
      return parseLikert(question, fields);
    case 'rating':
      return parseRating(question, fields);
    case 'ranking':
      return parseRanking(question, fields);
    case 'short_text':
    case 'long_text':
      return parseText(question, fields);
    case 'number':
      return parseNumber(question, fields);
    case 'date':
      return parseDate(question, fields);
    case 'select':
      return parseSelect(question, fields);
    default:
      return assertNever(question);
  }
}

/** The error for a required question left empty. */
export function requiredError(question: Question): AnswerError {
  const field = question.kind === 'likert_matrix' ? rowField(question, question.rows[0]!.id)
    : question.kind === 'ranking' ? rankField(question, 1)
    : question.id;
  return { code: 'required', field };
}

const INVALID = Symbol('invalid');

/** A single value: undefined when absent or blank, INVALID when a list came where one value belongs. */
function scalar(fields: FormFields, name: string): string | undefined | typeof INVALID {
  // Own properties only: a question id like "constructor" must not find Object.prototype's.
  const value = Object.hasOwn(fields, name) ? fields[name] : undefined;
  if (value === undefined) return undefined;
  if (typeof value !== 'string') return INVALID;
  return value.trim() === '' ? undefined : value.trim();
}

/** Normalises free text: NFC, LF line ends, no control characters but tab and newline. */
export function cleanText(text: string): string {
  return text
    .normalize('NFC')
    .replace(/\r\n?/g, '\n')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '')
    .trim();
}

export function textLength(text: string): number {
  return [...text].length;
}

const OTHER_TEXT_MAX = 200;

/**
 * Questions as a clerk enters them (see answer-requirement's questionAsEntered): a "Diğer" tick
 * with no text written is taken as it is on paper, "Diğer" without its words. Online the words
 * are asked for.
 */
const bareOtherAllowed = new WeakSet<Question>();

export function allowBareOther<Q extends Question>(question: Q): Q {
  bareOtherAllowed.add(question);
  return question;
}

function parseOtherText(question: Question, fields: FormFields): { text?: string; error?: AnswerError } {
  const field = otherField(question);
  const raw = scalar(fields, field);
  if (raw === INVALID) return { error: { code: 'invalid_value', field } };
  const text = raw === undefined ? '' : cleanText(raw);
  if (text === '') return bareOtherAllowed.has(question) ? {} : { error: { code: 'other_text_required', field } };
  if (textLength(text) > OTHER_TEXT_MAX) return { error: { code: 'too_long', field, params: { max: OTHER_TEXT_MAX } } };
  return { text };
}

/**
 * Whether the "other" box holds text. Typed text means the person chose "other", ticked or not:
 * it is never dropped (a list where one text belongs counts too, and is refused as invalid).
 */
export function otherTextTyped(question: Question, fields: FormFields): boolean {
  if (!('other' in question) || !question.other) return false;
  const value = Object.hasOwn(fields, otherField(question)) ? fields[otherField(question)] : undefined;
  return value !== undefined && (typeof value !== 'string' || cleanText(value) !== '');
}

function parseSingleChoice(question: QuestionOf<'single_choice' | 'select'>, fields: FormFields): ParsedQuestion {
  const field = question.id;
  const scalarValue = scalar(fields, field);
  if (scalarValue === INVALID) return { error: { code: 'invalid_value', field } };
  const typed = otherTextTyped(question, fields);
  const value = scalarValue ?? (typed ? OTHER_OPTION_ID : undefined);
  if (value === undefined) return {};
  if (question.other && value === OTHER_OPTION_ID) {
    const other = parseOtherText(question, fields);
    return other.error ? { error: other.error } : { answer: { kind: question.kind, optionId: value, ...(other.text ? { otherText: other.text } : {}) } };
  }
  if (!question.options.some((option) => option.id === value)) return { error: { code: 'invalid_option', field } };
  // One answer only: the person must say which of the two they meant.
  if (typed) return { error: { code: 'other_not_chosen', field: otherField(question) } };
  return { answer: { kind: question.kind, optionId: value } };
}

function parseMultipleChoice(question: QuestionOf<'multiple_choice'>, fields: FormFields): ParsedQuestion {
  const field = question.id;
  const raw = Object.hasOwn(fields, field) ? fields[field] : undefined;
  const values = [...new Set((raw === undefined ? [] : typeof raw === 'string' ? [raw] : raw).map((v) => v.trim()))].filter(
    (v) => v !== '',
  );
  if (otherTextTyped(question, fields) && !values.includes(OTHER_OPTION_ID)) values.push(OTHER_OPTION_ID);
  if (values.length === 0) return {};
  const known = new Set(question.options.map((option) => option.id));
  if (question.other) known.add(OTHER_OPTION_ID);
  if (values.some((value) => !known.has(value))) return { error: { code: 'invalid_option', field } };
  // Keep the definition's order so stored answers do not depend on how the browser posted them.
  const ordered = [...question.options.map((o) => o.id), OTHER_OPTION_ID].filter((id) => values.includes(id));
  const exclusive = question.options.find((option) => option.exclusive && ordered.includes(option.id));
  if (exclusive && ordered.length > 1) return { error: { code: 'exclusive', field, params: { option: exclusive.id } } };
  if (!exclusive) {
    if (question.minSelections !== undefined && ordered.length < question.minSelections) {
      return { error: { code: 'too_few_choices', field, params: { min: question.minSelections } } };
    }
    if (question.maxSelections !== undefined && ordered.length > question.maxSelections) {
      return { error: { code: 'too_many_choices', field, params: { max: question.maxSelections } } };
    }
  }
  if (ordered.includes(OTHER_OPTION_ID)) {
    const other = parseOtherText(question, fields);
    if (other.error) return { error: other.error };
    return { answer: { kind: 'multiple_choice', optionIds: ordered, ...(other.text ? { otherText: other.text } : {}) } };
  }
  return { answer: { kind: 'multiple_choice', optionIds: ordered } };
}

function parseLikert(question: QuestionOf<'likert_matrix'>, fields: FormFields): ParsedQuestion {
  const allowed = new Map<string, number | 'na'>(question.scale.map((point) => [String(point.value), point.value]));
  if (question.notApplicable) allowed.set(NOT_APPLICABLE, 'na');
  const rows: Record<string, number | 'na'> = {};
  let firstMissing: string | undefined;
  for (const row of question.rows) {
    const field = rowField(question, row.id);
    const value = scalar(fields, field);
    if (value === undefined) {
      firstMissing ??= field;
      continue;
    }
    if (value === INVALID) return { error: { code: 'invalid_value', field } };
    const parsed = allowed.get(value);
    if (parsed === undefined) return { error: { code: 'invalid_option', field } };
    rows[row.id] = parsed;
  }
  const answered = Object.keys(rows).length;
  if (answered === 0) return {};
  // A required matrix needs every row; "Bilgim yok" is how a person says they cannot judge one.
  if (question.required && firstMissing) return { error: { code: 'rows_required', field: firstMissing } };
  return { answer: { kind: 'likert_matrix', rows } };
}

export function ratingRange(question: QuestionOf<'rating'>): { min: number; max: number } {
  switch (question.scale) {
    case '1-5':
      return { min: 1, max: 5 };
    case '1-10':
      return { min: 1, max: 10 };
    case '0-10':
      return { min: 0, max: 10 };
    default:
      return assertNever(question.scale);
  }
}

function parseRating(question: QuestionOf<'rating'>, fields: FormFields): ParsedQuestion {
  const field = question.id;
  const value = scalar(fields, field);
  if (value === undefined) return {};
  if (value === INVALID || !/^\d{1,2}$/.test(value)) return { error: { code: 'invalid_value', field } };
  const { min, max } = ratingRange(question);
  const number = Number(value);
  if (number < min || number > max) return { error: { code: 'invalid_option', field } };
  return { answer: { kind: 'rating', value: number } };
}

function parseRanking(question: QuestionOf<'ranking'>, fields: FormFields): ParsedQuestion {
  const known = new Set(question.items.map((item) => item.id));
  if (question.other) known.add(OTHER_OPTION_ID);
  const byRank: (string | undefined)[] = [];
  for (let rank = 1; rank <= question.rankCount; rank++) {
    const field = rankField(question, rank);
    const value = scalar(fields, field);
    if (value === INVALID) return { error: { code: 'invalid_value', field } };
    if (value !== undefined && !known.has(value)) return { error: { code: 'invalid_option', field } };
    byRank.push(value);
  }
  const filled = byRank.filter((item) => item !== undefined);
  const typed = otherTextTyped(question, fields);
  if (filled.length === 0) {
    // Text with no rank for it: a rank says where "other" stands, so it cannot be guessed.
    return typed ? { error: { code: 'other_not_ranked', field: otherField(question) } } : {};
  }
  for (let i = 0; i < byRank.length; i++) {
    const item = byRank[i];
    if (item !== undefined && byRank.indexOf(item) < i) {
      return { error: { code: 'duplicate_rank', field: rankField(question, i + 1), params: { rank: i + 1 } } };
    }
  }
  const gap = byRank.findIndex((item, i) => item === undefined && byRank.slice(i + 1).some((later) => later !== undefined));
  if (gap >= 0) return { error: { code: 'missing_rank', field: rankField(question, gap + 1), params: { rank: gap + 1 } } };
  const minRanked = question.minRanked ?? question.rankCount;
  if (filled.length < minRanked) {
    return { error: { code: 'too_few_ranks', field: rankField(question, filled.length + 1), params: { min: minRanked } } };
  }
  if (filled.includes(OTHER_OPTION_ID)) {
    const other = parseOtherText(question, fields);
    if (other.error) return { error: other.error };
    return { answer: { kind: 'ranking', itemIds: filled as string[], ...(other.text ? { otherText: other.text } : {}) } };
  }
  if (typed) return { error: { code: 'other_not_ranked', field: otherField(question) } };
  return { answer: { kind: 'ranking', itemIds: filled as string[] } };
}

function parseText(question: QuestionOf<'short_text' | 'long_text'>, fields: FormFields): ParsedQuestion {
  const field = question.id;
  const raw = scalar(fields, field);
  if (raw === undefined) return {};
  if (raw === INVALID) return { error: { code: 'invalid_value', field } };
  const text = cleanText(raw);
  if (text === '') return {};
  if (question.kind === 'short_text' && text.includes('\n')) return { error: { code: 'invalid_value', field } };
  if (textLength(text) > question.maxLength) return { error: { code: 'too_long', field, params: { max: question.maxLength } } };
  return { answer: { kind: question.kind, text } };
}

/**
 * Reads a number as people write it in Turkish or English: "1250", "12,5", "12.5", "1.250,75",
 * "1,250.75", "1 250". A single separator before exactly three digits ("1.500", "2,500") means a
 * thousand in one language and a decimal in the other: a whole number takes it as a thousands
 * separator, a decimal question asks the person to write it without one.
 */
export function readNumber(raw: string, integer: boolean): number | 'ambiguous' | undefined {
  const text = raw.replace(/[\s\u00a0]/g, '');
  const match = /^([-+]?)([\d.,]+)$/.exec(text);
  if (!match || !/^\d/.test(match[2]!) || !/\d$/.test(match[2]!)) return undefined;
  const [, sign, body] = match as unknown as [string, string, string];
  const lastDot = body.lastIndexOf('.');
  const lastComma = body.lastIndexOf(',');
  const grouped = (digits: string, separator: string) => new RegExp(`^\\d{1,3}(\\${separator}\\d{3})+$`).test(digits);
  let whole: string;
  let fraction = '';
  if (lastDot >= 0 && lastComma >= 0) {
    const decimal = lastDot > lastComma ? '.' : ',';
    const group = decimal === '.' ? ',' : '.';
    const [head, tail] = [body.slice(0, body.lastIndexOf(decimal)), body.slice(body.lastIndexOf(decimal) + 1)];
    if (!grouped(head, group) || !/^\d+$/.test(tail)) return undefined;
    whole = head.split(group).join('');
    fraction = tail;
  } else if (lastDot >= 0 || lastComma >= 0) {
    const separator = lastDot >= 0 ? '.' : ',';
    const parts = body.split(separator);
    if (parts.length > 2) {
      if (!grouped(body, separator)) return undefined;
      whole = parts.join('');
    } else if (grouped(body, separator) && !body.startsWith('0')) {
      if (!integer) return 'ambiguous';
      whole = parts.join('');
    } else {
      [whole, fraction] = parts as [string, string];
    }
  } else {
    whole = body;
  }
  if (whole.length > 15 || fraction.length > 6) return undefined;
  const value = Number(`${sign}${whole}${fraction ? `.${fraction}` : ''}`);
  return Number.isFinite(value) ? value : undefined;
}

function parseNumber(question: QuestionOf<'number'>, fields: FormFields): ParsedQuestion {
  const field = question.id;
  const raw = scalar(fields, field);
  if (raw === undefined) return {};
  const value = raw === INVALID ? undefined : readNumber(raw, question.integer);
  if (value === undefined) return { error: { code: 'not_a_number', field } };
  if (value === 'ambiguous') return { error: { code: 'ambiguous_number', field } };
  if (question.integer && !Number.isInteger(value)) return { error: { code: 'not_an_integer', field } };
  if (question.min !== undefined && value < question.min) return { error: { code: 'too_small', field, params: { min: question.min } } };
  if (question.max !== undefined && value > question.max) return { error: { code: 'too_large', field, params: { max: question.max } } };
  const band = question.bands ? bandOf(question.bands, value) : undefined;
  return { answer: band === undefined ? { kind: 'number', value } : { kind: 'number', value, band } };
}

export function isCalendarDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/**
 * A date as the date picker sends it (2026-11-21), or as a person types it where the browser
 * shows a plain text box (21.11.2026); undefined when it is not a real calendar date.
 */
export function isoDate(raw: string): string | undefined {
  const turkish = /^(\d{1,2})[./](\d{1,2})[./](\d{4})$/.exec(raw);
  const date = turkish ? `${turkish[3]}-${turkish[2]!.padStart(2, '0')}-${turkish[1]!.padStart(2, '0')}` : raw;
  return isCalendarDate(date) ? date : undefined;
}

function parseDate(question: QuestionOf<'date'>, fields: FormFields): ParsedQuestion {
  const field = question.id;
  const raw = scalar(fields, field);
  if (raw === undefined) return {};
  const date = raw === INVALID ? undefined : isoDate(raw);
  if (!date) return { error: { code: 'invalid_date', field } };
  if (question.min !== undefined && date < question.min) return { error: { code: 'date_too_early', field, params: { min: question.min } } };
  if (question.max !== undefined && date > question.max) return { error: { code: 'date_too_late', field, params: { max: question.max } } };
  return { answer: { kind: 'date', date } };
}

/** A drop-down reads like a single choice: "Diğer" is one more option, its box beside it. */
function parseSelect(question: QuestionOf<'select'>, fields: FormFields): ParsedQuestion {
  return parseSingleChoice(question, fields);
}

/** One stored answer row per answer, per chosen option, per likert row and per ranked item. */
export interface AnswerRow {
  question_id: string;
  option_id: string | null;
  value: number | null;
  text: string | null;
  rank: number | null;
  not_applicable: number;
}

export function answerRows(questionId: string, answer: Answer): AnswerRow[] {
  const row = (partial: Partial<AnswerRow>): AnswerRow => ({
    question_id: questionId,
    option_id: null,
    value: null,
    text: null,
    rank: null,
    not_applicable: 0,
    ...partial,
  });
  switch (answer.kind) {
    case 'single_choice':
      return [row({ option_id: answer.optionId, text: answer.otherText ?? null })];
    case 'multiple_choice':
      return answer.optionIds.map((optionId) =>
        row({ option_id: optionId, text: optionId === OTHER_OPTION_ID ? (answer.otherText ?? null) : null }),
      );
    case 'likert_matrix':
      return Object.entries(answer.rows).map(([rowId, value]) =>
        value === 'na' ? row({ option_id: rowId, not_applicable: 1 }) : row({ option_id: rowId, value }),
      );
    case 'rating':
    case 'number':
      return [row({ value: answer.value })];
    case 'ranking':
      return answer.itemIds.map((itemId, i) =>
        row({ option_id: itemId, rank: i + 1, text: itemId === OTHER_OPTION_ID ? (answer.otherText ?? null) : null }),
      );
    case 'short_text':
    case 'long_text':
      return [row({ text: answer.text })];
    case 'date':
      return [row({ text: answer.date })];
    case 'select':
      return [row({ option_id: answer.optionId, text: answer.otherText ?? null })];
    default:
      return assertNever(answer);
  }
}

/**
 * The form fields that would post these stored answers: the inverse of answerRows, so a submitted
 * response can be opened again for editing with every answer in place.
 */
export function answersToFields(questions: Question[], rows: AnswerRow[]): FormFields {
  const fields: FormFields = {};
  for (const question of questions) {
    const mine = rows.filter((row) => row.question_id === question.id);
    if (mine.length === 0) continue;
    switch (question.kind) {
      case 'single_choice':
      case 'select': {
        const row = mine[0]!;
        fields[question.id] = String(row.option_id);
        if (row.option_id === OTHER_OPTION_ID && row.text) fields[otherField(question)] = row.text;
        break;
      }
      case 'multiple_choice':
        fields[question.id] = mine.map((row) => String(row.option_id));
        for (const row of mine) if (row.option_id === OTHER_OPTION_ID && row.text) fields[otherField(question)] = row.text;
        break;
      case 'likert_matrix':
        for (const row of mine) fields[rowField(question, String(row.option_id))] = row.not_applicable ? NOT_APPLICABLE : String(row.value);
        break;
      case 'ranking':
        for (const row of mine) {
          if (row.rank) fields[rankField(question, row.rank)] = String(row.option_id);
          if (row.option_id === OTHER_OPTION_ID && row.text) fields[otherField(question)] = row.text;
        }
        break;
      case 'rating':
      case 'number':
        fields[question.id] = String(mine[0]!.value);
        break;
      case 'date':
      case 'short_text':
      case 'long_text':
        fields[question.id] = mine[0]!.text ?? '';
        break;
      default:
        assertNever(question);
    }
  }
  return fields;
}
