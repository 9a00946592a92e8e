// Reading a spreadsheet people made by hand (the stakeholder register, a codebook): the cells of
// an XLSX's first sheet or of a CSV in whatever encoding and separator Excel wrote, and its header
// row read by the words of the headers, whatever their case, Turkish letters or hints in brackets.
import { parse as parseCsv } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { foldTurkish } from '../text';

/** Words only, folded: "Yol, kaldırım ve altyapı" and "yol kaldirim ve altyapi" are the same. */
export const wordsOf = (text: string): string => foldTurkish(text).replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
/** A header without its hint: "Önem (1–5)" is "onem". */
export const headerKey = (text: string): string => wordsOf(text.replace(/\([^)]*\)/g, ' '));
export const isEmptyRow = (row: readonly (string | undefined)[]): boolean => row.every((value) => !value || !value.trim());

/** Header words → column, the first given for a header winning (list an id column before its name's). */
export function headerIndex<C extends string>(columns: readonly C[], headersOf: (column: C) => readonly string[]): Map<string, C> {
  const index = new Map<string, C>();
  for (const column of columns) {
    for (const header of headersOf(column)) {
      const key = headerKey(header);
      if (key && !index.has(key)) index.set(key, column);
    }
  }
  return index;
}

/** Where each known column is in a header row (its first occurrence). */
export function columnsOf<C extends string>(row: readonly (string | undefined)[], index: Map<string, C>): Partial<Record<C, number>> {
  const columns: Partial<Record<C, number>> = {};
  row.forEach((cell, at) => {
    const column = index.get(headerKey(cell ?? ''));
    if (column && columns[column] === undefined) columns[column] = at;
  });
  return columns;
}

/** The cells of the first sheet, as text. */
export async function readXlsx(content: Buffer): Promise<string[][]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(content as unknown as ArrayBuffer);
  const sheet = workbook.worksheets[0];
  if (!sheet) return [];
  const rows: string[][] = [];
  sheet.eachRow({ includeEmpty: true }, (row, number) => {
    // ExcelJS leaves holes for empty cells, and row.values starts at column 1.
    rows[number - 1] = Array.from((row.values as unknown[]).slice(1), cellText);
  });
  return Array.from(rows, (row) => row ?? []);
}

function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'object') {
    const cell = value as { text?: unknown; result?: unknown; richText?: { text: string }[]; error?: unknown };
    if (cell.richText) return cell.richText.map((part) => part.text).join('');
    if (typeof cell.text === 'string') return cell.text;
    if (cell.result !== undefined) return cellText(cell.result);
    return '';
  }
  return String(value);
}

/**
 * Excel writes CSV in its locale's Windows code page (1254 in Turkish) unless "CSV UTF-8" is
 * chosen, which adds a byte-order mark. Turkish text in Windows-1254 is never valid UTF-8, so
 * whatever decodes as UTF-8 is UTF-8.
 */
export function decodeText(content: Buffer): string {
  if (content[0] === 0xff && content[1] === 0xfe) return new TextDecoder('utf-16le').decode(content);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(content);
  } catch {
    return new TextDecoder('windows-1254').decode(content);
  }
}

const DELIMITERS = [';', ',', '\t'] as const;
const CSV_OPTIONS = { bom: true, relax_column_count: true, relax_quotes: true, skip_empty_lines: false } as const;

/**
 * The header row decides the delimiter: the one with which it splits into the most known columns,
 * then into the most cells. Counting characters would be misled by quoted commas in a
 * semicolon-separated file.
 */
export function readCsv<C extends string>(text: string, index: Map<string, C>): string[][] {
  if (text.includes('\u0000')) throw new Error('binary file');
  let best: { delimiter: string; known: number; width: number } | undefined;
  for (const delimiter of DELIMITERS) {
    let head: string[][];
    try {
      head = parseCsv(text, { ...CSV_OPTIONS, delimiter, to: 10 }) as string[][];
    } catch {
      continue;
    }
    const header = head.find((row) => !isEmptyRow(row)) ?? [];
    const known = Object.keys(columnsOf(header, index)).length;
    if (!best || known > best.known || (known === best.known && header.length > best.width)) best = { delimiter, known, width: header.length };
  }
  if (!best) throw new Error('no delimiter reads the file');
  return parseCsv(text, { ...CSV_OPTIONS, delimiter: best.delimiter }) as string[][];
}
