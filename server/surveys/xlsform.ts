// XLSForm (the spreadsheet format of ODK, KoboToolbox and pyxform) to and from our survey format.
// The pure functions work on sheets as rows of strings (first row = headers) so that they can be
// unit-tested without a workbook; writeXlsForm/readXlsForm only move those rows in and out of .xlsx.
import ExcelJS from 'exceljs';
import type { Condition, Survey, SurveyFile } from './survey-definition';

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

/** A condition as an XLSForm `relevant` expression. */
export function relevantOf(condition: Condition): string {
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

/** A relevant expression as one of our conditions, or null when it is none of the forms we have. */
export function conditionOf(expression: string): Condition | null {
  const terms = expression.trim().split(/\s+or\s+/);
  const ref = String.raw`\$\{([a-z][a-z0-9_]*)\}`;
  const quoted = String.raw`(?:'([a-z][a-z0-9_]*)'|"([a-z][a-z0-9_]*)")`;
  if (terms.length === 1) {
    const term = terms[0]!.trim();
    let m = new RegExp(`^${ref}\\s*(!?=)\\s*${quoted}$`).exec(term);
    if (m) return m[2] === '=' ? { question: m[1]!, equals: m[3] ?? m[4]! } : { question: m[1]!, notEquals: m[3] ?? m[4]! };
    m = new RegExp(`^selected\\(\\s*${ref}\\s*,\\s*${quoted}\\s*\\)$`).exec(term);
    if (m) return { question: m[1]!, includes: m[2] ?? m[3]! };
    return null;
  }
  const values: string[] = [];
  let question: string | undefined;
  for (const term of terms) {
    const m = new RegExp(`^${ref}\\s*=\\s*${quoted}$`).exec(term.trim());
    if (!m || (question !== undefined && question !== m[1])) return null;
    question = m[1]!;
    values.push(m[2] ?? m[3]!);
  }
  return { question: question!, anyOf: values };
}


export { toXlsForm } from './xlsform-export';
export { fromXlsForm, type XlsFormImport } from './xlsform-import';
