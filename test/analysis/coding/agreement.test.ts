// Cohen's kappa and the disagreements between two coders, checked against values worked out by hand.
import { agreementByTheme, cohensKappa, disagreements } from '../../../server/analysis/coding/agreement';

describe('cohensKappa', () => {
  it('gives 0.4 for 20 both, 5 first only, 10 second only, 15 neither', () => {
    // n = 50; pₒ = 35/50 = 0.7; yes-rates 25/50 = 0.5 and 30/50 = 0.6; pₑ = 0.5·0.6 + 0.5·0.4 = 0.5; κ = 0.2/0.5.
    expect(cohensKappa({ both: 20, firstOnly: 5, secondOnly: 10, neither: 15 })).toBeCloseTo(0.4, 10);
  });

  it('gives 0.1304 for 45 both, 15 first only, 25 second only, 15 neither', () => {
    // n = 100; pₒ = 0.6; yes-rates 0.6 and 0.7; pₑ = 0.42 + 0.12 = 0.54; κ = 0.06/0.46 = 0.130434…
    expect(cohensKappa({ both: 45, firstOnly: 15, secondOnly: 25, neither: 15 })).toBeCloseTo(0.06 / 0.46, 10);
  });

  it('gives 1 for full agreement and -1 for full disagreement at even rates', () => {
    expect(cohensKappa({ both: 3, firstOnly: 0, secondOnly: 0, neither: 2 })).toBe(1);
    // pₒ = 0; yes-rates 0.5 and 0.5; pₑ = 0.5; κ = −0.5/0.5.
    expect(cohensKappa({ both: 0, firstOnly: 2, secondOnly: 2, neither: 0 })).toBe(-1);
  });

  it('gives 0 when agreement is what chance gives', () => {
    // n = 4; pₒ = 0.5; yes-rates 0.5 and 0.5; pₑ = 0.5.
    expect(cohensKappa({ both: 1, firstOnly: 1, secondOnly: 1, neither: 1 })).toBe(0);
  });

  it('is undefined (null) with no answers or when both coders said the same of every answer', () => {
    expect(cohensKappa({ both: 0, firstOnly: 0, secondOnly: 0, neither: 0 })).toBeNull();
    expect(cohensKappa({ both: 0, firstOnly: 0, secondOnly: 0, neither: 7 })).toBeNull();
    expect(cohensKappa({ both: 7, firstOnly: 0, secondOnly: 0, neither: 0 })).toBeNull();
  });
});

describe('agreementByTheme', () => {
  it('counts each theme over every answer both coded, with its kappa', () => {
    const codings = [
      { answerId: 1, first: [10], second: [10], settled: false },
      { answerId: 2, first: [10, 11], second: [11], settled: false },
      { answerId: 3, first: [], second: [10], settled: true },
      { answerId: 4, first: [11], second: [11], settled: false },
    ];
    // Theme 10: both 1 (a1), first only 1 (a2), second only 1 (a3), neither 1 (a4) → κ = 0.
    // Theme 11: both 2 (a2, a4), neither 2 → κ = 1. Theme 12: neither 4 → undefined.
    expect(agreementByTheme([10, 11, 12], codings)).toEqual([
      { themeId: 10, both: 1, firstOnly: 1, secondOnly: 1, neither: 1, kappa: 0 },
      { themeId: 11, both: 2, firstOnly: 0, secondOnly: 0, neither: 2, kappa: 1 },
      { themeId: 12, both: 0, firstOnly: 0, secondOnly: 0, neither: 4, kappa: null },
    ]);
  });
});

describe('disagreements', () => {
  it('lists unsettled answers whose themes differ, whatever their order', () => {
    const codings = [
      { answerId: 1, first: [10, 11], second: [11, 10], settled: false },
      { answerId: 2, first: [10], second: [], settled: false },
      { answerId: 3, first: [10], second: [11], settled: true },
      { answerId: 4, first: [10], second: [10, 11], settled: false },
    ];
    expect(disagreements(codings).map((c) => c.answerId)).toEqual([2, 4]);
  });
});
