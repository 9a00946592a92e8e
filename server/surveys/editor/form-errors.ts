// Turns the problems of a question (zod issues of the QuestionFile schema, and the form's own checks)
// into one message per form field, in the planner's language.
import type { TFunction } from 'i18next';
import type { z } from 'zod';

export type FieldErrors = Record<string, string>;
type Path = ReadonlyArray<PropertyKey>;
type Issue = z.core.$ZodIssue;

const KEY = 'admin:editor.fields.errors.';
const COLLECTIONS = new Set(['options', 'rows', 'items']);
const TEXTS = new Set(['text', 'help', 'notApplicable', 'minLabel', 'maxLabel', 'unit']);
const SCALARS = new Set([
  'id', 'required', 'role', 'other', 'minSelections', 'maxSelections', 'scale', 'rankCount', 'minRanked',
  'maxLength', 'min', 'max', 'integer', 'notApplicablePosition',
]);

/**
 * The form field a problem belongs to, from its path inside the question (a zod issue path or a
 * survey rule's path with the question's prefix removed); '_form' when no field matches.
 */
export function fieldOfPath(path: ReadonlyArray<PropertyKey>): string {
  const [head, second, third, fourth] = path;
  if (typeof head !== 'string') return '_form';
  if (TEXTS.has(head)) return `${head}.${typeof second === 'string' ? second : 'tr'}`;
  if (COLLECTIONS.has(head)) {
    if (typeof second === 'string' && (second === 'list' || second === 'paste')) return `${head}.list`;
    if (typeof second !== 'number') return head;
    if (third === 'id' || third === 'exclusive') return `${head}.${second}.${third}`;
    return `${head}.${second}.${third === 'label' && typeof fourth === 'string' ? fourth : 'tr'}`;
  }
  if (head === 'scale' && typeof second === 'number') {
    return `scale.${second}.${third === 'label' ? (typeof fourth === 'string' ? fourth : 'tr') : 'value'}`;
  }
  if (head === 'showWhen') {
    // The survey rules report a value that is not an option of the source, or the wrong operator for
    // it, at the condition itself: shown with the values, where the planner fixes either.
    if ((second === 'all' || second === 'any') && typeof third === 'number') {
      const at = third === 0 ? 'showWhen' : `showWhen.${third}`;
      return fourth === 'question' ? `${at}.question` : `${at}.value`;
    }
    return second === 'question' ? 'showWhen.question' : 'showWhen.value';
  }
  if (head === 'rowGroups') return 'rows';
  if (head === 'labels') return 'labelsEvery';
  if (head === 'registerMap') return typeof second === 'string' ? `registerMap.${second}` : '_form';
  if (head === 'pointLabels') return typeof second === 'number' ? `pointLabels.${second}.${typeof third === 'string' ? third : 'tr'}` : 'pointLabels';
  if (head === 'bands') {
    if (typeof second !== 'number') return 'bands';
    if (third === 'id' || third === 'min' || third === 'max') return `bands.${second}.${third}`;
    return `bands.${second}.${third === 'label' && typeof fourth === 'string' ? fourth : 'tr'}`;
  }
  return SCALARS.has(head) ? head : '_form';
}

/**
 * zod reports a failed union (own options or a shared list) as one issue holding each branch's
 * issues; the planner needs the issues of the branch that was meant, at their own fields.
 */
export function flattenIssues(issues: readonly Issue[], prefix: Path = []): { path: Path; issue: Issue }[] {
  return issues.flatMap((issue) => {
    const path = [...prefix, ...issue.path];
    if (issue.code !== 'invalid_union' || issue.errors.length === 0) return [{ path, issue }];
    const meant = issue.errors.find((branch) => !branch.some((inner) => inner.path.length === 0 && inner.code === 'invalid_type'));
    return meant ? flattenIssues(meant, path) : [{ path, issue }];
  });
}

