// The survey definition format (surveys/<slug>.json). The zod schema is the single source:
// the TypeScript types, start-up validation and surveys/survey.schema.json all come from it.
import { z } from 'zod';
import { Identifier as identifier, LocalizedText } from '../platform/schema';

export const SHARED_LISTS = ['mahalles', 'activityAreas'] as const;
export type SharedListName = (typeof SHARED_LISTS)[number];

export const Option = z.strictObject({
  id: identifier,
  label: LocalizedText,
  exclusive: z
    .boolean()
    .optional()
    .describe('multiple_choice only: choosing this option (e.g. "Hiçbiri") excludes every other option'),
}).meta({ id: 'Option' });
export type Option = z.infer<typeof Option>;

const ListReference = z
  .strictObject({ list: z.enum(SHARED_LISTS) })
  .describe('Use a list kept in surveys/municipality.json: "mahalles" or "activityAreas"');

const OptionSource = z.union([z.array(Option).min(1), ListReference]).meta({ id: 'OptionSource' });

export const Condition = z
  .union([
    z.strictObject({ question: identifier, equals: identifier }),
    z.strictObject({ question: identifier, notEquals: identifier }),
    z.strictObject({ question: identifier, includes: identifier }),
    z.strictObject({ question: identifier, anyOf: z.array(identifier).min(1) }),
  ])
  .describe('Show the question only when an earlier answer matches; option ids of a single_choice or select (equals, notEquals, anyOf) or of a multiple_choice (includes)')
  .meta({ id: 'Condition' });
export type Condition = z.infer<typeof Condition>;

export const QUESTION_ROLES = [
  'profile.gender',
  'profile.age',
  'profile.education',
  'profile.mahalle',
  'profile.residence',
  'profile.institution_type',
  'satisfaction',
  'priority',
  'image',
  'agreement',
  'open.improve',
  'open.expectation',
  'open.idea',
  'expectation',
  'cooperation',
  'swot.strength',
  'swot.weakness',
  'swot.opportunity',
  'swot.threat',
] as const;
export type QuestionRole = (typeof QUESTION_ROLES)[number];

const common = {
  id: identifier.describe('Stable id: stored with every answer, never reused for another meaning'),
  text: LocalizedText.describe('The question as shown to the respondent'),
  help: LocalizedText.optional().describe('Help shown under the question'),
  required: z.boolean().default(false),
  showWhen: Condition.optional(),
  role: z.enum(QUESTION_ROLES).optional().describe('What the question feeds in the stakeholder analysis report'),
};

const SingleChoice = z.strictObject({
  kind: z.literal('single_choice'),
  ...common,
  options: OptionSource,
  other: z.boolean().default(false).describe('Adds "Diğer (belirtiniz)" with a text box (option id "other")'),
});

const MultipleChoice = z.strictObject({
  kind: z.literal('multiple_choice'),
  ...common,
  options: OptionSource,
  other: z.boolean().default(false).describe('Adds "Diğer (belirtiniz)" with a text box (option id "other")'),
  minSelections: z.number().int().min(1).optional(),
  maxSelections: z.number().int().min(1).optional(),
});

const ScalePoint = z.strictObject({
  value: z.number().int().min(0).max(10),
  label: LocalizedText,
});

const LikertMatrix = z.strictObject({
  kind: z.literal('likert_matrix'),
  ...common,
  rows: OptionSource.describe('The statements or service areas rated on the shared scale'),
  scale: z.array(ScalePoint).min(2).max(11).describe('Scale points from the most negative to the most positive'),
  notApplicable: LocalizedText.optional().describe('Label of the "Bilgim yok" column, excluded from means'),
});

const Rating = z.strictObject({
  kind: z.literal('rating'),
  ...common,
  scale: z.enum(['1-5', '1-10', '0-10']),
  minLabel: LocalizedText.optional(),
  maxLabel: LocalizedText.optional(),
});

const Ranking = z.strictObject({
  kind: z.literal('ranking'),
  ...common,
  items: OptionSource,
  rankCount: z.number().int().min(1).max(10).describe('How many items are chosen and ordered (top N)'),
  minRanked: z
    .number()
    .int()
    .min(1)
    .optional()
    .describe('Fewest ranks to fill when the question is answered; defaults to rankCount'),
});

const ShortText = z.strictObject({
  kind: z.literal('short_text'),
  ...common,
  maxLength: z.number().int().min(1).max(1000).default(200),
});

const LongText = z.strictObject({
  kind: z.literal('long_text'),
  ...common,
  maxLength: z.number().int().min(1).max(10000).default(2000),
});

