// Parses a form body with a zod schema. Schema messages are translation keys, so the page can
// show each field's error in the person's language.
import type { z } from 'zod';

export type FormResult<T> = { ok: true; data: T } | { ok: false; errors: Record<string, string> };

export function parseForm<S extends z.ZodType>(schema: S, body: unknown): FormResult<z.output<S>> {
  const parsed = schema.safeParse(body ?? {});
  if (parsed.success) return { ok: true, data: parsed.data };
  const errors: Record<string, string> = {};
  for (const issue of parsed.error.issues) {
    const field = String(issue.path[0] ?? '_form');
    errors[field] ??= issue.message.includes(':') ? issue.message : 'errors:form.invalid';
  }
  return { ok: false, errors };
}

/** A single text field: a string of at most `max` characters, trimmed; lists and objects are refused. */
export function text(zod: typeof z, max: number, message = 'errors:form.invalid') {
  return zod.string({ error: message }).trim().max(max, { error: 'errors:form.too_long' });
}

/** A field that may come once, several times or not at all (checkboxes, multiple selects), as a list. */
export function formList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : value === undefined || value === '' ? [] : [value];
}
