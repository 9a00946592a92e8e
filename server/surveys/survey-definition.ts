// The survey definition format (surveys/<slug>.json). The zod schema is the single source:
// the TypeScript types, start-up validation and surveys/survey.schema.json all come from it.
import { z } from 'zod';
import { Identifier as identifier, LocalizedText } from '../platform/schema';
// The table file, not the feature's index: the definition must not pull in the register's routes.
import { STAKEHOLDER_GROUPS } from '../stakeholders/stakeholder.table';

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

const LeafCondition = z.union([
  z.strictObject({ question: identifier, equals: identifier }),
  z.strictObject({ question: identifier, notEquals: identifier }),
  z.strictObject({ question: identifier, includes: identifier }),
  z.strictObject({ question: identifier, anyOf: z.array(identifier).min(1) }),
]);
/** One comparison with an earlier answer. */
export type LeafCondition = z.infer<typeof LeafCondition>;
export type Condition = LeafCondition | { all: Condition[] } | { any: Condition[] };

export const Condition: z.ZodType<Condition> = z
  .union([
    ...LeafCondition.options,
    z.strictObject({
      get all() {
        return z.array(Condition).min(1).describe('Holds when every condition holds');
      },
    }),
    z.strictObject({
      get any() {
        return z.array(Condition).min(1).describe('Holds when at least one condition holds');
      },
    }),
  ])
  .describe(
    'Show only when earlier answers match; option ids of a single_choice or select (equals, notEquals, anyOf) or of a multiple_choice (includes); "all" and "any" combine conditions',
  )
  .meta({ id: 'Condition' });

/** The comparisons a condition is made of, however deeply combined. */
export function conditionLeaves(condition: Condition): LeafCondition[] {
  if ('all' in condition) return condition.all.flatMap(conditionLeaves);
  if ('any' in condition) return condition.any.flatMap(conditionLeaves);
  return [condition];
}

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

const RegisterMap = z
  .partialRecord(z.enum(STAKEHOLDER_GROUPS), identifier)
  .describe(
    'Institution type only (role profile.institution_type): the option chosen for each stakeholder register group, by group id. An institution whose group is not listed is asked the question.',
  );

const SingleChoice = z.strictObject({
  kind: z.literal('single_choice'),
  ...common,
  options: OptionSource,
  other: z.boolean().default(false).describe('Adds "Diğer (belirtiniz)" with a text box (option id "other")'),
  registerMap: RegisterMap.optional(),
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

export const RowGroup = z
  .strictObject({
    title: LocalizedText.describe('The sub-heading shown above its rows, e.g. "KURUMSAL"'),
    rows: z.array(identifier).min(1).describe('Ids of the rows under this heading, in the order of rows'),
  })
  .meta({ id: 'RowGroup' });
export type RowGroup = z.infer<typeof RowGroup>;

const LikertMatrix = z.strictObject({
  kind: z.literal('likert_matrix'),
  ...common,
  rows: OptionSource.describe('The statements or service areas rated on the shared scale'),
  rowGroups: z
    .array(RowGroup)
    .min(1)
    .optional()
    .describe('Sub-headings inside the matrix (rows given inline only): every row in exactly one group, groups in the order of rows. Answers are stored per row as without groups'),
  scale: z.array(ScalePoint).min(2).max(11).describe('Scale points from the most negative to the most positive'),
  labels: z
    .enum(['ends', 'every'])
    .optional()
    .describe('Scale labels shown on a phone: "ends" (default: the two ends, the chosen point\'s label in their place) or "every" point\'s label under it'),
  notApplicable: LocalizedText.optional().describe('Label of the "Bilgim yok" column, excluded from means'),
  notApplicablePosition: z
    .enum(['first', 'last'])
    .optional()
    .describe('Where the "Bilgim yok" column is shown: "last" (default) or "first", as the questionnaire puts it; needs notApplicable'),
});

/** Where a matrix's "Bilgim yok" column goes when its definition does not say. */
export const DEFAULT_NOT_APPLICABLE_POSITION = 'last';

const Rating = z.strictObject({
  kind: z.literal('rating'),
  ...common,
  scale: z.enum(['1-5', '1-10', '0-10']),
  minLabel: LocalizedText.optional(),
  maxLabel: LocalizedText.optional(),
  pointLabels: z
    .array(LocalizedText)
    .min(2)
    .max(11)
    .optional()
    .describe('A label for every point of the scale, lowest first (e.g. Zayıf / Orta / İyi / Çok iyi), shown under each point; as many as the scale has points'),
});

const Ranking = z.strictObject({
  kind: z.literal('ranking'),
  ...common,
  items: OptionSource,
  other: z.boolean().default(false).describe('Adds "Diğer (belirtiniz)" as an item, with a text box (item id "other")'),
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

export const Band = z
  .strictObject({
    id: identifier,
    label: LocalizedText,
    min: z.number().optional().describe('Lowest value in the band, inclusive; only the first band may leave it out'),
    max: z.number().optional().describe('Highest value in the band, inclusive; only the last band may leave it out'),
  })
  .meta({ id: 'Band' });
export type Band = z.infer<typeof Band>;

const NumberQuestion = z.strictObject({
  kind: z.literal('number'),
  ...common,
  min: z.number().optional(),
  max: z.number().optional(),
  integer: z.boolean().default(false),
  unit: LocalizedText.optional(),
  bands: z
    .array(Band)
    .min(2)
    .optional()
    .describe('Groups the answers fall in (age groups, years of residence), ascending and not overlapping; results and profile tables count them like options'),
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
  other: z.boolean().default(false).describe('Adds "Diğer (belirtiniz)" with a text box (option id "other")'),
  registerMap: RegisterMap.optional(),
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
  showWhen: Condition.optional().describe('Show the whole section only when earlier answers match; its questions are then not asked'),
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
/**
 * The category of a banded number's answer that falls in no band (a gap between bands, or beyond
 * the first or last): the answer is kept and counts in the mean, and shows in band tables as this.
 */
export const OUTSIDE_BANDS_ID = 'outside_bands';

/** The band a number falls in (bounds inclusive), or undefined when it falls in none. */
export function bandOf(bands: readonly Band[], value: number): string | undefined {
  return bands.find((band) => (band.min === undefined || value >= band.min) && (band.max === undefined || value <= band.max))?.id;
}

/** The category of a banded number's answer: its band, or OUTSIDE_BANDS_ID. */
export function bandCategory(bands: readonly Band[], value: number): string {
  return bandOf(bands, value) ?? OUTSIDE_BANDS_ID;
}

/** The option ids a condition may compare against, per kind; null when the kind cannot be a condition source. */
export function conditionValues(question: Question): string[] | null {
  switch (question.kind) {
    case 'single_choice':
    case 'multiple_choice':
    case 'select':
      return [...question.options.map((o) => o.id), ...(question.other ? [OTHER_OPTION_ID] : [])];
    case 'number':
      // A banded number answers "which band" like a single choice; its band is worked out from the value.
      return question.bands ? question.bands.map((band) => band.id) : null;
    case 'likert_matrix':
    case 'rating':
    case 'ranking':
    case 'short_text':
    case 'long_text':
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
