// Cookie defaults: HttpOnly, SameSite=Lax, Secure whenever the site runs on https.
import type { CookieOptions } from 'express';

export function cookieOptions(secure: boolean, extra: CookieOptions = {}): CookieOptions {
  return { httpOnly: true, sameSite: 'lax', secure, path: '/', ...extra };
}
