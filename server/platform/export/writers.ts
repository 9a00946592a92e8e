// Generic export writers: the same header rows and data rows become CSV or XLSX, streamed to the
// response so a large export never sits in memory whole.
import type { Writable } from 'node:stream';
import { once } from 'node:events';
import { stringify } from 'csv-stringify';
import ExcelJS from 'exceljs';

export type Cell = string | number | null;

/**
 * Spreadsheets run a cell that starts with =, +, -, @, a tab or a carriage return as a formula:
 * such a text gets a leading apostrophe, so it is shown, never executed. Numbers stay numbers.
 */
export function safeCell(value: Cell): Cell {
  if (typeof value !== 'string') return value;
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

export interface Sheet {
  name: string;
  header: Cell[][];
  rows: AsyncIterable<Cell[]> | Iterable<Cell[]>;
  /** Column widths in characters, optional. */
  widths?: number[];
}

/** UTF-8 CSV with a byte-order mark, so Excel reads Turkish letters right. */
export async function writeCsv(out: Writable, header: Cell[][], rows: AsyncIterable<Cell[]> | Iterable<Cell[]>): Promise<void> {
  const csv = stringify({ bom: true, cast: { number: (value) => String(value) } });
  csv.pipe(out);
  const write = async (row: Cell[]) => {
    if (!csv.write(row.map((cell) => safeCell(cell) ?? ''))) await once(csv, 'drain');
  };
  for (const row of header) await write(row);
  for await (const row of rows) await write(row);
  csv.end();
  await once(out, 'finish');
}

export async function writeXlsx(out: Writable, sheets: Sheet[]): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false, useStyles: true });
  const names = new Set<string>();
  for (const sheet of sheets) {
    const worksheet = workbook.addWorksheet(uniqueSheetName(sheet.name, names));
    if (sheet.widths) worksheet.columns = sheet.widths.map((width) => ({ width }));
    for (const row of sheet.header) {
      const added = worksheet.addRow(row.map(safeCell));
      added.font = { bold: true };
      added.commit();
    }
    for await (const row of sheet.rows) worksheet.addRow(row.map(safeCell)).commit();
    worksheet.commit();
  }
  await workbook.commit();
}

/** Excel sheet names: at most 31 characters, no []:*?/\, unique in the workbook. */
export function uniqueSheetName(name: string, taken: Set<string>): string {
  const base = name.replace(/[[\]:*?/\\]/g, ' ').trim().slice(0, 31) || 'Sheet';
  let candidate = base;
  for (let i = 2; taken.has(candidate.toLowerCase()); i++) candidate = `${base.slice(0, 31 - String(i).length - 1)}~${i}`;
  taken.add(candidate.toLowerCase());
  return candidate;
}
