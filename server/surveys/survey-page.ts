// Builds what a section page shows from the definition, the saved fields and the errors, so the
// templates only print. Pure: translation comes in as a function.
import type { Translate } from '../platform/i18n/i18n';
import { localize } from '../platform/i18n/localize';
import { fieldNames, otherTextTyped, type FormFields } from './survey-answers';
import { OTHER_OPTION_ID, type Condition, type LeafCondition, type Question, type QuestionKind, type Survey } from './survey-definition';
import { dependsOn, leafHolds, questionsToRender, visibleSections, type Evaluation, type QuestionError } from './survey-flow';

/** A condition as the page script gets it: a comparison with another page's answer is replaced by its outcome. */
type ScriptCondition = LeafCondition | { holds: boolean } | { all: ScriptCondition[] } | { any: ScriptCondition[] };

/**
 * The template of each kind, relative to views/surveys/section.ejs. Typed by the schema's kinds so that
 * a new kind does not compile until it has a template, instead of failing at run time on an include.
 */
export const QUESTION_PARTIALS: Readonly<Record<QuestionKind, string>> = {
  single_choice: 'questions/single_choice',
  multiple_choice: 'questions/multiple_choice',
  likert_matrix: 'questions/likert_matrix',
  rating: 'questions/rating',
  ranking: 'questions/ranking',
  short_text: 'questions/short_text',
  long_text: 'questions/long_text',
  number: 'questions/number',
  date: 'questions/date',
  select: 'questions/select',
};

export interface QuestionView {
  question: Question;
  /** The template that renders it (QUESTION_PARTIALS). */
  partial: string;
  /** A number question's allowed values in words, when it has a minimum or a maximum. */
  rangeHint?: string;
  /** ids of the help, condition and error texts, for aria-describedby. */
  describedBy: string;
  condition?: string;
  error?: { message: string; field: string };
  /** The condition as JSON for the page script, when it depends on an answer on the same page. */
  showWhen?: string;
  /**
   * Set when the question shows no answer and no error: its HTML then depends only on what this
   * key names, so it can be rendered once and reused (see platform/http/fragments).
   */
  fragmentKey?: string;
}

export interface SectionPage {
  survey: Survey;
  sectionIndex: number;
  /** 1-based position among the sections the person sees, and how many they see. */
  position: number;
  total: number;
  isLast: boolean;
  questions: QuestionView[];
  errors: { questionId: string; label: string; message: string; href: string }[];
  value(field: string): string;
  isChosen(field: string, value: string): boolean;
}

const isEmpty = (value: FormFields[string] | undefined) => value === undefined || value === '' || (Array.isArray(value) && value.length === 0);

/**
 * A question's text as the lead of "question: message" (error summaries, captions): without its
 * own closing colon, full stop, question mark, exclamation mark or ellipsis, which would double
 * the punctuation ("Yaşı:: …", "var mı?: …"). A text of punctuation only stays as it is.
 */
export function leadIn(text: string): string {
  return text.replace(/[\s:.?!…;,]+$/u, '') || text;
}

/** The id of a field's input; the first input of a group gets the bare id so error links reach it. */
export function fieldId(field: string): string {
  return `f-${field.replace(/\./g, '-')}`;
}

