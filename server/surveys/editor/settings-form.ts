// The editor's settings form: the survey's texts, audience, dates and how it is answered.
import { z } from 'zod';

export const AUDIENCES = ['citizen', 'institution', 'internal', 'meeting'] as const;

const line = (max: number) => z.string({ error: 'admin:editor.messages.invalid_value' }).trim().max(max, { error: 'errors:form.too_long' });
const required = (max: number) => line(max).min(1, { error: 'admin:editor.messages.required' });
const optional = (max: number) => line(max).optional();
const localDateTime = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, { error: 'admin:surveys.date_time_format' });

export const SettingsForm = z.object({
  'title.tr': required(300),
  'title.en': optional(300),
  'intro.tr': required(5000),
  'intro.en': optional(5000),
  'thanks.tr': optional(5000),
  'thanks.en': optional(5000),
  audience: z.enum(AUDIENCES, { error: 'admin:editor.messages.invalid_value' }),
  opens_at: localDateTime,
  closes_at: localDateTime,
  // Checkboxes post 'on' when ticked and nothing otherwise.
  anonymous: z.literal('on', { error: 'admin:editor.messages.invalid_value' }).optional(),
  oneResponsePerBrowser: z.literal('on', { error: 'admin:editor.messages.invalid_value' }).optional(),
  estimatedMinutes: z
    .union([
      z.literal('').transform(() => undefined),
      z.coerce.number({ error: 'admin:editor.fields.errors.minutes_range' }).int({ error: 'admin:editor.fields.errors.minutes_range' }).min(1, { error: 'admin:editor.fields.errors.minutes_range' }).max(120, { error: 'admin:editor.fields.errors.minutes_range' }),
    ], { error: 'admin:editor.fields.errors.minutes_range' })
    .optional(),
});

/** The settings field a whole-draft problem belongs to. */
export function settingsFieldOf(rest: (string | number)[]): string {
  if (rest.length >= 2) return `${String(rest[0])}.${String(rest[1])}`;
  if (rest[0] === 'closesAt') return 'closes_at';
  if (rest[0] === 'opensAt') return 'opens_at';
  return String(rest[0] ?? '_form');
}
