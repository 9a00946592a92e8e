// The pure rules of meetings: seats, promotions, sign-up windows, phone numbers, request tallies,
// and the calendar file read back by a calendar parser.
import ICAL from 'ical.js';
import { meetingCalendar } from '../../server/meetings/meeting-calendar';
import {
  areaByMeeting,
  attendanceOf,
  formatPhone,
  normalizePhone,
  placeFor,
  promotions,
  recordingState,
  reminderDueAt,
  seatsLeft,
  signupState,
  standingOf,
  storedAt,
  tally,
  topAreas,
  visibleAccessibilityNeeds,
} from '../../server/meetings/meeting-rules';

describe('seats', () => {
  it('confirms until the capacity is reached, then waitlists; no capacity means no limit', () => {
    expect(placeFor(20, 19)).toBe('confirmed');
    expect(placeFor(20, 20)).toBe('waitlisted');
    expect(placeFor(null, 5000)).toBe('confirmed');
    expect(seatsLeft(20, 7)).toBe(13);
    expect(seatsLeft(5, 8)).toBe(0);
    expect(seatsLeft(null, 8)).toBeNull();
  });

  it('promotes the first people waiting, as many as seats are free, in order', () => {
    expect(promotions(20, 19, [31, 35, 40])).toEqual([31]);
    expect(promotions(25, 20, [31, 35, 40])).toEqual([31, 35, 40]);
    expect(promotions(22, 20, [31, 35, 40])).toEqual([31, 35]);
    // A lowered capacity takes no seat away and promotes nobody.
    expect(promotions(10, 12, [31])).toEqual([]);
    expect(promotions(null, 12, [31, 35])).toEqual([31, 35]);
  });
});

describe('the time a sign-up is stored with', () => {
  it('is its own, unless a sign-up stored before it read a later clock: then that one', () => {
    const now = new Date('2026-11-21T10:00:00.500Z');
    expect(storedAt(now, undefined)).toBe(now);
    expect(storedAt(now, '2026-11-21T10:00:00.200Z')).toBe(now);
    expect(storedAt(now, '2026-11-21T10:00:00.500Z')).toBe(now);
    expect(storedAt(now, '2026-11-21T10:00:02.800Z').toISOString()).toBe('2026-11-21T10:00:02.800Z');
  });
});

describe('sign-up window', () => {
  const meeting = { starts_at: '2026-12-05T16:00:00Z', ends_at: '2026-12-05T18:00:00Z', signup_deadline_at: '2026-12-05T12:00:00Z', cancelled_at: null };
  it('is open until the deadline, closed until the end, then past; cancelled wins', () => {
    expect(signupState(meeting, new Date('2026-12-05T11:59:59Z'))).toBe('open');
    expect(signupState(meeting, new Date('2026-12-05T12:00:00Z'))).toBe('closed');
    expect(signupState(meeting, new Date('2026-12-05T17:00:00Z'))).toBe('closed');
    expect(signupState(meeting, new Date('2026-12-05T18:00:00Z'))).toBe('past');
    expect(signupState({ ...meeting, cancelled_at: '2026-12-01T00:00:00Z' }, new Date('2026-11-30T00:00:00Z'))).toBe('cancelled');
  });
  it('reminds 24 hours before the start', () => {
    expect(reminderDueAt(meeting.starts_at).toISOString()).toBe('2026-12-04T16:00:00.000Z');
  });
});

