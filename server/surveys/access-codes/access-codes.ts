// Single-use access codes as people read them off a printed card and type them on a phone.
//
// The alphabet leaves out 0/O and 1/I, so a code read aloud or typed from paper cannot be
// mistaken; 32 characters give 5 bits each. Ten characters (50 bits) keep guessing hopeless: with
// 100,000 live codes, one address at the default ceiling of 300 posts a minute (432,000 a day)
// finds one by chance about once in 25,000 days.
import crypto from 'node:crypto';

export const CODE_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
export const CODE_LENGTH = 10;
/** Shown as two groups of five: K7Q4M-2MXAR. */
const GROUP = 5;
export const MAX_BATCH_SIZE = 5000;

/** A fresh random code, normalised (no dash). */
export function generateCode(random: (size: number) => Buffer = crypto.randomBytes): string {
  // 256 is a multiple of 32, so taking each byte modulo 32 is unbiased.
  const bytes = random(CODE_LENGTH);
  let code = '';
  for (let i = 0; i < CODE_LENGTH; i++) code += CODE_ALPHABET[bytes[i]! % CODE_ALPHABET.length];
  return code;
}

/** `count` distinct fresh codes. */
export function generateCodes(count: number, random?: (size: number) => Buffer): string[] {
  const codes = new Set<string>();
  while (codes.size < count) codes.add(generateCode(random));
  return [...codes];
}

/**
 * What a person typed, as stored: spaces, dashes and dots dropped, letters upper-cased (a Turkish
 * keyboard's ı and i both mean I, which is then refused as outside the alphabet, as O and 0 are).
 * Undefined when it cannot be a code.
 */
export function normaliseCode(typed: string): string | undefined {
  const folded = typed
    .replace(/[\s\-‐‑‒–—_.·]/g, '')
    .replace(/[ıiİ]/g, 'I')
    .toUpperCase();
  if (folded.length !== CODE_LENGTH) return undefined;
  for (const char of folded) if (!CODE_ALPHABET.includes(char)) return undefined;
  return folded;
}

/** The code as printed and shown: K7Q4M-2MXAR. */
export function formatCode(code: string): string {
  return `${code.slice(0, GROUP)}-${code.slice(GROUP)}`;
}
