// Generic export writers: the same header rows and data rows become CSV or XLSX, streamed to the
// response so a large export never sits in memory whole.
import { once, type EventEmitter } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import ExcelJS from 'exceljs';
import type { Language } from '../i18n/i18n';

export type Cell = string | number | null;

/**
 * A spreadsheet opening a CSV runs a cell that starts with =, +, -, @, a tab or a carriage return
 * as a formula: such a text gets a leading apostrophe, so it is shown, never executed. Numbers
 * stay numbers. XLSX needs none of this (see writeXlsx).
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
  /** An Excel number format per column (e.g. "0.00" for means), for number cells of the rows; none: General. */
  numberFormats?: (string | undefined)[];
}

/**
 * How a CSV is written for a reader. Excel on Windows opens a .csv on a double-click with the list
 * and decimal separators of the regional settings, without looking at the file: Turkish settings
 * split fields at ";" and read 3,74 as a number, so a comma-separated file lands in one column.
 * The reader's language stands for their settings.
 */
export interface CsvDialect {
  delimiter: ';' | ',';
  /** In number cells only; never a thousands separator (1500 stays 1500). */
  decimalSeparator: ',' | '.';
  /** Excel needs the byte-order mark to read UTF-8; tools that read CSV take it as part of the first name. */
  bom: boolean;
}

const CSV_DIALECTS: Record<Language, CsvDialect> = {
  tr: { delimiter: ';', decimalSeparator: ',', bom: true },
  en: { delimiter: ',', decimalSeparator: '.', bom: true },
};

/** For programs rather than Excel (R, pandas, a database import): RFC 4180 commas, a decimal point, no BOM. */
export const TOOLS_CSV: CsvDialect = { delimiter: ',', decimalSeparator: '.', bom: false };

export function csvDialect(language: Language): CsvDialect {
  return CSV_DIALECTS[language];
}

/**
 * UTF-8 CSV with a byte-order mark (so Excel reads Turkish letters right) and CRLF record ends, in
 * the dialect of the reader's language (or the one given). Only number cells take the decimal
 * separator: a text is written as it is, whatever it looks like.
 */
export async function writeCsv(out: Writable, header: Cell[][], rows: AsyncIterable<Cell[]> | Iterable<Cell[]>, dialect: Language | CsvDialect): Promise<void> {
  const { delimiter, decimalSeparator, bom } = typeof dialect === 'string' ? csvDialect(dialect) : dialect;
  const number = decimalSeparator === '.' ? (value: number) => String(value) : (value: number) => String(value).replace('.', decimalSeparator);
  async function* lines() {
    for (const row of header) yield row.map((cell) => safeCell(cell) ?? '');
    for await (const row of rows) yield row.map((cell) => safeCell(cell) ?? '');
  }
  // pipeline waits for a slow reader and stops the rows when the download is cancelled.
  await pipeline(Readable.from(lines()), stringify({ bom, delimiter, record_delimiter: 'windows', cast: { number } }), out);
}

/**
 * XLSX is built into a temporary file first and then sent at the reader's pace: ExcelJS's
 * streaming writer ignores a slow reader, so writing straight to the response would pile the
 * workbook up in memory. The file goes away however the download ends.
 *
 * Texts go in as typed, without safeCell's apostrophe: an XLSX cell carries its type, ExcelJS
 * writes a text as a string cell (t="str" with the text as its value, no <f> element), and a
 * spreadsheet shows a string cell, it never runs it. Cells are only ever texts, numbers or empty
 * (Cell), so no formula can be written.
 */