describe('at the meeting', () => {
  // Saturday 28 November 2026, 19:00 in Istanbul.
  const meeting = { starts_at: '2026-11-28T16:00:00.000Z', cancelled_at: null };
  const istanbul = (iso: string) => recordingState(meeting, new Date(iso), 'Europe/Istanbul');

  it("takes check-in and outcomes from the meeting's calendar day in the municipality's time zone on, never before", () => {
    expect(istanbul('2026-11-21T07:00:00.000Z')).toBe('not_yet');
    // 23:59 on Friday in Istanbul.
    expect(istanbul('2026-11-27T20:59:00.000Z')).toBe('not_yet');
    // 00:00 on Saturday in Istanbul, while UTC is still on Friday.
    expect(istanbul('2026-11-27T21:00:00.000Z')).toBe('open');
    expect(istanbul('2026-11-28T15:30:00.000Z')).toBe('open');
    // Later corrections stay possible.
    expect(istanbul('2027-01-10T09:00:00.000Z')).toBe('open');
    // The same instant is still Friday in New York.
    expect(recordingState(meeting, new Date('2026-11-28T03:00:00.000Z'), 'America/New_York')).toBe('not_yet');
    expect(recordingState({ ...meeting, cancelled_at: '2026-11-20T10:00:00.000Z' }, new Date('2026-11-28T15:30:00.000Z'), 'Europe/Istanbul')).toBe('cancelled');
  });

  it('counts a meeting in the outcome tables once it has started or anything was recorded for it; never a cancelled one', () => {
    const before = new Date('2026-11-28T15:30:00.000Z');
    expect(standingOf(meeting, before, false)).toBe('upcoming');
    expect(standingOf(meeting, before, true)).toBe('held');
    expect(standingOf(meeting, new Date('2026-11-28T16:00:00.000Z'), false)).toBe('held');
    expect(standingOf({ ...meeting, cancelled_at: '2026-11-20T10:00:00.000Z' }, new Date('2026-12-01T00:00:00.000Z'), true)).toBe('cancelled');
  });

  it('calls the people checked in "attended" and keeps the head count beside it, never in its place', () => {
    expect(attendanceOf({ attendance_count: 30 }, { attended: 4, walkIns: 2 })).toEqual({ attended: 4, walkIns: 2, headCount: 30 });
    expect(attendanceOf({ attendance_count: null }, { attended: 0, walkIns: 0 })).toEqual({ attended: 0, walkIns: 0, headCount: null });
  });
});

describe('phone numbers', () => {
  it.each([
    ['0532 123 45 67', '+905321234567'],
    ['05321234567', '+905321234567'],
    ['532 123 4567', '+905321234567'],
    ['+90 (532) 123-45-67', '+905321234567'],
    ['90 532 123 45 67', '+905321234567'],
    ['0090 532 123 45 67', '+905321234567'],
    ['+49 30 1234567', '+49301234567'],
  ])('%s is %s', (raw, normalized) => {
    expect(normalizePhone(raw)).toBe(normalized);
  });
  it.each(['', '123', '0532 123 45', 'abc', '+90 532 123 45 678', '=1+2', '0532-123-45-67; drop'])('refuses %p', (raw) => {
    expect(normalizePhone(raw)).toBeUndefined();
  });
  it('prints Turkish numbers the way planners dial them', () => {
    expect(formatPhone('+905321234567')).toBe('0532 123 45 67');
    expect(formatPhone('+49301234567')).toBe('+49301234567');
  });
});

describe('requests', () => {
  const requests = [
    { meetingId: 1, areaId: 'ulasim', mahalleId: 'ataturk', supporters: 12 },
    { meetingId: 1, areaId: 'ulasim', mahalleId: 'ataturk', supporters: 3 },
    { meetingId: 1, areaId: 'park', mahalleId: null, supporters: 30 },
    { meetingId: 1, areaId: 'temizlik', mahalleId: 'gazi', supporters: 1 },
    { meetingId: 1, areaId: 'kultur', mahalleId: 'gazi', supporters: 1 },
    { meetingId: 2, areaId: 'park', mahalleId: 'gazi', supporters: 5 },
  ];
  it('count by activity area, most requests first, then most supporters', () => {
    expect(tally(requests, (r) => r.areaId)).toEqual([
      { key: 'park', requests: 2, supporters: 35 },
      { key: 'ulasim', requests: 2, supporters: 15 },
      { key: 'kultur', requests: 1, supporters: 1 },
      { key: 'temizlik', requests: 1, supporters: 1 },
    ]);
  });
  it('count by mahalle, leaving out requests with none', () => {
    expect(tally(requests, (r) => r.mahalleId)).toEqual([
      { key: 'gazi', requests: 3, supporters: 7 },
      { key: 'ataturk', requests: 2, supporters: 15 },
    ]);
  });
  it('give each meeting its top three topics, ties in the master list order', () => {
    expect(topAreas(requests, 1, ['temizlik', 'kultur', 'park', 'ulasim'])).toEqual(['ulasim', 'park', 'temizlik']);
    expect(topAreas(requests, 2)).toEqual(['park']);
    expect(topAreas(requests, 3)).toEqual([]);
  });
  it('cross activity areas with meetings, with totals both ways', () => {
    expect(areaByMeeting(requests, ['ulasim', 'park', 'imar', 'temizlik', 'kultur'], [1, 2])).toEqual({
      rows: [
        { areaId: 'ulasim', counts: [2, 0], total: 2 },
        { areaId: 'park', counts: [1, 1], total: 2 },
        { areaId: 'temizlik', counts: [1, 0], total: 1 },
        { areaId: 'kultur', counts: [1, 0], total: 1 },
      ],
      totals: [5, 1],
      total: 6,
    });
  });
});

