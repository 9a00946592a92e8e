// Stored shape of planner accounts, their sessions and failed-login counters.
import type { Generated } from 'kysely';

export const ROLES = ['admin', 'planner', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export interface UserTable {
  id: Generated<number>;
  /** Lower-cased. */
  email: string;
  name: string;
  role: Role;
  /** scrypt$N$r$p$salt$hash */
  password_hash: string;
  disabled_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface SessionTable {
  sid: string;
  data: string;
  expires_at: string;
  user_id: number | null;
}

export interface LoginThrottleTable {
  /** account:<email>, address:<ip> or pair:<ip> <email> */
  key: string;
  failures: number;
  window_started_at: string;
  locked_until: string | null;
  /** When the account's owner was e-mailed about this window's failures. */
  notified_at: string | null;
}
