// Bearer tokens (draft cookies, invitation links, the set-up link): random, and stored only as a
// sha256 hash, so the database alone never yields a working token.
import crypto from 'node:crypto';

export function hashToken(token: string): string {
  return crypto.createHash('sha256').update(token).digest('hex');
}

/** A random token of `bytes` bytes (16 = 128 bits) in URL-safe base64, with its hash. */
export function newToken(bytes = 16): { token: string; hash: string } {
  const token = crypto.randomBytes(bytes).toString('base64url');
  return { token, hash: hashToken(token) };
}
