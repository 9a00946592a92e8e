// Findings (T17) drafted from the report's own tables, each with the rows it rests on, for a planner
// to accept, edit or dismiss. Pure: the built report in, drafts out, so a draft always cites what
// the report shows. Columns are read by their place and type, not their label (labels are words).
//
// A draft's key names its subject (an activity area, a T16 statement…), never its figures: a
// dismissed draft stays dismissed when a few more responses move its numbers, and an accepted one
// is not offered again beside the finding it became.
import type { Evidence } from './finding.repository';
import { captionOf, tablesOf, type Cell, type Report, type ReportTable, type ColumnType, type TableId } from './report-model';
import type { ReportWords } from './report-words';

export const DRAFT_KINDS = ['priority-low-satisfaction', 'frequent-weakness', 'under-represented-mahalles', 'silent-institution-types'] as const;
export type DraftKind = (typeof DRAFT_KINDS)[number];

export interface FindingDraft {
  /** Stable across rebuilds: 'priority-low-satisfaction:<areaId>', 'frequent-weakness:<T16 row key>'… */
  key: string;
  kind: DraftKind;
  finding: string;
  need: string;
  areaId: string | null;
  evidence: Evidence[];
}

/** T11 rows ranked this high or higher count as top priorities (the question asks for a top three). */
export const TOP_PRIORITIES = 3;
/** A mahalle whose share of respondents is under half its share of the population (T9). */
export const UNDER_REPRESENTED = 0.5;
/** An institution type of which fewer than half the invited answered (T14b), in per cent. */
export const LOW_RESPONSE_RATE = 50;
/** Weaknesses named by at least this many kinds of sources, or institutions and requests, are offered, at most MAX_WEAKNESSES of them… */
export const WEAKNESS_SOURCES = 2;
export const MAX_WEAKNESSES = 5;
/** …and when none is, the few named most often. */
export const FALLBACK_WEAKNESSES = 3;

type Words = Pick<ReportWords, 't' | 'formatCell' | 'formatPercent' | 'language'>;

const LIST_LOCALES = { tr: 'tr-TR', en: 'en-GB' } as const;
/** "A, B ve C" / "A, B and C". */
const listOf = (words: Words, items: string[]) => new Intl.ListFormat(LIST_LOCALES[words.language], { type: 'conjunction' }).format(items);

const number = (cell: Cell | undefined): number | null => (typeof cell === 'number' && Number.isFinite(cell) ? cell : null);
/** Index of the first (or last) column of a type. */
const columnOf = (table: ReportTable, type: ColumnType, which: 'first' | 'last' = 'first', nth = 0): number => {
  const indexes = table.columns.flatMap((c, i) => (c.type === type ? [i] : []));
  return (which === 'first' ? indexes[nth] : indexes.at(-1 - nth)) ?? -1;
};
const label = (row: { key: string; cells: Cell[] }) => String(row.cells.find((c) => typeof c === 'string' && c !== '') ?? row.key);

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** T11 top priorities whose T10 satisfaction rate (the top-two share) is below the areas' median. */
function prioritiesWithLowSatisfaction(t10: ReportTable, t11: ReportTable, words: Words, areaIds: ReadonlySet<string>): FindingDraft[] {
  const rateColumn = columnOf(t10, 'percent', 'last');
  const rankColumn = columnOf(t11, 'count', 'last');
  if (rateColumn < 0 || rankColumn < 0) return [];
  const rates = new Map(t10.rows.flatMap((row) => (number(row.cells[rateColumn]) === null ? [] : [[row.key, number(row.cells[rateColumn])!] as const])));
  const middle = median([...rates.values()]);
  if (middle === null) return [];
  return t11.rows
    .flatMap((row) => {
      const rank = number(row.cells[rankColumn]);
      const rate = rates.get(row.key);
      return rank !== null && rank <= TOP_PRIORITIES && rate !== undefined && rate < middle ? [{ row, rank, rate }] : [];
    })
    .sort((a, b) => a.rank - b.rank)
    .map(({ row, rank, rate }) => {
      const values = { area: label(row), rank, rate: words.formatPercent(rate), median: words.formatPercent(Math.round(middle * 10) / 10) };
      return {
        key: `priority-low-satisfaction:${row.key}`,
        kind: 'priority-low-satisfaction' as const,
        finding: words.t('report:drafts.priority_low_satisfaction.finding', values),
        need: words.t('report:drafts.priority_low_satisfaction.need', values),
        areaId: areaIds.has(row.key) ? row.key : null,
        evidence: [
          { tableKey: t10.id, rowKey: row.key },
          { tableKey: t11.id, rowKey: row.key },
        ],
      };
    });
}

