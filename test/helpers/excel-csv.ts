// A CSV export read the way Excel on Windows reads it on a double-click: it does not sniff the
// file, it splits fields at the regional settings' list separator and takes a cell as a number
// only when it is written with their decimal separator. The settings are written out here, apart
// from the writers' dialect, so that a test checks an export against Excel, not against itself.
import { parse } from 'csv-parse/sync';

export type Regional = 'tr' | 'en';

export const REGIONAL_SETTINGS: Record<Regional, { listSeparator: string; decimalSeparator: string }> = {
  tr: { listSeparator: ';', decimalSeparator: ',' },
  en: { listSeparator: ',', decimalSeparator: '.' },
};

/**
 * The rows of a CSV as Excel's cells (texts). Every row must be as wide as the first, unless told
 * otherwise: a file split at the wrong separator has rows of one cell, or of more than the header.
 * A quote inside a field that does not start with one is a character, as Excel reads it.
 */
export function readCsvAsExcel(body: Buffer | string, regional: Regional, options: { relaxColumnCount?: boolean } = {}): string[][] {
  const text = typeof body === 'string' ? body : body.toString('utf8');
  return parse(text, {
    bom: true,
    delimiter: REGIONAL_SETTINGS[regional].listSeparator,
    relax_quotes: true,
    relax_column_count: options.relaxColumnCount ?? false,
  }) as string[][];
}

/**
 * A cell as Excel takes it under the regional settings: a number when it is digits with at most
 * one decimal separator (and an optional minus), otherwise the text itself.
 */
export function excelValue(cell: string, regional: Regional): number | string {
  const decimal = REGIONAL_SETTINGS[regional].decimalSeparator === ',' ? ',' : '\\.';
  return new RegExp(`^-?\\d+(${decimal}\\d+)?$`).test(cell) ? Number(cell.replace(',', '.')) : cell;
}
