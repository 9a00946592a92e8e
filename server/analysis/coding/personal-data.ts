// Masks what identifies a person in a free-text answer before it is quoted in the report (KVKK):
// e-mail addresses, Turkish phone numbers and 11-digit numbers (T.C. kimlik no). Years, ranges
// and amounts stay as written.

const SEP = '[ \\u00a0.\\-]?';
/** A separator that must be there: without one, a bare 10-digit landline looks like an amount. */
const SEP_REQUIRED = '[ \\u00a0.\\-]';
const REST = `\\d{3}${SEP}\\d{2}${SEP}\\d{2}`;

const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}/gu;

const PHONE = new RegExp(
  [
    // With a trunk or country prefix, or the area code in brackets: any area code (2xx–5xx).
    `(?:(?:\\+|00)${SEP}90${SEP}|0${SEP})(?:\\(\\s*[2-5]\\d{2}\\s*\\)|[2-5]\\d{2})${SEP}${REST}`,
    `\\(\\s*0?${SEP}[2-5]\\d{2}\\s*\\)${SEP}${REST}`,
    // Without a prefix: a mobile number (5xx), or a landline written in its usual groups.
    `5\\d{2}${SEP}${REST}`,
    `[2-4]\\d{2}${SEP_REQUIRED}\\d{3}${SEP_REQUIRED}(?:\\d{2}${SEP_REQUIRED}\\d{2}|\\d{4})`,
  ]
    .map((form) => `(?<![\\d+])(?:${form})(?!\\d)`)
    .join('|'),
  'g',
);

/** Any standalone 11-digit number: kimlik numbers are masked whether or not their checksum holds. */
const KIMLIK = /(?<!\d)\d{11}(?!\d)/g;

export const MASKS = { email: '[e-posta]', phone: '[telefon]', kimlik: '[kimlik no]' } as const;

export function maskPersonalData(text: string): string {
  // E-mail first (an address may hold digits), then phones (05321234567 is 11 digits too).
  return text.replace(EMAIL, MASKS.email).replace(PHONE, MASKS.phone).replace(KIMLIK, MASKS.kimlik);
}
