// The stakeholder analysis section as plain data: numbered tables and figures in sections. The
// builder fills it from the database; the page, the DOCX, the XLSX and the PNG figures only lay it
// out, so every output shows the same numbers.
import type { Cell } from '../../platform/export/writers';
import type { FigureData } from './figure-config';

export type { Cell };

/** The tables and figures of docs/domain.md §5, in the order they appear. */
export const TABLE_IDS = ['T1', 'T2', 'T3', 'T4', 'T5', 'T6', 'T7', 'T8', 'T9', 'T10', 'T11', 'T12', 'T13', 'T14', 'T14b', 'T14c', 'T15', 'T15b', 'T16', 'T17'] as const;
export type TableId = (typeof TABLE_IDS)[number];
export const FIGURE_IDS = ['F1', 'F2', 'F3'] as const;
export type FigureId = (typeof FIGURE_IDS)[number];

export type ColumnType = 'text' | 'count' | 'percent' | 'decimal';

/**
 * A mention of a numbered table or figure, with the words it reads as ("Tablo 3"). The page links
 * it, XLSX and CSV write its text, the DOCX writes a REF field to the caption's bookmark, so Word
 * renumbers it with the plan's own tables.
 */
export interface BlockRef {
  ref: TableId | FigureId;
  text: string;
}

/** Text that mentions tables: plain strings and references in reading order. */
export type RichText = (string | BlockRef)[];

export function plainText(parts: RichText): string {
  return parts.map((part) => (typeof part === 'string' ? part : part.text)).join('');
}

/**
 * Cells given as values or as text with references: the row's cells hold every one as plain text
 * (what CSV, XLSX and any reader of the numbers use), `rich` keeps the references of those that
 * have them.
 */
export function withRefs(cells: (Cell | RichText)[]): Pick<ReportRow, 'cells' | 'rich'> {
  const rich: Record<number, RichText> = {};
  const flat = cells.map((cell, i) => {
    if (!Array.isArray(cell)) return cell;
    rich[i] = cell;
    return plainText(cell);
  });
  return Object.keys(rich).length > 0 ? { cells: flat, rich } : { cells: flat };
}

export interface ReportColumn {
  label: string;
  type: ColumnType;
}

export interface ReportRow {
  /** Stable within its table (an activity area id, a stakeholder id…): findings cite it. */
  key: string;
  cells: Cell[];
  /** The cells that mention tables, by column index, with their references (see withRefs). */
  rich?: Record<number, RichText>;
  /** Set on the first row of a group (a GZFT quadrant…): layouts print it as a full-width row above. */
  group?: string;
  /** Figures behind the cells that the drafted findings reason on; not printed. */
  facts?: Record<string, number>;
}

export interface ReportTable {
  kind: 'table';
  id: TableId;
  /** "Tablo n" */
  number: number;
  /** Without the number: "Paydaş Listesi". */
  title: string;
  columns: ReportColumn[];
  rows: ReportRow[];
  /** Printed in the table's foot. */
  total?: Cell[];
  /** Said instead of the rows when there are none: the table never silently disappears. */
  empty?: string;
  /** Source and method notes printed under the table. */
  notes: string[];
  /**
   * Set for a matrix plans draw as quadrants (GZFT): the DOCX and the page lay the rows out as a
   * 2×2 grid of these groups, in reading order, each row under the group it follows. The XLSX and
   * the CSV keep the rows, for counting.
   */
  quadrants?: string[];
  /** The name of the rows' group as a column, where a layout flattens the groups into one (the CSV). */
  groupColumn?: string;
}

/** The rows as cells, each under its group when the table has them as a column: what a CSV holds. */
export function flatRows(table: ReportTable): { header: string[]; rows: Cell[][] } {
  const labels = table.columns.map((c) => c.label);
  const rows = [...table.rows.map((r) => r.cells), ...(table.total ? [table.total] : [])];
  if (!table.groupColumn) return { header: labels, rows };
  let group = '';
  return {
    header: [table.groupColumn, ...labels],
    rows: [
      ...table.rows.map((row) => {
        group = row.group ?? group;
        return [group, ...row.cells];
      }),
      ...(table.total ? [['', ...table.total]] : []),
    ],
  };
}

export interface QuadrantItem {
  /** The first cell: the item itself. */
  text: string;
  /** The other cells as printed, e.g. "3 · STK, Muhtarlık". */
  detail: string;
}

/** A quadrant table's four groups with their items, empty groups included, in reading order. */
export function quadrantsOf(table: ReportTable, format: (value: Cell, type: ColumnType) => string): { name: string; items: QuadrantItem[] }[] {
  const quadrants = (table.quadrants ?? []).map((name) => ({ name, items: [] as QuadrantItem[] }));
  let current: (typeof quadrants)[number] | undefined;
  for (const row of table.rows) {
    if (row.group !== undefined) current = quadrants.find((q) => q.name === row.group);
    current?.items.push({
      text: String(row.cells[0] ?? ''),
      detail: row.cells
        .slice(1)
        .map((cell, i) => format(cell, table.columns[i + 1]!.type))
        .filter((cell) => cell !== '')
        .join(' · '),
    });
  }
  return quadrants;
}

export interface ReportFigure {
  kind: 'figure';
  id: FigureId;
  /** "Grafik n" */
  number: number;
  title: string;
  /** What the figure shows, for people who cannot see it (alt text). */
  description: string;
  data: FigureData | null;
  empty?: string;
}

export type ReportBlock = ReportTable | ReportFigure;

export interface ReportSection {
  id: string;
  heading: string;
  paragraphs: string[];
  /** The paragraphs that mention tables, by index, with their references; paragraphs[i] is their plain text. */
  richParagraphs?: Record<number, RichText>;
  blocks: ReportBlock[];
}

export interface Report {
  language: string;
  /** "Dış Paydaş Analizi" */
  title: string;
  /** Municipality and plan period. */
  subtitle: string;
  generatedAt: string;
  sections: ReportSection[];
  /** "Tablo" / "Table" and "Grafik" / "Figure". */
  labels: { table: string; figure: string };
}

export function captionOf(report: Pick<Report, 'labels'>, block: ReportBlock): string {
  return `${block.kind === 'table' ? report.labels.table : report.labels.figure} ${block.number}: ${block.title}`;
}

export function tablesOf(report: Report): ReportTable[] {
  return report.sections.flatMap((s) => s.blocks.filter((b): b is ReportTable => b.kind === 'table'));
}

export function figuresOf(report: Report): ReportFigure[] {
  return report.sections.flatMap((s) => s.blocks.filter((b): b is ReportFigure => b.kind === 'figure'));
}
