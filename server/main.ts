// The only file that listens: config → surveys → database → migrations → checks → app → listen.
import { accountService } from './admin';
import { createApp } from './app';
import { ConfigError, loadConfig } from './config';
import { openDatabase } from './platform/db/connection';
import { migrateToLatest } from './platform/db/migrator';
import { createI18n } from './platform/i18n/i18n';
import { resolveSessionSecret } from './platform/secrets';
import {
  clearExpiredDrafts,
  DefinitionError,
  findUnreadableAnswers,
  loadCatalog,
  surveyDefinitionRepository,
  SurveyRegistry,
} from './surveys';

const HOUR_MS = 60 * 60 * 1000;

class StartupError extends Error {}

async function main(): Promise<void> {
  const config = loadConfig();
  const files = loadCatalog(config.surveysDir);
  const { db, sqlite } = openDatabase(config.databaseFile);
  await migrateToLatest(db);
  const catalog = await SurveyRegistry.open(db, files);
  const unreadable = await findUnreadableAnswers(db, catalog);
  if (unreadable.length > 0) throw new StartupError(unreadable.join('\n'));
  const now = new Date();
  for (const survey of catalog.surveys) await surveyDefinitionRepository.saveDefinition(db, survey, now);
  const secret = await resolveSessionSecret(db, config.sessionSecret, now);

  const housekeeping = async () => {
    try {
      await clearExpiredDrafts(db, new Date());
      await accountService.housekeeping(db, new Date());
    } catch (error) {
      console.error('Housekeeping failed', error);
    }
  };
  await housekeeping();
  const timer = setInterval(() => void housekeeping(), HOUR_MS);
  timer.unref();

  const app = createApp({ config, db, catalog, i18n: createI18n(), secret });
  const server = app.listen(config.port, () => {
    console.log(`Paydaş listening on ${config.baseUrl} (database ${config.databaseFile})`);
  });
  const setupToken = await accountService.prepareSetup(db, now);
  if (setupToken) {
    console.log(`No users yet. Create the first administrator (this link works once): ${config.baseUrl}/admin/setup?token=${setupToken}`);
  }

  const shutdown = () => {
    clearInterval(timer);
    server.close(() => {
      void db.destroy().finally(() => sqlite.open && sqlite.close());
    });
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}

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
