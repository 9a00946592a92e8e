// A survey's codebook as a spreadsheet and back, so a municipality can reuse its themes for the
// next plan: the rows the export writes, and the checking of an uploaded file (CSV or XLSX,
// Turkish or English headers, areas and GZFT kinds by id or by name) before anything is stored.
import type { Cell } from '../../platform/export/writers';
import { LANGUAGES } from '../../platform/i18n/i18n';
import type { LocalizedText } from '../../platform/schema';
import { foldTurkish } from '../../platform/text';
import { columnsOf, decodeText, headerIndex, isEmptyRow, readCsv, readXlsx, wordsOf } from '../../platform/import/spreadsheet';
import type { Theme, ThemeInput } from './coding.repository';
import { parseQuery } from './answer-search';
import { SWOT_KINDS, type SwotKind } from './coding.table';

/** A theme as a file gives it: what the codebook form holds, and the search it keeps as its rule. */
export type ImportedTheme = ThemeInput & { rule: string | null };

export const THEME_NAME_MAX = 120;
export const KEYWORDS_MAX = 500;
export const MAX_CODEBOOK_ROWS = 1000;

/** The file's columns, in the export's order; each is named by codebook_io.columns.<column> in the locales. */
export const CODEBOOK_COLUMNS = ['theme', 'area_id', 'area', 'swot_kind', 'keywords', 'rule'] as const;
export type CodebookColumn = (typeof CODEBOOK_COLUMNS)[number];

/** Headers people write by hand, folded; the export's come from the locales in every language. */
const ALIASES: Record<CodebookColumn, string[]> = {
  theme: ['tema', 'tema adi', 'ad', 'theme', 'name'],
  area_id: ['faaliyet alani kodu', 'alan kodu', 'area id', 'area_id'],
  area: ['faaliyet alani', 'alan', 'area', 'activity area'],
  swot_kind: ['gzft', 'gzft turu', 'swot', 'swot kind', 'swot_kind'],
  keywords: ['anahtar sozcukler', 'anahtar kelimeler', 'keywords'],
  rule: ['kural', 'arama kurali', 'rule', 'search rule'],
};

export interface CodebookVocabulary {
  /** Every header a column may carry (the export's, in all languages). */
  headers: Record<CodebookColumn, string[]>;
  /** Every label a GZFT kind may be written as (all languages). */
  swot: Record<SwotKind, string[]>;
  /** The municipality's activity areas: id and names in all languages. */
  areas: { id: string; names: string[] }[];
}

export function codebookVocabulary(label: (key: string, language: string) => string, activityAreas: { id: string; name: LocalizedText }[]): CodebookVocabulary {
  const all = (key: string) => LANGUAGES.map((language) => label(key, language));
  return {
    headers: Object.fromEntries(CODEBOOK_COLUMNS.map((column) => [column, all(`coding:codebook_io.columns.${column}`)])) as Record<CodebookColumn, string[]>,
    swot: Object.fromEntries(SWOT_KINDS.map((kind) => [kind, all(`coding:swot.${kind}`)])) as Record<SwotKind, string[]>,
    areas: activityAreas.map((area) => ({ id: area.id, names: Object.values(area.name).filter((name): name is string => typeof name === 'string') })),
  };
}

// Export.

/** One row per theme, in the codebook's order: the name, the area's id and name, the GZFT kind's label, the keywords, the search rule. */
export function exportRows(themes: Theme[], names: { area: (id: string) => string; swot: (kind: SwotKind) => string }): Cell[][] {
  return themes.map((theme) => [
    theme.name,
    theme.areaId ?? '',
    theme.areaId ? names.area(theme.areaId) : '',
    theme.swotKind ? names.swot(theme.swotKind) : '',
    theme.keywords.join(', '),
    theme.rule ?? '',
  ]);
}

// Import.

/** The id column first: "Faaliyet alanı kodu" must not be read as "Faaliyet alanı". */
const headerIndexOf = (vocabulary: Pick<CodebookVocabulary, 'headers'>): Map<string, CodebookColumn> =>
  headerIndex(CODEBOOK_COLUMNS, (column) => [...vocabulary.headers[column], ...ALIASES[column]]);

/** The file is not a spreadsheet that can be read. */
export class UnreadableFile extends Error {}

/** The cells of the first sheet (XLSX, told by its zip signature) or of the whole file (CSV). */
export async function readCodebookFile(content: Buffer, vocabulary: Pick<CodebookVocabulary, 'headers'>): Promise<string[][]> {
  const zip = content.length >= 4 && content[0] === 0x50 && content[1] === 0x4b && content[2] === 0x03 && content[3] === 0x04;
  try {
    return zip ? await readXlsx(content) : readCsv(decodeText(content), headerIndexOf(vocabulary));
  } catch {
    throw new UnreadableFile();
  }
}

export interface CodebookProblem {
  /** A translation key under coding:codebook_io.errors. */
  key: 'name_missing' | 'name_too_long' | 'duplicate' | 'area' | 'swot' | 'keywords_too_long' | 'rule' | 'too_many';
  value?: string;
}

/** What confirming does with a row: a new theme, a changed one, or nothing (already as in the file). */
export type RowAction = 'create' | 'update' | 'unchanged';

export interface CodebookImportRow {
  /** The spreadsheet's row number, as the planner sees it. */
  line: number;
  name: string;
  input?: ImportedTheme;
  action?: RowAction;
  problems: CodebookProblem[];
}

/** Keywords as written, one per comma, each once (Turkish folding decides what "once" means). */
export function keywordList(typed: string): string[] {
  const seen = new Set<string>();
  return typed
    .split(',')
    .map((keyword) => keyword.trim().replace(/\s+/g, ' '))
    .filter((keyword) => {
      const folded = foldTurkish(keyword);
      if (!keyword || seen.has(folded)) return false;
      seen.add(folded);
      return true;
    });
}

