// STUB by editor-core, replaced at merge by editor-qform's full question form (see
// /work/briefs/editor-interface.md). Handles short_text and single_choice only.
import type { TFunction } from 'i18next';
import { QuestionFile, type QuestionKind } from '../survey-definition';

export type FormValues = Record<string, string>;
export type FieldErrors = Record<string, string>;

const STUB_OPTION_ROWS = 3;

export function blankFormValues(kind: QuestionKind): FormValues {
  const values: FormValues = { id: '', 'text.tr': '', 'text.en': '', required: '' };
  if (kind === 'single_choice') for (let i = 0; i < STUB_OPTION_ROWS; i++) Object.assign(values, { [`options.${i}.id`]: '', [`options.${i}.tr`]: '', [`options.${i}.en`]: '' });
  return values;
}

export function formValuesOf(question: QuestionFile): FormValues {
  const values: FormValues = {
    id: question.id,
    'text.tr': question.text.tr,
    'text.en': question.text.en ?? '',
    required: question.required ? 'on' : '',
  };
  if (question.kind === 'single_choice' && Array.isArray(question.options)) {
    question.options.forEach((option, i) => Object.assign(values, { [`options.${i}.id`]: option.id, [`options.${i}.tr`]: option.label.tr, [`options.${i}.en`]: option.label.en ?? '' }));
    const n = question.options.length;
    for (let i = n; i < n + STUB_OPTION_ROWS; i++) Object.assign(values, { [`options.${i}.id`]: '', [`options.${i}.tr`]: '', [`options.${i}.en`]: '' });
  }
  return values;
}

export function fieldOfPath(path: (string | number)[]): string {
  const [head, second, third, fourth] = path;
  if (head === 'id' || head === 'required') return head;
  if (head === 'text' && typeof second === 'string') return `text.${second}`;
  if (head === 'options' && typeof second === 'number') return `options.${second}.${third === 'label' ? String(fourth ?? 'tr') : 'id'}`;
  return '_form';
}

const str = (value: unknown) => (typeof value === 'string' ? value.trim() : Array.isArray(value) ? String(value[0] ?? '').trim() : '');

export function questionFromForm(
  kind: QuestionKind,
  body: Record<string, unknown>,
  t: TFunction,
): { ok: true; question: QuestionFile } | { ok: false; errors: FieldErrors; values: FormValues } {
  const values: FormValues = {};
  for (const [name, value] of Object.entries(body)) if (!name.startsWith('_')) values[name] = str(value);
  const text = (prefix: string) => ({ tr: values[`${prefix}.tr`] ?? '', ...(values[`${prefix}.en`] ? { en: values[`${prefix}.en`] } : {}) });
  const candidate: Record<string, unknown> = { kind, id: values.id ?? '', text: text('text'), required: values.required === 'on' };
  if (kind === 'single_choice') {
    const options = [];
    for (let i = 0; values[`options.${i}.id`] !== undefined; i++) {
      if (!values[`options.${i}.id`] && !values[`options.${i}.tr`]) continue;
      options.push({ id: values[`options.${i}.id`], label: text(`options.${i}`) });
    }
    candidate.options = options;
  }
  const parsed = QuestionFile.safeParse(candidate);
  if (parsed.success) return { ok: true, question: parsed.data };
  const errors: FieldErrors = {};
  for (const issue of parsed.error.issues) errors[fieldOfPath(issue.path as (string | number)[])] ??= t('admin:editor.messages.invalid_value');
  return { ok: false, errors, values };
}
