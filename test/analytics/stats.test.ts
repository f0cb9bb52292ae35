import { describe, expect, it } from 'vitest';
import {
  binomialLowerTail,
  normalCdf,
  normalTwoSidedP,
  poissonRateTest,
  sampleStatsFromSums,
  studentTCdf,
  studentTTwoSidedP,
  twoProportionZTest,
  welchTTest,
} from '../../src/analytics/stats.js';

describe('normal distribution', () => {
  // Abramowitz & Stegun (1964), Table 26.1: Φ(1) = 0.8413447461, Φ(2) = 0.9772498681, Φ(3) = 0.9986501020.
  it('matches the Abramowitz & Stegun table to 1e-9', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 12);
    expect(normalCdf(1)).toBeCloseTo(0.8413447461, 9);
    expect(normalCdf(2)).toBeCloseTo(0.9772498681, 9);
    expect(normalCdf(-3)).toBeCloseTo(1 - 0.998650102, 9);
  });

  it('gives two-sided p = 0.05 at z = 1.96 and 0.01 at z = 2.576 (textbook critical values, 3 decimals)', () => {
    expect(normalTwoSidedP(1.96)).toBeCloseTo(0.05, 4);
    expect(normalTwoSidedP(-1.96)).toBeCloseTo(0.05, 4);
    expect(normalTwoSidedP(2.576)).toBeCloseTo(0.01, 4);
    expect(normalTwoSidedP(0)).toBe(1);
  });

  it('keeps precision far in the tail (Φ(−10) ≈ 7.6199e−24, A&S 26.2.12 asymptotics)', () => {
    expect(normalCdf(-10) / 7.6198530242e-24).toBeCloseTo(1, 6);
  });
});

describe('Student t distribution', () => {
  // Two-sided critical values from any t table (e.g. NIST/SEMATECH e-Handbook §1.3.6.7.2), 3 decimals,
  // so the p-value is checked to ±5e-4 of the table's α.
  it.each([
    [12.706, 1, 0.05],
    [2.228, 10, 0.05],
    [2.086, 20, 0.05],
    [3.169, 10, 0.01],
    [2.750, 30, 0.01],
    [1.725, 20, 0.1],
  ])('t = %f with df = %i gives two-sided p = %f', (t, df, alpha) => {
    expect(Math.abs(studentTTwoSidedP(t, df) - alpha)).toBeLessThan(5e-4);
  });

  it('matches the closed forms for df = 1 (Cauchy) and df = 2', () => {
    // df = 1: F(t) = ½ + atan(t)/π, so F(1) = 0.75. df = 2: F(t) = ½ + t / (2·√(2 + t²)), F(2) = ½ + 2/(2√6).
    expect(studentTCdf(1, 1)).toBeCloseTo(0.75, 12);
    expect(studentTCdf(-3, 1)).toBeCloseTo(0.5 + Math.atan(-3) / Math.PI, 12);
    expect(studentTCdf(2, 2)).toBeCloseTo(0.5 + 2 / (2 * Math.sqrt(6)), 12);
  });

  it('approaches the normal distribution for very large df', () => {
    expect(studentTTwoSidedP(1.96, 1e7)).toBeCloseTo(normalTwoSidedP(1.96), 6);
  });
});

describe('two-proportion z-test', () => {
  it('compares 200/1000 with 150/1000', () => {
    // pooled = 350/2000 = 0.175; se = √(0.175·0.825·(2/1000)) = √0.00028875 = 0.0169926;
    // z = 0.05 / 0.0169926 = 2.94246. Table Φ(2.94) = 0.99836 → two-sided ≈ 0.0033.
    const result = twoProportionZTest({ successes: 200, trials: 1000 }, { successes: 150, trials: 1000 });
    expect(result?.statistic).toBeCloseTo(2.94246, 4);
    expect(result?.pValue).toBeCloseTo(0.00326, 4);
  });

  it('is null without trials and gives p = 1 when both rates are 0 %', () => {
    expect(twoProportionZTest({ successes: 0, trials: 0 }, { successes: 1, trials: 10 })).toBeNull();
    expect(twoProportionZTest({ successes: 0, trials: 50 }, { successes: 0, trials: 80 })?.pValue).toBe(1);
  });
});

