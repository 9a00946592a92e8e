// XLSForm (the spreadsheet format of ODK, KoboToolbox and pyxform) to and from our survey format.
// The pure functions work on sheets as rows of strings (first row = headers) so that they can be
// unit-tested without a workbook; writeXlsForm/readXlsForm only move those rows in and out of .xlsx.
import ExcelJS from 'exceljs';
import type { Condition, LeafCondition, Survey, SurveyFile } from './survey-definition';

export type SheetRows = string[][];
// A type rather than an interface, so that it is also a Record<string, SheetRows> for the import.
export type XlsFormSheets = {
  survey: SheetRows;
  choices: SheetRows;
  settings: SheetRows;
};

/** Our own column, on every sheet: what the standard columns cannot say, as compact JSON. */
export const PAYDAS_COLUMN = 'paydas';

const LANGUAGE_NAMES: Record<string, string> = { tr: 'Türkçe', en: 'English' };
export const languageColumn = (code: string) => `${LANGUAGE_NAMES[code] ?? code} (${code})`;

/** Every language the survey is written in, Turkish first. */
export function languagesOf(survey: Survey): string[] {
  const found = new Set<string>(['tr']);
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (value && typeof value === 'object') {
      const record = value as Record<string, unknown>;
      if (typeof record.tr === 'string') Object.keys(record).forEach((key) => found.add(key));
      else Object.values(record).forEach(visit);
    }
  };
  visit(survey.sections);
  visit(survey.title);
  return [...found];
}

// ---------------------------------------------------------------------------------------------
// Export

/** A condition as an XLSForm `relevant` expression; combined parts in parentheses, so precedence never matters. */
export function relevantOf(condition: Condition): string {
  const part = (inner: Condition): string => {
    const text = relevantOf(inner);
    const combined = 'all' in inner || 'any' in inner || ('anyOf' in inner && inner.anyOf.length > 1);
    return combined ? `(${text})` : text;
  };
  if ('all' in condition) return condition.all.map(part).join(' and ');
  if ('any' in condition) return condition.any.map(part).join(' or ');
  if ('equals' in condition) return `\${${condition.question}} = '${condition.equals}'`;
  if ('notEquals' in condition) return `\${${condition.question}} != '${condition.notEquals}'`;
  if ('includes' in condition) return `selected(\${${condition.question}}, '${condition.includes}')`;
  return condition.anyOf.map((value) => `\${${condition.question}} = '${value}'`).join(' or ');
}

export async function writeXlsForm(sheets: XlsFormSheets): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  for (const name of ['survey', 'choices', 'settings'] as const) {
    const sheet = workbook.addWorksheet(name);
    for (const row of sheets[name]) sheet.addRow(row);
    sheet.getRow(1).font = { bold: true };
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** Every sheet of a workbook as rows of strings; sheet names lower-cased as pyxform matches them. */
export async function readXlsForm(content: Buffer): Promise<Record<string, SheetRows>> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(content as unknown as ArrayBuffer);
  const sheets: Record<string, SheetRows> = {};
  workbook.eachSheet((sheet) => {
    const rows: SheetRows = [];
    for (let r = 1; r <= sheet.rowCount; r++) {
      const row = sheet.getRow(r);
      const cells: string[] = [];
      for (let c = 1; c <= sheet.columnCount; c++) cells.push(cellText(row.getCell(c).value));
      rows.push(cells);
    }
    sheets[sheet.name.trim().toLowerCase()] = rows;
  });
  return sheets;
}

function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') {
    if (value instanceof Date) return value.toISOString().slice(0, 10);
    if ('richText' in value) return value.richText.map((part) => part.text).join('');
    if ('text' in value) return String(value.text);
    if ('result' in value) return String(value.result ?? '');
    return '';
  }
  return String(value);
}

// ---------------------------------------------------------------------------------------------
// Import

export interface XlsFormProblem {
  /** 1-based row in its sheet, as Excel numbers it; 0 for the workbook as a whole. */
  row: number;
  sheet: string;
  /** An i18n key (admin namespace) and its parameters: shown in the planner's language. */
  key: string;
  params?: Record<string, string | number>;
}