export async function writeXlsx(out: Writable, sheets: Sheet[]): Promise<void> {
  const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'paydas-export-'));
  const file = path.join(dir, 'export.xlsx');
  try {
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: false, useStyles: true });
    const zip = zipProgress(workbook);
    const names = new Set<string>();
    for (const sheet of sheets) {
      const worksheet = workbook.addWorksheet(uniqueSheetName(sheet.name, names));
      if (sheet.widths) worksheet.columns = sheet.widths.map((width) => ({ width }));
      for (const row of sheet.header) {
        const added = worksheet.addRow(row);
        added.font = { bold: true };
        added.commit();
      }
      for await (const row of sheet.rows) {
        if (out.destroyed) throw new ExportAborted();
        const added = worksheet.addRow(row);
        added.eachCell((cell, column) => {
          cell.style = typeof cell.value === 'number' ? numberStyle(sheet.numberFormats?.[column - 1]) : PLAIN_TEXT;
        });
        added.commit();
        await zip.caughtUp(worksheet);
      }
      worksheet.commit();
    }
    await Promise.race([workbook.commit(), zip.failed]);
    await pipeline(fs.createReadStream(file), out);
  } finally {
    await fs.promises.rm(dir, { recursive: true, force: true });
  }
}

/**
 * The style of every data cell (none). ExcelJS gives each cell a new empty style object, and its
 * style table remembers styles by object: every cell missed and had its style rendered to XML to
 * be looked up, 45% of an XLSX export's time. Two shared objects hit, one per kind of cell (the
 * table tells numbers from texts, and the memory is by object alone). Frozen: a shared style
 * changed for one cell would change every cell.
 */
const PLAIN_NUMBER: Partial<ExcelJS.Style> = Object.freeze({});
const PLAIN_TEXT: Partial<ExcelJS.Style> = Object.freeze({});
/** One shared, frozen style per number format, for the same reason. */
const NUMBER_STYLES = new Map<string, Partial<ExcelJS.Style>>();
function numberStyle(format: string | undefined): Partial<ExcelJS.Style> {
  if (!format) return PLAIN_NUMBER;
  let style = NUMBER_STYLES.get(format);
  if (!style) NUMBER_STYLES.set(format, (style = Object.freeze({ numFmt: format })));
  return style;
}

/** Sheet XML not yet taken by the zip stream at which the rows wait until it is all taken. */
const XLSX_IN_FLIGHT_BYTES = 1024 * 1024;
/** Sheet XML not yet taken by the zip stream above which each row lets the event loop turn. */
const XLSX_TURN_BYTES = 64 * 1024;

/**
 * ExcelJS's worksheet writer hands its XML to the zip stream (through a PassThrough that archiver
 * puts in front of every entry) without ever waiting, and zlib compresses it off the main thread,
 * which takes the next chunk only when the event loop turns. Rows from SQLite never let it turn,
 * so the whole sheet's XML piled up in that PassThrough: 375 MB more RSS at 100,000 responses.
 * Here the rows let the event loop turn while XML is waiting, which keeps zlib busy alongside,
 * and stop for the PassThrough to drain when 1 MB waits, which bounds the memory however slow
 * zlib or the disk is. A failing zip or spool file ends the wait and the export.
 */
function zipProgress(workbook: ExcelJS.stream.xlsx.WorkbookWriter) {
  const { zip, stream } = workbook as unknown as { zip: EventEmitter; stream: EventEmitter };
  let failure: { error: unknown } | undefined;
  const failed = new Promise<never>((_resolve, reject) => {
    const fail = (error: unknown) => {
      failure ??= { error };
      reject(error);
    };
    zip.once('error', fail);
    stream.once('error', fail);
  });
  // Raced against every wait and the commit; on its own it must not count as unhandled.
  failed.catch(() => undefined);
  return {
    failed,
    async caughtUp(worksheet: ExcelJS.Worksheet): Promise<void> {
      if (failure) throw failure.error;
      const entry = (worksheet as unknown as { stream?: { pipes?: EventEmitter[] } }).stream?.pipes?.[0];
      // readable-stream 2 (archiver's) has no writableLength: its state holds the waiting bytes.
      const waiting = (entry as { _writableState?: { length?: number } } | undefined)?._writableState?.length;
      if (entry === undefined || waiting === undefined) return;
      if (waiting >= XLSX_IN_FLIGHT_BYTES) await Promise.race([once(entry, 'drain'), failed]);
      else if (waiting >= XLSX_TURN_BYTES) await new Promise((resolve) => setImmediate(resolve));
    },
  };
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
