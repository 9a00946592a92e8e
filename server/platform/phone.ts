// Turkish phone numbers as people type, say and dial them: one stored form (+90 and ten digits),
// one printed form for planners, one for the site's contact number, and the tel: link.

/**
 * A Turkish phone number as +90 and ten digits; other countries' numbers as + and their digits.
 * Undefined when it cannot be a phone number. Spaces, dashes, dots and brackets are ignored.
 */
export function normalizePhone(raw: string): string | undefined {
  const trimmed = raw.trim();
  if (!/^\+?[\d\s().-]+$/.test(trimmed)) return undefined;
  const digits = trimmed.replace(/\D/g, '');
  if (trimmed.startsWith('+')) {
    if (digits.startsWith('90')) return digits.length === 12 ? `+${digits}` : undefined;
    return digits.length >= 8 && digits.length <= 15 ? `+${digits}` : undefined;
  }
  if (digits.length === 12 && digits.startsWith('90')) return `+${digits}`;
  if (digits.length === 11 && digits.startsWith('0')) return `+90${digits.slice(1)}`;
  if (digits.length === 10 && !digits.startsWith('0')) return `+90${digits}`;
  if (digits.startsWith('00') && digits.length >= 10 && digits.length <= 17) return normalizePhone(`+${digits.slice(2)}`);
  return undefined;
}

/** "+905321234567" → "0532 123 45 67", as Turkish planners dial it. */
export function formatPhone(phone: string): string {
  const m = /^\+90(\d{3})(\d{3})(\d{2})(\d{2})$/.exec(phone);
  return m ? `0${m[1]} ${m[2]} ${m[3]} ${m[4]}` : phone;
}

/**
 * The municipality's number as residents read it: "0 (212) 555 12 34", and its tel: link. A
 * number that is not Turkish (or not a number) is printed as written.
 */
export function contactPhone(raw: string): { text: string; href: string } {
  const phone = normalizePhone(raw);
  if (!phone) return { text: raw.replace(/ /g, '\u00a0'), href: `tel:${raw.replace(/[^\d+]/g, '')}` };
  const m = /^\+90(\d{3})(\d{3})(\d{2})(\d{2})$/.exec(phone);
  // Non-breaking spaces: a number never wraps across lines.
  return { text: (m ? `0 (${m[1]}) ${m[2]} ${m[3]} ${m[4]}` : phone).replace(/ /g, '\u00a0'), href: `tel:${phone}` };
}
