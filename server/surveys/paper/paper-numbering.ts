// The numbers printed on a paper questionnaire, which a clerk types back in (the entry grid uses
// the same ones). Questions are numbered in definition order across sections (1, 2, 3…), a likert
// matrix's rows as 5a, 5b…; a choice's number is its 1-based position in the question's options
// (or items), "Diğer" the number after the last; a likert row is answered with the scale point's
// position (1…n), "Bilgim yok" with n + 1; a rating with its value; a blank is no answer. Pure.
import type { LocalizedText } from '../../platform/schema';
import type { Translate } from '../../platform/i18n/i18n';
import { ratingRange } from '../survey-answers';
import { assertNever, OTHER_OPTION_ID, type Condition, type LeafCondition, type Option, type Question, type Survey } from '../survey-definition';

/** What a printed number stands for in one question. */
export interface NumberedChoice {
  number: number;
  /** The option, item or scale point's id; OTHER_OPTION_ID for "Diğer"; 'na' for "Bilgim yok"; a rating's value. */
  id: string;
  /** null: "Diğer", whose words the page supplies. */
  label: LocalizedText | null;
  kind: 'option' | 'other' | 'not_applicable' | 'value';
}

export interface PaperQuestion {
  /** "5" */
  number: string;
  question: Question;
  sectionIndex: number;
  choices: NumberedChoice[];
  /** A likert matrix's rows, each answered on a line of its own: 5a, 5b… */
  rows: { number: string; row: Option }[];
}

/** a, b, … z, aa, ab, …: the letters of a matrix's rows. */
export function rowLetter(index: number): string {
  let letters = '';
  let n = index;
  do {
    letters = String.fromCharCode(97 + (n % 26)) + letters;
    n = Math.floor(n / 26) - 1;
  } while (n >= 0);
  return letters;
}

const listed = (options: Option[], other: boolean): NumberedChoice[] => [
  ...options.map((option, i) => ({ number: i + 1, id: option.id, label: option.label, kind: 'option' as const })),
  ...(other ? [{ number: options.length + 1, id: OTHER_OPTION_ID, label: null, kind: 'other' as const }] : []),
];

/** The numbers a question is answered with on paper. */
export function numberedChoices(question: Question): NumberedChoice[] {
  switch (question.kind) {
    case 'single_choice':
    case 'multiple_choice':
    case 'select':
      return listed(question.options, question.other);
    case 'ranking':
      return listed(question.items, question.other);
    case 'likert_matrix':
      return [
        ...question.scale.map((point, i) => ({ number: i + 1, id: String(point.value), label: point.label, kind: 'option' as const })),
        ...(question.notApplicable ? [{ number: question.scale.length + 1, id: 'na', label: question.notApplicable, kind: 'not_applicable' as const }] : []),
      ];
    case 'rating': {
      const { min, max } = ratingRange(question);
      return Array.from({ length: max - min + 1 }, (_, i) => ({ number: min + i, id: String(min + i), label: null, kind: 'value' as const }));
    }
    case 'number':
    case 'short_text':
    case 'long_text':
    case 'date':
      return [];
    default:
      return assertNever(question);
  }
}

/** Every question of a survey with its printed number, in definition order. */
export function paperQuestions(survey: Pick<Survey, 'sections'>): PaperQuestion[] {
  const numbered: PaperQuestion[] = [];
  survey.sections.forEach((section, sectionIndex) => {
    for (const question of section.questions) {
      const number = String(numbered.length + 1);
      const rows = question.kind === 'likert_matrix' ? question.rows.map((row, i) => ({ number: `${number}${rowLetter(i)}`, row })) : [];
      numbered.push({ number, question, sectionIndex, choices: numberedChoices(question), rows });
    }
  });
  return numbered;
}

export interface ConditionWords {
  t: Translate;
  text: (value: LocalizedText) => string;
}

/**
 * A condition as the printed form says it, naming questions by number: "4. soruda “Evet” (1)
 * yanıtını verdiyseniz yanıtlayın." Combinations read as one sentence, nested ones in parentheses.
 */
export function conditionInWords(condition: Condition, numbered: PaperQuestion[], words: ConditionWords): string {
  const { t, text } = words;
  const byId = new Map(numbered.map((item) => [item.question.id, item]));
  const optionText = (item: PaperQuestion, id: string): string => {
    const choice = item.choices.find((c) => c.id === id);
    if (choice) return t('paper:condition.option', { label: choice.label ? text(choice.label) : t('surveys:other_option'), number: choice.number });
    // A banded number's band has no number of its own: its label says it.
    const band = item.question.kind === 'number' ? item.question.bands?.find((b) => b.id === id) : undefined;
    return t('paper:condition.band', { label: band ? text(band.label) : id });
  };
  const leaf = (condition: LeafCondition, key: 'condition' | 'condition.part'): string => {
    const item = byId.get(condition.question);
    if (!item) return '';
    const number = item.number;
    if ('equals' in condition) return t(`paper:${key}.equals`, { number, option: optionText(item, condition.equals) });
    if ('notEquals' in condition) return t(`paper:${key}.not_equals`, { number, option: optionText(item, condition.notEquals) });
    if ('includes' in condition) return t(`paper:${key}.includes`, { number, option: optionText(item, condition.includes) });
    if ('anyOf' in condition) {
      return t(`paper:${key}.any_of`, { number, options: condition.anyOf.map((id) => optionText(item, id)).join(t('paper:condition.or')) });
    }
    return assertNever(condition);
  };
  const part = (condition: Condition, nested: boolean): string => {
    if (!('all' in condition) && !('any' in condition)) return leaf(condition, 'condition.part');
    const [parts, joiner] = 'all' in condition ? [condition.all, 'paper:condition.and'] : [condition.any, 'paper:condition.or'];
    if (parts.length === 1) return part(parts[0]!, nested);
    const joined = parts.map((p) => part(p, true)).join(t(joiner));
    return nested ? `(${joined})` : joined;
  };
  return 'all' in condition || 'any' in condition ? t('paper:condition.only_if', { condition: part(condition, false) }) : leaf(condition, 'condition');
}
