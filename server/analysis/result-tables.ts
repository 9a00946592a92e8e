// Every result as a plain table (labelled columns, rows of cells): the results page prints these,
// the results XLSX writes them, so both always show the same numbers. In a breakdown, counts that
// could single people out are hidden here, with everything that would give them away. Pure.
import type { Cell } from '../platform/export/writers';
import type { Translate } from '../platform/i18n/i18n';
import type { LocalizedText } from '../platform/schema';
import { assertNever, matrixRowGroups, OTHER_OPTION_ID, OUTSIDE_BANDS_ID, type Option, type Question, type QuestionOf } from '../surveys';
import type { CrossTab } from './cross-tab';
import { hiddenCells, isSmall, SUPPRESSION_THRESHOLD } from './suppression';
import type { QuestionResult, Unanswered } from './survey-results';

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
  /** A matrix's row groups: each heading goes before the row at index start. */
  groups?: { title: string; start: number }[];
  /** A note under the figures (what the "Yanıtsız" count covers for a conditional question). */
  note?: string;
}

/** The table's rows with each group heading as a row of its own before its rows (for sheets). */
export function rowsWithGroupHeadings(table: ResultTable): Cell[][] {
  if (!table.groups) return table.rows;
  const starts = new Map(table.groups.map((group) => [group.start, group.title]));
  return table.rows.flatMap((row, i) => (starts.has(i) ? [[starts.get(i)!], row] : [row]));
}

export interface TableWords {
  t: Translate;
  text: (value: LocalizedText) => string;
}

/** Shown instead of a breakdown count that rests on fewer than five respondents. */
export const SUPPRESSED = '<5';

const round = (value: number | null, digits = 1): number | null => (value === null ? null : Math.round(value * 10 ** digits) / 10 ** digits);

/** The label of an option, an item, a likert row, a band, "Diğer (belirtiniz)" or "outside every band". */
export function optionLabel(options: Option[], id: string, words: TableWords): string {
  if (id === OTHER_OPTION_ID) return words.t('surveys:other_option');
  if (id === OUTSIDE_BANDS_ID) return words.t('surveys:outside_bands');
  const option = options.find((o) => o.id === id);
  return option ? words.text(option.label) : id;
}

/**
 * suppress: the result is a breakdown (filtered), so counts of 1–4 and what would reveal them are
 * hidden; a question answered by fewer than five shows nothing but that.
 */
