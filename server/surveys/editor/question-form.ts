// The editor's form of one question, for every question kind: the flat form values of a question,
// and a posted form back into a question, validated by the same QuestionFile schema as the files.
import type { TFunction } from 'i18next';
import { LANGUAGES } from '../../platform/i18n/i18n';
import type { LocalizedText } from '../../platform/schema';
import { OTHER_OPTION_ID, OTHER_TEXT_ID, QuestionFile, type Option, type QuestionKind, type SharedListName } from '../survey-definition';
import { fieldErrorsOf, fieldOfPath, flattenIssues, issueMessage, valueAt, zodErrorMap, type FieldErrors } from './form-errors';
import { PostedForm, type Collection, type FormValues } from './posted-form';
import { blankConditionValues, conditionFormValues, readCondition } from './condition-form';
import {
  bandValues,
  NOT_APPLICABLE_POSITIONS,
  pointLabelValues,
  readBands,
  readPointLabels,
  readRegisterMap,
  readRowGroups,
  registerMapValues,
  rowGroupValues,
} from './question-extras';

export { fieldOfPath, type FieldErrors } from './form-errors';
export { CONDITION_OPERATORS, type FormValues } from './posted-form';

type FileOf<K extends QuestionKind> = Extract<QuestionFile, { kind: K }>;
type Problem = { path: (string | number)[]; key: string; params?: Record<string, unknown> };

/** What one kind adds to the common fields: its form values, how they are read back, its cross-field checks. */
interface KindForm<K extends QuestionKind> {
  /** The list of options the kind has (options, rows of a matrix, items to rank). */
  collection?: Collection;
  blank: FormValues;
  valuesOf(question: FileOf<K>): FormValues;
  read(form: PostedForm): Record<string, unknown>;
  /** Rules a schema cannot express, checked here to show them at their field (the survey rules check them again). */
  check?(question: FileOf<K>): Problem[];
}

/**
 * What a NEW question of a kind starts with beyond blank fields: a matrix gets the five-point scale
 * most municipal questionnaires use (the planner may change it), so its preview shows at once.
 */
export function starterFormValues(kind: QuestionKind): FormValues {
  if (kind !== 'likert_matrix') return {};
  const points = [['Çok kötü', 'Very poor'], ['Kötü', 'Poor'], ['Orta', 'Fair'], ['İyi', 'Good'], ['Çok iyi', 'Very good']] as const;
  return Object.fromEntries(
    points.flatMap(([tr, en], i) => [
      [`scale.${i}.value`, String(i + 1)],
      [`scale.${i}.tr`, tr],
      [`scale.${i}.en`, en],
    ]),
  );
}

