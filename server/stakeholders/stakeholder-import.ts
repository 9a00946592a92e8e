// Reading a stakeholder list from a spreadsheet (CSV or XLSX), the way municipalities keep them:
// Turkish or English headers in any order, groups and areas by name or id. Every row is checked
// and its problems listed before anything is stored.
import { parse as parseCsv } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { z } from 'zod';
import { foldTurkish } from '../platform/text';
import type { StakeholderInput } from './stakeholder.repository';
import { STAKEHOLDER_GROUPS, STAKEHOLDER_TYPES, type StakeholderGroup, type StakeholderType } from './stakeholder.table';

export const MAX_IMPORT_ROWS = 2000;

type Field = 'name' | 'group' | 'scope' | 'type' | 'emails' | 'contactPerson' | 'areas' | 'reason' | 'importance' | 'influence' | 'language';

const HEADERS: Record<Field, string[]> = {
  name: ['ad', 'adi', 'kurum', 'kurum adi', 'paydas', 'paydas adi', 'name', 'institution'],
  group: ['grup', 'paydas grubu', 'group'],
  scope: ['kapsam', 'ic/dis', 'ic dis', 'ic-dis', 'scope', 'internal/external'],
  type: ['tur', 'tip', 'paydas turu', 'type'],
  emails: ['e-posta', 'eposta', 'e posta', 'e-postalar', 'email', 'e-mail', 'emails'],
  contactPerson: ['iletisim kisisi', 'ilgili kisi', 'yetkili', 'contact', 'contact person'],
  areas: ['faaliyet alanlari', 'faaliyet alani', 'ilgili faaliyet alanlari', 'areas', 'activity areas'],
  reason: ['neden', 'neden paydas', 'gerekce', 'paydas olma nedeni', 'reason'],
  importance: ['onem', 'importance'],
  influence: ['etki', 'influence'],
  language: ['dil', 'language'],
};

export interface ImportProblem {
  field: Field | 'row';
  /** A translation key in the stakeholders namespace. */
  key: string;
  value?: string;
}

export interface ImportRow {
  /** The spreadsheet's row number, as the planner sees it. */
  line: number;
  name: string;
  input?: StakeholderInput;
  problems: ImportProblem[];
}

export interface ImportVocabulary {
  /** Every label a value may be written as, per id (e.g. all languages' group names). */
  groups: Record<StakeholderGroup, string[]>;
  types: Record<StakeholderType, string[]>;
  areas: Record<string, string[]>;
  /** Names already in the register. */
  existingNames: string[];
}

/** The cells of the first sheet (XLSX) or the whole file (CSV; comma or semicolon separated). */
export async function readSpreadsheet(fileName: string, content: Buffer): Promise<string[][]> {
  if (/\.xlsx$/i.test(fileName)) {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(content as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0];
    if (!sheet) return [];
    const rows: string[][] = [];
    sheet.eachRow({ includeEmpty: true }, (row) => {
      const values = (row.values as unknown[]).slice(1);
      rows.push(values.map(cellText));
    });
    return rows;
  }
  const text = content.toString('utf8').replace(/^\uFEFF/, '');
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  // Excel in a Turkish locale saves CSV with semicolons.
  const delimiter = (firstLine.match(/;/g) ?? []).length > (firstLine.match(/,/g) ?? []).length ? ';' : ',';
  return parseCsv(text, { delimiter, relax_column_count: true, skip_empty_lines: false }) as string[][];
}

function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') {
    const cell = value as { text?: unknown; result?: unknown; richText?: { text: string }[]; hyperlink?: string };
    if (cell.richText) return cell.richText.map((part) => part.text).join('');
    if (typeof cell.text === 'string') return cell.text;
    if (cell.result !== undefined) return String(cell.result);
  }
  return String(value);
}

const email = z.email();

