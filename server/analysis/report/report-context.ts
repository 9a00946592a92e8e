// What every part of the report builder shares: the data, the words, and small helpers.
import type { BlockRef, Cell, ColumnType, ReportBlock, ReportColumn, ReportRow, ReportTable, RichText, TableId } from './report-model';
import type { ReportData } from './report-data';
import type { ReportWords } from './report-words';

export interface Context {
  data: ReportData;
  words: ReportWords;
  area: (id: string | null) => string;
  mahalle: (id: string) => string;
  /** "<5" with the report's threshold. */
  suppressed: string;
  isSmall: (count: number) => boolean;
}

export function contextOf(data: ReportData, words: ReportWords): Context {
  const threshold = data.settings.suppression;
  return {
    data,
    words,
    area: (id) => {
      if (id === null) return '';
      const area = data.municipality.activityAreas.find((a) => a.id === id);
      return area ? words.text(area.name) : id;
    },
    mahalle: (id) => data.municipality.mahalles.find((m) => m.id === id)?.name ?? id,
    suppressed: `<${threshold}`,
    isSmall: (count) => count > 0 && count < threshold,
  };
}

export const round = (value: number | null, digits = 1): number | null => (value === null ? null : Math.round(value * 10 ** digits) / 10 ** digits);
export const percentOf = (part: number, whole: number): number | null => (whole > 0 ? round((part / whole) * 100) : null);

/** Columns from translation keys under report:, with their types. */
export function columns(ctx: Context, specs: [string, ColumnType][]): ReportColumn[] {
  return specs.map(([key, type]) => ({ label: ctx.words.t(`report:${key}`), type }));
}

export function table(
  id: TableId,
  title: string,
  cols: ReportColumn[],
  rows: ReportRow[],
  extra: { total?: Cell[]; empty?: string; notes?: string[] } = {},
): ReportTable {
  return { kind: 'table', id, number: 0, title, columns: cols, rows, total: extra.total, empty: rows.length === 0 ? extra.empty : undefined, notes: extra.notes ?? [] };
}

/** "Tablo 3" as a reference to the block, once the block has its number. */
export function refTo(ctx: Context, block: ReportBlock): BlockRef {
  return { ref: block.id, text: `${ctx.words.t(block.kind === 'table' ? 'report:table_label' : 'report:figure_label')} ${block.number}` };
}

/** A translation whose placeholders named in refs are references to tables: its text with them as parts. */
export function translateWithRefs(ctx: Context, key: string, values: Record<string, string | number>, refs: Record<string, BlockRef>): RichText {
  // Markers no translation contains stand for the references while i18next fills the rest.
  const markers = Object.fromEntries(Object.keys(refs).map((name) => [name, `\u0000${name}\u0000`]));
  return ctx.words
    .t(key, { ...values, ...markers })
    .split('\u0000')
    .map((part, i) => (i % 2 === 1 ? refs[part]! : part))
    .filter((part) => part !== '');
}

/** Shortened to a readable length for a table cell, on a word boundary. */
export function excerpt(text: string, max = 300): string {
  const clean = text.replace(/\s+/g, ' ').trim();
  if (clean.length <= max) return clean;
  const cut = clean.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/** A date-only ISO value (2026-11-21) as noon UTC, so no time zone moves it to another day. */
export const dayIso = (day: string) => `${day}T12:00:00Z`;