/** Every kind's form; a kind added to the schema does not compile until it has one. */
const KIND_FORMS: { [K in QuestionKind]: KindForm<K> } = {
  single_choice: {
    collection: 'options',
    blank: { other: '', ...registerMapValues(undefined) },
    valuesOf: (q) => ({ ...sourceValues('options', q.options, false), other: flag(q.other), ...registerMapValues(q.registerMap) }),
    read: (form) => ({ options: form.optionSource('options', false), other: form.flag('other'), registerMap: readRegisterMap(form) }),
    check: (q) => [...duplicateIds('options', q.options), ...reservedIds('options', q.options, q.other)],
  },
  multiple_choice: {
    collection: 'options',
    blank: { other: '', minSelections: '', maxSelections: '' },
    valuesOf: (q) => ({
      ...sourceValues('options', q.options, true),
      other: flag(q.other),
      minSelections: numberValue(q.minSelections),
      maxSelections: numberValue(q.maxSelections),
    }),
    read: (form) => ({
      options: form.optionSource('options', true),
      other: form.flag('other'),
      minSelections: form.number('minSelections'),
      maxSelections: form.number('maxSelections'),
    }),
    check: (q) => [
      ...duplicateIds('options', q.options),
      ...reservedIds('options', q.options, q.other),
      ...minAboveMax('minSelections', q.minSelections, q.maxSelections),
    ],
  },
  likert_matrix: {
    collection: 'rows',
    blank: { ...localizedBlank('notApplicable'), labelsEvery: '', notApplicablePosition: '' },
    valuesOf: (q) => ({
      ...sourceValues('rows', q.rows, false),
      ...rowGroupValues(q.rows, q.rowGroups),
      labelsEvery: q.labels === 'every' ? 'on' : '',
      notApplicablePosition: q.notApplicablePosition ?? '',
      ...Object.fromEntries(
        q.scale.flatMap((point, i) => [[`scale.${i}.value`, String(point.value)], ...localizedEntries(`scale.${i}`, point.label)]),
      ),
      ...localizedValues('notApplicable', q.notApplicable),
    }),
    read: (form) => {
      const grouped = form.matrixRows();
      return {
        rows: grouped.source,
        rowGroups: readRowGroups(form, grouped),
        scale: form.scalePoints(),
        labels: form.flag('labelsEvery') ? 'every' : undefined,
        notApplicable: form.localized('notApplicable', false),
        notApplicablePosition: form.choice('notApplicablePosition', NOT_APPLICABLE_POSITIONS),
      };
    },
    check: (q) => {
      const values = q.scale.map((point) => point.value);
      const repeated = values.findIndex((value, i) => values.indexOf(value) !== i);
      return [
        ...duplicateIds('rows', q.rows),
        ...(repeated >= 0 ? [{ path: ['scale', repeated, 'value'], key: 'duplicate_value' }] : []),
      ];
    },
  },
  rating: {
    blank: { scale: '1-5', ...localizedBlank('minLabel'), ...localizedBlank('maxLabel'), ...pointLabelValues('1-5', undefined) },
    valuesOf: (q) => ({
      scale: q.scale,
      ...localizedValues('minLabel', q.minLabel),
      ...localizedValues('maxLabel', q.maxLabel),
      ...pointLabelValues(q.scale, q.pointLabels),
    }),
    read: (form) => {
      const scale = form.text('scale');
      return {
        scale,
        minLabel: form.localized('minLabel', false),
        maxLabel: form.localized('maxLabel', false),
        pointLabels: readPointLabels(form, scale),
      };
    },
  },
  ranking: {
    collection: 'items',
    blank: { other: '', rankCount: '', minRanked: '' },
    valuesOf: (q) => ({
      ...sourceValues('items', q.items, false),
      other: flag(q.other),
      rankCount: String(q.rankCount),
      minRanked: numberValue(q.minRanked),
    }),
    read: (form) => ({
      items: form.optionSource('items', false),
      other: form.flag('other'),
      rankCount: form.number('rankCount'),
      minRanked: form.number('minRanked'),
    }),
    check: (q) => [
      ...duplicateIds('items', q.items),
      ...reservedIds('items', q.items, q.other),
      ...minAboveMax('minRanked', q.minRanked, q.rankCount),
      ...(Array.isArray(q.items) && q.rankCount > q.items.length
        ? [{ path: ['rankCount'], key: 'more_ranks_than_items', params: { count: q.items.length } }]
        : []),
    ],
  },
  short_text: {
    blank: { maxLength: '200' },
    valuesOf: (q) => ({ maxLength: String(q.maxLength) }),
    read: (form) => ({ maxLength: form.number('maxLength') }),
  },
  long_text: {
    blank: { maxLength: '2000' },
    valuesOf: (q) => ({ maxLength: String(q.maxLength) }),
    read: (form) => ({ maxLength: form.number('maxLength') }),
  },
  number: {
    blank: { min: '', max: '', integer: '', ...localizedBlank('unit'), ...bandValues(undefined) },
    valuesOf: (q) => ({
      min: numberValue(q.min),
      max: numberValue(q.max),
      integer: flag(q.integer),
      ...localizedValues('unit', q.unit),
      ...bandValues(q.bands),
    }),
    read: (form) => ({
      min: form.number('min'),
      max: form.number('max'),
      integer: form.flag('integer'),
      unit: form.localized('unit', false),
      bands: readBands(form),
    }),
    check: (q) => minAboveMax('min', q.min, q.max),
  },
  date: {
    blank: { min: '', max: '' },
    valuesOf: (q) => ({ min: q.min ?? '', max: q.max ?? '' }),
    read: (form) => {
      const optional = (name: string) => form.text(name) || undefined;
      return { min: optional('min'), max: optional('max') };
    },
    check: (q) => minAboveMax('min', q.min, q.max),
  },
  select: {
    collection: 'options',
    blank: { other: '', ...registerMapValues(undefined) },
    valuesOf: (q) => ({ ...sourceValues('options', q.options, false), other: flag(q.other), ...registerMapValues(q.registerMap) }),
    read: (form) => ({ options: form.optionSource('options', false), other: form.flag('other'), registerMap: readRegisterMap(form) }),
    check: (q) => [...duplicateIds('options', q.options), ...reservedIds('options', q.options, q.other)],
  },
};

/** The list a kind's options live in (options, rows or items), or undefined for kinds without options. */
export function collectionOf(kind: QuestionKind): Collection | undefined {
  return KIND_FORMS[kind].collection;
}

/** The values of the form for a new question of a kind. */
export function blankFormValues(kind: QuestionKind): FormValues {
  const collection = collectionOf(kind);
  return {
    id: '',
    ...localizedBlank('text'),
    ...localizedBlank('help'),
    required: '',
    role: '',
    ...blankConditionValues(),
    ...(collection ? { [`${collection}.list`]: '', [`${collection}.paste`]: '' } : {}),
    ...KIND_FORMS[kind].blank,
  };
}

