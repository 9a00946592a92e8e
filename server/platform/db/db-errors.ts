// The one place that reads both engines' error codes. Everything above the data layer asks what
// kind of failure it was (a duplicate, a lock held too long, no room, read-only storage, a database
// that does not answer), never which engine said it.

export type StorageFailure = 'unique' | 'busy' | 'full' | 'readonly' | 'unavailable';

// SQLite's extended codes start with the primary one (SQLITE_BUSY_SNAPSHOT is a busy).
const SQLITE: [RegExp, StorageFailure][] = [
  [/^SQLITE_CONSTRAINT_(UNIQUE|PRIMARYKEY)$/, 'unique'],
  [/^SQLITE_(BUSY|LOCKED)(_|$)/, 'busy'],
  [/^SQLITE_FULL(_|$)/, 'full'],
  [/^SQLITE_READONLY(_|$)/, 'readonly'],
  [/^SQLITE_(IOERR|CANTOPEN)(_|$)/, 'unavailable'],
];

// PostgreSQL's SQLSTATE codes (Appendix A of its manual), and the socket errors of a server that
// is not there.
const POSTGRES: Record<string, StorageFailure> = {
  '23505': 'unique', // unique_violation
  '55P03': 'busy', // lock_not_available: lock_timeout ran out (the write wait)
  '40001': 'busy', // serialization_failure
  '40P01': 'busy', // deadlock_detected
  '57014': 'busy', // query_canceled: statement_timeout
  '53300': 'busy', // too_many_connections
  '53100': 'full', // disk_full
  '25006': 'readonly', // read_only_sql_transaction: a standby, or default_transaction_read_only
  '57P01': 'unavailable', // admin_shutdown
  '57P02': 'unavailable', // crash_shutdown
  '57P03': 'unavailable', // cannot_connect_now: starting up or shutting down
  '58030': 'unavailable', // io_error
  ECONNREFUSED: 'unavailable',
  ECONNRESET: 'unavailable',
  ETIMEDOUT: 'unavailable',
  EPIPE: 'unavailable',
};

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** What kind of storage failure the error itself is, if any (its causes are not looked at). */
export function storageFailureOf(error: unknown): StorageFailure | undefined {
  const code = codeOf(error);
  if (code === undefined) return undefined;
  if (code.startsWith('SQLITE_')) return SQLITE.find(([pattern]) => pattern.test(code))?.[1];
  // Connection-level SQLSTATE class 08 (connection_exception).
  if (/^08[0-9A-Z]{3}$/.test(code)) return 'unavailable';
  return POSTGRES[code];
}

/** The error, or one it wraps (Kysely and our own errors keep the driver's as `cause`), that is a storage failure. */
export function findStorageFailure(error: unknown): { kind: StorageFailure; code: string; error: Error } | undefined {
  for (let current = error, depth = 0; current && depth < 5; current = (current as { cause?: unknown }).cause, depth++) {
    const kind = storageFailureOf(current);
    if (kind) return { kind, code: codeOf(current)!, error: current as Error };
  }
  return undefined;
}

/** True for a duplicate key: the row is there already (a retried submission, a race two requests ran). */
export function isUniqueViolation(error: unknown): boolean {
  return findStorageFailure(error)?.kind === 'unique';
}

/** Storage refusing to store anything for now (not the request's fault): answered 503 with Retry-After. */
export function isStorageUnavailable(error: unknown): boolean {
  const kind = findStorageFailure(error)?.kind;
  return kind !== undefined && kind !== 'unique';
}
