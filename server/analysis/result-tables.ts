// Every result as a plain table (labelled columns, rows of cells): the results page prints these,
// the results XLSX writes them, so both always show the same numbers. Pure.
import type { Translate } from '../platform/i18n/i18n';
import type { LocalizedText } from '../platform/schema';
import type { Cell } from '../platform/export/writers';
import { OTHER_OPTION_ID, type Option } from '../surveys/survey-definition';
import { assertNever } from '../surveys/survey-definition';
import { isSuppressed, type QuestionResult } from './survey-results';
import type { CrossTab } from './cross-tab';

export type ColumnType = 'label' | 'count' | 'percent' | 'decimal';

export interface ResultTable {
  questionId: string;
  title: string;
  /** series: a scale point's share, drawn as one part of a stacked bar. */
  columns: { label: string; type: ColumnType; series?: boolean }[];
  rows: Cell[][];
  /** Figures shown beside the table: n, mean, median… */
  stats: { label: string; value: Cell; type: ColumnType }[];
  /** How the page script draws it: bars of the first count column, or stacked shares. */
  chart: 'bar' | 'stacked' | null;
}

export interface TableWords {
  t: Translate;
  text: (value: LocalizedText) => string;
}

/** Shown instead of a breakdown count that rests on fewer than five respondents. */
export const SUPPRESSED = '<5';

const round = (value: number | null, digits = 1): number | null => (value === null ? null : Math.round(value * 10 ** digits) / 10 ** digits);

export function resultTable(result: QuestionResult, words: TableWords, suppress: boolean): ResultTable {
  const { t, text } = words;
  const optionLabel = (options: Option[], id: string) => (id === OTHER_OPTION_ID ? t('surveys:other_option') : text(options.find((o) => o.id === id)!.label));
  const base = { questionId: result.question.id, title: text(result.question.text) };
  const n = { label: t('results:n'), value: result.kind === 'likert' ? null : result.n, type: 'count' as const };
  let table: ResultTable;
  switch (result.kind) {
    case 'choice':
      table = {
        ...base,
        columns: [
          { label: t('results:option'), type: 'label' },
          { label: t('results:count'), type: 'count' },
          { label: result.question.kind === 'multiple_choice' ? t('results:percent_of_respondents') : t('results:percent'), type: 'percent' },
        ],
        rows: result.options.map((o) => [optionLabel(result.question.options, o.id), o.count, round(o.percent)]),
        stats: [n],
        chart: 'bar',
      };
      break;
    case 'likert': {
      const scale = result.question.scale;
      table = {
        ...base,
        columns: [
          { label: t('results:row'), type: 'label' },
          { label: t('results:n_without_na'), type: 'count' },
          ...scale.map((point) => ({ label: `${point.value} ${text(point.label)} (%)`, type: 'percent' as const, series: true })),
          { label: `${result.question.notApplicable ? text(result.question.notApplicable) : t('results:not_applicable')} (%)`, type: 'percent' },
          { label: t('results:mean'), type: 'decimal' },
          { label: t('results:satisfaction_rate'), type: 'percent' },
        ],
        rows: result.rows.map((row) => [
          text(result.question.rows.find((r) => r.id === row.id)!.label),
          row.n,
          ...row.points.map((p) => round(p.percent)),
          round(row.notApplicablePercent),
          round(row.mean, 2),
          round(row.topTwoPercent),
        ]),
        stats: [],
        chart: 'stacked',
      };
      break;
    }
    case 'rating':
      table = {
        ...base,
        columns: [
          { label: t('results:score'), type: 'label' },
          { label: t('results:count'), type: 'count' },
          { label: t('results:percent'), type: 'percent' },
        ],
        rows: result.points.map((p) => [String(p.value), p.count, round(p.percent)]),
        stats: [
          n,
          { label: t('results:mean'), value: round(result.mean, 2), type: 'decimal' },
          { label: t('results:median'), value: result.median, type: 'decimal' },
          ...(result.nps !== null ? [{ label: t('results:nps'), value: round(result.nps), type: 'decimal' as const }] : []),
        ],
        chart: 'bar',
      };
      break;
    case 'ranking':
      table = {
        ...base,
        columns: [
          { label: t('results:option'), type: 'label' },
          { label: t('results:chosen'), type: 'count' },
          { label: t('results:percent_of_respondents'), type: 'percent' },
          { label: t('results:first_choice'), type: 'count' },
          { label: t('results:weighted_score', { places: result.question.rankCount }), type: 'decimal' },
          { label: t('results:rank'), type: 'decimal' },
        ],
        rows: [...result.items]
          .sort((a, b) => a.rank - b.rank)
          .map((item) => [optionLabel(result.question.items, item.id), item.chosen, round(item.chosenPercent), item.first, item.score, item.rank]),
        stats: [n],
        chart: 'bar',
      };
      break;
    case 'number':
      table = {
        ...base,
        columns: [],
        rows: [],
        stats: [
          n,
          { label: t('results:mean'), value: round(result.mean, 2), type: 'decimal' },
          { label: t('results:median'), value: result.median, type: 'decimal' },
          { label: t('results:min'), value: result.min, type: 'decimal' },
          { label: t('results:max'), value: result.max, type: 'decimal' },
        ],
        chart: null,
      };
      break;
    case 'date':
      table = {
        ...base,
        columns: [
          { label: t('results:month'), type: 'label' },
          { label: t('results:count'), type: 'count' },
        ],
        rows: result.months.map((m) => [m.month, m.count]),
        stats: [n, { label: t('results:earliest'), value: result.min, type: 'label' }, { label: t('results:latest'), value: result.max, type: 'label' }],
        chart: 'bar',
      };
      break;
    case 'text':
      table = { ...base, columns: [], rows: [], stats: [n], chart: null };
      break;
    default:
      return assertNever(result);
  }
  return suppress ? suppressed(table) : table;
}

