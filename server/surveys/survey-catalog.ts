// Loads surveys/municipality.json and every surveys/<slug>.json at start-up. Anything malformed
// stops start-up with the file, the JSON path and what is wrong, so a bad edit never goes live.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import { MunicipalityFile, type Municipality } from '../municipality';
import { jsonPath } from '../platform/schema';
import {
  assertNever,
  conditionValues,
  OTHER_OPTION_ID,
  OTHER_TEXT_ID,
  QUESTION_ROLES,
  SurveyFile,
  type Option,
  type Question,
  type QuestionFile,
  type QuestionKind,
  type QuestionRole,
  type SharedListName,
  type Survey,
} from './survey-definition';

export const MUNICIPALITY_FILE = 'municipality.json';
const NOT_SURVEYS = new Set([MUNICIPALITY_FILE, 'survey.schema.json', 'package.json']);

/** The municipality and the surveys defined in files, as loaded at start-up. */
export interface LoadedSurveys {
  municipality: Municipality;
  /** In file-name order. */
  surveys: Survey[];
  find(slug: string): Survey | undefined;
}

export interface DefinitionProblem {
  file: string;
  path: string;
  message: string;
}

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
        problems.push({ file, path: '$.slug', message: `must equal the file name (${path.basename(file, '.json')})` });
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
    const message = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : (error as Error).message;
    throw new DefinitionError([{ file, path: '$', message }]);
  }
  return parseText(text, file, schema);
}

