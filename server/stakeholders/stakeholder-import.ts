// Reading a stakeholder list from a spreadsheet (CSV or XLSX), the way municipalities keep them:
// Turkish or English headers in any order, groups and areas by name or id. Every row is checked
// and its problems listed before anything is stored.
import { z } from 'zod';
import { LANGUAGES } from '../platform/i18n/i18n';
import type { LocalizedText } from '../platform/schema';
import { foldTurkish } from '../platform/text';
import { columnsOf, decodeText, headerIndex, isEmptyRow, readCsv, readXlsx, wordsOf } from '../platform/import/spreadsheet';
import type { StakeholderInput } from './stakeholder.repository';
import { STAKEHOLDER_GROUPS, STAKEHOLDER_SCOPES, STAKEHOLDER_TYPES, type StakeholderGroup, type StakeholderScope, type StakeholderType } from './stakeholder.table';

export const MAX_IMPORT_ROWS = 2000;

/** The template's columns, in its order; each is named by import.columns.<field> in the locales. */
export const IMPORT_COLUMNS = ['name', 'group', 'scope', 'type', 'emails', 'contact_person', 'areas', 'reason', 'importance', 'influence', 'language'] as const;
export type Field = (typeof IMPORT_COLUMNS)[number];
const REQUIRED: Field[] = ['name', 'group', 'importance', 'influence'];

/** Headers people write by hand; the template's and the export's come from the locales. */
const ALIASES: Record<Field, string[]> = {
  name: ['ad', 'adi', 'kurum', 'kurum adi', 'paydas', 'paydas adi', 'name', 'institution'],
  group: ['grup', 'paydas grubu', 'group'],
  scope: ['kapsam', 'ic/dis', 'ic-dis', 'scope', 'internal/external'],
  type: ['tur', 'tip', 'paydas turu', 'type'],
  emails: ['e-posta', 'eposta', 'e-postalar', 'email', 'e-mail', 'emails'],
  contact_person: ['iletisim kisisi', 'ilgili kisi', 'yetkili', 'contact', 'contact person'],
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
  /** Every header a column may carry, per field (the template's and the export's, all languages). */
  headers: Record<Field, string[]>;
  /** Every label a value may be written as, per id (e.g. all languages' group names). */
  groups: Record<StakeholderGroup, string[]>;
  types: Record<StakeholderType, string[]>;
  scopes: Record<StakeholderScope, string[]>;
  areas: Record<string, string[]>;
  /** Names already in the register. */
  existingNames: string[];
}

/** What the import recognises, from the locales' labels in every language and the municipality's areas. */
export function importVocabulary(
  label: (key: string, language: string) => string,
  activityAreas: { id: string; name: LocalizedText }[],
  existingNames: string[],
): ImportVocabulary {
  const labels = <T extends string>(ids: readonly T[], ...prefixes: string[]) =>
    Object.fromEntries(ids.map((id) => [id, prefixes.flatMap((prefix) => LANGUAGES.map((language) => label(`stakeholders:${prefix}.${id}`, language)))])) as Record<T, string[]>;
  return {
    headers: labels(IMPORT_COLUMNS, 'import.columns', 'fields'),
    groups: labels(STAKEHOLDER_GROUPS, 'groups'),
    types: labels(STAKEHOLDER_TYPES, 'types'),
    scopes: labels(STAKEHOLDER_SCOPES, 'scopes'),
    areas: Object.fromEntries(activityAreas.map((area) => [area.id, Object.values(area.name)])),
    existingNames,
  };
}

const headerIndexOf = (vocabulary: Pick<ImportVocabulary, 'headers'>): Map<string, Field> =>
  headerIndex(IMPORT_COLUMNS, (field) => [...ALIASES[field], ...vocabulary.headers[field]]);

/** The cells of the first sheet (XLSX) or the whole file (CSV). */
export async function readSpreadsheet(fileName: string, content: Buffer, vocabulary: Pick<ImportVocabulary, 'headers'>): Promise<string[][]> {
  if (/\.xlsx$/i.test(fileName)) return readXlsx(content);
  return readCsv(decodeText(content), headerIndexOf(vocabulary));
}


const MAX_PIECES_OF_AN_AREA = 8;

/**
 * The areas named in one cell. They are separated by semicolons (as the export writes them),
 * commas or line breaks, yet a name may hold a comma itself ("Yol, kaldırım ve altyapı"): from
 * each piece on, the longest run of pieces that names a known area is taken.
 */