/**
 * Hides what could single people out in a breakdown: a count of 1–4 becomes "<5" and the share
 * next to it is dropped; a row whose base is under five loses all its figures.
 */
export function suppressed(table: ResultTable): ResultTable {
  const rows = table.rows.map((row) => {
    // A likert row's shares all rest on its base, the n in the second column.
    if (table.chart === 'stacked') {
      const rowBase = row[1];
      return typeof rowBase === 'number' && isSuppressed(rowBase) ? row.map((cell, i) => (i === 0 ? cell : i === 1 ? SUPPRESSED : null)) : row;
    }
    return row.map((cell, i) => {
      const type = table.columns[i]!.type;
      if (type === 'count' && typeof cell === 'number' && isSuppressed(cell)) return SUPPRESSED;
      const previous = row[i - 1];
      if (type === 'percent' && table.columns[i - 1]?.type === 'count' && typeof previous === 'number' && isSuppressed(previous)) return null;
      return cell;
    });
  });
  const stats = table.stats.map((stat) => (stat.type === 'count' && typeof stat.value === 'number' && isSuppressed(stat.value) ? { ...stat, value: SUPPRESSED } : stat));
  const tooFew = stats.some((stat) => stat.value === SUPPRESSED);
  return {
    ...table,
    rows,
    stats: tooFew ? stats.map((stat) => (stat.value === SUPPRESSED ? stat : { ...stat, value: null })) : stats,
  };
}

/** A cross-tab as a table: a row per group, counts and row percentages, the mean for scales. */
export function crossTable(crossTab: CrossTab, labels: { group: (id: string) => string; column: (key: string) => string }, words: TableWords): ResultTable {
  const { t } = words;
  const rows: Cell[][] = crossTab.rows.map((row) => {
    const hidden = isSuppressed(row.n);
    const cells: Cell[] = [row.group === 'total' ? t('results:total') : labels.group(row.group), hidden ? SUPPRESSED : row.n];
    for (const cell of row.cells) {
      cells.push(hidden ? null : isSuppressed(cell.count) ? SUPPRESSED : cell.count);
      cells.push(hidden || isSuppressed(cell.count) ? null : round(cell.percent));
    }
    if (crossTab.scale) {
      cells.push(hidden ? null : isSuppressed(row.notApplicable) ? SUPPRESSED : row.notApplicable);
      cells.push(hidden ? null : round(row.mean, 2));
    }
    return cells;
  });
  return {
    questionId: 'crosstab',
    title: t('results:crosstab'),
    columns: [
      { label: t('results:group'), type: 'label' },
      { label: t('results:n'), type: 'count' },
      ...crossTab.columns.flatMap((column) => [
        { label: labels.column(column.key), type: 'count' as const },
        { label: t('results:row_percent'), type: 'percent' as const },
      ]),
      ...(crossTab.scale
        ? [
            { label: t('results:not_applicable'), type: 'count' as const },
            { label: t('results:mean'), type: 'decimal' as const },
          ]
        : []),
    ],
    rows,
    stats: [],
    chart: null,
  };
}