/** What XLSForm has no place for: taken from the caller (the upload form or the survey replaced). */
export type SurveyMeta = Pick<SurveyFile, 'audience' | 'opensAt' | 'closesAt'> &
  Partial<Pick<SurveyFile, 'slug' | 'intro'>> & {
    /** The slug when the settings sheet gives no form_id (KoboToolbox then uses the file name). */
    defaultSlug?: string;
  };

const REF = String.raw`\$\{([a-z][a-z0-9_]*)\}`;
const QUOTED = String.raw`(?:'([a-z][a-z0-9_]*)'|"([a-z][a-z0-9_]*)")`;
const COMPARISON = new RegExp(`^${REF}\\s*(!?=)\\s*${QUOTED}`);
const SELECTED = new RegExp(`^selected\\(\\s*${REF}\\s*,\\s*${QUOTED}\\s*\\)`);

type Token = '(' | ')' | 'and' | 'or' | LeafCondition;

/** The expression as comparisons, and/or and parentheses; null at anything else. */
function tokensOf(expression: string): Token[] | null {
  const tokens: Token[] = [];
  let rest = expression.trim();
  while (rest !== '') {
    let m: RegExpExecArray | null;
    if (rest[0] === '(' || rest[0] === ')') {
      tokens.push(rest[0]);
      rest = rest.slice(1);
    } else if ((m = /^(and|or)(?![a-z0-9_])/.exec(rest))) {
      tokens.push(m[1] as 'and' | 'or');
      rest = rest.slice(m[0].length);
    } else if ((m = COMPARISON.exec(rest))) {
      const value = m[3] ?? m[4]!;
      tokens.push(m[2] === '=' ? { question: m[1]!, equals: value } : { question: m[1]!, notEquals: value });
      rest = rest.slice(m[0].length);
    } else if ((m = SELECTED.exec(rest))) {
      tokens.push({ question: m[1]!, includes: m[2] ?? m[3]! });
      rest = rest.slice(m[0].length);
    } else return null;
    rest = rest.trimStart();
  }
  return tokens;
}

/** Equalities on one question joined by "or" read back as anyOf, the form relevantOf writes it in. */
function anyOfSameQuestion(parts: Condition[]): Condition | null {
  const leaves = parts.filter((part): part is { question: string; equals: string } => 'equals' in part);
  if (leaves.length !== parts.length || leaves.some((leaf) => leaf.question !== leaves[0]!.question)) return null;
  return { question: leaves[0]!.question, anyOf: leaves.map((leaf) => leaf.equals) };
}

/**
 * A relevant expression as one of our conditions, or null when it is none of the forms we have:
 * `${q} = 'a'`, `${q} != 'a'`, `selected(${q}, 'a')`, joined by and/or ("and" binds tighter) with parentheses.
 */
export function conditionOf(expression: string): Condition | null {
  const tokens = tokensOf(expression);
  if (!tokens || tokens.length === 0) return null;
  let at = 0;
  const group = (operator: 'and' | 'or', next: () => Condition | null): Condition | null => {
    const first = next();
    if (!first) return null;
    const parts = [first];
    while (tokens[at] === operator) {
      at++;
      const part = next();
      if (!part) return null;
      parts.push(part);
    }
    if (parts.length === 1) return first;
    return operator === 'and' ? { all: parts } : (anyOfSameQuestion(parts) ?? { any: parts });
  };
  const atom = (): Condition | null => {
    const token = tokens[at++];
    if (token === '(') {
      const inner = either();
      return inner && tokens[at++] === ')' ? inner : null;
    }
    return token !== undefined && typeof token === 'object' ? token : null;
  };
  const both = (): Condition | null => group('and', atom);
  const either = (): Condition | null => group('or', both);
  const condition = either();
  return condition && at === tokens.length ? condition : null;
}

export { toXlsForm } from './xlsform-export';
export { fromXlsForm, type XlsFormImport } from './xlsform-import';
