// An XLSForm as a survey definition. Each question starts from its `paydas` JSON (what our own
// export could not put in standard columns) and the standard columns are laid over it, so a
// planner's edits in Excel win. A sheet written by hand or by KoboToolbox has no paydas column:
// then matrices, ratings and rankings are recognised from their shape. What has a faithful
// approximation is listed for confirmation; what has none refuses the import.
import { jsonPath, type LocalizedText } from '../platform/schema';
import {
  boundsOf,
  DATE,
  DROPPED_TYPES,
  languageCode,
  NOT_REQUIRED_VALUES,
  NUMBER,
  ratingOf,
  REQUIRED_VALUES,
  rowsOf,
  SELF,
  type Choice,
  type ParsedRow,
} from './xlsform-cells';
import { OTHER_OPTION_ID, QuestionFile, SurveyFile, type Option, type QuestionKind } from './survey-definition';
import { conditionOf, PAYDAS_COLUMN, type SheetRows, type SurveyMeta, type XlsFormProblem } from './xlsform';
import { NOT_APPLICABLE_CHOICE, OPTION_KEYS, SCALE_POINT_KEYS, SECTION_KEYS, STANDARD_KEYS, SURVEY_KEYS } from './xlsform-export';

export type XlsFormImport =
  | { survey: SurveyFile; approximations: XlsFormProblem[] }
  | { problems: XlsFormProblem[]; approximations: XlsFormProblem[] };

type Json = Record<string, unknown>;

const NOT_APPLICABLE_NAMES = new Set([NOT_APPLICABLE_CHOICE, 'bilmiyorum', 'dk', '99']);
const NOT_APPLICABLE_LABELS = new Set(['bilgim yok', 'fikrim yok']);
const MAX_RANK = 10;


const without = (value: Json, keys: readonly string[]): Json => Object.fromEntries(Object.entries(value).filter(([key]) => !keys.includes(key)));

/** The keys the schema has for a kind; paydas keys beyond them belong to another kind and are left out. */
const kindKeys = (kind: QuestionKind): string[] => Object.keys(QuestionFile.options.find((option) => option.shape.kind.value === kind)!.shape);

type Node = { row: ParsedRow; type: string; children?: Node[] };

interface SectionDraft {
  id: string;
  title: LocalizedText;
  intro?: LocalizedText;
  extras: Json;
  showWhen?: unknown;
  questions: Json[];
  /** Rows of the questions, by their index, for reporting schema problems at the row. */
  rows: number[];
  matrixRows: Map<number, number[]>;
  row: number;
  introRow?: number;
  /** Made for questions outside any group. */
  loose: boolean;
}

/**
 * An XLSForm as a survey definition validated by the same schema as the JSON files, with the
 * approximations made; or, when any row cannot be expressed, every such row.
 */