export function checkRows(cells: string[][], vocabulary: ImportVocabulary): { rows: ImportRow[]; missingColumns: Field[] } {
  const [header = [], ...data] = cells;
  const folded = header.map((h) => foldTurkish(h.trim()));
  const column = Object.fromEntries(
    (Object.keys(HEADERS) as Field[]).map((field) => [field, folded.findIndex((h) => HEADERS[field].includes(h))]),
  ) as Record<Field, number>;
  const missingColumns = (['name', 'group', 'importance', 'influence'] as Field[]).filter((field) => column[field] < 0);
  if (missingColumns.length > 0) return { rows: [], missingColumns };

  const lookup = <T extends string>(labels: Record<T, string[]>, value: string): T | undefined => {
    const wanted = foldTurkish(value.trim());
    return (Object.keys(labels) as T[]).find((id) => foldTurkish(id) === wanted || labels[id].some((label) => foldTurkish(label) === wanted));
  };
  const seen = new Set(vocabulary.existingNames.map((name) => foldTurkish(name.trim())));
  const rows: ImportRow[] = [];
  data.forEach((cellsOfRow, index) => {
    const cell = (field: Field) => (column[field] >= 0 ? (cellsOfRow[column[field]] ?? '').trim() : '');
    if (cellsOfRow.every((value) => !value || !value.trim())) return;
    const problems: ImportProblem[] = [];
    const problem = (field: ImportProblem['field'], key: string, value?: string) => problems.push({ field, key, ...(value !== undefined ? { value } : {}) });

    const name = cell('name');
    if (!name) problem('name', 'import.errors.name_missing');
    else if (name.length > 200) problem('name', 'import.errors.too_long');
    else if (seen.has(foldTurkish(name))) problem('name', 'import.errors.duplicate', name);
    const group = lookup(vocabulary.groups, cell('group'));
    if (!group) problem('group', 'import.errors.group', cell('group'));
    const scopeText = foldTurkish(cell('scope'));
    const scope = !scopeText || ['dis', 'd', 'external', 'dis paydas'].includes(scopeText) ? 'external' : ['ic', 'i', 'internal', 'ic paydas'].includes(scopeText) ? 'internal' : undefined;
    if (!scope) problem('scope', 'import.errors.scope', cell('scope'));
    const type = cell('type') ? lookup(vocabulary.types, cell('type')) : null;
    if (type === undefined) problem('type', 'import.errors.type', cell('type'));
    const emails = cell('emails').split(/[;,\s]+/).filter(Boolean).map((e) => e.toLowerCase());
    for (const address of emails) if (!email.safeParse(address).success) problem('emails', 'import.errors.email', address);
    const areaNames = cell('areas').split(/[;,]/).map((a) => a.trim()).filter(Boolean);
    const areas: string[] = [];
    for (const areaName of areaNames) {
      const area = lookup(vocabulary.areas, areaName);
      if (area) areas.push(area);
      else problem('areas', 'import.errors.area', areaName);
    }
    const score = (field: 'importance' | 'influence') => {
      const value = Number(cell(field));
      if (!/^[1-5]$/.test(cell(field))) problem(field, 'import.errors.score', cell(field));
      return value;
    };
    const importance = score('importance');
    const influence = score('influence');
    const languageText = foldTurkish(cell('language'));
    const language = !languageText || ['tr', 'turkce'].includes(languageText) ? 'tr' : ['en', 'ingilizce', 'english'].includes(languageText) ? 'en' : undefined;
    if (!language) problem('language', 'import.errors.language', cell('language'));
    const reason = cell('reason');
    const contactPerson = cell('contactPerson');
    if (reason.length > 1000 || contactPerson.length > 200) problem('row', 'import.errors.too_long');

    if (name) seen.add(foldTurkish(name));
    rows.push({
      line: index + 2,
      name,
      problems,
      ...(problems.length === 0
        ? {
            input: {
              name,
              group: group!,
              scope: scope!,
              type: type ?? null,
              emails: [...new Set(emails)],
              contactPerson: contactPerson || null,
              areas,
              reason: reason || null,
              importance,
              influence,
              language: language!,
            },
          }
        : {}),
    });
  });
  if (rows.length > MAX_IMPORT_ROWS) {
    return { rows: rows.slice(0, MAX_IMPORT_ROWS).map((row) => ({ ...row, problems: [{ field: 'row', key: 'import.errors.too_many' }], input: undefined })), missingColumns };
  }
  return { rows, missingColumns };
}

export const IMPORT_COLUMNS = Object.keys(HEADERS) as Field[];
export { STAKEHOLDER_GROUPS, STAKEHOLDER_TYPES };
