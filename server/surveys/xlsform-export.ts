// A survey as an XLSForm: the standard columns say what ODK and KoboToolbox understand, and a
// `paydas` column keeps, as compact JSON, whatever of each question, option, section and of the
// survey those columns cannot say, so that importing our own export gives back the same survey.
// pyxform ignores columns it does not know.
import type { LocalizedText } from '../platform/schema';
import { assertNever, type Option, type Question, type QuestionKind, type Survey } from './survey-definition';
import { languageColumn, languagesOf, PAYDAS_COLUMN, relevantOf, type XlsFormSheets } from './xlsform';

const COMMON_KEYS = ['kind', 'id', 'text', 'help', 'required', 'showWhen'] as const;

/**
 * The keys of each kind that the standard columns express exactly (type, name, label, hint,
 * required, relevant, constraint, appearance, and the choices sheet); every other key, present or
 * added later, travels in the paydas column. The import reads these keys from the columns only.
 */
export const STANDARD_KEYS: Record<QuestionKind, readonly string[]> = {
  single_choice: [...COMMON_KEYS, 'options', 'other'],
  multiple_choice: [...COMMON_KEYS, 'options', 'other', 'minSelections', 'maxSelections'],
  select: [...COMMON_KEYS, 'options', 'other'],
  likert_matrix: [...COMMON_KEYS, 'rows', 'scale', 'notApplicable'],
  rating: [...COMMON_KEYS, 'scale', 'minLabel', 'maxLabel'],
  ranking: [...COMMON_KEYS, 'items'],
  short_text: [...COMMON_KEYS, 'maxLength'],
  long_text: [...COMMON_KEYS, 'maxLength'],
  number: [...COMMON_KEYS, 'min', 'max', 'integer'],
  date: [...COMMON_KEYS, 'min', 'max'],
};
export const OPTION_KEYS = ['id', 'label'] as const;
export const SCALE_POINT_KEYS = ['value', 'label'] as const;
export const SECTION_KEYS = ['id', 'title', 'intro', 'showWhen', 'questions'] as const;
/** slug is form_id, title.tr is form_title; hash is derived. */
export const SURVEY_KEYS = ['slug', 'sections', 'hash'] as const;
/** The "don't know" choice of an exported matrix scale. */
export const NOT_APPLICABLE_CHOICE = 'na';

/** The keys of value not in standard, as compact JSON; '' when nothing is left. */
export function paydasOf(value: object, standard: readonly string[]): string {
  const rest = Object.fromEntries(Object.entries(value).filter(([key, v]) => !standard.includes(key) && v !== undefined));
  return Object.keys(rest).length > 0 ? JSON.stringify(rest) : '';
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
  paydas?: string;
}

interface Choice {
  list: string;
  name: string;
  label: LocalizedText;
  paydas?: string;
}

/** The survey, choices and settings sheets of a survey. */
export function toXlsForm(survey: Survey): XlsFormSheets {
  const languages = languagesOf(survey);
  const rows: Row[] = [];
  const choices: Choice[] = [];
  const addList = (list: string, options: Option[]) => {
    for (const option of options) choices.push({ list, name: option.id, label: option.label, paydas: paydasOf(option, OPTION_KEYS) });
    return list;
  };
  const orOther = (question: Question) => ('other' in question && question.other ? ' or_other' : '');
  const common = (question: Question) => ({
    name: question.id,
    label: question.text,
    hint: question.help,
    required: question.required,
    relevant: question.showWhen ? relevantOf(question.showWhen) : undefined,
    paydas: paydasOf(question, STANDARD_KEYS[question.kind]),
  });
  const range = (min: string | undefined, max: string | undefined, of = '.') =>
    [min !== undefined ? `${of} >= ${min}` : '', max !== undefined ? `${of} <= ${max}` : ''].filter(Boolean).join(' and ') || undefined;

  for (const section of survey.sections) {
    const sectionCondition = (section as { showWhen?: Question['showWhen'] }).showWhen;
    rows.push({
      type: 'begin_group',
      name: section.id,
      label: section.title,
      relevant: sectionCondition ? relevantOf(sectionCondition) : undefined,
      paydas: paydasOf(section, SECTION_KEYS),
    });
    if (section.intro) rows.push({ type: 'note', name: `${section.id}_intro`, label: section.intro });
    for (const question of section.questions) {
      switch (question.kind) {
        case 'single_choice':
          rows.push({ ...common(question), type: `select_one ${addList(question.id, question.options)}${orOther(question)}` });
          break;
        case 'select':
          rows.push({ ...common(question), type: `select_one ${addList(question.id, question.options)}${orOther(question)}`, appearance: 'minimal' });
          break;
        case 'multiple_choice':
          rows.push({
            ...common(question),
            type: `select_multiple ${addList(question.id, question.options)}${orOther(question)}`,
            constraint: range(question.minSelections?.toString(), question.maxSelections?.toString(), 'count-selected(.)'),
          });
          break;
        case 'likert_matrix': {
          // A matrix is a field-list group of select_one rows sharing one list, as KoboToolbox builds it.
          const list = `${question.id}_scale`;
          for (const point of question.scale) choices.push({ list, name: String(point.value), label: point.label, paydas: paydasOf(point, SCALE_POINT_KEYS) });
          if (question.notApplicable) choices.push({ list, name: NOT_APPLICABLE_CHOICE, label: question.notApplicable });
          rows.push({ ...common(question), type: 'begin_group', required: false, appearance: 'field-list' });
          for (const row of question.rows) {
            rows.push({ type: `select_one ${list}`, name: `${question.id}_${row.id}`, label: row.label, required: question.required, appearance: 'likert', paydas: paydasOf(row, OPTION_KEYS) });
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
    PAYDAS_COLUMN,
  ];
  const { tr: _title, ...otherTitles } = survey.title;
  const surveyRest = { ...survey, title: Object.keys(otherTitles).length > 0 ? otherTitles : undefined };
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
        row.paydas ?? '',
      ]),
    ],
    choices: [
      ['list_name', 'name', ...languages.map((l) => `label::${languageColumn(l)}`), PAYDAS_COLUMN],
      ...choices.map((choice) => [choice.list, choice.name, ...languages.map((l) => text(choice.label, l)), choice.paydas ?? '']),
    ],
    settings: [
      ['form_title', 'form_id', 'default_language', 'version', PAYDAS_COLUMN],
      [survey.title.tr, survey.slug.replace(/-/g, '_'), languageColumn('tr'), survey.hash.slice(0, 12), paydasOf(surveyRest, SURVEY_KEYS)],
    ],
  };
}
