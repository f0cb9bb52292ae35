// Distributions and tests for segment comparisons, written out so every p-value is checkable.
// Special functions follow Press et al., Numerical Recipes in C, 2nd ed. (1992), §6.1–6.4.

import { logGamma } from './special-functions.js';

const MAX_ITERATIONS = 10_000;
const EPSILON = 3e-16;
const TINY = 1e-300;

/**
 * Regularised upper incomplete gamma Q(a, x) = 1 − P(a, x) (NR §6.2: series for P below a + 1,
 * continued fraction for Q above, so a small tail is never computed as 1 minus nearly 1).
 */
function regularizedGammaQ(a: number, x: number): number {
  if (x <= 0) return 1;
  const logPrefix = a * Math.log(x) - x - logGamma(a);
  if (x < a + 1) {
    let term = 1 / a;
    let sum = term;
    for (let n = 1; n < MAX_ITERATIONS; n++) {
      term *= x / (a + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * EPSILON) return 1 - sum * Math.exp(logPrefix);
    }
    throw new Error(`regularizedGammaQ(${a}, ${x}) did not converge`);
  }
  // NR gcf: modified Lentz on 1/(x+1-a+) (-1·(1-a))/(x+3-a+) (-2·(2-a))/(x+5-a+) ...
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < MAX_ITERATIONS; i++) {
    const an = -i * (i - a);
    b += 2;
    d = nonZero(an * d + b);
    c = nonZero(b + an / c);
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPSILON) return Math.exp(logPrefix) * h;
  }
  throw new Error(`regularizedGammaQ(${a}, ${x}) did not converge`);
}

/** Regularised incomplete beta I_x(a, b) (NR §6.4 betacf, on the side where the fraction converges fast). */
function regularizedBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  if (x > (a + 1) / (a + b + 2)) return 1 - regularizedBeta(1 - x, b, a);
  const logPrefix = logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x);
  let c = 1;
  let d = 1 / nonZero(1 - ((a + b) * x) / (a + 1));
  let h = d;
  for (let m = 1; m < MAX_ITERATIONS; m++) {
    const even = (m * (b - m) * x) / ((a + 2 * m - 1) * (a + 2 * m));
    d = 1 / nonZero(1 + even * d);
    c = nonZero(1 + even / c);
    h *= d * c;
    const odd = (-(a + m) * (a + b + m) * x) / ((a + 2 * m) * (a + 2 * m + 1));
    d = 1 / nonZero(1 + odd * d);
    c = nonZero(1 + odd / c);
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPSILON) return (Math.exp(logPrefix) * h) / a;
  }
  throw new Error(`regularizedBeta(${x}, ${a}, ${b}) did not converge`);
}

/** Lentz's guard: a zero denominator is replaced by a tiny number so the recurrence can continue. */
function nonZero(value: number): number {
  return Math.abs(value) < TINY ? TINY : value;
}

/** Standard normal CDF Φ(z) = ½·erfc(−z/√2), with erfc(u) = Q(½, u²) for u ≥ 0 (NR §6.2). */
export function normalCdf(z: number): number {
  const tail = 0.5 * regularizedGammaQ(0.5, (z * z) / 2);
  return z >= 0 ? 1 - tail : tail;
}

/** Two-sided p-value of a standard normal statistic: 2·(1 − Φ(|z|)), computed on the tail for accuracy. */
export function normalTwoSidedP(z: number): number {
  return regularizedGammaQ(0.5, (z * z) / 2);
}

/** Student t CDF with (possibly fractional) df: tail = ½·I_{df/(df+t²)}(df/2, ½) (NR §6.4, eq. 6.4.9). */
export function studentTCdf(t: number, df: number): number {
  const tail = 0.5 * regularizedBeta(df / (df + t * t), df / 2, 0.5);
  return t >= 0 ? 1 - tail : tail;
}

/** Two-sided p-value of a t statistic: I_{df/(df+t²)}(df/2, ½). */
export function studentTTwoSidedP(t: number, df: number): number {
  return regularizedBeta(df / (df + t * t), df / 2, 0.5);
}

/** P(X ≥ k) for X ~ Binomial(n, p), via P(X ≥ k) = I_p(k, n − k + 1) (NR §6.4, eq. 6.4.12). */
function binomialUpperTail(k: number, n: number, p: number): number {
  if (k <= 0) return 1;
  if (k > n) return 0;
  return regularizedBeta(p, k, n - k + 1);
}