/** The values of the form for editing a question; posted back unchanged, they give the same question. */
export function formValuesOf(question: QuestionFile): FormValues {
  const kindForm = KIND_FORMS[question.kind] as KindForm<QuestionKind>;
  return {
    ...blankFormValues(question.kind),
    id: question.id,
    ...localizedValues('text', question.text),
    ...localizedValues('help', question.help),
    required: flag(question.required),
    role: question.role ?? '',
    ...conditionFormValues(question.showWhen),
    ...kindForm.valuesOf(question),
  };
}

/**
 * A posted form (express.urlencoded: strings or lists of strings) as a question of the kind,
 * validated by the QuestionFile schema; or the errors per field with the values to show again.
 */
export function questionFromForm(
  kind: QuestionKind,
  body: Record<string, unknown>,
  t: TFunction,
): { ok: true; question: QuestionFile } | { ok: false; errors: FieldErrors; values: FormValues } {
  const form = new PostedForm(body ?? {});
  const kindForm = KIND_FORMS[kind] as KindForm<QuestionKind>;
  const candidate = {
    kind,
    id: form.text('id'),
    text: form.localized('text', true),
    help: form.localized('help', false),
    required: form.flag('required'),
    role: form.text('role') || undefined,
    showWhen: readCondition(form),
    ...kindForm.read(form),
  };
  const values: FormValues = { ...blankFormValues(kind), ...form.values };
  const early = form.errors.map((e) => ({ field: e.field, message: t(`admin:editor.fields.errors.${e.key}`, e.params ?? {}) }));
  const earlyFields = new Set(early.map((e) => e.field));

  const input = withoutUndefined(candidate);
  const parsed = QuestionFile.safeParse(input, { error: zodErrorMap(t) });
  // The checks also run on a refused form, so every problem shows at once; the reader always builds
  // the kind's shape, and the checks compare only values that are there.
  const checked = (parsed.success ? parsed.data : input) as QuestionFile;
  const checks = (kindForm.check?.(checked) ?? []).map((p) => ({
    field: fieldOfPath(p.path),
    message: t(`admin:editor.fields.errors.${p.key}`, p.params ?? {}),
  }));
  const schemaProblems = parsed.success
    ? []
    : flattenIssues(parsed.error.issues).map(({ path, issue }) => ({ field: fieldOfPath(path), message: issueMessage(path, issue, valueAt(input, path), t) }));
  // A field already refused by the form (not a number, two values for one) is not reported again by the schema.
  const problems = [...early, ...schemaProblems.filter((problem) => !earlyFields.has(problem.field)), ...checks];
  if (!parsed.success || problems.length > 0) return { ok: false, errors: fieldErrorsOf(problems), values };
  return { ok: true, question: parsed.data };
}

function withoutUndefined(object: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined));
}

function flag(value: boolean | undefined): string {
  return value ? 'on' : '';
}

function numberValue(value: number | undefined): string {
  return value === undefined ? '' : String(value);
}

function localizedBlank(name: string): FormValues {
  return Object.fromEntries(LANGUAGES.map((language) => [`${name}.${language}`, '']));
}

function localizedEntries(name: string, text: LocalizedText | undefined): [string, string][] {
  return LANGUAGES.map((language) => [`${name}.${language}`, text?.[language] ?? '']);
}

function localizedValues(name: string, text: LocalizedText | undefined): FormValues {
  return Object.fromEntries(localizedEntries(name, text));
}

function sourceValues(collection: Collection, source: Option[] | { list: SharedListName }, withExclusive: boolean): FormValues {
  if (!Array.isArray(source)) return { [`${collection}.list`]: source.list };
  const values: FormValues = { [`${collection}.list`]: '' };
  source.forEach((option, i) => {
    values[`${collection}.${i}.id`] = option.id;
    Object.assign(values, localizedValues(`${collection}.${i}`, option.label));
    values[`${collection}.${i}.order`] = String(i + 1);
    if (withExclusive) values[`${collection}.${i}.exclusive`] = flag(option.exclusive);
  });
  return values;
}

function duplicateIds(collection: Collection, source: Option[] | { list: SharedListName }): Problem[] {
  if (!Array.isArray(source)) return [];
  const seen = new Set<string>();
  return source.flatMap((option, i) => {
    const repeated = seen.has(option.id);
    seen.add(option.id);
    return repeated ? [{ path: [collection, i, 'id'], key: 'duplicate_option', params: { id: option.id } }] : [];
  });
}

function reservedIds(collection: Collection, source: Option[] | { list: SharedListName }, other: boolean): Problem[] {
  if (!other || !Array.isArray(source)) return [];
  return source.flatMap((option, i) =>
    option.id === OTHER_OPTION_ID || option.id === OTHER_TEXT_ID
      ? [{ path: [collection, i, 'id'], key: 'reserved_id', params: { id: option.id } }]
      : [],
  );
}

function minAboveMax<V extends number | string>(field: string, min: V | undefined, max: V | undefined): Problem[] {
  return min !== undefined && max !== undefined && min > max ? [{ path: [field], key: 'min_above_max' }] : [];
}
