// The only file that listens: config → surveys → database → migrations → checks → app → listen.
// With WEB_CONCURRENCY=N > 1 this process is the cluster's primary: it does the once-only start-up
// work (migrations, checks, the set-up link), then forks N workers that share the port and the
// SQLite file (WAL) and restarts any that dies.
import cluster from 'node:cluster';
import http from 'node:http';
import { accountService } from './admin';
import { createApp } from './app';
import { ConfigError, loadConfig, proxyWarning, type Config } from './config';
import { openDatabase, type OpenedDatabase, type OpenOptions } from './platform/db/connection';
import { migrateToLatest } from './platform/db/migrator';
import { redactPostgresUrl } from './platform/db/postgres';
import nodemailer from 'nodemailer';
import { createI18n } from './platform/i18n/i18n';
import { createMailer } from './platform/mail/mailer';
import { createOutboxWorker } from './platform/mail/outbox-worker';
import { importLetterFiles, invitationService, letterImportReport } from './opinions';
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
/** Which worker (1..N) a cluster worker is; a restarted one keeps its number. */
const WORKER_INDEX_ENV = 'PAYDAS_WORKER_INDEX';
/** How long the primary waits for workers to finish their requests on SIGTERM before killing them. */
const STOP_GRACE_MS = 30_000;

class StartupError extends Error {}

// What SQLite or the file system says when the file cannot be opened, read or written: a wrong
// path, a read-only folder or file system, a file that is not a database, a full disk, a lock.
// On PostgreSQL: a server that refuses the connection, a wrong password (28P01, 28000), a database
// that does not exist (3D000), a connection failure (class 08).
const OPEN_FAILURE = /^(SQLITE_(CANTOPEN|READONLY|NOTADB|CORRUPT|IOERR|PERM|AUTH|FULL|BUSY)|E[A-Z]+|(28P01|28000|3D000|08[0-9A-Z]{3})$)/;

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
async function openAtStartup(file: string, options: OpenOptions, migrate = true): Promise<OpenedDatabase> {
  let opened: OpenedDatabase | undefined;
  try {
    opened = openDatabase(file, options);
    if (migrate) await migrateToLatest(opened.db);
    return opened;
  } catch (error) {
    const failure = openFailureCode(error);
    if (!failure) throw error;
    if (opened?.sqlite?.open) opened.sqlite.close();
    else if (opened) await opened.db.destroy().catch(() => undefined);
    throw new StartupError(`Cannot open the database at DATABASE_URL=${redactPostgresUrl(file)}: ${failure.message} (${failure.code})`);
  }
}

/**
 * The start-up work done once per start, not once per worker: migrations, the check that every
 * stored answer still reads, the definitions' snapshot, the generated secret, the retention job.
 */
async function prepare(config: Config): Promise<OpenedDatabase & { catalog: SurveyRegistry; secret: string }> {
  const files = loadCatalog(config.surveysDir);
  const opened = await openAtStartup(config.database, { writeWaitMs: config.dbWriteWaitMs, poolSize: config.pgPoolSize });
  const { db } = opened;
  const catalog = await SurveyRegistry.open(db, files);
  const unreadable = await findUnreadableAnswers(db, catalog);
  if (unreadable.length > 0) throw new StartupError(unreadable.join('\n'));
  const now = new Date();
  for (const survey of catalog.surveys) await surveyDefinitionRepository.saveDefinition(db, survey, now);
  const secret = await resolveSessionSecret(db, config.sessionSecret, now);
  // Letters of an installation that kept them as files join the database (once; see letter-import.ts).
  const letters = letterImportReport(await importLetterFiles(db, config.uploadsDir), config.uploadsDir);
  if (letters.info) console.log(letters.info);
  if (letters.warning) console.warn(letters.warning);
  // Jobs missed while the server was down run at start-up, once each.
  // The retention period comes from municipality.json: a job not yet done follows a changed one.
  await retentionService.syncSchedule(db, retentionOf(config, catalog), now);
  return { ...opened, catalog, secret };
}

function retentionOf(config: Config, catalog: SurveyRegistry) {
  return { retentionMonths: catalog.municipality.privacy.retentionMonths, timeZone: config.timeZone };
}

/** The one-time link for the first administrator, printed when there are no users yet. */
async function printSetupLink(config: Config, db: OpenedDatabase['db'], secret: string): Promise<void> {
  const setupToken = await accountService.prepareSetup(db, new Date(), secret);
  if (setupToken) {
    console.log(`No users yet. Create the first administrator (this link works once): ${config.baseUrl}/admin/setup?token=${setupToken}`);
  }
}

async function main(): Promise<void> {
  const config = loadConfig();
  if (config.webConcurrency > 1 && cluster.isPrimary) return runPrimary(config);
  if (cluster.isWorker) {
    // The primary migrated, checked and prepared the database before forking.
    const files = loadCatalog(config.surveysDir);
    const opened = await openAtStartup(config.database, { writeWaitMs: config.dbWriteWaitMs, poolSize: config.pgPoolSize }, false);
    const catalog = await SurveyRegistry.open(opened.db, files);
    const secret = await resolveSessionSecret(opened.db, config.sessionSecret, new Date());
    return serve(config, { ...opened, catalog, secret }, Number(process.env[WORKER_INDEX_ENV] ?? '1'));
  }
  const proxy = proxyWarning(config);
  if (proxy) console.warn(proxy);
  const prepared = await prepare(config);
  // Before serve, as the cluster's primary does: printed after it, a SIGTERM arriving right after
  // "listening" closed the database under the link's query and the process exited with 1 (seen on
  // PostgreSQL, where that query takes a round trip).
  await printSetupLink(config, prepared.db, prepared.secret);
  await serve(config, prepared, undefined);
}

