// What /healthz reports: whether the database answers and takes writes, and whether the work that
// happens in the background (the outbox, scheduled jobs) keeps up. Counts and times only: the
// page is public, so it holds no addresses, names, errors' texts or settings.
import path from 'node:path';
import type { Db } from '../db/connection';
import { migrations } from '../db/migrations';
import { DEFAULT_DISK_LOW_MB, diskFacts } from './disk-space';
import * as healthRepository from './health.repository';

export type HealthStatus = 'ok' | 'degraded' | 'down';

/** Stable codes a monitoring system can alert on. */
export type HealthReason =
  | 'database_unreachable'
  | 'database_not_writable'
  | 'disk_full'
  | 'low_disk'
  | 'migrations_pending'
  | 'outbox_backlog'
  | 'jobs_overdue'
  | 'jobs_failing';

/** Mail still waiting after this long has not reached people: SMTP is down, refusing, or unset. */
export const OUTBOX_MAX_AGE_SECONDS = 60 * 60;
/** Jobs are looked for every minute; one this late means the runner is not running. */
export const JOB_OVERDUE_SECONDS = 10 * 60;
/** A job retried this often (1, 2, 4 … minutes apart) keeps failing, not a passing hiccup. */
export const JOB_FAILING_ATTEMPTS = 3;
const MB = 1024 * 1024;

export interface HealthReport {
  status: HealthStatus;
  reasons: HealthReason[];
  checkedAt: string;
  database: {
    reachable: boolean;
    writable: boolean | null;
    latencyMs: number | null;
    migrationsPending: number | null;
    /** The engine's error code when the database did not answer, e.g. SQLITE_CANTOPEN, or PostgreSQL's 57P03. */
    error: string | null;
  };
  /** Room for the database; null when the database did not answer. */
  disk: {
    /** Free bytes in the database's folder; null where the file system does not say. */
    freeBytes: number | null;
    /** Writes fail for lack of space (a probe write, or the file at its page limit). */
    full: boolean;
    /** Free space is below DISK_LOW_MB. */
    low: boolean;
  } | null;
  outbox: {
    pending: number;
    failing: number;
    oldestPendingSeconds: number | null;
    lastSentAt: string | null;
    lastFailedAt: string | null;
    smtpConfigured: boolean;
  } | null;
  jobs: {
    pending: number;
    overdue: number;
    failing: number;
    lastDoneAt: string | null;
  } | null;
}

export interface HealthFacts {
  latencyMs: number;
  writable: boolean;
  migrationsPending: number;
  outbox: healthRepository.OutboxStats;
  jobs: healthRepository.JobStats;
  smtpConfigured: boolean;
  disk: { freeBytes: number | null; full: boolean; lowBelowBytes: number };
}

const secondsSince = (iso: string | null, now: Date) => (iso === null ? null : Math.max(0, Math.floor((now.getTime() - Date.parse(iso)) / 1000)));

/** The report for a database that answered: degraded for each check that falls behind. */
export function assessHealth(facts: HealthFacts, now: Date): HealthReport {
  const oldestPendingSeconds = secondsSince(facts.outbox.oldestPendingCreatedAt, now);
  const reasons: HealthReason[] = [];
  // Submissions cannot be stored: as bad as no database for a participation site.
  if (!facts.writable) reasons.push('database_not_writable');
  // A full disk refuses every submission, like a read-only one; low space is a warning ahead of it.
  const diskLow = facts.disk.freeBytes !== null && facts.disk.freeBytes < facts.disk.lowBelowBytes;
  if (facts.disk.full) reasons.push('disk_full');
  else if (diskLow) reasons.push('low_disk');
  if (facts.migrationsPending > 0) reasons.push('migrations_pending');
  if (oldestPendingSeconds !== null && oldestPendingSeconds > OUTBOX_MAX_AGE_SECONDS) reasons.push('outbox_backlog');
  if (facts.jobs.overdue > 0) reasons.push('jobs_overdue');
  if (facts.jobs.failing > 0) reasons.push('jobs_failing');
  return {
    status: !facts.writable || facts.disk.full ? 'down' : reasons.length > 0 ? 'degraded' : 'ok',
    reasons,
    checkedAt: now.toISOString(),
    database: {
      reachable: true,
      writable: facts.writable,
      latencyMs: Math.round(facts.latencyMs * 100) / 100,
      migrationsPending: facts.migrationsPending,
      error: null,
    },
    disk: { freeBytes: facts.disk.freeBytes, full: facts.disk.full, low: diskLow || facts.disk.full },
    outbox: {
      pending: facts.outbox.pending,
      failing: facts.outbox.failing,
      oldestPendingSeconds,
      lastSentAt: facts.outbox.lastSentAt,
      lastFailedAt: facts.outbox.lastFailedAt,
      smtpConfigured: facts.smtpConfigured,
    },
    jobs: { ...facts.jobs },
  };
}

export function unreachable(error: unknown, now: Date): HealthReport {
  const code = (error as { code?: unknown } | null)?.code;
  return {
    status: 'down',
    reasons: ['database_unreachable'],
    checkedAt: now.toISOString(),
    database: {
      reachable: false,
      writable: null,
      latencyMs: null,
      migrationsPending: null,
      error: typeof code === 'string' && /^(SQLITE_[A-Z_]+|[0-9A-Z]{5})$/.test(code) ? code : 'unreachable',
    },
    disk: null,
    outbox: null,
    jobs: null,
  };
}

/** Never throws: a database that fails any query is reported down. */
export async function checkHealth(db: Db, options: { now: Date; smtpConfigured: boolean; diskLowMb?: number }): Promise<HealthReport> {
  const { now } = options;
  try {
    const latencyMs = await healthRepository.ping(db);
    const writable = await healthRepository.canWrite(db);
    const applied = new Set(await healthRepository.appliedMigrations(db));
    const migrationsPending = Object.keys(migrations).filter((name) => !applied.has(name)).length;
    const outbox = await healthRepository.outboxStats(db, now);
    const jobs = await healthRepository.jobStats(db, new Date(now.getTime() - JOB_OVERDUE_SECONDS * 1000), JOB_FAILING_ATTEMPTS);
    const lowBelowBytes = (options.diskLowMb ?? DEFAULT_DISK_LOW_MB) * MB;
    const file = await healthRepository.databaseFile(db);
    const space = file ? await diskFacts(path.dirname(file), lowBelowBytes) : { freeBytes: null, full: false };
    // A database that cannot take the write lock is down already; its page limit cannot be read then.
    const disk = { ...space, full: space.full || (writable && (await healthRepository.atPageLimit(db))), lowBelowBytes };
    return assessHealth({ latencyMs, writable, migrationsPending, outbox, jobs, smtpConfigured: options.smtpConfigured, disk }, now);
  } catch (error) {
    return unreachable(error, now);
  }
}
