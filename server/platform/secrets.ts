// The secret that signs CSRF tokens (and later sessions): SESSION_SECRET when set, otherwise one
// generated on first start and kept in the database so restarts do not invalidate open forms.
import crypto from 'node:crypto';
import type { Db } from './db/connection';
import * as settingsRepository from './db/settings.repository';

export async function resolveSessionSecret(db: Db, configured: string | undefined, now: Date): Promise<string> {
  if (configured) return configured;
  return settingsRepository.findOrInsert(db, 'session_secret', crypto.randomBytes(48).toString('base64url'), now);
}
