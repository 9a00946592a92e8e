// The only file that listens: config → surveys → database → migrations → checks → app → listen.
import { accountService } from './admin';
import { createApp } from './app';
import { ConfigError, loadConfig, proxyWarning } from './config';
import { openDatabase, type OpenedDatabase } from './platform/db/connection';
import { migrateToLatest } from './platform/db/migrator';
import nodemailer from 'nodemailer';
import { createI18n } from './platform/i18n/i18n';
import { createMailer } from './platform/mail/mailer';
import { createOutboxWorker } from './platform/mail/outbox-worker';
import { invitationService, sweepOrphanLetters } from './opinions';
import { meetingService } from './meetings';
import { retentionService } from './privacy';
import { runDueJobs } from './platform/jobs/jobs';
import { resolveSessionSecret } from './platform/secrets';
import * as rateLimitRepository from './platform/security/rate-limit.repository';
import {
  clearExpiredDrafts,
  qualityService,
  DefinitionError,
  findUnreadableAnswers,
  loadCatalog,
  surveyDefinitionRepository,
  SurveyRegistry,
} from './surveys';

const HOUR_MS = 60 * 60 * 1000;
/** How often the outbox is looked at even when nothing woke it (retries after failures). */
const OUTBOX_INTERVAL_MS = 15_000;
/** How often automatic reminders are looked for; they are due on a day, so this is plenty. */
const REMINDER_INTERVAL_MS = 10 * 60 * 1000;
/** How often scheduled jobs (meeting reminders) are looked for. */
const JOBS_INTERVAL_MS = 60_000;

class StartupError extends Error {}

// What SQLite or the file system says when the file cannot be opened, read or written: a wrong
// path, a read-only folder or file system, a file that is not a database, a full disk, a lock.
const OPEN_FAILURE = /^(SQLITE_(CANTOPEN|READONLY|NOTADB|CORRUPT|IOERR|PERM|AUTH|FULL|BUSY)|E[A-Z]+)/;

function openFailureCode(error: unknown): { code: string; message: string } | undefined {
  for (let current = error, depth = 0; current && depth < 5; current = (current as { cause?: unknown }).cause, depth++) {
    const { code, message, syscall, path } = current as { code?: unknown; message?: unknown; syscall?: unknown; path?: unknown };
    if (typeof code !== 'string' || !OPEN_FAILURE.test(code)) continue;
    // mkdir's own words ("file already exists") hide that a file stands where a folder should be.
    if (code === 'EEXIST' && syscall === 'mkdir') return { code, message: `${String(path)} is a file, not a folder` };
    return { code, message: String(message).replace(`${code}: `, '') };
  }
  return undefined;
}

/**
 * Opens and migrates the database, or stops with one line naming DATABASE_URL and the cause
 * instead of a stack trace: the operator's fix is a path, a permission or a mount, not code.
 */
async function openAtStartup(file: string, writeWaitMs: number): Promise<OpenedDatabase> {
  let opened: OpenedDatabase | undefined;
  try {
    opened = openDatabase(file, { writeWaitMs });
    await migrateToLatest(opened.db);
    return opened;
  } catch (error) {
    const failure = openFailureCode(error);
    if (!failure) throw error;
    if (opened?.sqlite.open) opened.sqlite.close();
    throw new StartupError(`Cannot open the database at DATABASE_URL=${file}: ${failure.message} (${failure.code})`);
  }
}