function parseText<T extends z.ZodType>(text: string, file: string, schema: T): z.output<T> {
  let json: unknown;
  try {
    // Notepad and some editors start UTF-8 files with a byte-order mark, which JSON.parse refuses.
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new DefinitionError([{ file, path: '$', message: (error as Error).message }]);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    throw new DefinitionError(
      parsed.error.issues.map((issue) => ({ file, path: jsonPath(issue.path), message: issue.message })),
    );
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

type Problem = Omit<DefinitionProblem, 'file'>;

/** Resolves shared lists and checks what a schema cannot: uniqueness, references, ranges. */
export function resolveSurvey(
  file: SurveyFile,
  municipality: Municipality,
): { survey: Survey } | { problems: Problem[] } {
  const problems: Problem[] = [];
  const problem = (at: string, message: string) => problems.push({ path: at, message });
  const lists: Record<SharedListName, Option[]> = {
    mahalles: municipality.mahalles.map((m) => ({ id: m.id, label: { tr: m.name } })),
    activityAreas: municipality.activityAreas.map((a) => ({ id: a.id, label: a.name })),
  };
  const resolveList = (source: Option[] | { list: SharedListName }) => ('list' in source ? lists[source.list] : source);

  if (Date.parse(file.closesAt) <= Date.parse(file.opensAt)) problem('$.closesAt', 'must be after opensAt');

  const seenSections = new Set<string>();
  const seen = new Map<string, Question>();
  const profileRoles = new Set<QuestionRole>();
  const sections = file.sections.map((section, s) => {
    const sectionPath = `$.sections[${s}]`;
    if (seenSections.has(section.id)) problem(`${sectionPath}.id`, `duplicate section id "${section.id}"`);
    seenSections.add(section.id);
    const questions = section.questions.map((questionFile, q) => {
      const at = `${sectionPath}.questions[${q}]`;
      const question = resolveQuestion(questionFile, resolveList);
      if (seen.has(question.id)) problem(`${at}.id`, `duplicate question id "${question.id}"`);
      checkQuestion(question, at, problem);
      checkRole(question, at, problem, profileRoles);
      if (question.showWhen) checkCondition(question, seen, `${at}.showWhen`, problem);
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

function checkQuestion(question: Question, at: string, problem: (at: string, message: string) => void): void {
  const checkOptions = (options: Option[], key: string) => {
    const ids = new Set<string>();
    options.forEach((option, i) => {
      if (ids.has(option.id)) problem(`${at}.${key}[${i}].id`, `duplicate option id "${option.id}"`);
      ids.add(option.id);
      if (option.exclusive && question.kind !== 'multiple_choice') {
        problem(`${at}.${key}[${i}].exclusive`, 'only multiple_choice options can be exclusive');
      }
    });
    for (const reserved of [OTHER_OPTION_ID, OTHER_TEXT_ID]) {
      if ('other' in question && question.other && ids.has(reserved)) {
        problem(`${at}.${key}`, `option id "${reserved}" is reserved for the "other" answer`);
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
        problem(`${at}.minSelections`, 'must not exceed maxSelections');
      }
      if ((question.maxSelections ?? 0) > count) problem(`${at}.maxSelections`, `must not exceed the ${count} options`);
      break;
    }
    case 'likert_matrix': {
      checkOptions(question.rows, 'rows');
      const values = question.scale.map((point) => point.value);
      if (values.some((value, i) => i > 0 && value <= values[i - 1]!)) {
        problem(`${at}.scale`, 'values must be unique and ascending');
      }
      break;
    }
    case 'ranking':
      checkOptions(question.items, 'items');
      if (question.rankCount > question.items.length) {
        problem(`${at}.rankCount`, `must not exceed the ${question.items.length} items`);
      }
      if ((question.minRanked ?? 1) > question.rankCount) problem(`${at}.minRanked`, 'must not exceed rankCount');
      break;
    case 'number':
      if (question.min !== undefined && question.max !== undefined && question.min > question.max) {
        problem(`${at}.min`, 'must not exceed max');
      }
      break;
    case 'date':
      if (question.min !== undefined && question.max !== undefined && question.min > question.max) {
        problem(`${at}.min`, 'must not be after max');
      }
      break;
    case 'rating':
    case 'short_text':
    case 'long_text':
      break;
    default:
      assertNever(question);
  }
}

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

/** The report roles a question of this kind may carry (the editor offers only these). */
export function rolesForKind(kind: QuestionKind): QuestionRole[] {
  return QUESTION_ROLES.filter((role) => (KINDS_FOR_ROLE[role.split('.')[0]!] ?? []).includes(kind));
}

function checkRole(
  question: Question,
  at: string,
  problem: (at: string, message: string) => void,
  profileRoles: Set<QuestionRole>,
): void {
  if (!question.role) return;
  const family = question.role.split('.')[0]!;
  const kinds = KINDS_FOR_ROLE[family] ?? [];
  if (!kinds.includes(question.kind)) {
    problem(`${at}.role`, `role "${question.role}" needs a question of kind ${kinds.join(' or ')}`);
  }
  if (family === 'profile') {
    if (profileRoles.has(question.role)) problem(`${at}.role`, `role "${question.role}" is used twice`);
    profileRoles.add(question.role);
  }
}

function checkCondition(
  question: Question,
  earlier: Map<string, Question>,
  at: string,
  problem: (at: string, message: string) => void,
): void {
  const condition = question.showWhen!;
  const source = earlier.get(condition.question);
  if (!source) {
    problem(`${at}.question`, `must be the id of an earlier question (got "${condition.question}")`);
    return;
  }
  const values = conditionValues(source);
  if (!values) {
    problem(`${at}.question`, `a ${source.kind} question cannot control visibility; use a choice or select question`);
    return;
  }
  const isMultiple = source.kind === 'multiple_choice';
  if ('includes' in condition !== isMultiple) {
    problem(at, isMultiple ? 'use "includes" for a multiple_choice question' : '"includes" works only on multiple_choice questions');
    return;
  }
  const compared =
    'equals' in condition
      ? [condition.equals]
      : 'notEquals' in condition
        ? [condition.notEquals]
        : 'includes' in condition
          ? [condition.includes]
          : condition.anyOf;
  for (const value of compared) {
    if (!values.includes(value)) problem(at, `"${value}" is not an option of question "${source.id}"`);
  }
}
