// Reads and validates the environment once at start-up; everything else receives a typed Config.
import path from 'node:path';
import { z } from 'zod';
import { DEFAULT_DISK_LOW_MB } from './platform/health/disk-space';
import { DEFAULT_WRITE_WAIT_MS, type Engine } from './platform/db/connection';
import { DEFAULT_POOL_SIZE, isPostgresUrl } from './platform/db/postgres';
import { DEFAULT_LEASE_MS } from './platform/lease';
import { projectRoot } from './platform/paths';
import { DEFAULT_RATE_LIMITS, rateLimitStoreFor, type RateLimitSettings, type RateLimitStore } from './platform/security/rate-limit';

const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  DATABASE_URL: z
    .string()
    .trim()
    .min(1)
    .default('data/paydas.sqlite')
    .refine((value) => !/^[a-z][a-z0-9+.-]*:/i.test(value) || /^(file|sqlite):/i.test(value) || isPostgresUrl(value), {
      message: 'must be a SQLite file path such as data/paydas.sqlite or a PostgreSQL URL such as postgres://paydas:password@db.example.org/paydas',
    }),
  BASE_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL such as https://katilim.example.bel.tr' }).optional(),
  SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  NODE_ENV: z.enum(['production', 'development', 'test'], 'must be production, development or test').default('production'),
  SURVEYS_DIR: z.string().trim().min(1).default('surveys'),
  SMTP_URL: z
    .string()
    .trim()
    .regex(/^smtps?:\/\/[^\s]+$/, 'must be an smtp:// or smtps:// URL, e.g. smtps://user:password@mail.example.org:465')
    .optional(),
  MAIL_FROM: z.string().trim().min(3).max(200).optional(),
  UPLOADS_DIR: z.string().trim().min(1).default('data/uploads'),
  SESSION_IDLE_MINUTES: z.coerce.number().int().min(5).max(24 * 60).default(120),
  TRUST_PROXY: z
    .string()
    .trim()
    .regex(/^(true|false|\d+|[\w.:/, -]+)$/, 'must be false, true, a number of proxies or a list of addresses')
    .default('false'),
  // Defaults and the reasoning behind them in platform/security/rate-limit.ts.
  RATE_LIMIT_VISITOR_POSTS: z.coerce.number().int().min(1).max(1_000_000).default(DEFAULT_RATE_LIMITS.visitorPostsPerMinute),
  RATE_LIMIT_PUBLIC_POSTS: z.coerce.number().int().min(1).max(1_000_000).default(DEFAULT_RATE_LIMITS.publicPostsPerMinute),
  RATE_LIMIT_LOGIN: z.coerce.number().int().min(1).max(1_000_000).default(DEFAULT_RATE_LIMITS.loginPer15Minutes),
  RATE_LIMIT_STORE: z.enum(['auto', 'memory', 'database'], 'must be auto, memory or database').default('auto'),
  // /healthz warns (low_disk) when the database's folder has less free space than this.
  DISK_LOW_MB: z.coerce.number().int().min(0).max(10_000_000).default(DEFAULT_DISK_LOW_MB),
  // How long a write waits for another process's lock (a backup, a migration) before a 503.
  DB_WRITE_WAIT_MS: z.coerce.number().int().min(0).max(600_000).default(DEFAULT_WRITE_WAIT_MS),
  PG_POOL_SIZE: z.coerce.number().int().min(1).max(500).default(DEFAULT_POOL_SIZE),
  // How long a process's claim on outbox messages and scheduled jobs holds (see platform/lease.ts).
  OUTBOX_LEASE_MS: z.coerce.number().int().min(1_000).max(24 * 60 * 60_000).default(DEFAULT_LEASE_MS),
  // Worker processes on one port (Node's cluster), all on the same SQLite file; 1 = one process.
  WEB_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(1),
  TIME_ZONE: z
    .string()
    .default('Europe/Istanbul')
    .refine(isKnownTimeZone, { message: 'must be an IANA time zone such as Europe/Istanbul' }),
});

