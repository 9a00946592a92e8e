// Builds the real app on a fresh SQLite file in a temp folder (a copy of the run's migrated
// template, see database-template.ts), with a fixed clock.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type SQLite from 'better-sqlite3';
import type { Express } from 'express';
import nodemailer from 'nodemailer';
import { createApp } from '../../server/app';
import type { RateLimitSettings, RateLimitStore } from '../../server/platform/security/rate-limit';
import type { Db, Executor } from '../../server/platform/db/connection';
import { createI18n, type I18n } from '../../server/platform/i18n/i18n';
import { createMailer, type Mailer } from '../../server/platform/mail/mailer';
import { createOutboxWorker, type MailTransport, type OutboxWorker } from '../../server/platform/mail/outbox-worker';
import { projectRoot } from '../../server/platform/paths';
import { runDueJobs } from '../../server/platform/jobs/jobs';
import { DEFAULT_LEASE_MS } from '../../server/platform/lease';
import { meetingService } from '../../server/meetings';
import { retentionService } from '../../server/privacy';
import { loadCatalog, surveyDefinitionRepository, SurveyRegistry } from '../../server/surveys';
import { dropTestDatabase, openMigratedDatabase } from './database-template';

export const BUNDLED_SURVEYS = path.join(projectRoot, 'surveys');
export const FIXTURE_SURVEYS = path.join(projectRoot, 'test', 'fixtures', 'surveys');
/** Inside the bundled surveys' open period. */
export const DURING_SURVEY = new Date('2026-11-21T10:00:00+03:00');

let sharedI18n: I18n | undefined;

export interface TestApp {
  app: Express;
  db: Db;
  /** The raw handle of the app's connection, for pragmas a fault test sets (query_only, max_page_count). */
  sqlite: SQLite.Database;
  catalog: SurveyRegistry;
  /** Delays the login throttle asked for, in order. */
  delays: number[];
  /** Errors the app logged (500s); tests assert there were none. */
  logged: unknown[];
  /** Notices the app gave that are not errors (dropped honeypot posts, rate-limit set-up). */
  warnings: string[];
  clock: { now: Date };
  mailer: Mailer;
  /**
   * Sends the outbox, to the test's SMTP server (options.smtpPort) or else into `sent`; tests
   * run it when they choose.
   */
  worker: OutboxWorker;
  /** What the worker sent when no SMTP server was given. */
  sent: Parameters<MailTransport['sendMail']>[0][];
  /** Runs the scheduled jobs due at the test clock's time, as the server's timer does. */
  runJobs(): Promise<{ done: number; failed: number }>;
  close(): Promise<void>;
}

export const TEST_BASE_URL = 'https://katilim.example.org';
/** The site secret of every test app: signs personal links a test may need to make itself. */
export const TEST_SECRET = 'test-secret-that-is-long-enough-for-hmac-0123456789';

/** nodemailer to a test SMTP server on this machine, without TLS. */
export function testTransport(port: number): MailTransport {
  return nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true, connectionTimeout: 3000, greetingTimeout: 3000, socketTimeout: 5000 });
}

