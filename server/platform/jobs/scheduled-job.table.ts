// Stored shape of work due at a time (see jobs.ts).
import type { Generated } from 'kysely';

export interface ScheduledJobTable {
  id: Generated<number>;
  /** What to do (a handler's name) … */
  kind: string;
  /** … and to what, e.g. a meeting's id. One job per kind and ref. */
  ref: string;
  due_at: string;
  done_at: string | null;
  attempts: Generated<number>;
  last_error: string | null;
  created_at: string;
  /** The runner (one per process) that has taken the job, until claimed_until (see jobs.ts). */
  claimed_by: string | null;
  claimed_until: string | null;
}
