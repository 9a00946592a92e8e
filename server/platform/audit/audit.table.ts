// Who did what, when, from where: logins, user changes, survey changes, exclusions, exports.
import type { Generated } from 'kysely';
import type { AuditAction } from './audit.repository';

export interface AuditEventTable {
  id: Generated<number>;
  at: string;
  user_id: number | null;
  /** The e-mail of the user at the time, or the address tried at a failed login. */
  actor: string | null;
  action: AuditAction;
  target: string | null;
  /** JSON */
  details: string | null;
  ip: string | null;
}