export function splitAreas(cell: string, areaOf: (text: string) => string | undefined): { areas: string[]; unknown: string[] } {
  const parts = cell.split(/([;,\r\n])/);
  const areas: string[] = [];
  const unknown: string[] = [];
  let from = 0;
  while (from < parts.length) {
    if (!parts[from]!.trim()) {
      from += 2;
      continue;
    }
    // No area's name holds more than a few commas; the bound keeps a long cell linear.
    let to = Math.min(parts.length - 1, from + 2 * (MAX_PIECES_OF_AN_AREA - 1));
    for (; to >= from; to -= 2) {
      const area = areaOf(parts.slice(from, to + 1).join(''));
      if (area) {
        areas.push(area);
        break;
      }
    }
    if (to < from) {
      unknown.push(parts[from]!.trim());
      to = from;
    }
    from = to + 2;
  }
  return { areas, unknown };
}

const email = z.email();

export function checkRows(cells: string[][], vocabulary: ImportVocabulary): { rows: ImportRow[]; missingColumns: Field[] } {
  const index = headerIndexOf(vocabulary);
  const headerAt = cells.findIndex((row) => !isEmptyRow(row));
  const column = columnsOf(cells[headerAt] ?? [], index);
  const missingColumns = REQUIRED.filter((field) => column[field] === undefined);
  if (missingColumns.length > 0) return { rows: [], missingColumns };
  // The register's export used to write two header rows, the keys and then the labels.
  let dataAt = headerAt + 1;
  while (dataAt < cells.length && REQUIRED.every((field) => columnsOf(cells[dataAt]!, index)[field] !== undefined)) dataAt += 1;

  const keyed = (labels: Record<string, string[]>) => {
    const ids = new Map<string, string>();
    for (const [id, names] of Object.entries(labels)) for (const label of [id, ...names]) if (!ids.has(wordsOf(label))) ids.set(wordsOf(label), id);
    return (value: string) => ids.get(wordsOf(value));
  };
  const groupOf = keyed(vocabulary.groups) as (value: string) => StakeholderGroup | undefined;
  const typeOf = keyed(vocabulary.types) as (value: string) => StakeholderType | undefined;
  const areaOf = keyed(vocabulary.areas);
  const scopeOf = keyed({
    internal: ['ic', 'i', 'internal', ...vocabulary.scopes.internal],
    external: ['dis', 'd', 'external', ...vocabulary.scopes.external],
  }) as (value: string) => StakeholderScope | undefined;
  const seen = new Set(vocabulary.existingNames.map((name) => foldTurkish(name.trim())));
  const rows: ImportRow[] = [];
  cells.slice(dataAt).forEach((cellsOfRow, index) => {
    // The export puts an apostrophe before a text that a spreadsheet would run as a formula.
    const cell = (field: Field) => (column[field] !== undefined ? (cellsOfRow[column[field]] ?? '').trim().replace(/^'(?=[=+\-@])/, '') : '');
    if (isEmptyRow(cellsOfRow)) return;
    const problems: ImportProblem[] = [];
    const problem = (field: ImportProblem['field'], key: string, value?: string) => problems.push({ field, key, ...(value !== undefined ? { value } : {}) });

    const name = cell('name');
    if (!name) problem('name', 'import.errors.name_missing');
    else if (name.length > 200) problem('name', 'import.errors.too_long');
    else if (seen.has(foldTurkish(name))) problem('name', 'import.errors.duplicate', name);
    const group = groupOf(cell('group'));
    if (!group) problem('group', 'import.errors.group', cell('group'));
    const scope = cell('scope') ? scopeOf(cell('scope')) : 'external';
    if (!scope) problem('scope', 'import.errors.scope', cell('scope'));
    const type = cell('type') ? typeOf(cell('type')) : null;
    if (type === undefined) problem('type', 'import.errors.type', cell('type'));
    const emails = cell('emails').split(/[;,\s]+/).filter(Boolean).map((e) => e.toLowerCase());
    for (const address of emails) if (!email.safeParse(address).success) problem('emails', 'import.errors.email', address);
    const { areas, unknown } = splitAreas(cell('areas'), areaOf);
    for (const areaName of unknown) problem('areas', 'import.errors.area', areaName);
    const score = (field: 'importance' | 'influence') => {
      const value = Number(cell(field));
      if (!/^[1-5]$/.test(cell(field))) problem(field, 'import.errors.score', cell(field));
      return value;
    };
    const importance = score('importance');
    const influence = score('influence');
    const languageText = wordsOf(cell('language'));
    const language = !languageText || ['tr', 'turkce'].includes(languageText) ? 'tr' : ['en', 'ingilizce', 'english'].includes(languageText) ? 'en' : undefined;
    if (!language) problem('language', 'import.errors.language', cell('language'));
    const reason = cell('reason');
    const contactPerson = cell('contact_person');
    if (reason.length > 1000 || contactPerson.length > 200) problem('row', 'import.errors.too_long');

    if (name) seen.add(foldTurkish(name));
    rows.push({
      line: dataAt + index + 1,
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
              areas: [...new Set(areas)],
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

export { STAKEHOLDER_GROUPS, STAKEHOLDER_TYPES };
