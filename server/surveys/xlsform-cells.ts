// Reading XLSForm sheets: headers matched case-insensitively as pyxform does, label and hint
// columns per language, the simple constraint expressions our bounds can express, and which
// choice lists make a rating.
import type { LocalizedText } from '../platform/schema';
import type { Option } from './survey-definition';
import type { SheetRows } from './xlsform';

type Header = { field: string; language?: string }[];

export function languageCode(name: string): string | undefined {
  const code = /\(([a-zA-Z-]{2,8})\)\s*$/.exec(name)?.[1];
  if (code) return code.toLowerCase();
  const lower = name.trim().toLowerCase();
  if (lower === 'turkish' || lower === 'türkçe') return 'tr';
  if (lower === 'english' || lower === 'ingilizce') return 'en';
  return /^[a-z]{2}$/.test(lower) ? lower : undefined;
}

function parseHeader(cells: string[], defaultLanguage: string): Header {
  return cells.map((cell) => {
    const [rawField = '', language] = cell.trim().split('::');
    const field = rawField.trim().toLowerCase();
    return {
      field,
      language: language !== undefined ? languageCode(language) : TRANSLATED.has(field) ? defaultLanguage : undefined,
    };
  });
}

const TRANSLATED = new Set(['label', 'hint']);

export interface ParsedRow {
  row: number;
  get(field: string): string;
  text(field: string): LocalizedText | undefined;
}

export function rowsOf(sheet: SheetRows, defaultLanguage: string): ParsedRow[] {
  const [headerCells = [], ...rest] = sheet;
  const header = parseHeader(headerCells, defaultLanguage);
  return rest
    .map((cells, index) => ({
      row: index + 2,
      blank: cells.every((cell) => cell.trim() === ''),
      get: (field: string) => (cells[header.findIndex((h) => h.field === field && h.language === undefined)] ?? '').trim(),
      text: (field: string) => {
        const entries = header
          .map((h, i) => [h, (cells[i] ?? '').trim()] as const)
          .filter(([h, value]) => h.field === field && h.language && value !== '')
          .map(([h, value]) => [h.language!, value]);
        return entries.length > 0 ? (Object.fromEntries(entries) as LocalizedText) : undefined;
      },
    }))
    .filter((row) => !row.blank);
}

export const NUMBER = String.raw`-?\d+(?:\.\d+)?`;
export const DATE = String.raw`date\('\d{4}-\d{2}-\d{2}'\)`;
export const SELF = String.raw`\.`;

/** `. >= 1 and . <= 5` and the like: the bounds, or null when the constraint says anything else. */
export function boundsOf(constraint: string, subject: string, value: string): { min?: string; max?: string } | null {
  if (constraint === '') return {};
  const bounds: { min?: string; max?: string } = {};
  for (const term of constraint.split(/\s+and\s+/)) {
    const m = new RegExp(`^${subject}\\s*(>=|<=)\\s*(${value})$`).exec(term.trim());
    if (!m) return null;
    bounds[m[1] === '>=' ? 'min' : 'max'] = m[2]!;
  }
  return bounds;
}

export const REQUIRED_VALUES = new Set(['yes', 'true', 'true()', '1', 'evet']);
export const NOT_REQUIRED_VALUES = new Set(['', 'no', 'false', 'false()', '0', 'hayır', 'hayir']);
/** Rows with no question to ask: metadata, calculations and acknowledgements. Left out with a notice. */
export const DROPPED_TYPES = new Set([
  'calculate',
  'acknowledge',
  'start',
  'end',
  'today',
  'deviceid',
  'subscriberid',
  'simserial',
  'phonenumber',
  'username',
  'email',
  'audit',
  'hidden',
  'start-geopoint',
]);

/** A choice as read, with its row for reporting. */
export interface Choice {
  row: ParsedRow;
  option: Option;
}

const RATING_SCALES = ['1-5', '1-10', '0-10'] as const;

/** A rating when the choices are exactly 1–5, 1–10 or 0–10 and only the ends carry words. */
export function ratingOf(choices: Choice[], hinted: boolean): Record<string, unknown> | null {
  if (!hinted) return null;
  const names = choices.map((c) => c.option.id).join(',');
  const scale = RATING_SCALES.find((s) => {
    const [from, to] = s.split('-').map(Number) as [number, number];
    return Array.from({ length: to - from + 1 }, (_, i) => String(from + i)).join(',') === names;
  });
  if (!scale) return null;
  const plain = (c: Choice) => c.option.label.tr === c.option.id && Object.keys(c.option.label).length === 1;
  if (!choices.slice(1, -1).every(plain)) return null;
  const first = choices[0]!;
  const last = choices.at(-1)!;
  return { scale, ...(plain(first) ? {} : { minLabel: first.option.label }), ...(plain(last) ? {} : { maxLabel: last.option.label }) };
}