/**
 * The cluster's primary: prepares the database once, prints the set-up link once, forks the
 * workers and keeps N of them running. It serves nothing and holds no database handle itself.
 */
async function runPrimary(config: Config): Promise<void> {
  const proxy = proxyWarning(config);
  if (proxy) console.warn(proxy);
  const prepared = await prepare(config);
  await printSetupLink(config, prepared.db, prepared.secret);
  await prepared.db.destroy();
  if (prepared.sqlite?.open) prepared.sqlite.close();

  let stopping = false;
  const running = new Set<number>();
  let everyoneListened = false;
  const listened = new Set<number>();
  const failures = new Map<number, number>();
  const fork = (index: number) => {
    const worker = cluster.fork({ [WORKER_INDEX_ENV]: String(index) });
    const pid = worker.process.pid;
    running.add(index);
    worker.on('listening', () => {
      listened.add(index);
      failures.delete(index);
      everyoneListened ||= listened.size === config.webConcurrency;
    });
    worker.on('exit', (code, signal) => {
      running.delete(index);
      if (stopping) {
        if (running.size === 0) process.exit();
        return;
      }
      const how = signal ? `was killed (${signal})` : `exited (code ${code})`;
      // A worker that cannot start the first time (a taken port, a broken file) will not start
      // the next time either: stop rather than restart it in a loop.
      if (!everyoneListened && !listened.has(index)) {
        console.error(`Worker ${index} (pid ${pid}) ${how} before it could listen; stopping.`);
        stop(1);
        return;
      }
      // One that keeps dying at once is restarted after a pause that doubles up to 30 s.
      const failed = (failures.get(index) ?? 0) + 1;
      failures.set(index, failed);
      const pause = failed === 1 ? 0 : Math.min(30_000, 500 * 2 ** (failed - 2));
      console.error(`Worker ${index} (pid ${pid}) ${how}; starting another${pause ? ` in ${pause} ms` : ''}.`);
      setTimeout(() => {
        if (!stopping) fork(index);
      }, pause);
    });
  };
  for (let index = 1; index <= config.webConcurrency; index++) fork(index);
  console.log(`Paydaş primary (pid ${process.pid}) started ${config.webConcurrency} workers`);

  // SIGTERM to each worker: it stops taking connections, finishes its requests and the mail it is
  // sending, and closes the database; any still running after the grace period are killed.
  const stop = (exitCode = 0) => {
    if (stopping) return;
    stopping = true;
    process.exitCode = exitCode;
    const workers = Object.values(cluster.workers ?? {}).filter((worker) => worker !== undefined);
    if (running.size === 0) process.exit();
    for (const worker of workers) worker.process.kill('SIGTERM');
    setTimeout(() => {
      for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGKILL');
    }, STOP_GRACE_MS).unref();
  };
  process.once('SIGTERM', () => stop());
  process.once('SIGINT', () => stop());
}

/**
 * Serves the site and runs the background work: the outbox, scheduled jobs and reminders in
 * every process (claims with leases and re-checks in transactions keep them from doing anything
 * twice, a worker's own mail goes out at once, and a dead worker's share is taken over);
 * housekeeping in one (worker 1, or the single process), since doing it N times only costs.
 */
async function serve(config: Config, prepared: OpenedDatabase & { catalog: SurveyRegistry; secret: string }, workerIndex: number | undefined): Promise<void> {
  const { db, sqlite, catalog, secret } = prepared;

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
    } catch (error) {
      console.error('Housekeeping failed', error);
    }
  };
  let timer: NodeJS.Timeout | undefined;
  if (workerIndex === undefined || workerIndex === 1) {
    await housekeeping();
    timer = setInterval(() => void housekeeping(), HOUR_MS);
    timer.unref();
  }

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

  const retention = retentionOf(config, catalog);
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
  if (!config.smtpUrl && (workerIndex ?? 1) === 1) console.log('SMTP_URL is not set: e-mail waits in the outbox (/admin/outbox) and is sent once it is set.');

  const app = createApp({ config, db, catalog, i18n, secret, mailer, wakeOutbox: () => worker.wake() });
  // Under test only, each answer names the process that gave it (the cluster's fault test).
  const handler: http.RequestListener =
    config.env === 'test'
      ? (req, res) => {
          res.setHeader('X-Paydas-Pid', String(process.pid));
          app(req, res);
        }
      : app;
  const server = http.createServer(handler).listen(config.port, () => {
    const who = workerIndex === undefined ? 'Paydaş' : `Paydaş worker ${workerIndex} (pid ${process.pid})`;
    console.log(`${who} listening on ${config.baseUrl} (database ${redactPostgresUrl(config.database)})`);
  });

  let stopping = false;
  const shutdown = () => {
    if (stopping) return;
    stopping = true;
    clearInterval(timer);
    clearInterval(reminderTimer);
    clearInterval(jobsTimer);
    server.close(() => {
      void worker
        .stop()
        .then(() => db.destroy())
        .finally(() => {
          if (sqlite?.open) sqlite.close();
          // A cluster worker's channel to the primary would keep it alive.
          if (cluster.isWorker) process.exit(0);
        });
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
