// Rules a survey file's conditions and register maps must follow beyond their shape: every
// comparison names an earlier question and one of its options. Used by survey-catalog.
import type { Report } from './definition-problems';
import { conditionValues, type Condition, type Question } from './survey-definition';

/** Checks a condition (question or section showWhen) against the questions before it, to any depth of all/any. */
export function checkCondition(condition: Condition, earlier: ReadonlyMap<string, Question>, at: string, problem: Report): void {
  if ('all' in condition || 'any' in condition) {
    const [key, parts] = 'all' in condition ? (['all', condition.all] as const) : (['any', condition.any] as const);
    parts.forEach((part, i) => checkCondition(part, earlier, `${at}.${key}[${i}]`, problem));
    return;
  }
  const source = earlier.get(condition.question);
  if (!source) {
    problem(`${at}.question`, 'condition_not_earlier', { id: condition.question });
    return;
  }
  const values = conditionValues(source);
  if (!values) {
    problem(`${at}.question`, 'condition_source_kind', { kind: source.kind });
    return;
  }
  const isMultiple = source.kind === 'multiple_choice';
  if ('includes' in condition !== isMultiple) {
    problem(at, isMultiple ? 'condition_needs_includes' : 'condition_includes_not_multiple');
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
    if (!values.includes(value)) problem(at, 'condition_value_not_option', { value, question: source.id });
  }
}

/**
 * A register map fills the institution type from the stakeholder register, so it belongs on that
 * question only and must lead to one of its options (group ids are checked by the schema).
 */
export function checkRegisterMap(question: Question, at: string, problem: Report): void {
  if (!('registerMap' in question) || !question.registerMap) return;
  if (question.role !== 'profile.institution_type') {
    problem(`${at}.registerMap`, 'register_map_wrong_question');
    return;
  }
  const ids = new Set(question.options.map((o) => o.id));
  for (const [group, optionId] of Object.entries(question.registerMap)) {
    if (!ids.has(optionId!)) problem(`${at}.registerMap.${group}`, 'register_map_not_option', { option: optionId!, question: question.id });
  }
}
