// XLSForm (the spreadsheet format of ODK, KoboToolbox and pyxform) to and from our survey format.
// The pure functions work on sheets as rows of strings (first row = headers) so that they can be
// unit-tested without a workbook; writeXlsForm/readXlsForm only move those rows in and out of .xlsx.
import ExcelJS from 'exceljs';
import type { LocalizedText } from '../platform/schema';
import {
  assertNever,
  OTHER_OPTION_ID,
  SurveyFile,
  type Condition,
  type LeafCondition,
  type Option,
  type Question,
  type Survey,
} from './survey-definition';

export type SheetRows = string[][];
export interface XlsFormSheets {
  survey: SheetRows;
  choices: SheetRows;
  settings: SheetRows;
}

const LANGUAGE_NAMES: Record<string, string> = { tr: 'Türkçe', en: 'English' };
const languageColumn = (code: string) => `${LANGUAGE_NAMES[code] ?? code} (${code})`;

/** Every language the survey is written in, Turkish first. */
function languagesOf(survey: Survey): string[] {
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

interface Row {
  type: string;
  name: string;
  label?: LocalizedText;
  hint?: LocalizedText;
  required?: boolean;
  relevant?: string;
  constraint?: string;
  appearance?: string;
}

/** The survey, choices and settings sheets of a survey. */
export function toXlsForm(survey: Survey): XlsFormSheets {
  const languages = languagesOf(survey);
  const rows: Row[] = [];
  const choices: { list: string; name: string; label: LocalizedText }[] = [];
  const addList = (list: string, options: Option[]) => {
    for (const option of options) choices.push({ list, name: option.id, label: option.label });
    return list;
  };
  const common = (question: Question) => ({
    name: question.id,
    label: question.text,
    hint: question.help,
    required: question.required,
    relevant: question.showWhen ? relevantOf(question.showWhen) : undefined,
  });
  const range = (min: string | undefined, max: string | undefined, of = '.') =>
    [min !== undefined ? `${of} >= ${min}` : '', max !== undefined ? `${of} <= ${max}` : ''].filter(Boolean).join(' and ') || undefined;

  for (const section of survey.sections) {
    rows.push({ type: 'begin_group', name: section.id, label: section.title, relevant: section.showWhen ? relevantOf(section.showWhen) : undefined });
    if (section.intro) rows.push({ type: 'note', name: `${section.id}_intro`, label: section.intro });
    for (const question of section.questions) {
      switch (question.kind) {
        case 'single_choice':
          rows.push({ ...common(question), type: `select_one ${addList(question.id, question.options)}${question.other ? ' or_other' : ''}` });
          break;
        case 'select':
          rows.push({ ...common(question), type: `select_one ${addList(question.id, question.options)}`, appearance: 'minimal' });
          break;
        case 'multiple_choice':
          rows.push({
            ...common(question),
            type: `select_multiple ${addList(question.id, question.options)}${question.other ? ' or_other' : ''}`,
            constraint: range(question.minSelections?.toString(), question.maxSelections?.toString(), 'count-selected(.)'),
          });
          break;
        case 'likert_matrix': {
          // A matrix is a field-list group of select_one rows sharing one list, as KoboToolbox builds it.
          const list = `${question.id}_scale`;
          for (const point of question.scale) choices.push({ list, name: String(point.value), label: point.label });
          if (question.notApplicable) choices.push({ list, name: 'na', label: question.notApplicable });
          rows.push({ type: 'begin_group', name: question.id, label: question.text, hint: question.help, relevant: common(question).relevant, appearance: 'field-list' });
          for (const row of question.rows) {
            rows.push({ type: `select_one ${list}`, name: `${question.id}_${row.id}`, label: row.label, required: question.required, appearance: 'likert' });
          }
          rows.push({ type: 'end_group', name: question.id });
          break;
        }
        case 'rating': {
          const [from, to] = question.scale.split('-').map(Number) as [number, number];
          const list = `${question.id}_scale`;
          for (let value = from; value <= to; value++) {
            const label = value === from && question.minLabel ? question.minLabel : value === to && question.maxLabel ? question.maxLabel : { tr: String(value) };
            choices.push({ list, name: String(value), label });
          }
          rows.push({ ...common(question), type: `select_one ${list}`, appearance: 'likert' });
          break;
        }
        case 'ranking':
          rows.push({ ...common(question), type: `rank ${addList(question.id, question.items)}` });
          break;
        case 'short_text':
          rows.push({ ...common(question), type: 'text', constraint: `string-length(.) <= ${question.maxLength}` });
          break;
        case 'long_text':
          rows.push({ ...common(question), type: 'text', appearance: 'multiline', constraint: `string-length(.) <= ${question.maxLength}` });
          break;
        case 'number':
          rows.push({
            ...common(question),
            type: question.integer ? 'integer' : 'decimal',
            constraint: range(question.min?.toString(), question.max?.toString()),
          });
          break;
        case 'date':
          rows.push({
            ...common(question),
            type: 'date',
            constraint: range(question.min && `date('${question.min}')`, question.max && `date('${question.max}')`),
          });
          break;
        default:
          assertNever(question);
      }
    }
    rows.push({ type: 'end_group', name: section.id });
  }

  const text = (value: LocalizedText | undefined, language: string) => value?.[language] ?? '';
  const surveyHeader = [
    'type',
    'name',
    ...languages.map((l) => `label::${languageColumn(l)}`),
    ...languages.map((l) => `hint::${languageColumn(l)}`),
    'required',
    'relevant',
    'constraint',
    'appearance',
  ];
  return {
    survey: [
      surveyHeader,
      ...rows.map((row) => [
        row.type,
        row.name,
        ...languages.map((l) => text(row.label, l)),
        ...languages.map((l) => text(row.hint, l)),
        row.required ? 'yes' : '',
        row.relevant ?? '',
        row.constraint ?? '',
        row.appearance ?? '',
      ]),
    ],
    choices: [
      ['list_name', 'name', ...languages.map((l) => `label::${languageColumn(l)}`)],
      ...choices.map((choice) => [choice.list, choice.name, ...languages.map((l) => text(choice.label, l))]),
    ],
    settings: [
      ['form_title', 'form_id', 'default_language', 'version'],
      [survey.title.tr, survey.slug.replace(/-/g, '_'), languageColumn('tr'), survey.hash.slice(0, 12)],
    ],
  };
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
  message: string;
}

/** What XLSForm has no place for: taken from the caller (the upload form or the survey replaced). */
export type SurveyMeta = Pick<SurveyFile, 'audience' | 'opensAt' | 'closesAt'> & Partial<Pick<SurveyFile, 'slug' | 'intro'>>;

type Header = { field: string; language?: string }[];

function languageCode(name: string): string | undefined {
  const code = /\(([a-zA-Z-]{2,8})\)\s*$/.exec(name)?.[1];
  if (code) return code.toLowerCase();
  const lower = name.trim().toLowerCase();
  if (lower === 'turkish' || lower === 'türkçe') return 'tr';
  if (lower === 'english' || lower === 'ingilizce') return 'en';
  return undefined;
}

function parseHeader(cells: string[], defaultLanguage: string): Header {
  return cells.map((cell) => {
    const [field = '', language] = cell.trim().split('::');
    return {
      field: field.trim().toLowerCase(),
      language: language !== undefined ? languageCode(language) : field.trim().toLowerCase() === 'label' || field.trim().toLowerCase() === 'hint' ? defaultLanguage : undefined,
    };
  });
}

interface ParsedRow {
  row: number;
  get(field: string): string;
  text(field: string): LocalizedText | undefined;
}

function rowsOf(sheet: SheetRows, defaultLanguage: string): ParsedRow[] {
  const [headerCells = [], ...rest] = sheet;
  const header = parseHeader(headerCells, defaultLanguage);
  return rest
    .map((cells, index) => ({
      row: index + 2,
      get: (field: string) => (cells[header.findIndex((h) => h.field === field && h.language === undefined)] ?? '').trim(),
      text: (field: string) => {
        const entries = header
          .map((h, i) => [h, (cells[i] ?? '').trim()] as const)
          .filter(([h, value]) => h.field === field && h.language && value !== '')
          .map(([h, value]) => [h.language!, value]);
        return entries.length > 0 ? (Object.fromEntries(entries) as LocalizedText) : undefined;
      },
    }))
    .filter((row) => row.get('type') !== '' || row.get('list_name') !== '' || (rest[row.row - 2] ?? []).some((c) => c.trim() !== ''));
}

const REQUIRED_VALUES = new Set(['yes', 'true', 'true()', '1', 'evet']);

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

/** `. >= 1 and . <= 5` and the like: the bounds, or null when the constraint says anything else. */
function boundsOf(constraint: string, subject: string, value: string): { min?: string; max?: string } | null {
  if (constraint === '') return {};
  const bounds: { min?: string; max?: string } = {};
  for (const term of constraint.split(/\s+and\s+/)) {
    const m = new RegExp(`^${subject}\\s*(>=|<=)\\s*(${value})$`).exec(term.trim());
    if (!m) return null;
    bounds[m[1] === '>=' ? 'min' : 'max'] = m[2]!;
  }
  return bounds;
}

const NUMBER = String.raw`-?\d+(?:\.\d+)?`;
const DATE = String.raw`date\('\d{4}-\d{2}-\d{2}'\)`;
const SELF = String.raw`\.`;

/**
 * An XLSForm as a survey definition validated by the same schema as the JSON files, or every row
 * that cannot be expressed. Supports select_one (appearance minimal → drop-down), select_multiple
 * (or_other, count-selected bounds), text (multiline → long text, string-length bound), integer,
 * decimal (min/max), date, note (first in a group → its intro), begin_group/end_group → sections.
 */
export function fromXlsForm(
  sheets: Record<string, SheetRows>,
  meta: SurveyMeta,
): { survey: SurveyFile } | { problems: XlsFormProblem[] } {
  const problems: XlsFormProblem[] = [];
  const lower = Object.fromEntries(Object.entries(sheets).map(([name, rows]) => [name.trim().toLowerCase(), rows]));
  const settingsRows = rowsOf(lower.settings ?? [], 'tr');
  const defaultLanguage = languageCode(settingsRows[0]?.get('default_language') ?? '') ?? 'tr';
  if (!lower.survey) return { problems: [{ sheet: 'survey', row: 0, message: 'survey sayfası yok' }] };
  const surveyRows = rowsOf(lower.survey, defaultLanguage);
  const choiceLists = new Map<string, Option[]>();
  for (const choice of rowsOf(lower.choices ?? [], defaultLanguage)) {
    const list = choice.get('list_name') || choice.get('list name');
    const label = choice.text('label');
    if (!list) continue;
    if (!label) {
      problems.push({ sheet: 'choices', row: choice.row, message: 'Türkçe etiket yok' });
      continue;
    }
    choiceLists.set(list, [...(choiceLists.get(list) ?? []), { id: choice.get('name'), label }]);
  }

  const sections: { id: string; title: LocalizedText; intro?: LocalizedText; showWhen?: Condition; questions: Record<string, unknown>[] }[] = [];
  let current: (typeof sections)[number] | undefined;
  const problem = (row: ParsedRow, message: string) => problems.push({ sheet: 'survey', row: row.row, message });
  const needSection = (row: ParsedRow) => {
    if (!current) {
      // Questions outside any group make up one page titled with the form.
      current = { id: 'main', title: { tr: settingsRows[0]?.get('form_title') || 'Anket' }, questions: [] };
      sections.push(current);
      void row;
    }
    return current;
  };

  for (const row of surveyRows) {
    const [type = '', list, extra] = row.get('type').split(/\s+/);
    const name = row.get('name');
    const label = row.text('label');
    const hint = row.text('hint');
    const relevant = row.get('relevant');
    const constraint = row.get('constraint');
    const appearance = row.get('appearance').toLowerCase();
    const condition = relevant === '' ? undefined : conditionOf(relevant);
    if (relevant !== '' && condition === null) {
      problem(row, `relevant "${relevant}" desteklenmiyor (yalnızca \${soru} = 'a', \${soru} != 'a', selected(\${soru}, 'a'), bunların and/or ile ve parantezle birleşimleri)`);
      continue;
    }
    const base = () => ({
      id: name,
      text: label,
      ...(hint ? { help: hint } : {}),
      required: REQUIRED_VALUES.has(row.get('required').toLowerCase()),
      ...(condition ? { showWhen: condition } : {}),
    });
    const options = () => {
      const found = list ? choiceLists.get(list) : undefined;
      if (!found) problem(row, `seçenek listesi "${list ?? ''}" choices sayfasında yok`);
      return found;
    };
    const orOther = () => {
      if (extra !== undefined && extra !== 'or_other') problem(row, `"${extra}" desteklenmiyor`);
      return extra === 'or_other';
    };
    switch (type.toLowerCase()) {
      case 'begin_group':
      case 'begin group':
        if (current) {
          problem(row, 'iç içe grup desteklenmiyor (matrisler yalnızca dışa aktarılır)');
          continue;
        }
        current = { id: name, title: label ?? { tr: name }, ...(condition ? { showWhen: condition } : {}), questions: [] };
        sections.push(current);
        break;
      case 'end_group':
      case 'end group':
        current = undefined;
        break;
      case 'note': {
        const section = needSection(row);
        if (section.questions.length > 0 || section.intro || !label) problem(row, 'note yalnızca bir grubun ilk satırı olarak (bölüm girişi) desteklenir');
        else section.intro = label;
        break;
      }
      case 'select_one': {
        const found = options();
        if (!found) continue;
        if (appearance === 'minimal') {
          if (orOther()) problem(row, 'açılır listede or_other desteklenmiyor');
          needSection(row).questions.push({ ...base(), kind: 'select', options: found });
        } else {
          needSection(row).questions.push({ ...base(), kind: 'single_choice', options: withoutOther(found), other: orOther() });
        }
        break;
      }
      case 'select_multiple': {
        const found = options();
        const bounds = boundsOf(constraint, String.raw`count-selected\(\.\)`, String.raw`\d+`);
        if (bounds === null) problem(row, `constraint "${constraint}" desteklenmiyor`);
        if (!found || bounds === null) continue;
        needSection(row).questions.push({
          ...base(),
          kind: 'multiple_choice',
          options: withoutOther(found),
          other: orOther(),
          ...(bounds.min ? { minSelections: Number(bounds.min) } : {}),
          ...(bounds.max ? { maxSelections: Number(bounds.max) } : {}),
        });
        break;
      }
      case 'text': {
        const bounds = boundsOf(constraint, String.raw`string-length\(\.\)`, String.raw`\d+`);
        if (bounds === null || bounds.min !== undefined) {
          problem(row, `constraint "${constraint}" desteklenmiyor`);
          continue;
        }
        needSection(row).questions.push({
          ...base(),
          kind: appearance === 'multiline' ? 'long_text' : 'short_text',
          ...(bounds.max ? { maxLength: Number(bounds.max) } : {}),
        });
        break;
      }
      case 'integer':
      case 'decimal': {
        const bounds = boundsOf(constraint, SELF, NUMBER);
        if (bounds === null) {
          problem(row, `constraint "${constraint}" desteklenmiyor`);
          continue;
        }
        needSection(row).questions.push({
          ...base(),
          kind: 'number',
          integer: type.toLowerCase() === 'integer',
          ...(bounds.min !== undefined ? { min: Number(bounds.min) } : {}),
          ...(bounds.max !== undefined ? { max: Number(bounds.max) } : {}),
        });
        break;
      }
      case 'date': {
        const bounds = boundsOf(constraint, SELF, DATE);
        if (bounds === null) {
          problem(row, `constraint "${constraint}" desteklenmiyor`);
          continue;
        }
        const day = (value: string | undefined) => value?.slice(6, 16);
        needSection(row).questions.push({
          ...base(),
          kind: 'date',
          ...(bounds.min ? { min: day(bounds.min) } : {}),
          ...(bounds.max ? { max: day(bounds.max) } : {}),
        });
        break;
      }
      default:
        problem(row, `${type || '(boş tür)'} desteklenmiyor`);
    }
  }
  if (problems.length > 0) return { problems };

  const slug = meta.slug ?? (settingsRows[0]?.get('form_id') ?? '').replace(/_/g, '-');
  const title = { tr: settingsRows[0]?.get('form_title') || slug };
  const parsed = SurveyFile.safeParse({
    slug,
    title,
    intro: meta.intro ?? title,
    audience: meta.audience,
    opensAt: meta.opensAt,
    closesAt: meta.closesAt,
    sections,
  });
  if (!parsed.success) {
    return { problems: parsed.error.issues.map((issue) => ({ sheet: 'survey', row: 0, message: `${issue.path.join('.')}: ${issue.message}` })) };
  }
  return { survey: parsed.data };
}

/** pyxform adds "other" itself for or_other; a list that names it too would make it twice. */
function withoutOther(options: Option[]): Option[] {
  return options.filter((option) => option.id !== OTHER_OPTION_ID);
}