/**
 * P(X ≤ k) for X ~ Binomial(n, p), as I_{1−p}(n − k, k + 1) (NR §6.4, eq. 6.4.12 by symmetry), so a
 * small tail keeps its precision; 1 for k ≥ n and 0 for k < 0.
 */
export function binomialLowerTail(k: number, n: number, p: number): number {
  if (k < 0) return 0;
  if (k >= n) return 1;
  return regularizedBeta(1 - p, n - k, k + 1);
}

/**
 * A two-sided test's outcome. `statistic` is z, t or the rate ratio, as `test` says; null where it
 * is undefined (a zero denominator), while the p-value still says what the data support.
 */
export type TestResult = {
  test: 'two_proportion_z' | 'welch_t' | 'poisson_exact';
  statistic: number | null;
  df: number | null;
  pValue: number;
};

export type Proportion = { successes: number; trials: number };
export type SampleStats = { n: number; mean: number; variance: number };
export type Rate = { count: number; exposure: number };

export type Sums = { count: number; sum: number; sumSquares: number };

/**
 * Mean and unbiased (n − 1) variance from the count, sum and sum of squares SQL returns.
 * Mean is 0 for an empty group and variance 0 below two observations; the tests return null there.
 */
export function sampleStatsFromSums(sums: Sums): SampleStats {
  const { count: n, sum, sumSquares } = sums;
  const mean = n > 0 ? sum / n : 0;
  // Floating-point cancellation can push an all-equal sample a hair below zero.
  const variance = n > 1 ? Math.max(0, (sumSquares - (sum * sum) / n) / (n - 1)) : 0;
  return { n, mean, variance };
}

/**
 * Pooled two-proportion z-test (Agresti, Categorical Data Analysis, 3rd ed., §3.1.2 / any intro text).
 * Null when either group has no trials. Identical 0% or 100% rates give z = 0, p = 1.
 */
export function twoProportionZTest(current: Proportion, previous: Proportion): TestResult | null {
  if (current.trials <= 0 || previous.trials <= 0) return null;
  const p1 = current.successes / current.trials;
  const p2 = previous.successes / previous.trials;
  const pooled = (current.successes + previous.successes) / (current.trials + previous.trials);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / current.trials + 1 / previous.trials));
  const z = se > 0 ? (p1 - p2) / se : 0;
  return { test: 'two_proportion_z', statistic: z, df: null, pValue: normalTwoSidedP(z) };
}

/**
 * Welch's unequal-variance t-test with Welch–Satterthwaite df (Welch 1947, Biometrika 34:28–35).
 * Null when a group has fewer than two observations. Two zero-variance groups: p = 1 if the means
 * are equal, else 0 (the difference is certain).
 */
export function welchTTest(current: SampleStats, previous: SampleStats): TestResult | null {
  if (current.n < 2 || previous.n < 2) return null;
  const a = current.variance / current.n;
  const b = previous.variance / previous.n;
  const diff = current.mean - previous.mean;
  if (a + b === 0) return { test: 'welch_t', statistic: diff === 0 ? 0 : null, df: null, pValue: diff === 0 ? 1 : 0 };
  const t = diff / Math.sqrt(a + b);
  const df = (a + b) ** 2 / (a ** 2 / (current.n - 1) + b ** 2 / (previous.n - 1));
  return { test: 'welch_t', statistic: t, df, pValue: studentTTwoSidedP(t, df) };
}

/**
 * Exact conditional test for two Poisson rates (Przyborowski & Wilenski 1940; R's poisson.test):
 * given n = c1 + c2 events, c1 ~ Binomial(n, e1 / (e1 + e2)) under equal rates. Two-sided p is twice
 * the smaller tail, capped at 1. `statistic` is the rate ratio current / previous (null when the
 * previous count is 0). Null when an exposure is not positive.
 */
export function poissonRateTest(current: Rate, previous: Rate): TestResult | null {
  if (current.exposure <= 0 || previous.exposure <= 0) return null;
  const n = current.count + previous.count;
  const ratio = previous.count > 0 ? current.count / current.exposure / (previous.count / previous.exposure) : null;
  if (n === 0) return { test: 'poisson_exact', statistic: null, df: null, pValue: 1 };
  const p = current.exposure / (current.exposure + previous.exposure);
  const tail = Math.min(binomialUpperTail(current.count, n, p), binomialLowerTail(current.count, n, p));
  return { test: 'poisson_exact', statistic: ratio, df: null, pValue: Math.min(1, 2 * tail) };
}
