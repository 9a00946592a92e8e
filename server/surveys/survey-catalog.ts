// Loads surveys/municipality.json and every surveys/<slug>.json at start-up. Anything malformed
// stops start-up with the file, the JSON path and what is wrong, so a bad edit never goes live.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import { MunicipalityFile, type Municipality } from '../municipality';
import { checkCondition, checkRegisterMap } from './condition-rules';
import { collectProblems, ruleProblem, schemaProblems, type DefinitionProblem, type Problem, type Report } from './definition-problems';
import {
  assertNever,
  OTHER_OPTION_ID,
  OTHER_TEXT_ID,
  OUTSIDE_BANDS_ID,
  QUESTION_ROLES,
  SurveyFile,
  type Band,
  type Option,
  type Question,
  type QuestionFile,
  type QuestionKind,
  type QuestionRole,
  type RowGroup,
  type SharedListName,
  type Survey,
} from './survey-definition';
import { ratingRange } from './survey-answers';

export const MUNICIPALITY_FILE = 'municipality.json';
const NOT_SURVEYS = new Set([MUNICIPALITY_FILE, 'survey.schema.json', 'package.json']);

/** The municipality and the surveys defined in files, as loaded at start-up. */
export interface LoadedSurveys {
  municipality: Municipality;
  /** In file-name order. */
  surveys: Survey[];
  find(slug: string): Survey | undefined;
}

export type { DefinitionProblem } from './definition-problems';

export class DefinitionError extends Error {
  constructor(readonly problems: DefinitionProblem[]) {
    super(problems.map((p) => `${p.file}: ${p.path}: ${p.message}`).join('\n'));
  }
}

export function loadCatalog(dir: string): LoadedSurveys {
  const municipality = parseFile(dir, MUNICIPALITY_FILE, MunicipalityFile);
  const files = fs
    .readdirSync(dir)
    .filter((name) => name.endsWith('.json') && !NOT_SURVEYS.has(name))
    .sort();
  const surveys: Survey[] = [];
  const problems: DefinitionProblem[] = [];
  for (const file of files) {
    try {
      const parsed = parseFile(dir, file, SurveyFile);
      const result = resolveSurvey(parsed, municipality);
      if ('problems' in result) {
        problems.push(...result.problems.map((p) => ({ file, ...p })));
        continue;
      }
      if (result.survey.slug !== path.basename(file, '.json')) {
        problems.push({ file, ...ruleProblem('$.slug', 'slug_not_file_name', { name: path.basename(file, '.json') }) });
        continue;
      }
      surveys.push(result.survey);
    } catch (error) {
      if (!(error instanceof DefinitionError)) throw error;
      problems.push(...error.problems);
    }
  }
  if (problems.length > 0) throw new DefinitionError(problems);
  return catalogOf(municipality, surveys);
}

export function catalogOf(municipality: Municipality, surveys: Survey[]): LoadedSurveys {
  const bySlug = new Map(surveys.map((survey) => [survey.slug, survey]));
  return { municipality, surveys, find: (slug) => bySlug.get(slug) };
}

function parseFile<T extends z.ZodType>(dir: string, file: string, schema: T): z.output<T> {
  let text: string;
  try {
    text = fs.readFileSync(path.join(dir, file), 'utf8');
  } catch (error) {
    const detail = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : (error as Error).message;
    throw new DefinitionError([{ file, ...ruleProblem('$', 'file_unreadable', { detail }) }]);
  }
  return parseText(text, file, schema);
}

function parseText<T extends z.ZodType>(text: string, file: string, schema: T): z.output<T> {
  let json: unknown;
  try {
    // Notepad and some editors start UTF-8 files with a byte-order mark, which JSON.parse refuses.
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new DefinitionError([{ file, ...ruleProblem('$', 'not_json', { detail: (error as Error).message }) }]);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    throw new DefinitionError(schemaProblems(parsed.error.issues, json).map((problem) => ({ file, ...problem })));
  }
  return parsed.data;
}

/**
 * A survey definition given as text (an uploaded file): parsed, validated and resolved like the
 * files in surveys/, or a DefinitionError with every problem by JSON path.
 */
export function parseSurveyText(text: string, file: string, municipality: Municipality): Survey {
  const parsed = parseText(text, file, SurveyFile);
  const result = resolveSurvey(parsed, municipality);
  if ('problems' in result) throw new DefinitionError(result.problems.map((p) => ({ file, ...p })));
  return result.survey;
}

