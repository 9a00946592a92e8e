// Generic export writers: the same header rows and data rows become CSV or XLSX, streamed to the
// response so a large export never sits in memory whole.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
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
  async function* lines() {
    for (const row of header) yield row.map((cell) => safeCell(cell) ?? '');
    for await (const row of rows) yield row.map((cell) => safeCell(cell) ?? '');
  }
  // pipeline waits for a slow reader and stops the rows when the download is cancelled.
  await pipeline(Readable.from(lines()), stringify({ bom: true, cast: { number: (value) => String(value) } }), out);
}

/**
 * XLSX is built into a temporary file first and then sent at the reader's pace: ExcelJS's
 * streaming writer ignores a slow reader, so writing straight to the response would pile the
 * workbook up in memory. The file goes away however the download ends.
 */
export async function writeXlsx(out: Writable, sheets: Sheet[]): Promise<void> {
  const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'paydas-export-'));
  const file = path.join(dir, 'export.xlsx');
  try {
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: false, useStyles: true });
    const names = new Set<string>();
    for (const sheet of sheets) {
      const worksheet = workbook.addWorksheet(uniqueSheetName(sheet.name, names));
      if (sheet.widths) worksheet.columns = sheet.widths.map((width) => ({ width }));
      for (const row of sheet.header) {
        const added = worksheet.addRow(row.map(safeCell));
        added.font = { bold: true };
        added.commit();
      }
      for await (const row of sheet.rows) {
        if (out.destroyed) throw new ExportAborted();
        worksheet.addRow(row.map(safeCell)).commit();
      }
      worksheet.commit();
    }
    await workbook.commit();
    await pipeline(fs.createReadStream(file), out);
  } finally {
    await fs.promises.rm(dir, { recursive: true, force: true });
  }
}

/** The person cancelled the download; nothing is wrong with the export. */
export class ExportAborted extends Error {
  readonly code = 'ERR_STREAM_PREMATURE_CLOSE';
}

/** Excel sheet names: at most 31 characters, no []:*?/\, unique in the workbook. */
export function uniqueSheetName(name: string, taken: Set<string>): string {
  const base = name.replace(/[[\]:*?/\\]/g, ' ').trim().slice(0, 31) || 'Sheet';
  let candidate = base;
  for (let i = 2; taken.has(candidate.toLowerCase()); i++) candidate = `${base.slice(0, 31 - String(i).length - 1)}~${i}`;
  taken.add(candidate.toLowerCase());
  return candidate;
}