describe('accessibility needs planners may see', () => {
  const sign = (id: number, need: string | null, status: 'confirmed' | 'waitlisted' | 'cancelled' = 'confirmed') => ({ id, status, accessibility_need: need });
  const consent = (registrationId: number, purpose = 'accessibility_need', withdrawnAt: string | null = null) => ({ purpose, registrationId, withdrawnAt });

  it('shows a need only with an active consent to it, and counts the ones collected without', () => {
    const registrations = [sign(1, 'Rampa'), sign(2, 'İşaret dili', 'waitlisted'), sign(3, 'Eski ihtiyaç'), sign(4, null), sign(5, 'Başka amaç'), sign(6, 'Geri alınmış')];
    const consents = [consent(1), consent(2), consent(4), consent(5, 'future_meetings'), consent(6, 'accessibility_need', '2026-11-22T10:00:00.000Z')];
    const { shown, withheld } = visibleAccessibilityNeeds(registrations, consents);
    expect(shown.map((s) => [s.registration.id, s.consent.registrationId])).toEqual([
      [1, 1],
      [2, 2],
    ]);
    // 3: typed before consent was asked; 5: consent to something else; 6: withdrawn (normally erased too).
    expect(withheld).toBe(3);
  });

  it('leaves out cancelled sign-ups entirely', () => {
    expect(visibleAccessibilityNeeds([sign(1, 'Rampa', 'cancelled'), sign(2, 'Rampa', 'cancelled')], [consent(1)])).toEqual({ shown: [], withheld: 0 });
  });
});

