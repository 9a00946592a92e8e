// The editor's section form: id, title, intro and the condition that shows the whole section,
// as flat form values and back.
import type { TFunction } from 'i18next';
import { z } from 'zod';
import { parseForm } from '../../platform/http/validate';
import type { SurveyFile } from '../survey-definition';
import { conditionFormValues, readCondition } from './condition-form';
import type { SectionFields } from './draft-edits';
import { localizedOf, textValues } from './editor-forms';
import { fieldOfPath } from './form-errors';
import { PostedForm, type FormValues } from './posted-form';

type SectionFile = SurveyFile['sections'][number];

const line = (max: number) => z.string({ error: 'admin:editor.messages.invalid_value' }).trim().max(max, { error: 'errors:form.too_long' });
const required = (max: number) => line(max).min(1, { error: 'admin:editor.messages.required' });
const optional = (max: number) => line(max).optional();

const SectionForm = z.object({
  id: required(63),
  'title.tr': required(300),
  'title.en': optional(300),
  'intro.tr': optional(5000),
  'intro.en': optional(5000),
});

export function sectionFormValues(section: Omit<SectionFile, 'questions'>): FormValues {
  return {
    id: section.id,
    ...textValues('title', section.title),
    ...textValues('intro', section.intro),
    ...conditionFormValues(section.showWhen),
  };
}

/** The posted section form as the section's fields, or the errors per field (in the planner's language) with the values to show again. */
export function sectionFromForm(
  body: Record<string, unknown>,
  t: TFunction,
): { ok: true; fields: SectionFields } | { ok: false; errors: Record<string, string>; values: FormValues } {
  const form = new PostedForm(body ?? {});
  const showWhen = readCondition(form);
  const values: FormValues = {
    ...Object.fromEntries(Object.entries(body ?? {}).map(([key, value]) => [key, Array.isArray(value) ? String(value[0] ?? '') : String(value)])),
    ...conditionFormValues(undefined),
    ...form.values,
  };
  const parsed = parseForm(SectionForm, body);
  const errors: Record<string, string> = {};
  if (!parsed.ok) for (const [field, key] of Object.entries(parsed.errors)) errors[field] = t(key);
  for (const error of form.errors) errors[error.field] ??= t(`admin:editor.fields.errors.${error.key}`, error.params ?? {});
  if (!parsed.ok || Object.keys(errors).length > 0) return { ok: false, errors, values };
  const intro = localizedOf(parsed.data, 'intro');
  return {
    ok: true,
    fields: { id: parsed.data.id, title: localizedOf(parsed.data, 'title')!, ...(intro ? { intro } : {}), ...(showWhen ? { showWhen } : {}) },
  };
}

/** The field of a problem found inside a section (path after `sections.<n>`); its questions' problems go to the top. */
export function sectionFieldOfPath(rest: (string | number)[]): string {
  if (rest[0] === 'id') return 'id';
  if (rest[0] === 'showWhen') return fieldOfPath(rest);
  if (rest.length >= 2 && rest[0] !== 'questions') return `${String(rest[0])}.${String(rest[1])}`;
  return '_form';
}
