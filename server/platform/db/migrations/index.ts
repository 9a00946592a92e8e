// The one static list of migrations, so the server, the CLI and the tests apply exactly the same ones.
import type { Migration } from 'kysely';
import * as createSettings from './2026_11_21_01_create_settings';
import * as createResponses from './2026_11_21_02_create_responses';

export const migrations: Record<string, Migration> = {
  '2026_11_21_01_create_settings': createSettings,
  '2026_11_21_02_create_responses': createResponses,
};