export function buildSectionPage(input: {
  survey: Survey;
  sectionIndex: number;
  evaluation: Evaluation;
  values: FormFields;
  errors: QuestionError[];
  language: string;
  t: Translate;
  /** Formats an ISO date (YYYY-MM-DD) for people, e.g. 21.11.2026. */
  formatDate: (isoDate: string) => string;
  /** Questions answered beforehand (by id): not shown. */
  hidden?: string[];
}): SectionPage {
  const { survey, sectionIndex, evaluation, values, language, t } = input;
  const visible = visibleSections(survey, evaluation);
  const position = visible.includes(sectionIndex)
    ? visible.indexOf(sectionIndex) + 1
    : visible.filter((index) => index < sectionIndex).length + 1;
  const total = Math.max(visible.length, position);
  const text = (value: Parameters<typeof localize>[0]) => localize(value, language).text;
  const byId = new Map(survey.sections.flatMap((s) => s.questions).map((q) => [q.id, q]));
  const errorsById = new Map(input.errors.map((error) => [error.questionId, error]));
  const hidden = new Set(input.hidden ?? []);
  const rendered = questionsToRender(survey, sectionIndex, evaluation).filter((q) => !hidden.has(q.id));
  const onPage = new Set(rendered.map((q) => q.id));

  const optionLabel = (question: Question, optionId: string): string => {
    if (optionId === OTHER_OPTION_ID) return t('surveys:other_option');
    const options = 'options' in question ? question.options : question.kind === 'number' ? (question.bands ?? []) : [];
    const option = options.find((o) => o.id === optionId);
    return option ? text(option.label) : optionId;
  };
  const leafText = (condition: LeafCondition, key: 'condition' | 'condition.part'): string => {
    const source = byId.get(condition.question)!;
    const question = text(source.text);
    if ('equals' in condition) return t(`surveys:${key}.equals`, { question, option: optionLabel(source, condition.equals) });
    if ('notEquals' in condition) {
      return t(`surveys:${key}.not_equals`, { question, option: optionLabel(source, condition.notEquals) });
    }
    if ('includes' in condition) return t(`surveys:${key}.includes`, { question, option: optionLabel(source, condition.includes) });
    return t(`surveys:${key}.any_of`, {
      question,
      options: condition.anyOf.map((id) => optionLabel(source, id)).join(t('surveys:condition.or')),
    });
  };
  // A combination reads as one sentence: its parts joined by "and"/"or", nested ones in parentheses.
  const partText = (condition: Condition, nested: boolean): string => {
    if (!('all' in condition) && !('any' in condition)) return leafText(condition, 'condition.part');
    const [parts, joiner] = 'all' in condition ? [condition.all, 'surveys:condition.and'] : [condition.any, 'surveys:condition.or'];
    if (parts.length === 1) return partText(parts[0]!, nested);
    const joined = parts.map((part) => partText(part, true)).join(t(joiner));
    return nested ? `(${joined})` : joined;
  };
  const conditionText = (condition: Condition): string =>
    'all' in condition || 'any' in condition ? t('surveys:condition.only_if', { condition: partText(condition, false) }) : leafText(condition, 'condition');
  // The page script sees only this page's answers: comparisons with earlier pages go to it already decided.
  const forScript = (condition: Condition): ScriptCondition => {
    if ('all' in condition) return { all: condition.all.map(forScript) };
    if ('any' in condition) return { any: condition.any.map(forScript) };
    return onPage.has(condition.question) ? condition : { holds: leafHolds(condition, evaluation.answers.get(condition.question)) };
  };
  // Decimals the reader's way (0,5 in Turkish); no grouping, which a number typed back would not take.
  const numberFormat = new Intl.NumberFormat(language, { maximumFractionDigits: 6, useGrouping: false });
  const message = (question: Question, error: QuestionError): string => {
    const params: Record<string, string | number> = { ...error.params };
    if (typeof params.option === 'string') params.option = optionLabel(question, params.option);
    if (question.kind === 'date') {
      for (const key of ['min', 'max'] as const) if (typeof params[key] === 'string') params[key] = input.formatDate(params[key]);
    }
    if (question.kind === 'number') {
      for (const key of ['min', 'max'] as const) if (typeof params[key] === 'number') params[key] = numberFormat.format(params[key]);
    }
    return t(`validation:${error.code}`, params);
  };
  const rangeHint = (question: Question): string | undefined => {
    if (question.kind !== 'number') return undefined;
    const [min, max] = [question.min, question.max].map((end) => (end === undefined ? undefined : numberFormat.format(end)));
    if (min !== undefined && max !== undefined) return t('surveys:number_range', { min, max });
    if (min !== undefined) return t('surveys:number_min', { min });
    if (max !== undefined) return t('surveys:number_max', { max });
    return undefined;
  };

  const questions = rendered.map((question): QuestionView => {
    const error = errorsById.get(question.id);
    // A same-page condition is explained in words (pages work without JavaScript) and mirrored by the script.
    const dependsOnPage = dependsOn(question.showWhen, onPage);
    const described = [
      question.help ? `h-${question.id}` : undefined,
      question.kind === 'rating' && (question.minLabel || question.maxLabel) ? `s-${question.id}` : undefined,
      dependsOnPage ? `c-${question.id}` : undefined,
      error ? `e-${question.id}` : undefined,
    ].filter(Boolean);
    const hint = rangeHint(question);
    const view: QuestionView = {
      question,
      partial: QUESTION_PARTIALS[question.kind],
      ...(hint ? { rangeHint: hint } : {}),
      describedBy: described.join(' '),
      ...(dependsOnPage ? { condition: conditionText(question.showWhen!), showWhen: JSON.stringify(forScript(question.showWhen!)) } : {}),
      ...(error ? { error: { message: message(question, error), field: error.field } } : {}),
    };
    const blank = !error && fieldNames(question).every((field) => isEmpty(values[field]));
    // `required` too: data entry draws the same survey (same hash) with every question optional.
    if (blank) view.fragmentKey = [survey.hash, language, question.id, question.required ? 'required' : '', view.describedBy, view.showWhen ?? '', view.condition ?? ''].join('\u0000');
    return view;
  });

  const single = (field: string): string => {
    const value = values[field];
    return typeof value === 'string' ? value : '';
  };
  return {
    survey,
    sectionIndex,
    position,
    total,
    isLast: visible.every((index) => index <= sectionIndex),
    questions,
    errors: questions
      .filter((view) => view.error)
      .map((view) => ({
        questionId: view.question.id,
        label: leadIn(text(view.question.text)),
        message: view.error!.message,
        href: `#${fieldId(view.error!.field)}`,
      })),
    value: single,
    isChosen(field, value) {
      const current = values[field];
      if (Array.isArray(current) ? current.includes(value) : current === value) return true;
      // Text in the "other" box chose "other" (see parseQuestion), unless a single choice already
      // holds another option: that is an error shown at the box.
      const question = value === OTHER_OPTION_ID ? byId.get(field) : undefined;
      return question !== undefined && otherTextTyped(question, values) && (question.kind === 'multiple_choice' || isEmpty(current));
    },
  };
}
