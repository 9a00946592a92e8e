// What is wrong with a survey definition, said twice: a locale key with its params for the back
// office (the upload page and the editor show it in the planner's language), and an English
// message for operators (the start-up error and `npm run surveys -- check` stay English).
import type { TFunction } from 'i18next';
import type { z } from 'zod';
import { jsonPath } from '../platform/schema';
import { flattenIssues, friendlyIssueText, issueText, valueAt } from './editor/form-errors';
import type { QuestionKind, QuestionRole } from './survey-definition';

/** A value a problem's text is built with; a nested text is translated first. */
export type ParamValue = string | number | readonly (string | number)[] | ProblemText;

/** A locale key and its params. Params named role, kind or kinds are shown with their labels. */
export interface ProblemText {
  key: string;
  params?: Record<string, ParamValue>;
}

/** A problem of a definition at a JSON path ($.sections[0].questions[1].id). */
export interface Problem extends ProblemText {
  path: string;
  /** In English, for operators. */
  message: string;
}

export interface DefinitionProblem extends Problem {
  file: string;
}

const q = (value: string | number) => `"${value}"`;

/**
 * Every rule a definition must follow beyond its zod shape, by name, with its English message.
 * The locale texts are admin:definition.rules.<name> in every language (a test derives the keys from here).
 */
export const RULE_MESSAGES = {
  not_json: (p: { detail: string }) => p.detail,
  file_unreadable: (p: { detail: string }) => p.detail,
  slug_not_file_name: (p: { name: string }) => `must equal the file name (${p.name})`,
  slug_reserved: (p: { slug: string }) => `${q(p.slug)} is a word of the back office's addresses; choose another slug`,
  slug_file_and_upload: () => 'is both a file in surveys/ and an uploaded survey',
  slug_defined_by_file: (p: { slug: string }) => `${q(p.slug)} is defined by a file on the server; choose another slug`,
  closes_before_opens: () => 'must be after opensAt',
  duplicate_section_id: (p: { id: string }) => `duplicate section id ${q(p.id)}`,
  duplicate_question_id: (p: { id: string }) => `duplicate question id ${q(p.id)}`,
  duplicate_option_id: (p: { id: string }) => `duplicate option id ${q(p.id)}`,
  exclusive_outside_multiple: () => 'only multiple_choice options can be exclusive',
  reserved_option_id: (p: { id: string }) => `option id ${q(p.id)} is reserved for the "other" answer`,
  min_selections_above_max: () => 'must not exceed maxSelections',
  max_selections_above_options: (p: { count: number }) => `must not exceed the ${p.count} options`,
  scale_not_ascending: () => 'values must be unique and ascending',
  not_applicable_position_alone: () => 'needs notApplicable (the label of the "Bilgim yok" column)',
  point_labels_count: (p: { scale: string; points: number; labels: number }) =>
    `must have one label per point of the ${p.scale} scale: ${p.points}, not ${p.labels}`,
  rank_count_above_items: (p: { count: number }) => `must not exceed the ${p.count} items`,
  min_ranked_above_rank_count: () => 'must not exceed rankCount',
  min_above_max: () => 'must not exceed max',
  min_date_after_max: () => 'must not be after max',
  row_groups_shared_list: () => 'row groups need the rows written in the question, not a shared list',
  row_group_unknown_row: (p: { id: string }) => `${q(p.id)} is not the id of a row of this question`,
  row_group_row_twice: (p: { id: string; group: number }) => `row ${q(p.id)} is already in group ${p.group}; a row can be in one group only`,
  row_groups_missing_rows: (p: { ids: string[] }) =>
    `when rowGroups is given every row must be in a group; not in any group: ${p.ids.map(q).join(', ')}`,
  row_groups_out_of_order: (p: { ids: string[] }) => `groups must list the rows in the order of rows (${p.ids.join(', ')}); reorder the rows or the groups`,
  duplicate_band_id: (p: { id: string }) => `duplicate band id ${q(p.id)}`,
  reserved_band_id: (p: { id: string }) => `band id ${q(p.id)} is reserved for answers in no band`,
  band_min_not_first: () => 'only the first band may leave out min',
  band_max_not_last: () => 'only the last band may leave out max',
  band_min_above_max: () => 'must not exceed max',
  band_overlap: (p: { max: number }) => `must be above the previous band's max (${p.max}): bands are ascending and do not overlap`,
  role_needs_bands: (p: { role: QuestionRole }) => `role ${q(p.role)} on a number question needs bands (its profile table counts them)`,
  role_wrong_kind: (p: { role: QuestionRole; kinds: QuestionKind[] }) => `role ${q(p.role)} needs a question of kind ${p.kinds.join(' or ')}`,
  role_wrong_kind_or_number: (p: { role: QuestionRole; kinds: QuestionKind[] }) =>
    `role ${q(p.role)} needs a question of kind ${p.kinds.join(' or ')} or number with bands`,
  role_twice: (p: { role: QuestionRole }) => `role ${q(p.role)} is used twice`,
  condition_not_earlier: (p: { id: string }) => `must be the id of an earlier question (got ${q(p.id)})`,
  condition_source_kind: (p: { kind: QuestionKind }) =>
    `a ${p.kind} question cannot control visibility; use a choice or select question, or a number with bands`,
  condition_needs_includes: () => 'use "includes" for a multiple_choice question',
  condition_includes_not_multiple: () => '"includes" works only on multiple_choice questions',
  condition_value_not_option: (p: { value: string; question: string }) => `${q(p.value)} is not an option of question ${q(p.question)}`,
  register_map_wrong_question: () => 'only the institution type question (role "profile.institution_type") is filled from the register',
  register_map_not_option: (p: { option: string; question: string }) => `${q(p.option)} is not an option of question ${q(p.question)}`,
  answers_survey_missing: (p: { slug: string; count: number }) =>
    `surveys/${p.slug}.json is missing, but ${p.count} stored responses belong to it; restore the file.`,
  answers_removed: (p: { slug: string; count: number; what: string; usage: ProblemText }) =>
    `surveys/${p.slug}.json: ${p.what} was removed, but ${p.count} stored answers use it; put it back, or publish the changed survey under a new slug.`,
} satisfies Record<string, (params: never) => string>;

