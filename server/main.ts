// The only file that listens: config → database → migrations → surveys → app → listen.
import { loadConfig, ConfigError } from './config';
import { createApp } from './app';
import { openDatabase } from './platform/db/connection';
import { migrateToLatest } from './platform/db/migrator';
import { createI18n } from './platform/i18n/i18n';
import { resolveSessionSecret } from './platform/secrets';
import { clearExpiredDrafts, DefinitionError, findUnreadableAnswers, loadCatalog, surveyDefinitionRepository } from './surveys';

const HOUR_MS = 60 * 60 * 1000;

async function main(): Promise<void> {
  const config = loadConfig();
  const catalog = loadCatalog(config.surveysDir);
  const { db, sqlite } = openDatabase(config.databaseFile);
  await migrateToLatest(db);
  const unreadable = await findUnreadableAnswers(db, catalog);
  if (unreadable.length > 0) throw new StartupError(unreadable.join('\n'));
  const now = new Date();
  for (const survey of catalog.surveys) await surveyDefinitionRepository.saveDefinition(db, survey, now);
  const secret = await resolveSessionSecret(db, config.sessionSecret, now);

  const clearDrafts = () =>
    clearExpiredDrafts(db, new Date()).catch((error: unknown) => console.error('Clearing expired drafts failed', error));
  await clearDrafts();
  const draftTimer = setInterval(clearDrafts, HOUR_MS);
  draftTimer.unref();

  const app = createApp({ config, db, catalog, i18n: createI18n(), secret });
  const server = app.listen(config.port, () => {
    console.log(`Paydaş listening on ${config.baseUrl} (database ${config.databaseFile})`);
  });
  const shutdown = () => {
    clearInterval(draftTimer);
    server.close(() => {
      void db.destroy().finally(() => sqlite.open && sqlite.close());
    });
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}

class StartupError extends Error {}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof StartupError) {
    console.error(error.message);
  } else if (error instanceof DefinitionError) {
    console.error(`Survey definitions are invalid:\n${error.message}`);
  } else {
    console.error(error);
  }
  process.exit(1);
});
