// How many responses were left out of the results and why, in words, for the results page, the
// exports and the report: a reader of the numbers must be able to see what was not counted.
import { EXCLUSION_REASONS, SUPERSEDED } from '../surveys';

const ORDER: string[] = [...EXCLUSION_REASONS, SUPERSEDED];

/** "Deneme: 4, Mükerrer: 3" in the order of the reasons, zero counts left out; '' when none. */
export function exclusionReasonsText(counts: ReadonlyMap<string, number>, t: (key: string) => string): string {
  return exclusionRows(counts)
    .map(([reason, count]) => `${reasonLabel(reason, t)}: ${count}`)
    .join(', ');
}

export function reasonLabel(reason: string, t: (key: string) => string): string {
  return ORDER.includes(reason) ? t(`admin:responses.reasons.${reason}`) : reason;
}

/** The reasons with their counts, in the order of the reasons. */
export function exclusionRows(counts: ReadonlyMap<string, number>): [string, number][] {
  return [...counts.entries()].filter(([, count]) => count > 0).sort(([a], [b]) => rank(a) - rank(b));
}

const rank = (reason: string) => {
  const index = ORDER.indexOf(reason);
  return index === -1 ? ORDER.length : index;
};

/** One sentence: how many complete responses are excluded, per reason (or that none are). */
export function exclusionStatement(counts: ReadonlyMap<string, number>, t: (key: string, params?: Record<string, unknown>) => string): string {
  const total = [...counts.values()].reduce((sum, count) => sum + count, 0);
  if (total === 0) return t('results:exclusions.none');
  return t('results:exclusions.some', { count: total, reasons: exclusionReasonsText(counts, t) });
}