/** Resolves shared lists and checks what a schema cannot: uniqueness, references, ranges. */
export function resolveSurvey(
  file: SurveyFile,
  municipality: Municipality,
): { survey: Survey } | { problems: Problem[] } {
  const { problems, report: problem } = collectProblems();
  const lists: Record<SharedListName, Option[]> = {
    mahalles: municipality.mahalles.map((m) => ({ id: m.id, label: { tr: m.name } })),
    activityAreas: municipality.activityAreas.map((a) => ({ id: a.id, label: a.name })),
  };
  const resolveList = (source: Option[] | { list: SharedListName }) => ('list' in source ? lists[source.list] : source);

  if (Date.parse(file.closesAt) <= Date.parse(file.opensAt)) problem('$.closesAt', 'closes_before_opens');

  const seenSections = new Set<string>();
  const seen = new Map<string, Question>();
  const profileRoles = new Set<QuestionRole>();
  const sections = file.sections.map((section, s) => {
    const sectionPath = `$.sections[${s}]`;
    if (seenSections.has(section.id)) problem(`${sectionPath}.id`, 'duplicate_section_id', { id: section.id });
    seenSections.add(section.id);
    if (section.showWhen) checkCondition(section.showWhen, seen, `${sectionPath}.showWhen`, problem);
    const questions = section.questions.map((questionFile, q) => {
      const at = `${sectionPath}.questions[${q}]`;
      const question = resolveQuestion(questionFile, resolveList);
      if (questionFile.kind === 'likert_matrix' && questionFile.rowGroups && 'list' in questionFile.rows) {
        // A shared list changes with municipality.json, and groups naming its ids would silently break.
        problem(`${at}.rowGroups`, 'row_groups_shared_list');
      }
      if (seen.has(question.id)) problem(`${at}.id`, 'duplicate_question_id', { id: question.id });
      checkQuestion(question, at, problem);
      checkRole(question, at, problem, profileRoles);
      if (question.showWhen) checkCondition(question.showWhen, seen, `${at}.showWhen`, problem);
      checkRegisterMap(question, at, problem);
      seen.set(question.id, question);
      return question;
    });
    return { ...section, questions };
  });
  if (problems.length > 0) return { problems };

  const { $schema: _schema, ...rest } = file;
  const withoutHash = { ...rest, sections };
  const hash = crypto.createHash('sha256').update(JSON.stringify(withoutHash)).digest('hex');
  return { survey: { ...withoutHash, hash } };
}

function resolveQuestion(question: QuestionFile, resolveList: (source: Option[] | { list: SharedListName }) => Option[]): Question {
  switch (question.kind) {
    case 'single_choice':
    case 'multiple_choice':
    case 'select':
      return { ...question, options: resolveList(question.options) };
    case 'likert_matrix':
      return { ...question, rows: resolveList(question.rows) };
    case 'ranking':
      return { ...question, items: resolveList(question.items) };
    case 'rating':
    case 'short_text':
    case 'long_text':
    case 'number':
    case 'date':
      return question;
  }
}

function checkQuestion(question: Question, at: string, problem: Report): void {
  const checkOptions = (options: Option[], key: string) => {
    const ids = new Set<string>();
    options.forEach((option, i) => {
      if (ids.has(option.id)) problem(`${at}.${key}[${i}].id`, 'duplicate_option_id', { id: option.id });
      ids.add(option.id);
      if (option.exclusive && question.kind !== 'multiple_choice') {
        problem(`${at}.${key}[${i}].exclusive`, 'exclusive_outside_multiple');
      }
    });
    for (const reserved of [OTHER_OPTION_ID, OTHER_TEXT_ID]) {
      if ('other' in question && question.other && ids.has(reserved)) {
        problem(`${at}.${key}`, 'reserved_option_id', { id: reserved });
      }
    }
  };
  switch (question.kind) {
    case 'single_choice':
    case 'select':
      checkOptions(question.options, 'options');
      break;
    case 'multiple_choice': {
      checkOptions(question.options, 'options');
      const count = question.options.length + (question.other ? 1 : 0);
      if ((question.minSelections ?? 1) > (question.maxSelections ?? count)) {
        problem(`${at}.minSelections`, 'min_selections_above_max');
      }
      if ((question.maxSelections ?? 0) > count) problem(`${at}.maxSelections`, 'max_selections_above_options', { count });
      break;
    }
    case 'likert_matrix': {
      checkOptions(question.rows, 'rows');
      const values = question.scale.map((point) => point.value);
      if (values.some((value, i) => i > 0 && value <= values[i - 1]!)) {
        problem(`${at}.scale`, 'scale_not_ascending');
      }
      if (question.rowGroups) checkRowGroups(question.rows, question.rowGroups, `${at}.rowGroups`, problem);
      if (question.notApplicablePosition && !question.notApplicable) {
        problem(`${at}.notApplicablePosition`, 'not_applicable_position_alone');
      }
      break;
    }
    case 'rating': {
      const { min, max } = ratingRange(question);
      const points = max - min + 1;
      if (question.pointLabels && question.pointLabels.length !== points) {
        problem(`${at}.pointLabels`, 'point_labels_count', { scale: question.scale, points, labels: question.pointLabels.length });
      }
      break;
    }
    case 'ranking': {
      checkOptions(question.items, 'items');
      const count = question.items.length + (question.other ? 1 : 0);
      if (question.rankCount > count) problem(`${at}.rankCount`, 'rank_count_above_items', { count });
      if ((question.minRanked ?? 1) > question.rankCount) problem(`${at}.minRanked`, 'min_ranked_above_rank_count');
      break;
    }
    case 'number':
      if (question.min !== undefined && question.max !== undefined && question.min > question.max) {
        problem(`${at}.min`, 'min_above_max');
      }
      if (question.bands) checkBands(question.bands, `${at}.bands`, problem);
      break;
    case 'date':
      if (question.min !== undefined && question.max !== undefined && question.min > question.max) {
        problem(`${at}.min`, 'min_date_after_max');
      }
      break;
    case 'short_text':
    case 'long_text':
      break;
    default:
      assertNever(question);
  }
}

