// One question's answers broken down by the options of a single-choice question (e.g. satisfaction
// by mahalle): counts and row percentages for choices and scales, the mean (and median) for scales
// and numbers, how many answered for texts and dates. Pure.
import { assertNever, bandCategory, OTHER_OPTION_ID, OUTSIDE_BANDS_ID, ratingRange, type Band, type Question, type QuestionOf } from '../surveys';
import type { CrossCount } from './results.repository';
import { meanOf, medianOf } from './survey-results';

/** What a cross-tab can break answers down by: a single choice, a drop-down or a banded number (by band). */
export type Grouping = QuestionOf<'single_choice' | 'select'> | (QuestionOf<'number'> & { bands: Band[] });

export function isGrouping(question: Question): question is Grouping {
  return question.kind === 'single_choice' || question.kind === 'select' || (question.kind === 'number' && question.bands !== undefined);
}

/** The groups of a grouping question, in order: its options (and "other"), or its bands and "outside every band". */
export function groupsOf(by: Grouping): string[] {
  if (by.kind === 'number') return [...by.bands.map((band) => band.id), OUTSIDE_BANDS_ID];
  return [...by.options.map((o) => o.id), ...(by.other ? [OTHER_OPTION_ID] : [])];
}

/**
 * A banded number's cross counts come grouped by its value (the band is not stored): they are
 * added up per band here. A respondent has one value, so per-value distinct counts add up.
 */
export function countsByBand(bands: readonly Band[], counts: CrossCount[], respondents: Map<string, number>): { counts: CrossCount[]; respondents: Map<string, number> } {
  const bandOfGroup = (group: string) => bandCategory(bands, Number(group));
  const merged = new Map<string, CrossCount>();
  for (const c of counts) {
    const group = bandOfGroup(c.group);
    const key = JSON.stringify([group, c.optionId, c.value, c.notApplicable]);
    const entry = merged.get(key);
    if (entry) entry.count += c.count;
    else merged.set(key, { ...c, group });
  }
  const byBand = new Map<string, number>();
  for (const [group, n] of respondents) byBand.set(bandOfGroup(group), (byBand.get(bandOfGroup(group)) ?? 0) + n);
  return { counts: [...merged.values()], respondents: byBand };
}

export interface CrossRow {
  /** The grouping option; 'total' for the last row. */
  group: string;
  /** Respondents of the group who answered (for scales, without "Bilgim yok"). */
  n: number;
  cells: { key: string; count: number; percent: number }[];
  notApplicable: number;
  mean: number | null;
  median: number | null;
}

export interface CrossTab {
  /** Option ids, items or scale values; none for numbers, dates and texts. */
  columns: { key: string }[];
  /** Rating and likert: rows have a mean, and "Bilgim yok" is counted apart. */
  scale: boolean;
  /** Numbers: rows have a mean and a median. */
  numeric: boolean;
  /** A respondent falls in exactly one column, so a row's counts add up to its n. */
  partition: boolean;
  rows: CrossRow[];
}

interface Layout {
  columns: { key: string }[];
  scale: boolean;
  numeric: boolean;
  partition: boolean;
  keyOf: (c: CrossCount) => string;
}

function layoutOf(question: Question): Layout {
  const byOption = (c: CrossCount) => String(c.optionId);
  const byValue = (c: CrossCount) => String(c.value);
  const options = (ids: string[], other: boolean) => [...ids, ...(other ? [OTHER_OPTION_ID] : [])].map((key) => ({ key }));
  switch (question.kind) {
    case 'single_choice':
      return { columns: options(question.options.map((o) => o.id), question.other), scale: false, numeric: false, partition: true, keyOf: byOption };
    case 'select':
      return { columns: options(question.options.map((o) => o.id), question.other), scale: false, numeric: false, partition: true, keyOf: byOption };
    case 'multiple_choice':
      return { columns: options(question.options.map((o) => o.id), question.other), scale: false, numeric: false, partition: false, keyOf: byOption };
    case 'ranking':
      return { columns: options(question.items.map((i) => i.id), question.other), scale: false, numeric: false, partition: false, keyOf: byOption };
    case 'rating': {
      const { min, max } = ratingRange(question);
      return {
        columns: Array.from({ length: max - min + 1 }, (_, i) => ({ key: String(min + i) })),
        scale: true,
        numeric: false,
        partition: true,
        keyOf: byValue,
      };
    }
    case 'likert_matrix':
      return { columns: question.scale.map((p) => ({ key: String(p.value) })), scale: true, numeric: false, partition: true, keyOf: byValue };
    case 'number': {
      if (!question.bands) return { columns: [], scale: false, numeric: true, partition: false, keyOf: byValue };
      // Banded: a column per band beside the mean and median; each respondent is in one band.
      const bands = question.bands;
      return {
        columns: [...bands.map((band) => band.id), OUTSIDE_BANDS_ID].map((key) => ({ key })),
        scale: false,
        numeric: true,
        partition: true,
        keyOf: (c) => (c.value === null ? '' : bandCategory(bands, c.value)),
      };
    }
    case 'date':
    case 'short_text':
    case 'long_text':
      return { columns: [], scale: false, numeric: false, partition: false, keyOf: byValue };
    default:
      return assertNever(question);
  }
}

export function crossTabulate(by: Grouping, question: Question, counts: CrossCount[], respondents: Map<string, number>): CrossTab {
  const layout = layoutOf(question);
  // A banded number's "outside every band" column shows only when someone is in it.
  const columns = layout.columns.filter(
    (column) => question.kind !== 'number' || column.key !== OUTSIDE_BANDS_ID || counts.some((c) => layout.keyOf(c) === OUTSIDE_BANDS_ID),
  );
  // "Outside every band" is a row only when someone is in it, as in the band tables.
  const groups = groupsOf(by).filter((group) => group !== OUTSIDE_BANDS_ID || (respondents.get(group) ?? 0) > 0);

  const row = (group: string, mine: CrossCount[], answered: number): CrossRow => {
    const notApplicable = mine.filter((c) => c.notApplicable).reduce((s, c) => s + c.count, 0);
    const n = layout.scale ? answered - notApplicable : answered;
    const cells = columns.map((column) => {
      const count = mine.filter((c) => !c.notApplicable && layout.keyOf(c) === column.key).reduce((s, c) => s + c.count, 0);
      return { key: column.key, count, percent: n > 0 ? (count / n) * 100 : 0 };
    });
    const frequencies = layout.scale
      ? cells.map((cell) => ({ value: Number(cell.key), count: cell.count }))
      : layout.numeric
        ? mine.filter((c) => c.value !== null).map((c) => ({ value: c.value!, count: c.count }))
        : [];
    return {
      group,
      n,
      cells,
      notApplicable,
      mean: layout.scale || layout.numeric ? meanOf(frequencies) : null,
      median: layout.numeric ? medianOf(frequencies) : null,
    };
  };

  const rows = groups.map((group) => row(group, counts.filter((c) => c.group === group), respondents.get(group) ?? 0));
  const total = row('total', counts, [...respondents.values()].reduce((s, n) => s + n, 0));
  return { columns, scale: layout.scale, numeric: layout.numeric, partition: layout.partition, rows: [...rows, total] };
}
