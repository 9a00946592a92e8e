// The retention date as pure arithmetic: the plan's adoption date plus calendar months, ending at
// the start of that day in Istanbul.
import { daysBetween, isIsoDate, todayIn } from '../../server/platform/time';
import { addMonths, adoptionDateError, retentionPlan, retentionState } from '../../server/privacy/retention-rules';

const TZ = 'Europe/Istanbul';

describe('addMonths', () => {
  it('keeps the day of the month when the target month has it', () => {
    expect(addMonths('2025-03-31', 12)).toBe('2026-03-31');
    expect(addMonths('2025-01-15', 1)).toBe('2025-02-15');
    expect(addMonths('2025-11-30', 3)).toBe('2026-02-28');
  });

  it('ends on the last day of a shorter month (month-end)', () => {
    expect(addMonths('2025-03-31', 11)).toBe('2026-02-28');
    expect(addMonths('2025-03-31', 1)).toBe('2025-04-30');
    expect(addMonths('2023-03-31', 11)).toBe('2024-02-29');
    expect(addMonths('2024-02-29', 12)).toBe('2025-02-28');
    expect(addMonths('2024-02-29', 48)).toBe('2028-02-29');
  });

  it('crosses years and adds nothing for zero months', () => {
    expect(addMonths('2025-12-31', 2)).toBe('2026-02-28');
    expect(addMonths('2025-06-10', 0)).toBe('2025-06-10');
    expect(addMonths('2025-06-10', 120)).toBe('2035-06-10');
  });
});

describe('retentionPlan', () => {
  it('is the adoption date plus the months, from the start of that day in Istanbul', () => {
    expect(retentionPlan('2025-03-31', 12, TZ)).toEqual({ adoptedOn: '2025-03-31', months: 12, retentionOn: '2026-03-31', cutoffAt: '2026-03-30T21:00:00.000Z' });
    expect(retentionPlan('2025-03-31', 11, TZ).cutoffAt).toBe('2026-02-27T21:00:00.000Z');
  });
});

describe('retentionState', () => {
  it('waits without an adoption date', () => {
    expect(retentionState(undefined, 12, TZ, new Date('2030-01-01T00:00:00Z'))).toEqual({ kind: 'no_adoption' });
  });

  it('counts the days left until the date, and is due from its first moment', () => {
    const before = retentionState('2025-03-31', 12, TZ, new Date('2026-03-30T20:59:59Z'));
    expect(before).toMatchObject({ kind: 'waiting', daysLeft: 1 });
    expect(retentionState('2025-03-31', 12, TZ, new Date('2026-03-20T09:00:00Z'))).toMatchObject({ kind: 'waiting', daysLeft: 11 });
    expect(retentionState('2025-03-31', 12, TZ, new Date('2026-03-30T21:00:00Z'))).toMatchObject({ kind: 'due', plan: { retentionOn: '2026-03-31' } });
  });
});

describe('adoptionDateError', () => {
  it('accepts a real date up to today', () => {
    expect(adoptionDateError('2026-11-20', '2026-11-21')).toBeUndefined();
    expect(adoptionDateError('2026-11-21', '2026-11-21')).toBeUndefined();
  });

  it('refuses impossible, malformed, future and very old dates', () => {
    expect(adoptionDateError('2025-02-30', '2026-11-21')).toBe('privacy_admin:retention.errors.date_invalid');
    expect(adoptionDateError('31.03.2025', '2026-11-21')).toBe('privacy_admin:retention.errors.date_invalid');
    expect(adoptionDateError('', '2026-11-21')).toBe('privacy_admin:retention.errors.date_invalid');
    expect(adoptionDateError('2026-11-22', '2026-11-21')).toBe('privacy_admin:retention.errors.date_future');
    expect(adoptionDateError('1999-12-31', '2026-11-21')).toBe('privacy_admin:retention.errors.date_too_early');
  });
});

describe('calendar helpers', () => {
  it('reads today on the Istanbul calendar', () => {
    expect(todayIn(TZ, new Date('2026-11-21T21:30:00Z'))).toBe('2026-11-22');
    expect(todayIn(TZ, new Date('2026-11-21T20:30:00Z'))).toBe('2026-11-21');
  });

  it('counts days between dates and checks dates', () => {
    expect(daysBetween('2026-02-27', '2026-03-01')).toBe(2);
    expect(daysBetween('2026-03-01', '2026-02-27')).toBe(-2);
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2025-02-29')).toBe(false);
  });
});
