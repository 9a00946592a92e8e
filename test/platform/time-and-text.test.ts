import { foldTurkish, includesFolded } from '../../server/platform/text';
import { endOfDayIso, isoToZonedInput, zonedToIso } from '../../server/platform/time';

describe('zonedToIso', () => {
  it('reads a wall-clock time in the given zone', () => {
    expect(zonedToIso('2026-06-01T09:30', 'Europe/Istanbul')).toBe('2026-06-01T06:30:00.000Z');
    expect(zonedToIso('2026-06-01', 'Europe/Istanbul')).toBe('2026-05-31T21:00:00.000Z');
    expect(zonedToIso('2026-01-15T12:00', 'Europe/London')).toBe('2026-01-15T12:00:00.000Z');
    expect(zonedToIso('2026-07-15T12:00', 'Europe/London')).toBe('2026-07-15T11:00:00.000Z');
  });
  it('refuses what is not a real date and time', () => {
    for (const bad of ['2026-02-30T10:00', '2026-06-01T24:00', '01.06.2026', '']) expect(zonedToIso(bad, 'Europe/Istanbul')).toBeUndefined();
  });
  it('round-trips with isoToZonedInput, and ends a day at the next midnight', () => {
    expect(isoToZonedInput('2026-06-01T06:30:00.000Z', 'Europe/Istanbul')).toBe('2026-06-01T09:30');
    expect(endOfDayIso('2026-06-01', 'Europe/Istanbul')).toBe('2026-06-01T21:00:00.000Z');
  });
});

describe('foldTurkish', () => {
  it('matches Turkish capitals, dotted and dotless i and diacritics the way people expect', () => {
    expect(foldTurkish('İSTANBUL')).toBe('istanbul');
    expect(foldTurkish('ISPARTA')).toBe('isparta');
    expect(foldTurkish('Çevre Işığı')).toBe('cevre isigi');
    expect(includesFolded('Kaldırımlar onarılmalı', 'KALDIRIM')).toBe(true);
    expect(includesFolded('Çöp toplama', 'cop')).toBe(true);
    expect(includesFolded('Park', 'bahçe')).toBe(false);
  });
});
