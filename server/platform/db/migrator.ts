import { Migrator, type Kysely, type MigrationProvider } from 'kysely';
import { engineOf } from './connection';
import { migrations } from './migrations';
import { PostgresSchemaPlugin } from './portable-schema';

const provider: MigrationProvider = { getMigrations: async () => migrations };

/** Applies every pending migration; throws with the failing migration's name. */
export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  const migrator = new Migrator({ db: engineOf(db) === 'postgres' ? db.withPlugin(new PostgresSchemaPlugin()) : db, provider });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((result) => result.status === 'Error');
  if (error) {
    const name = failed ? ` (${failed.migrationName})` : '';
    throw new Error(`Database migration failed${name}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  return (results ?? []).filter((result) => result.status === 'Success').map((result) => result.migrationName);
}