export function resultTable(result: QuestionResult, words: TableWords, suppress: boolean): ResultTable {
  const { t, text } = words;
  const base = { questionId: result.question.id, title: text(result.question.text) };
  const count = (value: number, hidden: boolean): Cell => (hidden ? SUPPRESSED : value);
  const share = (value: number, hidden: boolean): Cell => (hidden ? null : round(value));
  const nStat = (n: number) => ({ label: t('results:n'), value: suppress && isSmall(n) ? SUPPRESSED : n, type: 'count' as const });
  const tooFew = (n: number) => suppress && n < SUPPRESSION_THRESHOLD;

  switch (result.kind) {
    case 'choice': {
      const counts = result.options.map((o) => o.count);
      // A single choice's options add up to n, so one hidden count could be worked back.
      const partition = result.question.kind !== 'multiple_choice';
      const hidden = suppress ? hiddenCells([counts], { rowTotals: partition, columnTotals: false }) : undefined;
      const all = tooFew(result.n) || Boolean(hidden?.rowTotals[0]);
      return {
        ...base,
        columns: [
          { label: t('results:option'), type: 'label' },
          { label: t('results:count'), type: 'count' },
          { label: result.question.kind === 'multiple_choice' ? t('results:percent_of_respondents') : t('results:percent'), type: 'percent' },
        ],
        rows: result.options.map((o, i) => {
          const h = all || Boolean(hidden?.cells[0]![i]);
          return [optionLabel(result.question.options, o.id, words), count(o.count, h && o.count > 0), share(o.percent, h)];
        }),
        stats: [nStat(result.n)],
        chart: 'bar',
      };
    }
    case 'likert': {
      const scale = result.question.scale;
      const values = scale.map((p) => p.value);
      const topTwo = values.slice(-2);
      return {
        ...base,
        columns: [
          { label: t('results:row'), type: 'label' },
          { label: t('results:n_without_na'), type: 'count' },
          ...scale.map((point) => ({ label: `${point.value} ${text(point.label)} (%)`, type: 'percent' as const, series: true })),
          { label: `${result.question.notApplicable ? text(result.question.notApplicable) : t('results:not_applicable')} (%)`, type: 'percent' },
          { label: t('results:mean'), type: 'decimal' },
          { label: t('results:satisfaction_rate'), type: 'percent' },
        ],
        rows: result.rows.map((row) => {
          const label = optionLabel(result.question.rows, row.id, words);
          // The points and "Bilgim yok" add up to everyone who answered the row.
          const hidden = suppress ? hiddenCells([[...row.points.map((p) => p.count), row.notApplicable]], { rowTotals: true, columnTotals: false }) : undefined;
          const all = tooFew(row.n) || Boolean(hidden?.rowTotals[0]);
          const isHidden = (i: number) => all || Boolean(hidden?.cells[0]![i]);
          const topHidden = row.points.some((p, i) => topTwo.includes(p.value) && isHidden(i));
          return [
            label,
            all ? SUPPRESSED : row.n,
            ...row.points.map((p, i) => share(p.percent, isHidden(i))),
            share(row.notApplicablePercent, isHidden(row.points.length)),
            all ? null : round(row.mean, 2),
            topHidden || row.topTwoPercent === null ? null : round(row.topTwoPercent),
          ];
        }),
        stats: [],
        chart: 'stacked',
        ...(result.question.rowGroups ? { groups: groupStarts(result.question, text) } : {}),
      };
    }
    case 'rating': {
      const hidden = suppress ? hiddenCells([result.points.map((p) => p.count)], { rowTotals: true, columnTotals: false }) : undefined;
      const all = tooFew(result.n) || Boolean(hidden?.rowTotals[0]);
      return {
        ...base,
        columns: [
          { label: t('results:score'), type: 'label' },
          { label: t('results:count'), type: 'count' },
          { label: t('results:percent'), type: 'percent' },
        ],
        rows: result.points.map((p, i) => {
          const h = all || Boolean(hidden?.cells[0]![i]);
          return [String(p.value), count(p.count, h && p.count > 0), share(p.percent, h)];
        }),
        stats: [
          nStat(result.n),
          { label: t('results:mean'), value: all ? null : round(result.mean, 2), type: 'decimal' },
          { label: t('results:median'), value: all ? null : result.median, type: 'decimal' },
          // NPS is a difference of two percentages: written like one.
          ...(result.nps !== null ? [{ label: t('results:nps'), value: all ? null : round(result.nps), type: 'percent' as const }] : []),
        ],
        chart: 'bar',
      };
    }
    case 'ranking': {
      const all = tooFew(result.n);
      return {
        ...base,
        columns: [
          { label: t('results:option'), type: 'label' },
          { label: t('results:chosen'), type: 'count' },
          { label: t('results:percent_of_respondents'), type: 'percent' },
          { label: t('results:first_choice'), type: 'count' },
          // Points and places are whole numbers.
          { label: t('results:weighted_score', { places: result.question.rankCount }), type: 'count' },
          { label: t('results:rank'), type: 'count' },
        ],
        rows: [...result.items]
          .sort((a, b) => a.rank - b.rank)
          .map((item) => {
            const chosenHidden = all || (suppress && isSmall(item.chosen));
            const firstHidden = all || (suppress && isSmall(item.first));
            // The score is first choices plus times chosen, weighted: it would give a hidden count away.
            const derivedHidden = chosenHidden || firstHidden;
            return [
              optionLabel(result.question.items, item.id, words),
              count(item.chosen, chosenHidden),
              share(item.chosenPercent, chosenHidden),
              count(item.first, firstHidden),
              derivedHidden ? null : item.score,
              derivedHidden ? null : item.rank,
            ];
          }),
        stats: [nStat(result.n)],
        chart: 'bar',
      };
    }
    case 'number': {
      const bands = result.bands;
      // A respondent is in exactly one band: one hidden count could be worked back from n.
      const hidden = suppress && bands ? hiddenCells([bands.map((b) => b.count)], { rowTotals: true, columnTotals: false }) : undefined;
      const all = tooFew(result.n);
      const bandsHidden = all || Boolean(hidden?.rowTotals[0]);
      return {
        ...base,
        columns: bands
          ? [
              { label: t('results:band'), type: 'label' },
              { label: t('results:count'), type: 'count' },
              { label: t('results:percent'), type: 'percent' },
            ]
          : [],
        rows: (bands ?? []).map((b, i) => {
          const h = bandsHidden || Boolean(hidden?.cells[0]![i]);
          return [optionLabel(result.question.bands ?? [], b.id, words), count(b.count, h && b.count > 0), share(b.percent, h)];
        }),
        stats: [
          nStat(result.n),
          { label: t('results:mean'), value: all ? null : round(result.mean, 2), type: 'decimal' },
          { label: t('results:median'), value: all ? null : result.median, type: 'decimal' },
          // The smallest and largest values are single people's answers.
          { label: t('results:min'), value: suppress ? null : result.min, type: result.question.integer ? 'count' : 'decimal' },
          { label: t('results:max'), value: suppress ? null : result.max, type: result.question.integer ? 'count' : 'decimal' },
        ],
        chart: bands ? 'bar' : null,
      };
    }
    case 'date': {
      const hidden = suppress ? hiddenCells([result.months.map((m) => m.count)], { rowTotals: true, columnTotals: false }) : undefined;
      const all = tooFew(result.n) || Boolean(hidden?.rowTotals[0]);
      return {
        ...base,
        columns: [
          { label: t('results:month'), type: 'label' },
          { label: t('results:count'), type: 'count' },
        ],
        rows: result.months.map((m, i) => [m.month, count(m.count, (all || Boolean(hidden?.cells[0]![i])) && m.count > 0)]),
        stats: [
          nStat(result.n),
          { label: t('results:earliest'), value: suppress ? null : result.min, type: 'label' },
          { label: t('results:latest'), value: suppress ? null : result.max, type: 'label' },
        ],
        chart: 'bar',
      };
    }
    case 'text':
      return { ...base, columns: [], rows: [], stats: [nStat(result.n)], chart: null };
    default:
      return assertNever(result);
  }
}

