// The report as a workbook: the introduction, then one sheet per table ("Tablo 7"), with its
// caption, its header, its rows and total as numbers (not formatted text), and its notes. Cells go
// through the formula-safe writer.
import type { Writable } from 'node:stream';
import { writeXlsx, type Cell, type Sheet } from '../../platform/export/writers';
import { captionOf, tablesOf, type Report } from './report-model';

export function reportSheets(report: Report): Sheet[] {
  const intro: Sheet = {
    name: report.sections[0]!.heading,
    header: [[`${report.title} – ${report.subtitle}`]],
    rows: report.sections[0]!.paragraphs.map((p): Cell[] => [p]),
    widths: [120],
  };
  const tables = tablesOf(report).map(
    (table): Sheet => ({
      name: `${report.labels.table} ${table.number}`,
      header: [[captionOf(report, table)], table.columns.map((c) => c.label)],
      rows: [
        ...(table.rows.length > 0 ? table.rows.map((r) => r.cells) : [[table.empty ?? '']]),
        ...(table.total ? [table.total] : []),
        ...(table.notes.length > 0 ? [[], ...table.notes.map((n): Cell[] => [n])] : []),
      ],
      widths: table.columns.map((c, i) => (c.type === 'text' ? (i === 0 ? 40 : 30) : 14)),
    }),
  );
  return [intro, ...tables];
}

export async function writeReportXlsx(out: Writable, report: Report): Promise<void> {
  await writeXlsx(out, reportSheets(report));
}
