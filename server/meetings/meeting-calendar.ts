// The calendar file (.ics, RFC 5545) of a meeting, attached to confirmations and offered for
// download. Written by hand rather than with the `ics` package: that package writes times in UTC
// only and folds lines by characters, and Turkish letters are two octets in UTF-8, so its lines
// ran past the 75-octet limit. UID and SEQUENCE let a changed or cancelled entry replace the
// earlier one.

export interface CalendarMeeting {
  /** Unique for the calendar entry; the host is added. */
  uid: string;
  title: string;
  venue: string;
  address: string;
  starts_at: string;
  ends_at: string;
  /** Raised with every update of the entry. */
  sequence: number;
  cancelled: boolean;
  description?: string;
  /** The registration's page, where it can be cancelled. */
  url?: string;
}

/** PUBLISH for an entry to add or update; CANCEL so the calendar removes it (RFC 5546). */
export const calendarMethod = (cancelled: boolean) => (cancelled ? 'CANCEL' : 'PUBLISH');

const MAX_OCTETS = 75;

/**
 * Folds one content line at 75 octets (RFC 5545 3.1): continuation lines start with one space,
 * which counts towards their 75. Never splits inside a character, so a Turkish "ş" (two octets)
 * stays whole.
 */
export function foldLine(line: string): string {
  const parts: string[] = [];
  let current = '';
  let octets = 0;
  for (const char of line) {
    const size = Buffer.byteLength(char, 'utf8');
    if (octets + size > MAX_OCTETS) {
      parts.push(current);
      current = ' ';
      octets = 1;
    }
    current += char;
    octets += size;
  }
  parts.push(current);
  return parts.join('\r\n');
}

/** TEXT values escape backslash, semicolon, comma and line breaks (RFC 5545 3.3.11). */
const escapeText = (value: string) => value.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r?\n/g, '\\n');

const pad = (n: number) => String(n).padStart(2, '0');
const utcStamp = (at: Date) => at.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');

/** The zone's offset from UTC at an instant, in minutes (+180 for Istanbul). */
function offsetMinutes(timeZone: string, at: Date): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  const wall = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
  return Math.round((wall - Math.floor(at.getTime() / 1000) * 1000) / 60_000);
}

const offsetText = (minutes: number) => `${minutes < 0 ? '-' : '+'}${pad(Math.floor(Math.abs(minutes) / 60))}${pad(Math.abs(minutes) % 60)}`;

/** Wall-clock time in the zone, as a floating DATE-TIME (20261205T190000). */
const localStamp = (at: Date, minutes: number) => utcStamp(new Date(at.getTime() + minutes * 60_000)).replace(/Z$/, '');

/**
 * The zone's offset when it stays the same all through the meeting's year and the one before,
 * else undefined. Türkiye has kept +03:00 all year, without daylight saving, since September
 * 2016, so Europe/Istanbul needs only one STANDARD component with TZOFFSETFROM and TZOFFSETTO
 * both +0300. A zone that still changes its clocks would need its rules written out; for one
 * (a misconfigured TIME_ZONE) the file falls back to UTC times, which calendars convert correctly.
 */
function fixedOffset(timeZone: string, at: Date): number | undefined {
  const year = at.getUTCFullYear();
  const samples = [year - 1, year].flatMap((y) => Array.from({ length: 12 }, (_, m) => new Date(Date.UTC(y, m, 15))));
  const offset = offsetMinutes(timeZone, at);
  return samples.every((s) => offsetMinutes(timeZone, s) === offset) ? offset : undefined;
}

export function meetingCalendar(meeting: CalendarMeeting, host: string, stamp: Date, timeZone = 'Europe/Istanbul'): string {
  const start = new Date(meeting.starts_at);
  const end = new Date(meeting.ends_at);
  const offset = fixedOffset(timeZone, start);
  const time = (name: string, at: Date) => (offset === undefined ? `${name}:${utcStamp(at)}` : `${name};TZID=${timeZone}:${localStamp(at, offset)}`);
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//paydas//meetings//TR',
    'CALSCALE:GREGORIAN',
    `METHOD:${calendarMethod(meeting.cancelled)}`,
    ...(offset === undefined
      ? []
      : [
          'BEGIN:VTIMEZONE',
          `TZID:${timeZone}`,
          'BEGIN:STANDARD',
          // Any start before the meeting's year works; the offset has not changed since.
          `DTSTART:${start.getUTCFullYear() - 1}0101T000000`,
          `TZOFFSETFROM:${offsetText(offset)}`,
          `TZOFFSETTO:${offsetText(offset)}`,
          `TZNAME:${offsetText(offset).slice(0, 3)}`,
          'END:STANDARD',
          'END:VTIMEZONE',
        ]),
    'BEGIN:VEVENT',
    `UID:${meeting.uid}@${host}`,
    `SEQUENCE:${meeting.sequence}`,
    `DTSTAMP:${utcStamp(stamp)}`,
    time('DTSTART', start),
    time('DTEND', end),
    `SUMMARY:${escapeText(meeting.title)}`,
    `LOCATION:${escapeText(`${meeting.venue}, ${meeting.address}`)}`,
    ...(meeting.description ? [`DESCRIPTION:${escapeText(meeting.description)}`] : []),
    ...(meeting.url ? [`URL:${meeting.url}`] : []),
    `STATUS:${meeting.cancelled ? 'CANCELLED' : 'CONFIRMED'}`,
    'END:VEVENT',
    'END:VCALENDAR',
  ];
  return lines.map(foldLine).join('\r\n') + '\r\n';
}