/**
 * T16 weaknesses the stakeholders raised widely: named by an institution or a meeting (a weakness
 * only the citizen survey shows is already a priority or satisfaction draft), by the most kinds of
 * sources, then by the most institutions and requests.
 */
function frequentWeaknesses(t16: ReportTable, words: Words): FindingDraft[] {
  const countColumn = columnOf(t16, 'count');
  if (countColumn < 0) return [];
  const kindLabel = words.t('report:swot.weakness');
  const weaknesses = t16.rows
    .flatMap((row, order) => {
      const count = number(row.cells[countColumn]);
      // The statement: the first text that is not the quadrant's own name.
      const statement = row.cells.find((c): c is string => typeof c === 'string' && c.trim() !== '' && c !== kindLabel);
      const kinds = row.facts?.kinds ?? 1;
      const stakeholders = row.facts?.stakeholders ?? count ?? 0;
      return row.key.startsWith('weakness:') && count !== null && stakeholders > 0 && statement
        ? [{ row, order, count, kinds, stakeholders, statement: statement.trim().replace(/[.;,:]+$/, '') }]
        : [];
    })
    .sort((a, b) => b.kinds - a.kinds || b.stakeholders - a.stakeholders || a.order - b.order);
  const named = weaknesses.filter((w) => w.kinds >= WEAKNESS_SOURCES || w.stakeholders >= WEAKNESS_SOURCES);
  const chosen = named.length > 0 ? named.slice(0, MAX_WEAKNESSES) : weaknesses.slice(0, FALLBACK_WEAKNESSES);
  return chosen.map(({ row, count, statement }) => {
    const values = { statement, column: t16.columns[countColumn]!.label, n: words.formatCell(count, 'count') };
    return {
      key: `frequent-weakness:${row.key}`,
      kind: 'frequent-weakness' as const,
      finding: words.t('report:drafts.frequent_weakness.finding', values),
      need: words.t('report:drafts.frequent_weakness.need', values),
      areaId: null,
      evidence: [{ tableKey: t16.id, rowKey: row.key }],
    };
  });
}

/** T9 mahalles whose representation ratio (its decimal column) is under 0.5: one draft for them all. */
function underRepresentedMahalles(t9: ReportTable, words: Words): FindingDraft[] {
  const ratioColumn = columnOf(t9, 'decimal', 'last');
  if (ratioColumn < 0) return [];
  const low = t9.rows.flatMap((row) => {
    const ratio = number(row.cells[ratioColumn]);
    return ratio !== null && ratio < UNDER_REPRESENTED ? [{ row, ratio }] : [];
  });
  if (low.length === 0) return [];
  const list = listOf(words, low.map(({ row, ratio }) => words.t('report:drafts.under_represented_mahalles.item', { name: label(row), ratio: words.formatCell(ratio, 'decimal') })));
  const names = listOf(words, low.map(({ row }) => label(row)));
  return [
    {
      key: 'under-represented-mahalles',
      kind: 'under-represented-mahalles',
      finding: words.t('report:drafts.under_represented_mahalles.finding', { count: low.length, list }),
      need: words.t('report:drafts.under_represented_mahalles.need', { count: low.length, names }),
      areaId: null,
      evidence: low.map(({ row }) => ({ tableKey: t9.id, rowKey: row.key })),
    },
  ];
}