export interface Config {
  port: number;
  /** The SQLite file (absolute path), or the postgres:// URL. */
  database: string;
  databaseEngine: Engine;
  /** How long a write waits for another process's write lock before it fails with a 503, in ms. */
  dbWriteWaitMs: number;
  /** PostgreSQL connections each process keeps open at most. */
  pgPoolSize: number;
  baseUrl: string;
  /** True when BASE_URL is https: cookies get the Secure flag and HSTS is sent. */
  secureCookies: boolean;
  sessionSecret: string | undefined;
  env: 'production' | 'development' | 'test';
  surveysDir: string;
  timeZone: string;
  /** Where mail goes out; without it, mail waits in the outbox. */
  smtpUrl: string | undefined;
  /** The From of every e-mail; by default the municipality's name at BASE_URL's host. */
  mailFrom: string | undefined;
  /**
   * Where institutions' letters were kept as files before they moved into the database: read
   * only to import those files once (letter-import.ts), never written.
   */
  uploadsDir: string;
  /** Back-office sessions end after this long without a request. */
  sessionIdleMinutes: number;
  /** Express's "trust proxy": set behind a reverse proxy so req.ip is the visitor's address. */
  trustProxy: boolean | number | string;
  /** Public form posts per visitor and per address per minute; sign-ins per address per 15 minutes. */
  rateLimits: RateLimitSettings;
  /** Where the rate limits count: this process's memory, or the database shared by every process. */
  rateLimitStore: RateLimitStore;
  /** Free megabytes in the database's folder under which /healthz reports low_disk. */
  diskLowMb: number;
  /** How long a process's claim on an outbox message or a scheduled job holds before another may take it over, in ms. */
  leaseMs: number;
  /** How many worker processes serve the port (WEB_CONCURRENCY); 1 runs everything in this process. */
  webConcurrency: number;
}

export class ConfigError extends Error {}

const SECRET_VARIABLES = new Set(['SESSION_SECRET', 'SMTP_URL', 'DATABASE_URL']);

/** Throws a ConfigError whose one-line message names the offending variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const blankToUndefined = Object.fromEntries(
    Object.keys(EnvSchema.shape).map((key) => [key, env[key] === '' ? undefined : env[key]]),
  );
  const parsed = EnvSchema.safeParse(blankToUndefined);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const variable = String(issue.path[0]);
    // Values that may hold passwords are not echoed into logs.
    const shown = SECRET_VARIABLES.has(variable) ? '' : `=${JSON.stringify(env[variable] ?? '')}`;
    throw new ConfigError(`Invalid ${variable}${shown}: ${issue.message}`);
  }
  const vars = parsed.data;
  // file:/x, file:///x, sqlite:/x and sqlite:///x all name the file /x; file:x a relative one.
  const databasePath = vars.DATABASE_URL.replace(/^(file|sqlite):(\/\/(?=\/))?/i, '');
  const baseUrl = (vars.BASE_URL ?? `http://localhost:${vars.PORT}`).replace(/\/+$/, '');
  return {
    port: vars.PORT,
    database: isPostgresUrl(vars.DATABASE_URL) ? vars.DATABASE_URL : path.resolve(projectRoot, databasePath),
    databaseEngine: isPostgresUrl(vars.DATABASE_URL) ? 'postgres' : 'sqlite',
    dbWriteWaitMs: vars.DB_WRITE_WAIT_MS,
    pgPoolSize: vars.PG_POOL_SIZE,
    baseUrl,
    secureCookies: baseUrl.startsWith('https://'),
    sessionSecret: vars.SESSION_SECRET,
    env: vars.NODE_ENV,
    surveysDir: path.resolve(projectRoot, vars.SURVEYS_DIR),
    timeZone: vars.TIME_ZONE,
    smtpUrl: vars.SMTP_URL,
    mailFrom: vars.MAIL_FROM,
    uploadsDir: path.resolve(projectRoot, vars.UPLOADS_DIR),
    sessionIdleMinutes: vars.SESSION_IDLE_MINUTES,
    diskLowMb: vars.DISK_LOW_MB,
    leaseMs: vars.OUTBOX_LEASE_MS,
    webConcurrency: vars.WEB_CONCURRENCY,
    rateLimits: { visitorPostsPerMinute: vars.RATE_LIMIT_VISITOR_POSTS, publicPostsPerMinute: vars.RATE_LIMIT_PUBLIC_POSTS, loginPer15Minutes: vars.RATE_LIMIT_LOGIN },
    rateLimitStore: rateLimitStoreFor(vars.RATE_LIMIT_STORE, { webConcurrency: vars.WEB_CONCURRENCY, databaseUrl: vars.DATABASE_URL }),
    trustProxy: vars.TRUST_PROXY === 'true' ? true : vars.TRUST_PROXY === 'false' ? false : /^\d+$/.test(vars.TRUST_PROXY) ? Number(vars.TRUST_PROXY) : vars.TRUST_PROXY,
  };
}

/**
 * One line for the start-up log when BASE_URL is https but TRUST_PROXY is unset: cookies are then
 * Secure, yet behind a proxy every request looks like http, so no sign-in can keep its session.
 */
export function proxyWarning(config: Pick<Config, 'baseUrl' | 'trustProxy'>): string | undefined {
  if (!config.baseUrl.startsWith('https://') || config.trustProxy !== false) return undefined;
  return `Warning: BASE_URL is https but TRUST_PROXY is not set. Behind a reverse proxy that ends https, set TRUST_PROXY (e.g. TRUST_PROXY=1) or back-office sign-ins cannot set their Secure session cookie.`;
}

function isKnownTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('tr', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