const NumberQuestion = z.strictObject({
  kind: z.literal('number'),
  ...common,
  min: z.number().optional(),
  max: z.number().optional(),
  integer: z.boolean().default(false),
  unit: LocalizedText.optional(),
});

const isoDate = z.iso.date();

const DateQuestion = z.strictObject({
  kind: z.literal('date'),
  ...common,
  min: isoDate.optional(),
  max: isoDate.optional(),
});

const Select = z.strictObject({
  kind: z.literal('select'),
  ...common,
  options: OptionSource,
});

export const QuestionFile = z.discriminatedUnion('kind', [
  SingleChoice,
  MultipleChoice,
  LikertMatrix,
  Rating,
  Ranking,
  ShortText,
  LongText,
  NumberQuestion,
  DateQuestion,
  Select,
]);
export type QuestionFile = z.infer<typeof QuestionFile>;
export type QuestionKind = QuestionFile['kind'];
/** Every question kind, read from the schema itself so that lists of kinds elsewhere (tests included) cannot drift from it. */
export const QUESTION_KINDS: readonly QuestionKind[] = QuestionFile.options.map((option) => option.shape.kind.value);

const SectionFile = z.strictObject({
  id: identifier,
  title: LocalizedText,
  intro: LocalizedText.optional(),
  questions: z.array(QuestionFile).min(1),
});

export const SurveyFile = z
  .strictObject({
    $schema: z.string().optional(),
    slug: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be lowercase words joined by hyphens, e.g. vatandas-anketi'),
    title: LocalizedText,
    intro: LocalizedText,
    thanks: LocalizedText.optional().describe('Shown on the thank-you page after the last section, in place of the standard text'),
    audience: z.enum(['citizen', 'institution', 'internal', 'meeting']),
    opensAt: z.iso.datetime({ offset: true }).describe('Opening date-time with its offset, e.g. 2026-06-01T09:00:00+03:00'),
    closesAt: z.iso.datetime({ offset: true }),
    anonymous: z.boolean().default(true).describe('Anonymous surveys ask for no name, phone, e-mail or ID number'),
    oneResponsePerBrowser: z
      .boolean()
      .default(true)
      .describe('Show "you have already answered" to a browser that completed the survey'),
    estimatedMinutes: z.number().int().min(1).max(120).optional(),
    sections: z.array(SectionFile).min(1).describe('One page each'),
  })
  .describe('A Paydaş survey definition');
export type SurveyFile = z.infer<typeof SurveyFile>;

// A survey after its shared lists are resolved: every option list is concrete.
type Resolve<Q> = Q extends { options: unknown }
  ? Omit<Q, 'options'> & { options: Option[] }
  : Q extends { rows: unknown }
    ? Omit<Q, 'rows'> & { rows: Option[] }
    : Q extends { items: unknown }
      ? Omit<Q, 'items'> & { items: Option[] }
      : Q;

export type Question = Resolve<QuestionFile>;
export type QuestionOf<K extends QuestionKind> = Extract<Question, { kind: K }>;
export type Section = Omit<z.infer<typeof SectionFile>, 'questions'> & { questions: Question[] };
export type Survey = Omit<SurveyFile, 'sections' | '$schema'> & {
  sections: Section[];
  /** sha256 of the resolved definition; stored with every response. */
  hash: string;
};

/** The id of the synthetic "Diğer (belirtiniz)" option. */
export const OTHER_OPTION_ID = 'other';
/**
 * What names the text written with "Diğer" where the tick is named by OTHER_OPTION_ID (export
 * columns `<question>.other` and `<question>.other_text`): reserved as an option id too.
 */
export const OTHER_TEXT_ID = 'other_text';

/** The option ids a condition may compare against, per kind; null when the kind cannot be a condition source. */
export function conditionValues(question: Question): string[] | null {
  switch (question.kind) {
    case 'single_choice':
    case 'multiple_choice':
      return [...question.options.map((o) => o.id), ...(question.other ? [OTHER_OPTION_ID] : [])];
    case 'select':
      return question.options.map((o) => o.id);
    case 'likert_matrix':
    case 'rating':
    case 'ranking':
    case 'short_text':
    case 'long_text':
    case 'number':
    case 'date':
      return null;
    default:
      return assertNever(question);
  }
}

export function assertNever(value: never): never {
  throw new Error(`Unhandled case: ${JSON.stringify(value)}`);
}

export function allQuestions(survey: Pick<Survey, 'sections'>): Question[] {
  return survey.sections.flatMap((section) => section.questions);
}