export type RuleName = keyof typeof RULE_MESSAGES;
type RuleArgs<R extends RuleName> = Parameters<(typeof RULE_MESSAGES)[R]>;

export const ruleKey = (rule: RuleName): string => `admin:definition.rules.${rule}`;

/** A broken rule at a JSON path. */
export function ruleProblem<R extends RuleName>(at: string, rule: R, ...args: RuleArgs<R>): Problem {
  const params = args[0] as Record<string, ParamValue> | undefined;
  const message = (RULE_MESSAGES[rule] as (params?: unknown) => string)(params);
  return { path: at, key: ruleKey(rule), ...(params ? { params } : {}), message };
}

/** Where the rule checks report what they find. */
export type Report = <R extends RuleName>(at: string, rule: R, ...args: RuleArgs<R>) => void;

/** A report that keeps what it is told, for resolveSurvey and the tests of single checks. */
export function collectProblems(): { problems: Problem[]; report: Report } {
  const problems: Problem[] = [];
  return { problems, report: (at, rule, ...args) => problems.push(ruleProblem(at, rule, ...args)) };
}

/** Locale keys of the schema problems that form-errors.ts does not already word for a single field. */
export const SCHEMA_KEYS = {
  unknownKeys: 'admin:definition.schema.unknown_keys',
  oneOf: 'admin:definition.schema.one_of',
  wrongType: 'admin:definition.schema.wrong_type',
  noVariant: 'admin:definition.schema.no_variant',
  datetime: 'admin:definition.schema.datetime',
  slug: 'admin:definition.schema.slug',
} as const;

/** The JSON types a definition's fields take, by name (numbers have their own, friendlier words). */
export const JSON_TYPES = ['string', 'boolean', 'object', 'array'] as const;
const isJsonType = (type: string): type is (typeof JSON_TYPES)[number] => (JSON_TYPES as readonly string[]).includes(type);

/**
 * The problems of a failed schema parse: a failed union is reported at the branch that was meant
 * (as the editor's question form does), each issue worded like the form's fields, plus what only a
 * whole file can get wrong (an unknown field, a value outside its list, a wrong JSON type).
 */
export function schemaProblems(issues: readonly z.core.$ZodIssue[], input: unknown): Problem[] {
  return flattenIssues(issues).map(({ path, issue }) => ({ path: jsonPath(path), ...schemaText(path, issue, valueAt(input, path)), message: issue.message }));
}

function schemaText(path: ReadonlyArray<PropertyKey>, issue: z.core.$ZodIssue, value: unknown): ProblemText {
  switch (issue.code) {
    case 'unrecognized_keys':
      return { key: SCHEMA_KEYS.unknownKeys, params: { keys: issue.keys } };
    case 'invalid_value':
      return { key: SCHEMA_KEYS.oneOf, params: { values: issue.values.map(String) } };
    case 'invalid_union':
      // A discriminated union (a question's kind) names its options; a plain one has no branch left that fits.
      return 'options' in issue && Array.isArray(issue.options)
        ? { key: SCHEMA_KEYS.oneOf, params: { values: (issue.options as unknown[]).map(String) } }
        : { key: SCHEMA_KEYS.noVariant };
    case 'invalid_format':
      if (issue.format === 'datetime') return { key: SCHEMA_KEYS.datetime };
      if (issue.format === 'regex' && path.length === 1 && path[0] === 'slug') return { key: SCHEMA_KEYS.slug };
      break;
    case 'invalid_type':
      if (value !== undefined && isJsonType(issue.expected) && path[path.length - 1] !== 'tr') {
        return { key: SCHEMA_KEYS.wrongType, params: { expected: { key: `admin:definition.types.${issue.expected}` } } };
      }
      break;
    default:
      break;
  }
  return friendlyIssueText(path, issue, value) ?? issueText(issue, value);
}

/** A problem's text in the language of t; role, kind and kinds params by their labels, lists joined. */
export function problemText(problem: ProblemText, t: TFunction): string {
  const params = Object.fromEntries(Object.entries(problem.params ?? {}).map(([name, value]) => [name, paramText(name, value, t)]));
  return t(problem.key, params);
}

function paramText(name: string, value: ParamValue, t: TFunction): string | number {
  if (Array.isArray(value)) return value.map((item: string | number) => paramText(name, item, t)).join(', ');
  if (typeof value === 'object') return problemText(value as ProblemText, t);
  if (name === 'role') return t(`admin:editor.fields.roles.${String(value).replace('.', '_')}`);
  if (name === 'kind' || name === 'kinds') return t(`admin:editor.pages.kinds.${String(value)}`);
  return value as string | number;
}