/**
 * Row groups are headings between the rows, so together they must list every row once, in the
 * order of rows: a row left out would have no heading, one listed out of order would move.
 */
function checkRowGroups(rows: Option[], groups: RowGroup[], at: string, problem: Report): void {
  const rowIds = rows.map((row) => row.id);
  const grouped = new Map<string, number>();
  let ok = true;
  groups.forEach((group, g) => {
    group.rows.forEach((id, r) => {
      if (!rowIds.includes(id)) {
        problem(`${at}[${g}].rows[${r}]`, 'row_group_unknown_row', { id });
        ok = false;
      } else if (grouped.has(id)) {
        problem(`${at}[${g}].rows[${r}]`, 'row_group_row_twice', { id, group: grouped.get(id)! + 1 });
        ok = false;
      } else {
        grouped.set(id, g);
      }
    });
  });
  const missing = rowIds.filter((id) => !grouped.has(id));
  if (missing.length > 0) {
    problem(at, 'row_groups_missing_rows', { ids: missing });
    ok = false;
  }
  if (ok && groups.flatMap((group) => group.rows).some((id, i) => id !== rowIds[i])) {
    problem(at, 'row_groups_out_of_order', { ids: rowIds });
  }
}

/**
 * Bands are categories: unique ids, each from its min to its max (inclusive), ascending and not
 * overlapping. Only the first may be open below and only the last open above. Gaps are allowed:
 * an answer in a gap is kept and counted as OUTSIDE_BANDS_ID.
 */
export function checkBands(bands: readonly Band[], at: string, problem: Report): void {
  const ids = new Set<string>();
  bands.forEach((band, i) => {
    const here = `${at}[${i}]`;
    if (ids.has(band.id)) problem(`${here}.id`, 'duplicate_band_id', { id: band.id });
    ids.add(band.id);
    if (band.id === OUTSIDE_BANDS_ID) problem(`${here}.id`, 'reserved_band_id', { id: OUTSIDE_BANDS_ID });
    if (band.min === undefined && i > 0) problem(`${here}.min`, 'band_min_not_first');
    if (band.max === undefined && i < bands.length - 1) problem(`${here}.max`, 'band_max_not_last');
    if (band.min !== undefined && band.max !== undefined && band.min > band.max) problem(`${here}.min`, 'band_min_above_max');
    const previous = bands[i - 1];
    if (previous?.max !== undefined && band.min !== undefined && band.min <= previous.max) {
      problem(`${here}.min`, 'band_overlap', { max: previous.max });
    }
  });
}

/** Profile roles a banded number may carry: the ones whose answers are naturally a number. */
const NUMBER_PROFILE_ROLES: readonly QuestionRole[] = ['profile.age', 'profile.residence'];

const KINDS_FOR_ROLE: Record<string, QuestionKind[]> = {
  profile: ['single_choice', 'select'],
  satisfaction: ['likert_matrix'],
  image: ['likert_matrix'],
  agreement: ['likert_matrix'],
  priority: ['ranking', 'multiple_choice'],
  open: ['short_text', 'long_text'],
  swot: ['short_text', 'long_text'],
  expectation: ['short_text', 'long_text', 'multiple_choice'],
  cooperation: ['short_text', 'long_text', 'multiple_choice'],
};

/**
 * The report roles a question of this kind may carry (the editor offers only these). A number
 * offers age and residence too: they need bands, which the survey rules check at the role field.
 */
export function rolesForKind(kind: QuestionKind): QuestionRole[] {
  return QUESTION_ROLES.filter(
    (role) => (KINDS_FOR_ROLE[role.split('.')[0]!] ?? []).includes(kind) || (kind === 'number' && NUMBER_PROFILE_ROLES.includes(role)),
  );
}

function checkRole(
  question: Question,
  at: string,
  problem: Report,
  profileRoles: Set<QuestionRole>,
): void {
  if (!question.role) return;
  const family = question.role.split('.')[0]!;
  const kinds = KINDS_FOR_ROLE[family] ?? [];
  const bandedProfile = question.kind === 'number' && NUMBER_PROFILE_ROLES.includes(question.role);
  if (bandedProfile && !question.bands) {
    problem(`${at}.role`, 'role_needs_bands', { role: question.role });
  } else if (!kinds.includes(question.kind) && !bandedProfile) {
    const rule = NUMBER_PROFILE_ROLES.includes(question.role) ? 'role_wrong_kind_or_number' : 'role_wrong_kind';
    problem(`${at}.role`, rule, { role: question.role, kinds });
  }
  if (family === 'profile') {
    if (profileRoles.has(question.role)) problem(`${at}.role`, 'role_twice', { role: question.role });
    profileRoles.add(question.role);
  }
}
