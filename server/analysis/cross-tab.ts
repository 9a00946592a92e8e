// One question's answers broken down by the options of a single-choice question (e.g. satisfaction
// by mahalle): counts, row percentages and, for scales, the mean per group. Pure.
import { ratingRange } from '../surveys/survey-answers';
import { OTHER_OPTION_ID, type Question, type QuestionOf } from '../surveys/survey-definition';
import type { CrossCount } from './results.repository';
import { meanOf } from './survey-results';

export type Breakable = QuestionOf<'single_choice' | 'select' | 'multiple_choice' | 'rating' | 'likert_matrix'>;

export function isBreakable(question: Question): question is Breakable {
  return ['single_choice', 'select', 'multiple_choice', 'rating', 'likert_matrix'].includes(question.kind);
}

export function isGrouping(question: Question): question is QuestionOf<'single_choice' | 'select'> {
  return question.kind === 'single_choice' || question.kind === 'select';
}

export interface CrossColumn {
  /** An option id or a scale value. */
  key: string;
}

export interface CrossRow {
  /** The grouping option; 'total' for the last row. */
  group: string;
  n: number;
  cells: { key: string; count: number; percent: number }[];
  notApplicable: number;
  mean: number | null;
}

export interface CrossTab {
  columns: CrossColumn[];
  /** Whether the columns are a scale (then rows have a mean, and "Bilgim yok" is counted apart). */
  scale: boolean;
  rows: CrossRow[];
}

export function crossTabulate(
  by: QuestionOf<'single_choice' | 'select'>,
  question: Breakable,
  counts: CrossCount[],
  respondents: Map<string, number>,
): CrossTab {
  const scale = question.kind === 'rating' || question.kind === 'likert_matrix';
  const columns: CrossColumn[] =
    question.kind === 'rating'
      ? (() => {
          const { min, max } = ratingRange(question);
          return Array.from({ length: max - min + 1 }, (_, i) => ({ key: String(min + i) }));
        })()
      : question.kind === 'likert_matrix'
        ? question.scale.map((p) => ({ key: String(p.value) }))
        : [...question.options.map((o) => ({ key: o.id })), ...('other' in question && question.other ? [{ key: OTHER_OPTION_ID }] : [])];
  const keyOf = (c: CrossCount) => (scale ? String(c.value) : String(c.optionId));
  const groups = [...by.options.map((o) => o.id), ...(by.kind === 'single_choice' && by.other ? [OTHER_OPTION_ID] : [])];

  const row = (group: string, mine: CrossCount[], answered: number): CrossRow => {
    const notApplicable = mine.filter((c) => c.notApplicable).reduce((s, c) => s + c.count, 0);
    const n = scale ? answered - notApplicable : answered;
    const cells = columns.map((column) => {
      const count = mine.filter((c) => !c.notApplicable && keyOf(c) === column.key).reduce((s, c) => s + c.count, 0);
      return { key: column.key, count, percent: n > 0 ? (count / n) * 100 : 0 };
    });
    return {
      group,
      n,
      cells,
      notApplicable,
      mean: scale ? meanOf(cells.map((cell) => ({ value: Number(cell.key), count: cell.count }))) : null,
    };
  };

  const rows = groups.map((group) => row(group, counts.filter((c) => c.group === group), respondents.get(group) ?? 0));
  const total = row('total', counts, [...respondents.values()].reduce((s, n) => s + n, 0));
  return { columns, scale, rows: [...rows, total] };
}
