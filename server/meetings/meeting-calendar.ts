// The calendar file (.ics) of a meeting, attached to confirmations and offered for download. Times
// are written in UTC, which every calendar converts to its own zone: Europe/Istanbul needs no
// VTIMEZONE that way. UID and SEQUENCE let a changed or cancelled entry replace the earlier one.
import { createEvent, type EventAttributes } from 'ics';

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

export function meetingCalendar(meeting: CalendarMeeting, host: string, stamp: Date): string {
  const utc = { startInputType: 'utc', startOutputType: 'utc', endInputType: 'utc', endOutputType: 'utc' } as const;
  // DTSTAMP from the caller's clock (the package reads it as `timestamp`, missing from its types).
  const attributes: EventAttributes & { timestamp: number } = {
    ...utc,
    productId: 'paydas/meetings',
    method: 'PUBLISH',
    uid: `${meeting.uid}@${host}`,
    sequence: meeting.sequence,
    timestamp: stamp.getTime(),
    start: Date.parse(meeting.starts_at),
    end: Date.parse(meeting.ends_at),
    title: meeting.title,
    location: `${meeting.venue}, ${meeting.address}`,
    ...(meeting.description ? { description: meeting.description } : {}),
    ...(meeting.url ? { url: meeting.url } : {}),
    status: meeting.cancelled ? 'CANCELLED' : 'CONFIRMED',
  };
  const { error, value } = createEvent(attributes);
  if (error || !value) throw error ?? new Error('Calendar file could not be written');
  return value;
}
