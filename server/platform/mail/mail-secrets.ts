// Values that must reach the recipient but nobody else: a personal link's token. The stored
// bodies hold a placeholder; the values are sealed (AES-256-GCM) beside them, opened only by the
// worker at the moment of sending, and dropped once the message is sent. So neither the outbox
// pages nor the database (once mail is out) can give a link away.
import crypto from 'node:crypto';

const PLACEHOLDER = /%%SECRET:([a-z_]+)%%/g;

export type MailSecrets = Record<string, string>;

export function placeholder(name: string): string {
  if (!/^[a-z_]+$/.test(name)) throw new Error(`Bad secret name ${name}`);
  return `%%SECRET:${name}%%`;
}

/** The sealing key, derived from the site's secret for this use only. */
export function secretsKey(siteSecret: string): Buffer {
  return crypto.createHash('sha256').update(`paydas-outbox-secrets:${siteSecret}`).digest();
}

export function seal(key: Buffer, values: MailSecrets): string {
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(JSON.stringify(values), 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
}

/** Throws when the key is not the one that sealed (the site secret changed). */
export function open(key: Buffer, sealed: string): MailSecrets {
  const raw = Buffer.from(sealed, 'base64');
  const decipher = crypto.createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
  decipher.setAuthTag(raw.subarray(12, 28));
  const json = Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
  return JSON.parse(json) as MailSecrets;
}

const escapeHtml = (value: string) => value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The body as it goes out: each placeholder replaced by its value (HTML-escaped in HTML). */
export function fill(body: string, values: MailSecrets, html: boolean): string {
  return body.replace(PLACEHOLDER, (whole, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`No value for ${whole}`);
    return html ? escapeHtml(value) : value;
  });
}

/** The body as planners may read it. */
export function mask(body: string, shown: string): string {
  return body.replace(PLACEHOLDER, shown);
}