/** T14b institution types invited but silent (none answered) or mostly silent (under half): one draft for them all. */
function silentInstitutionTypes(t14b: ReportTable, words: Words): FindingDraft[] {
  const invitedColumn = columnOf(t14b, 'count');
  const answeredColumn = columnOf(t14b, 'count', 'first', 1);
  if (invitedColumn < 0 || answeredColumn < 0) return [];
  const silent = t14b.rows.flatMap((row) => {
    const invited = number(row.cells[invitedColumn]);
    const answered = number(row.cells[answeredColumn]);
    if (invited === null || answered === null || invited <= 0) return [];
    return answered === 0 || (answered / invited) * 100 < LOW_RESPONSE_RATE ? [{ row, invited, answered }] : [];
  });
  if (silent.length === 0) return [];
  const list = listOf(
    words,
    silent.map(({ row, invited, answered }) =>
      words.t('report:drafts.silent_institution_types.item', { type: label(row), invited: words.formatCell(invited, 'count'), answered: words.formatCell(answered, 'count') }),
    ),
  );
  const names = listOf(words, silent.map(({ row }) => label(row)));
  return [
    {
      key: 'silent-institution-types',
      kind: 'silent-institution-types',
      finding: words.t('report:drafts.silent_institution_types.finding', { count: silent.length, list }),
      need: words.t('report:drafts.silent_institution_types.need', { count: silent.length, names }),
      areaId: null,
      evidence: silent.map(({ row }) => ({ tableKey: t14b.id, rowKey: row.key })),
    },
  ];
}

/** Every draft the report's figures support, in the order of the tables they rest on most. */
export function findingDrafts(report: Report, words: Words, areaIds: readonly string[]): FindingDraft[] {
  const tables = tablesOf(report);
  const find = (id: TableId) => tables.find((t) => t.id === id);
  const [t9, t10, t11, t14b, t16] = (['T9', 'T10', 'T11', 'T14b', 'T16'] as const).map(find);
  return [
    ...(t10 && t11 ? prioritiesWithLowSatisfaction(t10, t11, words, new Set(areaIds)) : []),
    ...(t9 ? underRepresentedMahalles(t9, words) : []),
    ...(t14b ? silentInstitutionTypes(t14b, words) : []),
    ...(t16 ? frequentWeaknesses(t16, words) : []),
  ];
}

/**
 * How a finding's form and the drafts name each row of a table: its first text; where that text
 * is a category many rows share (T16's GZFT kind, T14's institution type), with the next text too.
 */
export function rowLabels(table: ReportTable): string[] {
  const textColumns = table.columns.flatMap((c, i) => (c.type === 'text' ? [i] : []));
  const texts = table.rows.map((row) => textColumns.map((i) => row.cells[i]).filter((c): c is string => typeof c === 'string' && c !== ''));
  const firsts = table.rows.map((row, r) => texts[r]![0] ?? label(row));
  const shared = new Set(firsts).size < firsts.length;
  return firsts.map((first, r) => (shared && texts[r]!.length > 1 ? texts[r]!.slice(0, 2).join(' — ') : first));
}

/** "Tablo 9: … — İstasyon" for each evidence row, as the findings page lists a draft's evidence. */
export function evidenceLabels(report: Report, evidence: Evidence[]): string[] {
  const tables = tablesOf(report);
  return evidence.map((e) => {
    const table = tables.find((t) => t.id === e.tableKey);
    const index = table ? table.rows.findIndex((r) => r.key === e.rowKey) : -1;
    return table && index >= 0 ? `${captionOf(report, table)} — ${rowLabels(table)[index]}` : `${e.tableKey} — ${e.rowKey}`;
  });
}