const sameInput = (theme: Theme, input: ImportedTheme) =>
  theme.name === input.name && theme.areaId === input.areaId && theme.swotKind === input.swotKind && theme.keywords.join(', ') === input.keywords.join(', ') && theme.rule === input.rule;

/** A theme of the codebook with the name as people read it ("Çevre" is "ÇEVRE"), if any. */
export function themeNamed(themes: Theme[], name: string): Theme | undefined {
  const wanted = foldTurkish(name);
  return themes.find((theme) => foldTurkish(theme.name) === wanted);
}

/**
 * What an import does with each row against the codebook as it is: a theme of the same name (in
 * Turkish folding) is updated to the file's area, GZFT kind, keywords and spelling of the name;
 * a row already equal to its theme changes nothing; other rows become new themes.
 */
export function planImport(inputs: ImportedTheme[], existing: Theme[]): { action: RowAction; input: ImportedTheme; themeId?: number }[] {
  return inputs.map((input) => {
    const theme = themeNamed(existing, input.name);
    if (!theme) return { action: 'create', input };
    return { action: sameInput(theme, input) ? 'unchanged' : 'update', input, themeId: theme.id };
  });
}

/**
 * Checks every row of an uploaded codebook. Only the theme column is required. An area is taken
 * by its id when the id column is filled, otherwise by its name; a GZFT kind by its id or its
 * label in any language. A row with any problem is listed and left out, never half-imported.
 */
export function checkCodebook(cells: string[][], vocabulary: CodebookVocabulary, existing: Theme[]): { rows: CodebookImportRow[]; missingColumns: CodebookColumn[] } {
  const index = headerIndexOf(vocabulary);
  const headerAt = cells.findIndex((row) => !isEmptyRow(row));
  const column = columnsOf(cells[headerAt] ?? [], index);
  if (column.theme === undefined) return { rows: [], missingColumns: ['theme'] };

  const areaIds = new Map(vocabulary.areas.map((area) => [area.id.toLowerCase(), area.id]));
  const areaNames = new Map<string, string>();
  for (const area of vocabulary.areas) for (const name of area.names) if (!areaNames.has(wordsOf(name))) areaNames.set(wordsOf(name), area.id);
  const swotOf = new Map<string, SwotKind>();
  for (const kind of SWOT_KINDS) for (const label of [kind, ...vocabulary.swot[kind]]) if (!swotOf.has(wordsOf(label))) swotOf.set(wordsOf(label), kind);

  const seen = new Set<string>();
  const rows: CodebookImportRow[] = [];
  cells.slice(headerAt + 1).forEach((cellsOfRow, at) => {
    if (isEmptyRow(cellsOfRow)) return;
    // The CSV export puts an apostrophe before a text that a spreadsheet would run as a formula.
    const cell = (name: CodebookColumn) => (column[name] !== undefined ? (cellsOfRow[column[name]] ?? '').trim().replace(/^'(?=[=+\-@\t\r])/, '') : '');
    const problems: CodebookProblem[] = [];

    const name = cell('theme').replace(/\s+/g, ' ');
    if (!name) problems.push({ key: 'name_missing' });
    else if ([...name].length > THEME_NAME_MAX) problems.push({ key: 'name_too_long' });
    else if (seen.has(foldTurkish(name))) problems.push({ key: 'duplicate', value: name });

    let areaId: string | null = null;
    if (cell('area_id')) {
      areaId = areaIds.get(cell('area_id').toLowerCase()) ?? null;
      if (!areaId) problems.push({ key: 'area', value: cell('area_id') });
    } else if (cell('area')) {
      areaId = areaNames.get(wordsOf(cell('area'))) ?? null;
      if (!areaId) problems.push({ key: 'area', value: cell('area') });
    }

    let swotKind: SwotKind | null = null;
    if (cell('swot_kind')) {
      swotKind = swotOf.get(wordsOf(cell('swot_kind'))) ?? null;
      if (!swotKind) problems.push({ key: 'swot', value: cell('swot_kind') });
    }

    const keywords = keywordList(cell('keywords'));
    if (keywords.join(', ').length > KEYWORDS_MAX) problems.push({ key: 'keywords_too_long' });

    // A rule is a search the search page can run: kept only when it parses.
    const rule = cell('rule') || null;
    if (rule !== null && !parseQuery(rule).ok) problems.push({ key: 'rule', value: rule.slice(0, 80) });

    if (name) seen.add(foldTurkish(name));
    // A column the file lacks keeps what a same-named theme has: a list of names alone must not wipe areas.
    const same = name ? themeNamed(existing, name) : undefined;
    const input: ImportedTheme = {
      name,
      areaId: column.area_id === undefined && column.area === undefined && same ? same.areaId : areaId,
      swotKind: column.swot_kind === undefined && same ? same.swotKind : swotKind,
      keywords: column.keywords === undefined && same ? same.keywords : keywords,
      rule: column.rule === undefined && same ? same.rule : rule,
    };
    rows.push({
      line: headerAt + at + 2,
      name,
      problems,
      ...(problems.length === 0 ? { input, action: planImport([input], existing)[0]!.action } : {}),
    });
  });
  if (rows.length > MAX_CODEBOOK_ROWS) {
    return { rows: rows.slice(0, MAX_CODEBOOK_ROWS).map((row) => ({ line: row.line, name: row.name, problems: [{ key: 'too_many' }] })), missingColumns: [] };
  }
  return { rows, missingColumns: [] };
}