/** A locale key and its params: a message not yet in any language. */
export interface IssueText {
  key: string;
  params?: Record<string, string | number>;
}

/** A zod issue as the error map sees it (with its input) or as a failed parse reports it. */
type AnyIssue = Issue | z.core.$ZodRawIssue;

/** The message of an issue as a locale key, whatever schema it came from; input is the value that failed. */
export function issueText(issue: AnyIssue, input: unknown): IssueText {
  switch (issue.code) {
    case 'invalid_type':
      return { key: input === undefined || input === '' ? `${KEY}required` : `${KEY}invalid_type` };
    case 'too_small':
      if (issue.origin === 'string') return { key: `${KEY}required` };
      if (issue.origin === 'array') return { key: `${KEY}too_few`, params: { min: Number(issue.minimum) } };
      return { key: `${KEY}too_small`, params: { min: Number(issue.minimum) } };
    case 'too_big':
      if (issue.origin === 'array') return { key: `${KEY}too_many`, params: { max: Number(issue.maximum) } };
      if (issue.origin === 'string') return { key: `${KEY}too_long`, params: { max: Number(issue.maximum) } };
      return { key: `${KEY}too_large`, params: { max: Number(issue.maximum) } };
    case 'invalid_format':
      return { key: issue.format === 'date' ? `${KEY}invalid_date` : `${KEY}invalid_format` };
    case 'not_multiple_of':
      return { key: `${KEY}not_an_integer` };
    case 'invalid_value':
      return { key: `${KEY}invalid_choice` };
    default:
      return { key: `${KEY}invalid` };
  }
}

/** A per-parse zod error map: messages of the request's language, never the process's. */
export function zodErrorMap(t: TFunction): z.core.$ZodErrorMap {
  return (issue) => {
    const { key, params } = issueText(issue, issue.input);
    return params ? t(key, params) : t(key);
  };
}

/**
 * Friendlier words for the mistakes planners make most (blank Turkish text, an id that is not an
 * identifier, too few options or scale points); undefined when the issue is not one of them.
 */
export function friendlyIssueText(path: Path, issue: Issue, input: unknown): IssueText | undefined {
  const last = path[path.length - 1];
  const blank = input === undefined || input === '';
  if (last === 'tr' && (issue.code === 'invalid_type' || issue.code === 'too_small')) return { key: `${KEY}turkish_required` };
  if (issue.code === 'invalid_format' && issue.format === 'regex') {
    if (last === 'id') return { key: blank ? `${KEY}id_required` : `${KEY}id_format` };
    return { key: `${KEY}id_format` };
  }
  if (path.length === 1 && typeof last === 'string' && COLLECTIONS.has(last) && issue.code === 'too_small') {
    return { key: `${KEY}options_required` };
  }
  if (path.length === 1 && last === 'scale' && issue.code === 'too_small') {
    return { key: `${KEY}scale_too_short`, params: { min: Number(issue.minimum) } };
  }
  if (issue.code === 'invalid_type' && issue.expected === 'int') return { key: `${KEY}not_an_integer` };
  if (issue.code === 'invalid_type' && issue.expected === 'number' && !blank) return { key: `${KEY}not_a_number` };
  return undefined;
}

/** The message of one issue: the friendlier words where they apply, else the mapped message. */
export function issueMessage(path: Path, issue: Issue, input: unknown, t: TFunction): string {
  const friendly = friendlyIssueText(path, issue, input);
  if (!friendly) return issue.message;
  return friendly.params ? t(friendly.key, friendly.params) : t(friendly.key);
}

/** The value a path points at in the object given to the schema (issues do not carry their input). */
export function valueAt(object: unknown, path: Path): unknown {
  let value: unknown = object;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/** One message per field, the first problem found for it. */
export function fieldErrorsOf(problems: { field: string; message: string }[]): FieldErrors {
  const errors: FieldErrors = {};
  for (const { field, message } of problems) errors[field] ??= message;
  return errors;
}
