// npm run demo-data [-- --responses N]
// Fills an empty database (DATABASE_URL) with a demo consultation for the bundled surveys, so
// /admin/report shows a complete report. E-mail is queued in the outbox only: the server sends it
// once SMTP_URL is set. Refuses, with exit code 1, when the database already holds data.
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { ConfigError, loadConfig } from '../config';
import { openDatabase } from '../platform/db/connection';
import { migrateToLatest } from '../platform/db/migrator';
import { createI18n } from '../platform/i18n/i18n';
import { createMailer } from '../platform/mail/mailer';
import { resolveSessionSecret } from '../platform/secrets';
import { todayIn } from '../platform/time';
import { DefinitionError, loadCatalog, surveyDefinitionRepository, SurveyRegistry } from '../surveys';
import { MIN_DAYS_OPEN, seedDemoData, type DemoOutcome, type DemoSummary } from './demo-data';

const USAGE = 'usage: npm run demo-data [-- --responses N]   (N: complete citizen responses, 100–100000, default 1500)';

class CliError extends Error {}

const Responses = z.coerce.number({ error: '--responses must be a number' }).int('--responses must be a whole number').min(100, '--responses must be at least 100').max(100_000, '--responses must be at most 100000');

/** An instant as its day in TIME_ZONE, 2026-11-01. */
const dayIn = (timeZone: string) => (iso: string) => todayIn(timeZone, new Date(iso));

function describe(summary: DemoSummary, seconds: number, timeZone: string): string {
  const day = dayIn(timeZone);
  return (
    `Seeded a demo consultation for ${summary.municipality} (${day(summary.from)} to ${day(summary.to)}) in ${seconds.toFixed(1)} s: ` +
    `${summary.stakeholders} stakeholders in the register; ${summary.invitations} institutions invited to the opinion form ` +
    `(${summary.answered} answered, ${summary.revoked} invitation revoked); ${summary.citizenResponses} citizen responses ` +
    `(plus ${summary.drafts} left unfinished and ${summary.excluded} excluded); ${summary.themes} themes coding ${summary.codedAnswers} open answers ` +
    `and ${summary.institutionThemes} GZFT themes for the institutions' answers; ${summary.meetingsHeld} neighbourhood meetings held ` +
    `(${summary.meetingsCancelled} cancelled) with ${summary.registrations} sign-ups, ${summary.attendees} attendees and ${summary.requests} requests; ` +
    `${summary.activities} activities recorded by hand, ${summary.swotReviewed} GZFT statements reviewed and ${summary.findings} findings. ${summary.mails} e-mails wait in the outbox ` +
    `(/admin/outbox). Open /admin/report to read the report.`
  );
}

function refusal(outcome: Exclude<DemoOutcome, { kind: 'seeded' }>, timeZone: string): string {
  const day = dayIn(timeZone);
  switch (outcome.kind) {
    case 'data_exists':
      return `The database already holds data (${outcome.stakeholders} stakeholders, ${outcome.responses} responses, ${outcome.meetings} meetings); the demo only fills an empty one. Point DATABASE_URL at a new file.`;
    case 'not_bundled':
      return `The demo needs the bundled surveys in surveys/ (SURVEYS_DIR); missing: ${outcome.missing.join(', ')}.`;
    case 'too_early':
      return `The bundled surveys opened on ${day(outcome.opensAt)}; the demo needs them open (and published) for ${MIN_DAYS_OPEN} days before today, from ${day(outcome.readyAt)}.`;
    default: {
      const exhaustive: never = outcome;
      throw new Error(`Unhandled outcome ${JSON.stringify(exhaustive)}`);
    }
  }
}

async function main(): Promise<void> {
  let values: { responses?: string };
  try {
    values = parseArgs({ options: { responses: { type: 'string' } } }).values;
  } catch (error) {
    throw new CliError(`${(error as Error).message}\n${USAGE}`);
  }
  const responses = values.responses === undefined ? undefined : Responses.safeParse(values.responses);
  if (responses && !responses.success) throw new CliError(`${responses.error.issues[0]!.message}\n${USAGE}`);

  const config = loadConfig();
  const files = loadCatalog(config.surveysDir);
  const { db, sqlite } = openDatabase(config.database, { writeWaitMs: config.dbWriteWaitMs, poolSize: config.pgPoolSize });
  try {
    await migrateToLatest(db);
    const catalog = await SurveyRegistry.open(db, files);
    const now = new Date();
    for (const survey of catalog.surveys) await surveyDefinitionRepository.saveDefinition(db, survey, now);
    const secret = await resolveSessionSecret(db, config.sessionSecret, now);
    const i18n = createI18n();
    // No worker here: what is queued waits in the outbox for the server.
    const mailer = createMailer({ i18n, locals: { municipality: catalog.municipality, baseUrl: config.baseUrl }, timeZone: config.timeZone, secret, cache: true });
    const started = performance.now();
    const outcome = await seedDemoData(db, catalog, {
      now,
      citizenResponses: responses?.data,
      mailer,
      baseUrl: config.baseUrl,
      secret,
      i18n,
      timeZone: config.timeZone,
    });
    if (outcome.kind !== 'seeded') throw new CliError(refusal(outcome, config.timeZone));
    console.log(describe(outcome.summary, (performance.now() - started) / 1000, config.timeZone));
  } finally {
    await db.destroy();
    if (sqlite?.open) sqlite.close();
  }
}

main().catch((error: unknown) => {
  if (error instanceof CliError || error instanceof ConfigError) console.error(error.message);
  else if (error instanceof DefinitionError) console.error(`Survey definitions are invalid:\n${error.message}`);
  else console.error(error);
  process.exitCode = 1;
});