export function fromXlsForm(sheets: Record<string, SheetRows>, meta: SurveyMeta): XlsFormImport {
  const problems: XlsFormProblem[] = [];
  const approximations: XlsFormProblem[] = [];
  const lower = Object.fromEntries(Object.entries(sheets).map(([name, rows]) => [name.trim().toLowerCase(), rows]));
  const settingsRows = rowsOf(lower.settings ?? [], 'tr');
  const settings = settingsRows[0];
  const defaultLanguage = languageCode(settings?.get('default_language') ?? '') ?? 'tr';
  if (!lower.survey) return { problems: [{ sheet: 'survey', row: 0, key: 'admin:xlsform.no_survey_sheet' }], approximations };

  const paydasCache = new Map<ParsedRow, Json>();
  const paydasOf = (row: ParsedRow, sheet: string): Json => {
    const cached = paydasCache.get(row);
    if (cached) return cached;
    const value = parsePaydas(row, sheet);
    paydasCache.set(row, value);
    return value;
  };
  const parsePaydas = (row: ParsedRow, sheet: string): Json => {
    const raw = row.get(PAYDAS_COLUMN);
    if (raw === '') return {};
    try {
      const value: unknown = JSON.parse(raw);
      if (value && typeof value === 'object' && !Array.isArray(value)) return value as Json;
    } catch {
      // reported below
    }
    problems.push({ sheet, row: row.row, key: 'admin:xlsform.paydas_invalid' });
    return {};
  };

  const choiceLists = new Map<string, Choice[]>();
  for (const row of rowsOf(lower.choices ?? [], defaultLanguage)) {
    const list = row.get('list_name') || row.get('list name');
    if (!list) continue;
    const label = row.text('label');
    if (!label?.tr) {
      problems.push({ sheet: 'choices', row: row.row, key: 'admin:xlsform.no_turkish_label' });
      continue;
    }
    const option = { ...without(paydasOf(row, 'choices'), OPTION_KEYS), id: row.get('name'), label } as Option;
    choiceLists.set(list, [...(choiceLists.get(list) ?? []), { row, option }]);
  }

  const problem = (row: ParsedRow, key: string, params?: XlsFormProblem['params']) => problems.push({ sheet: 'survey', row: row.row, key, ...(params ? { params } : {}) });
  const approximate = (row: ParsedRow, key: string, params?: XlsFormProblem['params']) =>
    approximations.push({ sheet: 'survey', row: row.row, key, ...(params ? { params } : {}) });

  // Groups as a tree, so that a group can be judged (section, matrix or nested) by its content.
  const top: Node[] = [];
  const stack: Node[] = [];
  for (const row of rowsOf(lower.survey, defaultLanguage)) {
    const type = row.get('type').toLowerCase().replace(/\s+/g, ' ');
    const node: Node = { row, type };
    if (type === 'end_group' || type === 'end group' || type === 'end_repeat' || type === 'end repeat') {
      if (!stack.pop()) problem(row, 'admin:xlsform.end_without_begin');
      continue;
    }
    (stack.at(-1)?.children ?? top).push(node);
    if (['begin_group', 'begin group', 'begin_repeat', 'begin repeat'].includes(type)) {
      node.children = [];
      stack.push(node);
    }
  }
  for (const open of stack) problem(open.row, 'admin:xlsform.group_not_closed');

  const sections: SectionDraft[] = [];
  const conditionAt = (row: ParsedRow): { ok: boolean; condition?: unknown } => {
    const relevant = row.get('relevant');
    if (relevant === '') return { ok: true };
    const condition = conditionOf(relevant);
    if (condition === null) {
      problem(row, 'admin:xlsform.relevant_unsupported', { expression: relevant });
      return { ok: false };
    }
    return { ok: true, condition };
  };
  const requiredAt = (row: ParsedRow): boolean => {
    const value = row.get('required').toLowerCase();
    if (!REQUIRED_VALUES.has(value) && !NOT_REQUIRED_VALUES.has(value)) approximate(row, 'admin:xlsform.required_expression', { value: row.get('required') });
    return REQUIRED_VALUES.has(value);
  };
  const listOf = (row: ParsedRow, list: string | undefined): Choice[] | undefined => {
    const found = list ? choiceLists.get(list) : undefined;
    if (!found) problem(row, 'admin:xlsform.list_missing', { list: list ?? '' });
    return found;
  };
  /** The question from its paydas and the standard columns; paydas keys of another kind are left out. */
  const questionOf = (row: ParsedRow, kind: QuestionKind, standard: Json, condition: unknown): Json => {
    const paydas = paydasOf(row, 'survey');
    const allowed = kindKeys(kind);
    for (const key of Object.keys(paydas)) {
      if (!allowed.includes(key)) approximate(row, 'admin:xlsform.paydas_key_ignored', { key });
    }
    const extras = Object.fromEntries(Object.entries(without(paydas, STANDARD_KEYS[kind])).filter(([key]) => allowed.includes(key)));
    const label = row.text('label');
    const hint = row.text('hint');
    if (row.get('choice_filter') !== '') approximate(row, 'admin:xlsform.choice_filter_dropped');
    return {
      ...extras,
      kind,
      id: row.get('name'),
      text: label,
      ...(hint ? { help: hint } : {}),
      required: requiredAt(row),
      ...(condition ? { showWhen: condition } : {}),
      ...standard,
    };
  };

  let loose = 0;
  let looseSection: SectionDraft | undefined;
  const newSection = (row: ParsedRow, id: string, title: LocalizedText, extras: Json, showWhen?: unknown, loose = false): SectionDraft => {
    const section: SectionDraft = { id, title, extras, showWhen, questions: [], rows: [], matrixRows: new Map(), row: row.row, loose };
    sections.push(section);
    return section;
  };
  const add = (section: SectionDraft, row: ParsedRow, question: Json, matrixRows?: number[]) => {
    if (matrixRows) section.matrixRows.set(section.questions.length, matrixRows);
    section.questions.push(question);
    section.rows.push(row.row);
  };

  const isMatrix = (node: Node): boolean => {
    const appearance = node.row.get('appearance').toLowerCase();
    if (!/\b(field-list|table-list)\b/.test(appearance) || !node.children || node.children.length === 0) return false;
    const types = node.children.map((child) => child.type.split(' '));
    return node.children.every((c, i) => {
      const [type, list, extra] = types[i]!;
      return !c.children && type === 'select_one' && list === types[0]![1] && extra === undefined;
    });
  };

  const matrix = (section: SectionDraft, node: Node) => {
    const { ok, condition } = conditionAt(node.row);
    const list = node.children![0]!.type.split(' ')[1];
    const found = listOf(node.row, list);
    if (!ok || !found) return;
    // KoboToolbox's table-list puts the choice labels in a first row of appearance "label".
    const rowNodes = node.children!.filter((c) => c.row.get('appearance').toLowerCase() !== 'label');
    const name = node.row.get('name');
    const prefix = `${name}_`;
    const strip = rowNodes.every((c) => c.row.get('name').startsWith(prefix) && c.row.get('name').length > prefix.length);
    for (const c of rowNodes) if (c.row.get('relevant') !== '') approximate(c.row, 'admin:xlsform.matrix_row_relevant_dropped');
    const rows = rowNodes.map((c) => ({
      ...without(paydasOf(c.row, 'survey'), OPTION_KEYS),
      id: strip ? c.row.get('name').slice(prefix.length) : c.row.get('name'),
      label: c.row.text('label'),
    }));
    const isNotApplicable = (choice: Choice) =>
      NOT_APPLICABLE_NAMES.has(choice.option.id.toLowerCase()) || NOT_APPLICABLE_LABELS.has(choice.option.label.tr.trim().toLocaleLowerCase('tr'));
    const notApplicable = found.find(isNotApplicable);
    const points = found.filter((choice) => choice !== notApplicable);
    const numeric = points.every((p) => /^\d+$/.test(p.option.id)) && points.every((p, i) => i === 0 || Number(p.option.id) > Number(points[i - 1]!.option.id));
    const scale = points.map((p, i) => ({
      ...without(p.option as unknown as Json, [...OPTION_KEYS, ...SCALE_POINT_KEYS]),
      value: numeric ? Number(p.option.id) : i + 1,
      label: p.option.label,
    }));
    const required = rowNodes.every((c) => REQUIRED_VALUES.has(c.row.get('required').toLowerCase()));
    const question = questionOf(node.row, 'likert_matrix', { rows, scale, ...(notApplicable ? { notApplicable: notApplicable.option.label } : {}) }, condition);
    add(section, node.row, { ...question, text: node.row.text('label') ?? { tr: name }, required }, rowNodes.map((c) => c.row.row));
  };

  const question = (section: SectionDraft, node: Node) => {
    const { row } = node;
    const [type = '', list, extra] = node.type.split(' ');
    const constraint = row.get('constraint');
    const appearance = row.get('appearance').toLowerCase();
    if (DROPPED_TYPES.has(type)) return approximate(row, 'admin:xlsform.row_dropped', { type });
    if (type === 'note') {
      const label = row.text('label');
      if (section.questions.length === 0 && !section.intro && label) {
        section.intro = label;
        section.introRow = row.row;
      }
      else approximate(row, 'admin:xlsform.note_dropped');
      return;
    }
    const { ok, condition } = conditionAt(row);
    if (!ok) return;
    const orOther = () => {
      if (extra !== undefined && extra !== 'or_other') problem(row, 'admin:xlsform.extra_unsupported', { extra });
      return extra === 'or_other';
    };
    const options = (choices: Choice[]) => choices.map((c) => c.option).filter((option) => option.id !== OTHER_OPTION_ID);
    const unbounded = () => approximate(row, 'admin:xlsform.constraint_dropped', { constraint });
    switch (type) {
      case 'select_one': {
        const found = listOf(row, list);
        if (!found) return;
        const other = orOther();
        if (appearance.includes('minimal') || appearance.includes('autocomplete')) {
          return add(section, row, questionOf(row, 'select', { options: options(found), ...(other ? { other } : {}) }, condition));
        }
        const rating = ratingOf(found, appearance.includes('likert') || paydasOf(row, 'survey').kind === 'rating');
        if (rating && !other) return add(section, row, questionOf(row, 'rating', rating, condition));
        return add(section, row, questionOf(row, 'single_choice', { options: options(found), other }, condition));
      }
      case 'select_multiple': {
        const found = listOf(row, list);
        if (!found) return;
        let bounds = boundsOf(constraint, String.raw`count-selected\(\.\)`, String.raw`\d+`);
        if (bounds === null) {
          unbounded();
          bounds = {};
        }
        return add(
          section,
          row,
          questionOf(
            row,
            'multiple_choice',
            {
              options: options(found),
              other: orOther(),
              ...(bounds.min ? { minSelections: Number(bounds.min) } : {}),
              ...(bounds.max ? { maxSelections: Number(bounds.max) } : {}),
            },
            condition,
          ),
        );
      }
      case 'rank': {
        const found = listOf(row, list);
        if (!found) return;
        const items = options(found);
        const paydas = paydasOf(row, 'survey');
        if (typeof paydas.rankCount !== 'number' && items.length > MAX_RANK) approximate(row, 'admin:xlsform.rank_truncated', { count: MAX_RANK });
        const rankCount = typeof paydas.rankCount === 'number' ? paydas.rankCount : Math.min(items.length, MAX_RANK);
        return add(section, row, questionOf(row, 'ranking', { items, rankCount }, condition));
      }
      case 'text': {
        let bounds = boundsOf(constraint, String.raw`string-length\(\.\)`, String.raw`\d+`);
        if (bounds === null || bounds.min !== undefined) {
          unbounded();
          bounds = {};
        }
        const kind = appearance.includes('multiline') ? 'long_text' : 'short_text';
        return add(section, row, questionOf(row, kind, bounds.max ? { maxLength: Number(bounds.max) } : {}, condition));
      }
      case 'integer':
      case 'decimal': {
        let bounds = boundsOf(constraint, SELF, NUMBER);
        if (bounds === null) {
          unbounded();
          bounds = {};
        }
        return add(
          section,
          row,
          questionOf(
            row,
            'number',
            {
              integer: type === 'integer',
              ...(bounds.min !== undefined ? { min: Number(bounds.min) } : {}),
              ...(bounds.max !== undefined ? { max: Number(bounds.max) } : {}),
            },
            condition,
          ),
        );
      }
      case 'date': {
        let bounds = boundsOf(constraint, SELF, DATE);
        if (bounds === null) {
          unbounded();
          bounds = {};
        }
        const day = (value: string | undefined) => value?.slice(6, 16);
        return add(section, row, questionOf(row, 'date', { ...(bounds.min ? { min: day(bounds.min) } : {}), ...(bounds.max ? { max: day(bounds.max) } : {}) }, condition));
      }
      default:
        problem(row, 'admin:xlsform.type_unsupported', { type: type || '—' });
    }
  };

  const content = (section: SectionDraft, nodes: Node[]) => {
    for (const node of nodes) {
      if (!node.children) question(section, node);
      else if (node.type.includes('repeat')) problem(node.row, 'admin:xlsform.repeat_unsupported');
      else if (isMatrix(node)) matrix(section, node);
      else if (node.row.get('relevant') !== '') problem(node.row, 'admin:xlsform.nested_group_relevant');
      else {
        approximate(node.row, 'admin:xlsform.group_flattened', { name: node.row.get('name') });
        content(section, node.children);
      }
    }
  };

  for (const node of top) {
    if (node.children && !node.type.includes('repeat') && !isMatrix(node)) {
      looseSection = undefined;
      const { ok, condition } = conditionAt(node.row);
      if (!ok) continue;
      const name = node.row.get('name');
      const section = newSection(node.row, name, node.row.text('label') ?? { tr: name }, without(paydasOf(node.row, 'survey'), SECTION_KEYS), condition);
      content(section, node.children);
      continue;
    }
    // Questions outside any group make up a page titled with the form.
    if (!looseSection) {
      loose += 1;
      looseSection = newSection(node.row, loose === 1 ? 'main' : `main_${loose}`, { tr: settings?.get('form_title') || 'Anket' }, {}, undefined, true);
    }
    content(looseSection, [node]);
  }
  // Rows outside groups that were all left out (metadata such as start and end) make no page.
  for (const section of sections.filter((s) => s.loose && s.questions.length === 0)) {
    if (section.introRow) approximations.push({ sheet: 'survey', row: section.introRow, key: 'admin:xlsform.note_dropped' });
    sections.splice(sections.indexOf(section), 1);
  }
  approximations.sort((a, b) => (a.sheet === b.sheet ? a.row - b.row : a.sheet.localeCompare(b.sheet)));
  if (problems.length > 0) return { problems, approximations };

  const surveyExtras = settings ? without(paydasOf(settings, 'settings'), SURVEY_KEYS) : {};
  const slug = meta.slug ?? ((settings?.get('form_id') ?? '').replace(/_/g, '-') || meta.defaultSlug || '');
  const title = { ...(surveyExtras.title as Json | undefined), tr: settings?.get('form_title') || slug };
  const parsed = SurveyFile.safeParse({
    intro: meta.intro ?? title,
    audience: meta.audience,
    opensAt: meta.opensAt,
    closesAt: meta.closesAt,
    ...surveyExtras,
    slug,
    title,
    sections: sections.map((s) => ({
      ...s.extras,
      id: s.id,
      title: s.title,
      ...(s.intro ? { intro: s.intro } : {}),
      ...(s.showWhen ? { showWhen: s.showWhen } : {}),
      questions: s.questions,
    })),
  });
  if (!parsed.success) {
    const rowOf = (path: PropertyKey[]): { sheet: string; row: number } => {
      const [top, s, , q, key, r] = path;
      if (top !== 'sections' || typeof s !== 'number') return { sheet: 'settings', row: settings ? settings.row : 0 };
      const section = sections[s]!;
      if (typeof q !== 'number') return { sheet: 'survey', row: section.row };
      const matrixRow = key === 'rows' && typeof r === 'number' ? section.matrixRows.get(q)?.[r] : undefined;
      return { sheet: 'survey', row: matrixRow ?? section.rows[q] ?? section.row };
    };
    return {
      problems: parsed.error.issues.map((issue) => ({
        ...rowOf(issue.path),
        key: 'admin:xlsform.invalid',
        params: { path: jsonPath(issue.path), message: issue.message },
      })),
      approximations,
    };
  }
  return { survey: parsed.data, approximations };
}
