// KVKK retention as pure functions: personal data of meeting sign-ups, invitations and
// self-registrations is kept until the plan's adoption date plus a set number of months
// (municipality.json privacy.retentionMonths), then anonymised; aggregated results stay.
import { daysBetween, isIsoDate, todayIn, zonedToIso } from '../platform/time';

/** What a sign-up's name becomes: counts and attendance stay, the person is gone. */
export const ANONYMOUS_NAME = 'Anonim';


/**
 * Calendar months later. A month without that day ends the period on its last day
 * (2025-03-31 + 11 months = 2026-02-28), as periods "in months" are counted (TBK art. 92).
 */
export function addMonths(isoDate: string, months: number): string {
  const [year, month, day] = isoDate.split('-').map(Number) as [number, number, number];
  const target = new Date(Date.UTC(year, month - 1 + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(day, lastDay));
  return target.toISOString().slice(0, 10);
}

export interface RetentionPlan {
  adoptedOn: string;
  months: number;
  /** The first day the data is no longer kept. */
  retentionOn: string;
  /** That day's start in the municipality's time zone: records created before it are anonymised. */
  cutoffAt: string;
}

export function retentionPlan(adoptedOn: string, months: number, timeZone: string): RetentionPlan {
  const retentionOn = addMonths(adoptedOn, months);
  return { adoptedOn, months, retentionOn, cutoffAt: zonedToIso(retentionOn, timeZone)! };
}

export type RetentionState =
  | { kind: 'no_adoption' }
  | { kind: 'waiting'; plan: RetentionPlan; daysLeft: number }
  | { kind: 'due'; plan: RetentionPlan };

/** Where retention stands now: no adoption date yet, waiting for the date, or due (anonymise). */
export function retentionState(adoptedOn: string | undefined, months: number, timeZone: string, now: Date): RetentionState {
  if (!adoptedOn || !isIsoDate(adoptedOn)) return { kind: 'no_adoption' };
  const plan = retentionPlan(adoptedOn, months, timeZone);
  if (Date.parse(plan.cutoffAt) <= now.getTime()) return { kind: 'due', plan };
  return { kind: 'waiting', plan, daysLeft: daysBetween(todayIn(timeZone, now), plan.retentionOn) };
}

/** The error key for an adoption date a planner typed, or undefined when it is acceptable. */
export function adoptionDateError(value: string, today: string): string | undefined {
  if (!isIsoDate(value)) return 'privacy_admin:retention.errors.date_invalid';
  if (value < '2000-01-01') return 'privacy_admin:retention.errors.date_too_early';
  // Adoption is something that happened: a date ahead would start the clock on a guess.
  if (value > today) return 'privacy_admin:retention.errors.date_future';
  return undefined;
}