/** Where each row group of a matrix starts among its result rows (one per row, in the order of rows). */
function groupStarts(question: QuestionOf<'likert_matrix'>, text: TableWords['text']): { title: string; start: number }[] {
  let start = 0;
  return matrixRowGroups(question).map((group) => {
    const heading = { title: group.title ? text(group.title) : '', start };
    start += group.rows.length;
    return heading;
  });
}

/** Labels for a cross-tab's groups and columns, from the two questions. */
export function crossLabels(by: Question, target: Question, words: TableWords): { group: (id: string) => string; column: (key: string) => string } {
  const options = (question: Question): Option[] =>
    'options' in question ? question.options : 'items' in question ? question.items : question.kind === 'number' ? (question.bands ?? []) : [];
  return {
    group: (id) => optionLabel(options(by), id, words),
    column: (key) => {
      switch (target.kind) {
        case 'likert_matrix': {
          const point = target.scale.find((p) => String(p.value) === key);
          return point ? `${key} ${words.text(point.label)}` : key;
        }
        case 'rating':
          return key;
        case 'single_choice':
        case 'multiple_choice':
        case 'select':
        case 'ranking':
          return optionLabel(options(target), key, words);
        case 'number':
          return target.bands ? optionLabel(target.bands, key, words) : key;
        case 'date':
        case 'short_text':
        case 'long_text':
          return key;
        default:
          return assertNever(target);
      }
    },
  };
}

/**
 * A cross-tab as a table: a row per group, counts and row percentages, the mean for scales. Small
 * counts are hidden, and so is whatever would let them be worked back from the totals.
 */
export function crossTable(crossTab: CrossTab, labels: ReturnType<typeof crossLabels>, words: TableWords): ResultTable {
  const { t } = words;
  const groups = crossTab.rows.filter((row) => row.group !== 'total');
  const total = crossTab.rows.find((row) => row.group === 'total')!;
  // Columns: each group's n, then its category counts (and "Bilgim yok" for scales). The group
  // n's add up to the total n; categories add up to a group's n unless answers can be several.
  const matrix = groups.map((row) => [...row.cells.map((cell) => cell.count), ...(crossTab.scale ? [row.notApplicable] : [])]);
  const hidden = hiddenCells(matrix, { rowTotals: crossTab.partition, columnTotals: true });
  const nHidden = hiddenCells(groups.map((row) => [row.n]), { rowTotals: false, columnTotals: true });
  const categories = crossTab.columns.length;

  const line = (row: CrossTab['rows'][number], hiddenAt: (c: number) => boolean, nIsHidden: boolean): Cell[] => {
    const all = nIsHidden;
    const cells: Cell[] = [row.group === 'total' ? t('results:total') : labels.group(row.group), nIsHidden ? SUPPRESSED : row.n];
    row.cells.forEach((cell, c) => {
      const h = all || hiddenAt(c);
      cells.push(h && cell.count > 0 ? SUPPRESSED : h ? null : cell.count);
      cells.push(h ? null : round(cell.percent));
    });
    if (crossTab.scale) {
      const h = all || hiddenAt(categories);
      cells.push(h && row.notApplicable > 0 ? SUPPRESSED : h ? null : row.notApplicable);
      cells.push(all ? null : round(row.mean, 2));
    }
    return cells;
  };

  const rows: Cell[][] = groups.map((row, r) => {
    const nIsHidden = isSmall(row.n) || nHidden.cells[r]![0]! || hidden.rowTotals[r]!;
    return line(row, (c) => hidden.cells[r]![c]!, nIsHidden);
  });
  rows.push(line(total, (c) => hidden.columnTotals[c]!, nHidden.columnTotals[0]!));

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

/**
 * Adds the question's "Yanıtsız" count beside n: complete responses that left it blank. Shares
 * stay over n, those who answered. A small count is hidden where small counts are.
 */
export function withUnanswered(table: ResultTable, unanswered: Unanswered | undefined, words: TableWords, suppress: boolean): ResultTable {
  if (!unanswered) return table;
  const { t } = words;
  const stat = { label: t('results:unanswered'), value: suppress && isSmall(unanswered.count) ? SUPPRESSED : unanswered.count, type: 'count' as const };
  const at = table.stats.findIndex((s) => s.label === t('results:n') || s.label === t('results:n_without_na'));
  const stats = [...table.stats];
  stats.splice(at < 0 ? stats.length : at + 1, 0, stat);
  return { ...table, stats, ...(unanswered.overAll ? { note: t('results:unanswered_over_all') } : {}) };
}
