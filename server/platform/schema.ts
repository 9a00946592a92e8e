// Zod building blocks shared by the definition files in surveys/ (surveys, municipality).
import { z } from 'zod';

const nonEmpty = z.string().trim().min(1);

/** A human-readable text in every language it is written in; Turkish is required. */
export const LocalizedText = z
  .object({ tr: nonEmpty.describe('Turkish text (required)') })
  .catchall(nonEmpty)
  .describe('A text per language code, e.g. { "tr": "Evet", "en": "Yes" }. Missing languages fall back to Turkish.')
  .meta({ id: 'LocalizedText' });
export type LocalizedText = z.infer<typeof LocalizedText>;

/** Ids stored in the database and used in form field names. */
export const Identifier = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,62}$/, 'must start with a lowercase letter and use only a-z, 0-9 and _ (max 63)')
  .meta({ id: 'Identifier' });

/** Formats a zod issue path as a JSON path: $.sections[1].questions[0].kind */
export function jsonPath(path: ReadonlyArray<PropertyKey>): string {
  return path.reduce<string>(
    (acc, key) => (typeof key === 'number' ? `${acc}[${key}]` : `${acc}.${String(key)}`),
    '$',
  );
}
