// Leases let several processes (on one machine or several) share the outbox and the scheduled
// jobs: a worker claims rows for a while under an id of its own; when it dies, its claims expire
// and another worker takes them over.
import crypto from 'node:crypto';
import os from 'node:os';

/** How long a claim holds by default (OUTBOX_LEASE_MS): far longer than one SMTP exchange or job. */
export const DEFAULT_LEASE_MS = 5 * 60_000;

/** An id unique to this worker: the machine, the process and a random part (two workers may share a process). */
export function newWorkerId(): string {
  return `${os.hostname()}:${process.pid}:${crypto.randomBytes(4).toString('hex')}`;
}
