// Rules a survey file's conditions and register maps must follow beyond their shape: every
// comparison names an earlier question and one of its options. Used by survey-catalog.
import { conditionValues, type Condition, type Question } from './survey-definition';

type Problem = (at: string, message: string) => void;

/** Checks a condition (question or section showWhen) against the questions before it, to any depth of all/any. */
export function checkCondition(condition: Condition, earlier: ReadonlyMap<string, Question>, at: string, problem: Problem): void {
  if ('all' in condition || 'any' in condition) {
    const [key, parts] = 'all' in condition ? (['all', condition.all] as const) : (['any', condition.any] as const);
    parts.forEach((part, i) => checkCondition(part, earlier, `${at}.${key}[${i}]`, problem));
    return;
  }
  const source = earlier.get(condition.question);
  if (!source) {
    problem(`${at}.question`, `must be the id of an earlier question (got "${condition.question}")`);
    return;
  }
  const values = conditionValues(source);
  if (!values) {
    problem(`${at}.question`, `a ${source.kind} question cannot control visibility; use a choice or select question, or a number with bands`);
    return;
  }
  const isMultiple = source.kind === 'multiple_choice';
  if ('includes' in condition !== isMultiple) {
    problem(at, isMultiple ? 'use "includes" for a multiple_choice question' : '"includes" works only on multiple_choice questions');
    return;
  }
  const compared =
    'equals' in condition
      ? [condition.equals]
      : 'notEquals' in condition
        ? [condition.notEquals]
        : 'includes' in condition
          ? [condition.includes]
          : condition.anyOf;
  for (const value of compared) {
    if (!values.includes(value)) problem(at, `"${value}" is not an option of question "${source.id}"`);
  }
}

/**
 * A register map fills the institution type from the stakeholder register, so it belongs on that
 * question only and must lead to one of its options (group ids are checked by the schema).
 */
export function checkRegisterMap(question: Question, at: string, problem: Problem): void {
  if (!('registerMap' in question) || !question.registerMap) return;
  if (question.role !== 'profile.institution_type') {
    problem(`${at}.registerMap`, 'only the institution type question (role "profile.institution_type") is filled from the register');
    return;
  }
  const ids = new Set(question.options.map((o) => o.id));
  for (const [group, optionId] of Object.entries(question.registerMap)) {
    if (!ids.has(optionId!)) problem(`${at}.registerMap.${group}`, `"${optionId}" is not an option of question "${question.id}"`);
  }
}