async function main(): Promise<void> {
  const config = loadConfig();
  const proxy = proxyWarning(config);
  if (proxy) console.warn(proxy);
  const files = loadCatalog(config.surveysDir);
  const { db, sqlite } = await openAtStartup(config.databaseFile, config.dbWriteWaitMs);
  const catalog = await SurveyRegistry.open(db, files);
  const unreadable = await findUnreadableAnswers(db, catalog);
  if (unreadable.length > 0) throw new StartupError(unreadable.join('\n'));
  const now = new Date();
  for (const survey of catalog.surveys) await surveyDefinitionRepository.saveDefinition(db, survey, now);
  const secret = await resolveSessionSecret(db, config.sessionSecret, now);

  const i18n = createI18n();
  const host = new URL(config.baseUrl).hostname;
  const worker = createOutboxWorker({
    db,
    transport: config.smtpUrl ? nodemailer.createTransport(config.smtpUrl) : undefined,
    from: config.mailFrom ?? `"${catalog.municipality.name.tr.replace(/["\\]/g, '')}" <no-reply@${host}>`,
    // The contact address residents see in every page's footer, not the data controller's (KVKK)
    // one: replies are questions about a meeting or a form, for the unit that runs them.
    replyTo: catalog.municipality.contact.email,
    host,
    secret,
    now: () => new Date(),
    leaseMs: config.leaseMs,
  });
  const mailer = createMailer({
    i18n,
    locals: { municipality: catalog.municipality, baseUrl: config.baseUrl },
    notify: () => worker.wake(),
    timeZone: config.timeZone,
    secret,
    cache: config.env !== 'development',
  });
  const mail = { mailer, baseUrl: config.baseUrl };

  const housekeeping = async () => {
    try {
      await clearExpiredDrafts(db, new Date(), catalog.surveys);
      // A day's network key goes with the day after, even when no response comes to rotate it.
      await qualityService.dropExpired(db, new Date());
      await accountService.housekeeping(db, new Date());
      // Rate-limit windows that have ended (RATE_LIMIT_STORE=database; none are written otherwise).
      await rateLimitRepository.purgeEnded(db, new Date());
      // Letter files a crash left without their row (see opinion-letter.ts).
      await sweepOrphanLetters(db, config.uploadsDir, new Date());
    } catch (error) {
      console.error('Housekeeping failed', error);
    }
  };
  await housekeeping();
  const timer = setInterval(() => void housekeeping(), HOUR_MS);
  timer.unref();

  const reminders = async () => {
    try {
      await invitationService.sendDueReminders(db, mail, catalog, new Date());
    } catch (error) {
      console.error('Reminders failed', error);
    }
  };
  await reminders();
  const reminderTimer = setInterval(() => void reminders(), REMINDER_INTERVAL_MS);
  reminderTimer.unref();

  // Jobs missed while the server was down run at start-up, once each.
  // The retention period comes from municipality.json: a job not yet done follows a changed one.
  const retention = { retentionMonths: catalog.municipality.privacy.retentionMonths, timeZone: config.timeZone };
  await retentionService.syncSchedule(db, retention, new Date());
  const jobHandlers = { ...meetingService.jobHandlers({ mailer, baseUrl: config.baseUrl, secret, timeZone: config.timeZone }), ...retentionService.jobHandlers(retention) };
  // Claims jobs under the outbox worker's id: one id per process, in the claims of both.
  const runner = { workerId: worker.id, leaseMs: config.leaseMs };
  let jobsRunning = false;
  const scheduledJobs = async () => {
    if (jobsRunning) return;
    jobsRunning = true;
    try {
      await runDueJobs(db, jobHandlers, new Date(), console.error, runner);
    } catch (error) {
      console.error('Scheduled jobs failed', error);
    } finally {
      jobsRunning = false;
    }
  };
  await scheduledJobs();
  const jobsTimer = setInterval(() => void scheduledJobs(), JOBS_INTERVAL_MS);
  jobsTimer.unref();
  worker.start(OUTBOX_INTERVAL_MS);
  if (!config.smtpUrl) console.log('SMTP_URL is not set: e-mail waits in the outbox (/admin/outbox) and is sent once it is set.');

  const app = createApp({ config, db, catalog, i18n, secret, mailer, wakeOutbox: () => worker.wake() });
  const server = app.listen(config.port, () => {
    console.log(`Paydaş listening on ${config.baseUrl} (database ${config.databaseFile})`);
  });
  const setupToken = await accountService.prepareSetup(db, now);
  if (setupToken) {
    console.log(`No users yet. Create the first administrator (this link works once): ${config.baseUrl}/admin/setup?token=${setupToken}`);
  }

  const shutdown = () => {
    clearInterval(timer);
    clearInterval(reminderTimer);
    clearInterval(jobsTimer);
    server.close(() => {
      void worker
        .stop()
        .then(() => db.destroy())
        .finally(() => sqlite.open && sqlite.close());
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
