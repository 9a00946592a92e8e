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

/** A per-parse zod error map: messages of the request's language, never the process's. */
export function zodErrorMap(t: TFunction): z.core.$ZodErrorMap {
  return (issue) => {
    switch (issue.code) {
      case 'invalid_type':
        return issue.input === undefined || issue.input === '' ? t(`${KEY}required`) : t(`${KEY}invalid_type`);
      case 'too_small':
        if (issue.origin === 'string') return t(`${KEY}required`);
        if (issue.origin === 'array') return t(`${KEY}too_few`, { min: Number(issue.minimum) });
        return t(`${KEY}too_small`, { min: Number(issue.minimum) });
      case 'too_big':
        if (issue.origin === 'array') return t(`${KEY}too_many`, { max: Number(issue.maximum) });
        if (issue.origin === 'string') return t(`${KEY}too_long`, { max: Number(issue.maximum) });
        return t(`${KEY}too_large`, { max: Number(issue.maximum) });
      case 'invalid_format':
        return issue.format === 'date' ? t(`${KEY}invalid_date`) : t(`${KEY}invalid_format`);
      case 'not_multiple_of':
        return t(`${KEY}not_an_integer`);
      case 'invalid_value':
        return t(`${KEY}invalid_choice`);
      default:
        return t(`${KEY}invalid`);
    }
  };
}

/**
 * The message of one issue: friendlier words for the mistakes planners make most (blank Turkish
 * text, an id that is not an identifier, too few options or scale points), else the mapped message.
 */
export function issueMessage(path: Path, issue: Issue, input: unknown, t: TFunction): string {
  const last = path[path.length - 1];
  const blank = input === undefined || input === '';
  if (last === 'tr' && (issue.code === 'invalid_type' || issue.code === 'too_small')) return t(`${KEY}turkish_required`);
  if (issue.code === 'invalid_format' && issue.format === 'regex') {
    if (last === 'id') return blank ? t(`${KEY}id_required`) : t(`${KEY}id_format`);
    return t(`${KEY}id_format`);
  }
  if (path.length === 1 && typeof last === 'string' && COLLECTIONS.has(last) && issue.code === 'too_small') {
    return t(`${KEY}options_required`);
  }
  if (path.length === 1 && last === 'scale' && issue.code === 'too_small') {
    return t(`${KEY}scale_too_short`, { min: Number(issue.minimum) });
  }
  if (issue.code === 'invalid_type' && issue.expected === 'int') return t(`${KEY}not_an_integer`);
  if (issue.code === 'invalid_type' && issue.expected === 'number' && !blank) return t(`${KEY}not_a_number`);
  return issue.message;
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
