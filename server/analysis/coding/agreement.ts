// Agreement between two coders of the same answers: per theme, Cohen's kappa over the answers both
// coded (did each coder give the answer this theme, yes or no?), and the answers they coded differently.

/** For one theme, over the answers both coded: how many each coder gave it, and both or neither. */
export interface AgreementCounts {
  both: number;
  firstOnly: number;
  secondOnly: number;
  neither: number;
}

/**
 * Cohen's kappa, κ = (pₒ − pₑ) / (1 − pₑ): the observed agreement beyond what chance would give
 * with each coder's own yes-rate. Null when it is undefined: no answers, or both coders said the
 * same single thing of every answer (pₑ = 1), where agreement is total but says nothing.
 */
export function cohensKappa(counts: AgreementCounts): number | null {
  const n = counts.both + counts.firstOnly + counts.secondOnly + counts.neither;
  if (n === 0) return null;
  const observed = (counts.both + counts.neither) / n;
  const firstYes = (counts.both + counts.firstOnly) / n;
  const secondYes = (counts.both + counts.secondOnly) / n;
  const chance = firstYes * secondYes + (1 - firstYes) * (1 - secondYes);
  if (chance === 1) return null;
  return (observed - chance) / (1 - chance);
}

export interface DoubleCoding {
  answerId: number;
  /** Coder 1's themes when coder 2 coded the answer. */
  first: number[];
  second: number[];
  settled: boolean;
}

export interface ThemeAgreement extends AgreementCounts {
  themeId: number;
  kappa: number | null;
}

/** Per theme (in the order given), the counts and kappa over every answer both coded. */
export function agreementByTheme(themeIds: number[], codings: DoubleCoding[]): ThemeAgreement[] {
  return themeIds.map((themeId) => {
    const counts: AgreementCounts = { both: 0, firstOnly: 0, secondOnly: 0, neither: 0 };
    for (const coding of codings) {
      const first = coding.first.includes(themeId);
      const second = coding.second.includes(themeId);
      if (first && second) counts.both += 1;
      else if (first) counts.firstOnly += 1;
      else if (second) counts.secondOnly += 1;
      else counts.neither += 1;
    }
    return { themeId, ...counts, kappa: cohensKappa(counts) };
  });
}

/** Answers the two coders gave different themes, not yet settled. */
export function disagreements(codings: DoubleCoding[]): DoubleCoding[] {
  return codings.filter((coding) => !coding.settled && !sameThemes(coding.first, coding.second));
}

const sameThemes = (a: number[], b: number[]) => a.length === b.length && a.every((id) => b.includes(id));