describe('calendar file', () => {
  const meeting = {
    uid: 'meeting-7-12',
    title: 'Gazi Mahallesi Buluşması; "çay, simit"',
    venue: 'Gazi Muhtarlığı',
    address: 'Çınar Cad. No: 4, Yeşilvadi',
    starts_at: '2026-12-05T16:00:00.000Z',
    ends_at: '2026-12-05T18:00:00.000Z',
    sequence: 3,
    cancelled: false,
    description: 'Satır 1\nSatır 2',
    url: 'https://katilim.example.org/bulusmalar/kayit/1-abc',
  };

  it('parses, with the start and end at 19:00 and 21:00 in Istanbul', () => {
    const text = meetingCalendar(meeting, 'katilim.example.org', new Date('2026-11-21T07:00:00Z'));
    const event = new ICAL.Event(new ICAL.Component(ICAL.parse(text)).getFirstSubcomponent('vevent')!);
    const start = event.startDate.toJSDate();
    const end = event.endDate.toJSDate();
    expect(start.toISOString()).toBe('2026-12-05T16:00:00.000Z');
    expect(end.toISOString()).toBe('2026-12-05T18:00:00.000Z');
    const istanbul = (d: Date) => new Intl.DateTimeFormat('tr-TR', { timeZone: 'Europe/Istanbul', dateStyle: 'short', timeStyle: 'short' }).format(d);
    expect(istanbul(start)).toBe('5.12.2026 19:00');
    expect(istanbul(end)).toBe('5.12.2026 21:00');
    expect(event.summary).toBe(meeting.title);
    expect(event.location).toBe('Gazi Muhtarlığı, Çınar Cad. No: 4, Yeşilvadi');
    expect(event.description).toBe('Satır 1\nSatır 2');
    expect(event.uid).toBe('meeting-7-12@katilim.example.org');
    expect(event.sequence).toBe(3);
    expect(event.component.getFirstPropertyValue('status')).toBe('CONFIRMED');
    expect(String(event.component.getFirstPropertyValue('dtstamp'))).toContain('2026-11-21T07:00:00');
  });

  it('marks a cancelled meeting so calendars drop it: METHOD:CANCEL, same UID, higher SEQUENCE', () => {
    const published = new ICAL.Component(ICAL.parse(meetingCalendar(meeting, 'katilim.example.org', new Date())));
    const calendar = new ICAL.Component(ICAL.parse(meetingCalendar({ ...meeting, cancelled: true, sequence: 4 }, 'katilim.example.org', new Date())));
    expect(published.getFirstPropertyValue('method')).toBe('PUBLISH');
    expect(calendar.getFirstPropertyValue('method')).toBe('CANCEL');
    const event = calendar.getFirstSubcomponent('vevent')!;
    expect(event.getFirstPropertyValue('status')).toBe('CANCELLED');
    expect(event.getFirstPropertyValue('uid')).toBe(published.getFirstSubcomponent('vevent')!.getFirstPropertyValue('uid'));
    expect(event.getFirstPropertyValue('sequence')).toBe(4);
  });

  it('writes the times in Europe/Istanbul with a matching VTIMEZONE of one fixed +03:00 offset', () => {
    const text = meetingCalendar(meeting, 'katilim.example.org', new Date('2026-11-21T07:00:00Z'));
    expect(text).toContain('DTSTART;TZID=Europe/Istanbul:20261205T190000\r\n');
    expect(text).toContain('DTEND;TZID=Europe/Istanbul:20261205T210000\r\n');
    const calendar = new ICAL.Component(ICAL.parse(text));
    const zones = calendar.getAllSubcomponents('vtimezone');
    expect(zones).toHaveLength(1);
    expect(zones[0]!.getFirstPropertyValue('tzid')).toBe('Europe/Istanbul');
    const standard = zones[0]!.getAllSubcomponents('standard');
    expect(standard).toHaveLength(1);
    expect(zones[0]!.getAllSubcomponents('daylight')).toHaveLength(0);
    expect(String(standard[0]!.getFirstPropertyValue('tzoffsetfrom'))).toBe('+03:00');
    expect(String(standard[0]!.getFirstPropertyValue('tzoffsetto'))).toBe('+03:00');
    const vevent = calendar.getFirstSubcomponent('vevent')!;
    expect(vevent.getFirstProperty('dtstart')!.getParameter('tzid')).toBe('Europe/Istanbul');
    // ical.js resolves the TZID through the file's own VTIMEZONE (without it, 19:00 would read as UTC).
    const event = new ICAL.Event(vevent);
    expect(event.startDate.toJSDate().toISOString()).toBe('2026-12-05T16:00:00.000Z');
    expect(event.endDate.toJSDate().toISOString()).toBe('2026-12-05T18:00:00.000Z');
  });

  it('folds every line at 75 octets, CRLF, never inside a Turkish letter, and reads back whole', () => {
    const long = {
      ...meeting,
      title: 'Çağlayan, Şişli ve Göztepe Mahalleleri İçin Güvenli Okul Yolları, Yeşil Alanlar ve Ulaşım Üzerine Geniş Katılımlı Öğle Buluşması',
      venue: 'İğdecik Şehit Öğretmen Çiğdem Gündüz Ortaokulu Çok Amaçlı Salonu (Giriş Katı, Asansör Var)',
      address: 'Çiçekçi Sokağı No: 18/Ğ, Üsküdar Yolu Üzeri, Ağaçlı Göl Karşısı, Şükrüpaşa',
      description: 'Ağaç dikimi, kaldırım genişliği, çöp toplama saatleri ve gece aydınlatması üzerine görüşlerinizi bekliyoruz; çocuklarınızla gelebilirsiniz.',
    };
    const text = meetingCalendar(long, 'katilim.example.org', new Date('2026-11-21T07:00:00Z'));
    expect(text.endsWith('\r\n')).toBe(true);
    const lines = text.slice(0, -2).split('\r\n');
    expect(lines.every((line) => !line.includes('\n') && !line.includes('\r'))).toBe(true);
    for (const line of lines) expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
    // Long Turkish text did need folding.
    expect(lines.filter((line) => line.startsWith(' ')).length).toBeGreaterThan(4);
    expect(lines.some((line) => Buffer.byteLength(line, 'utf8') >= 74)).toBe(true);
    const event = new ICAL.Event(new ICAL.Component(ICAL.parse(text)).getFirstSubcomponent('vevent')!);
    expect(event.summary).toBe(long.title);
    expect(event.location).toBe(`${long.venue}, ${long.address}`);
    expect(event.description).toBe(long.description);
  });
});