export function tempDir(prefix = 'paydas-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export async function createTestApp(
  options: {
    surveysDir?: string;
    now?: Date;
    databaseFile?: string;
    https?: boolean;
    /** Express's "trust proxy" as TRUST_PROXY gives it; by default loopback on https, else none. */
    trustProxy?: boolean | number | string;
    smtpPort?: number;
    transport?: MailTransport;
    /** Per-visitor and per-address limits; by default too high for any test to reach (some post hundreds of forms at once). */
    rateLimits?: Partial<RateLimitSettings>;
    /** Where the limits count (RATE_LIMIT_STORE): this app's memory by default, or the database its file is shared through. */
    rateLimitStore?: RateLimitStore;
    /** How long writes wait for another process's lock (DB_WRITE_WAIT_MS); the server's default otherwise. */
    writeWaitMs?: number;
    /** How long the outbox worker's and the job runner's claims hold (OUTBOX_LEASE_MS); the server's default otherwise. */
    leaseMs?: number;
  } = {},
): Promise<TestApp> {
  const dir = tempDir();
  const databaseFile = options.databaseFile ?? path.join(dir, 'paydas.sqlite');
  const opened = await openMigratedDatabase(databaseFile, { writeWaitMs: options.writeWaitMs });
  const { db } = opened;
  const catalog = await SurveyRegistry.open(db, loadCatalog(options.surveysDir ?? BUNDLED_SURVEYS));
  const clock = { now: options.now ?? DURING_SURVEY };
  for (const survey of catalog.surveys) await surveyDefinitionRepository.saveDefinition(db, survey, clock.now);
  sharedI18n ??= createI18n();
  const logged: unknown[] = [];
  const warnings: string[] = [];
  const delays: number[] = [];
  const mailer = createMailer({
    i18n: sharedI18n,
    locals: { municipality: catalog.municipality, baseUrl: TEST_BASE_URL },
    timeZone: 'Europe/Istanbul',
    secret: TEST_SECRET,
    cache: true,
  });
  const sent: TestApp['sent'] = [];
  const capture: MailTransport = {
    async sendMail(message) {
      sent.push(message);
      return { messageId: message.messageId, response: '250 captured by the test' };
    },
  };
  const worker = createOutboxWorker({
    db,
    transport: options.transport ?? (options.smtpPort ? testTransport(options.smtpPort) : capture),
    from: '"Örnek Belediyesi" <no-reply@katilim.example.org>',
    replyTo: catalog.municipality.contact.email,
    host: 'katilim.example.org',
    secret: TEST_SECRET,
    now: () => clock.now,
    log: (error) => logged.push(error),
    leaseMs: options.leaseMs,
  });
  // Each test app is a process of its own: its jobs are claimed under its worker's id.
  const runner = { workerId: worker.id, leaseMs: options.leaseMs ?? DEFAULT_LEASE_MS };
  const app = createApp({
    config: {
      // On https the site sits behind a proxy that says so in X-Forwarded-Proto.
      secureCookies: options.https ?? false,
      env: 'test',
      timeZone: 'Europe/Istanbul',
      sessionIdleMinutes: 120,
      trustProxy: options.trustProxy ?? (options.https ? 'loopback' : false),
      baseUrl: TEST_BASE_URL,
      smtpUrl: options.smtpPort ? `smtp://127.0.0.1:${options.smtpPort}` : undefined,
      rateLimits: { visitorPostsPerMinute: 1_000_000, publicPostsPerMinute: 1_000_000, loginPer15Minutes: 1_000_000, ...options.rateLimits },
      rateLimitStore: options.rateLimitStore ?? 'memory',
    },
    mailer,
    wakeOutbox: () => void worker.runOnce(),
    db,
    catalog,
    i18n: sharedI18n,
    secret: TEST_SECRET,
    now: () => clock.now,
    log: (error) => logged.push(error),
    warn: (message) => warnings.push(message),
    sleep: async (ms) => {
      delays.push(ms);
    },
  });
  return {
    app,
    db,
    // A getter: on PostgreSQL there is no such handle, and only tests that use it may fail for that.
    get sqlite() {
      return opened.sqlite;
    },
    catalog,
    logged,
    warnings,
    delays,
    clock,
    mailer,
    worker,
    sent,
    runJobs: () =>
      runDueJobs(
        db,
        { ...meetingService.jobHandlers({ mailer, baseUrl: TEST_BASE_URL, secret: TEST_SECRET }), ...retentionService.jobHandlers({ retentionMonths: catalog.municipality.privacy.retentionMonths, timeZone: 'Europe/Istanbul' }) },
        clock.now,
        (error) => logged.push(error),
        runner,
      ),
    async close() {
      await worker.stop();
      await db.destroy();
      // A database the test named itself may be opened again after this app closes.
      if (!options.databaseFile) await dropTestDatabase(databaseFile);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * An institution's confirmation mail queued straight through the mailer: unlike a route, it does
 * not wake the outbox worker, so a test sends when it chooses.
 */
export function queueTestMail(t: TestApp, to: string, options: { language?: string; institution?: string; kind?: string; db?: Executor } = {}): Promise<number> {
  return t.mailer.queue(
    options.db ?? t.db,
    {
      to,
      language: options.language ?? 'tr',
      template: 'opinions/confirm',
      subjectKey: 'opinions:mail.confirm_subject',
      subjectParams: { title: 'Görüş formu' },
      locals: { institution: options.institution ?? 'Kurum', survey: t.catalog.find('kurum-gorus-formu'), link: 'https://katilim.example.org/x', hours: 48 },
      kind: options.kind ?? 'test',
    },
    t.clock.now,
  );
}
