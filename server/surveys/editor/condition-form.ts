// The condition fields of the question and section forms: a first comparison (`showWhen.question`,
// `showWhen.operator`, `showWhen.value.<question>`), further ones (`showWhen.N.…`) joined by
// `showWhen.combine` ('all' | 'any'). A condition nested deeper than that (written in a file) has
// no fields: it travels in `showWhen.kept` and is saved unchanged.
import type { Condition, LeafCondition } from '../survey-definition';
import { CONDITION_OPERATORS, type ConditionOperator, type FormValues, type PostedForm } from './posted-form';

export const COMBINES = ['all', 'any'] as const;
const PREFIX = 'showWhen';

/** The prefix of the N-th comparison's fields: the first has the plain names the form always had. */
export const comparisonPrefix = (n: number): string => (n === 0 ? PREFIX : `${PREFIX}.${n}`);

/** True when the form cannot show the condition as comparisons joined by one combine. */
export function isNested(condition: Condition): boolean {
  if ('all' in condition || 'any' in condition) {
    const parts = 'all' in condition ? condition.all : condition.any;
    return parts.some((part) => 'all' in part || 'any' in part);
  }
  return false;
}

export function blankConditionValues(): FormValues {
  return { [`${PREFIX}.question`]: '', [`${PREFIX}.operator`]: 'equals', [`${PREFIX}.combine`]: 'all' };
}

export function conditionFormValues(condition: Condition | undefined): FormValues {
  const values = blankConditionValues();
  if (!condition) return values;
  if (isNested(condition)) return { ...values, [`${PREFIX}.kept`]: JSON.stringify(condition) };
  const combine = 'all' in condition ? 'all' : 'any' in condition ? 'any' : 'all';
  const leaves = ('all' in condition ? condition.all : 'any' in condition ? condition.any : [condition]) as LeafCondition[];
  values[`${PREFIX}.combine`] = combine;
  leaves.forEach((leaf, n) => {
    const at = comparisonPrefix(n);
    const [operator, value] = Object.entries(leaf).find(([key]) => key !== 'question')!;
    values[`${at}.question`] = leaf.question;
    values[`${at}.operator`] = operator;
    values[`${at}.value.${leaf.question}`] = Array.isArray(value) ? value.join(',') : String(value);
  });
  return values;
}

/** The numbers N of the further comparisons posted (`showWhen.N.question`). */
function furtherComparisons(body: Record<string, unknown>): number[] {
  const numbers = new Set<number>();
  for (const key of Object.keys(body)) {
    const match = /^showWhen\.(\d+)\.question$/.exec(key);
    if (match && Number(match[1]) > 0 && Number(match[1]) < 100) numbers.add(Number(match[1]));
  }
  return [...numbers].sort((a, b) => a - b);
}

/**
 * The posted condition: undefined when no comparison names a question, one comparison as it is,
 * several joined by the chosen combine. Problems are reported at the comparison's own fields.
 */
export function readCondition(form: PostedForm): Condition | undefined {
  const kept = form.raw(`${PREFIX}.kept`);
  if (kept !== '') {
    form.values[`${PREFIX}.kept`] = kept;
    try {
      return JSON.parse(kept) as Condition;
    } catch {
      form.errors.push({ field: `${PREFIX}.value`, key: 'invalid' });
      return undefined;
    }
  }
  const combine = form.text(`${PREFIX}.combine`) || 'all';
  const leaves: LeafCondition[] = [];
  let failed = false;
  // Comparisons are renumbered as read, so a refused form shows them without gaps, as the errors are.
  let shown = 0;
  for (const n of [0, ...furtherComparisons(form.body)]) {
    const read = readComparison(form, comparisonPrefix(n), comparisonPrefix(shown));
    if (read === 'blank') continue;
    shown++;
    if (read === 'failed') failed = true;
    else leaves.push(read);
  }
  if (!(COMBINES as readonly string[]).includes(combine)) {
    form.errors.push({ field: `${PREFIX}.combine`, key: 'invalid_choice' });
    return undefined;
  }
  if (failed || leaves.length === 0) return undefined;
  if (leaves.length === 1) return leaves[0];
  return combine === 'any' ? { any: leaves } : { all: leaves };
}

function readComparison(form: PostedForm, from: string, to: string): LeafCondition | 'blank' | 'failed' {
  const question = form.raw(`${from}.question`);
  const operator = form.raw(`${from}.operator`);
  if (question === '') {
    if (from === PREFIX) {
      form.values[`${PREFIX}.question`] = '';
      form.values[`${PREFIX}.operator`] = operator || 'equals';
    }
    return 'blank';
  }
  const values = form
    .all(`${from}.value.${question}`)
    .flatMap((value) => value.split(','))
    .map((value) => value.trim())
    .filter((value) => value !== '');
  form.values[`${to}.question`] = question;
  form.values[`${to}.operator`] = operator;
  form.values[`${to}.value.${question}`] = values.join(',');
  if (!(CONDITION_OPERATORS as readonly string[]).includes(operator)) {
    form.errors.push({ field: `${to}.operator`, key: 'invalid_choice' });
    return 'failed';
  }
  if (values.length === 0) {
    form.errors.push({ field: `${to}.value`, key: 'choose_value' });
    return 'failed';
  }
  switch (operator as ConditionOperator) {
    case 'anyOf':
      return { question, anyOf: values };
    case 'equals':
    case 'notEquals':
    case 'includes':
      if (values.length > 1) {
        form.errors.push({ field: `${to}.value`, key: 'one_value' });
        return 'failed';
      }
      return { question, [operator]: values[0]! } as LeafCondition;
  }
}