describe("Welch's t-test from sufficient statistics", () => {
  it('turns count, sum and sum of squares into mean and sample variance', () => {
    // values 1, 2, 3, 4: sum 10, sum of squares 30; mean 2.5; variance (30 − 100/4)/3 = 5/3.
    const stats = sampleStatsFromSums({ count: 4, sum: 10, sumSquares: 30 });
    expect(stats.mean).toBe(2.5);
    expect(stats.variance).toBeCloseTo(5 / 3, 12);
  });

  it('reproduces the df = 20, t = 2.086 table point for equal groups', () => {
    // n = 11 each, variance 5.5 each: se = √(5.5/11 + 5.5/11) = 1, so t = mean difference = 2.086;
    // df = (0.5 + 0.5)² / (0.25/10 + 0.25/10) = 20. Table: two-sided p = 0.05.
    const result = welchTTest({ n: 11, mean: 12.086, variance: 5.5 }, { n: 11, mean: 10, variance: 5.5 });
    expect(result?.statistic).toBeCloseTo(2.086, 10);
    expect(result?.df).toBeCloseTo(20, 10);
    expect(Math.abs((result?.pValue ?? 0) - 0.05)).toBeLessThan(5e-4);
  });

  it('uses the Welch–Satterthwaite df for unequal groups', () => {
    // v1/n1 = 10/5 = 2, v2/n2 = 1/10 = 0.1; df = 2.1² / (2²/4 + 0.1²/9) = 4.41 / 1.0011111 = 4.405106.
    const result = welchTTest({ n: 5, mean: 3, variance: 10 }, { n: 10, mean: 1, variance: 1 });
    expect(result?.df).toBeCloseTo(4.405106, 5);
    expect(result?.statistic).toBeCloseTo(2 / Math.sqrt(2.1), 10);
  });

  it('is null with fewer than two observations; constant equal groups give p = 1', () => {
    expect(welchTTest({ n: 1, mean: 3, variance: 0 }, { n: 10, mean: 1, variance: 1 })).toBeNull();
    expect(welchTTest({ n: 3, mean: 5, variance: 0 }, { n: 4, mean: 5, variance: 0 })?.pValue).toBe(1);
  });
});

describe('binomial lower tail P(X ≤ k)', () => {
  it('matches tails summed by hand', () => {
    // P(X = 0 | 6, 0.875) = 0.125⁶ = 3.814697265625e-6.
    expect(binomialLowerTail(0, 6, 0.875)).toBeCloseTo(3.814697265625e-6, 15);
    // P(X ≤ 1 | 3, ½) = (1 + 3) / 8.
    expect(binomialLowerTail(1, 3, 0.5)).toBeCloseTo(0.5, 12);
    // P(X ≤ 2 | 10, 0.3) = 0.7¹⁰ + 10·0.3·0.7⁹ + 45·0.3²·0.7⁸ = 0.0282475249 + 0.1210608210 + 0.2334744405.
    expect(binomialLowerTail(2, 10, 0.3)).toBeCloseTo(0.3827827864, 10);
  });

  it('keeps its precision far in the tail: P(X = 0 | 100, 0.9) = 0.1¹⁰⁰', () => {
    expect(binomialLowerTail(0, 100, 0.9) / 1e-100).toBeCloseTo(1, 9);
  });

  it('is 1 from k = n on, 0 below k = 0, and certain at p = 0 or p = 1', () => {
    expect(binomialLowerTail(3, 3, 0.9)).toBe(1);
    expect(binomialLowerTail(-1, 3, 0.2)).toBe(0);
    expect(binomialLowerTail(0, 5, 0)).toBe(1);
    expect(binomialLowerTail(4, 5, 1)).toBe(0);
  });
});

describe('exact Poisson rate test', () => {
  it('compares 10 events with 2 in equal exposure like binom.test(10, 12)', () => {
    // n = 12, p = ½: P(X ≥ 10) = (66 + 12 + 1) / 4096 = 79/4096; two-sided = 158/4096 = 0.0385742.
    const result = poissonRateTest({ count: 10, exposure: 7 }, { count: 2, exposure: 7 });
    expect(result?.pValue).toBeCloseTo(158 / 4096, 12);
    expect(result?.statistic).toBe(5);
  });

  it('weights by exposure', () => {
    // 3 events in 1 day vs 0 in 2 days: n = 3, p = 1/3, P(X ≥ 3) = 1/27; two-sided = 2/27.
    const result = poissonRateTest({ count: 3, exposure: 1 }, { count: 0, exposure: 2 });
    expect(result?.pValue).toBeCloseTo(2 / 27, 12);
    expect(result?.statistic).toBeNull();
  });

  it('gives p = 1 with no events and null without exposure', () => {
    expect(poissonRateTest({ count: 0, exposure: 1 }, { count: 0, exposure: 1 })?.pValue).toBe(1);
    expect(poissonRateTest({ count: 4, exposure: 0 }, { count: 1, exposure: 1 })).toBeNull();
  });

  it('stays accurate for large counts (normal approximation as a cross-check)', () => {
    // 10 500 vs 10 000 in equal exposure: z ≈ (10500 − 10250)/√(20500·¼) = 250/71.589 = 3.4922 → p ≈ 4.8e-4.
    const result = poissonRateTest({ count: 10_500, exposure: 1 }, { count: 10_000, exposure: 1 });
    expect(result?.pValue).toBeGreaterThan(3.5e-4);
    expect(result?.pValue).toBeLessThan(6e-4);
  });
});
