// A KPI split by a dimension (channel, device, country, RFM segment), current vs comparison period,
// with the test that suits the KPI and a correction for testing many segments in one answer.

import { change, ratio } from './kpi.js';
import type { Change } from './kpi.js';
import { poissonRateTest, sampleStatsFromSums, twoProportionZTest, welchTTest } from './stats.js';
import type { Proportion, Rate, Sums, TestResult } from './stats.js';

type Periods<T> = { key: string; current: T; previous: T };

/**
 * - `proportion`: conversion or repeat rate (successes / trials), two-proportion z-test.
 * - `mean`: a per-unit mean such as AOV from count, sum and sum of squares, Welch's t-test.
 * - `rate`: event counts per unit of exposure (orders per day), exact Poisson rate test. Revenue is
 *   not a count of events; compare revenue as a `mean` of daily (or per-session) revenue instead.
 */
export type SegmentKpiInput =
  | { kind: 'proportion'; segments: readonly Periods<Proportion>[] }
  | { kind: 'mean'; segments: readonly Periods<Sums>[] }
  | { kind: 'rate'; segments: readonly Periods<Rate>[] };

export type Correction = 'benjamini_hochberg' | 'holm';

export type SegmentOptions = { alpha?: number; correction?: Correction };

export type SegmentChange = Change & {
  key: string;
  test: TestResult | null;
  pValue: number | null;
  adjustedPValue: number | null;
  isSignificant: boolean;
};

const DEFAULT_ALPHA = 0.05;

/** One row per segment, in input order; significance uses the adjusted p-value against alpha. */
export function compareSegments(input: SegmentKpiInput, options: SegmentOptions = {}): SegmentChange[] {
  const alpha = options.alpha ?? DEFAULT_ALPHA;
  const rows = testSegments(input);
  const adjusted = adjustPValues(
    rows.map((row) => row.test?.pValue ?? null),
    options.correction ?? 'benjamini_hochberg',
  );
  return rows.map((row, i) => {
    const adjustedPValue = adjusted[i] ?? null;
    return {
      key: row.key,
      ...row.change,
      test: row.test,
      pValue: row.test?.pValue ?? null,
      adjustedPValue,
      isSignificant: adjustedPValue !== null && adjustedPValue < alpha,
    };
  });
}

function testSegments(input: SegmentKpiInput): { key: string; change: Change; test: TestResult | null }[] {
  switch (input.kind) {
    case 'proportion':
      return input.segments.map(({ key, current, previous }) => ({
        key,
        change: change(ratio(current.successes, current.trials), ratio(previous.successes, previous.trials)),
        test: twoProportionZTest(current, previous),
      }));
    case 'mean':
      return input.segments.map(({ key, current, previous }) => ({
        key,
        change: change(ratio(current.sum, current.count), ratio(previous.sum, previous.count)),
        test: welchTTest(sampleStatsFromSums(current), sampleStatsFromSums(previous)),
      }));
    case 'rate':
      return input.segments.map(({ key, current, previous }) => ({
        key,
        change: change(ratio(current.count, current.exposure), ratio(previous.count, previous.exposure)),
        test: poissonRateTest(current, previous),
      }));
  }
}

/**
 * Multiple-comparison adjustment over the non-null p-values (nulls pass through and do not count
 * towards m). Benjamini & Hochberg (1995) step-up FDR control, or Holm (1979) step-down FWER control;
 * both as R's p.adjust computes them, capped at 1 and monotone in the raw p-value.
 */
export function adjustPValues(pValues: readonly (number | null)[], method: Correction): (number | null)[] {
  const ranked = pValues
    .map((p, index) => ({ p, index }))
    .filter((entry): entry is { p: number; index: number } => entry.p !== null)
    .sort((x, y) => x.p - y.p || x.index - y.index);
  const m = ranked.length;
  const result: (number | null)[] = pValues.map(() => null);
  if (method === 'holm') {
    let runningMax = 0;
    ranked.forEach(({ p, index }, i) => {
      runningMax = Math.max(runningMax, Math.min(1, (m - i) * p));
      result[index] = runningMax;
    });
  } else {
    let runningMin = 1;
    for (let i = m - 1; i >= 0; i--) {
      const entry = ranked[i];
      if (entry === undefined) continue;
      runningMin = Math.min(runningMin, (entry.p * m) / (i + 1));
      result[entry.index] = runningMin;
    }
  }
  return result;
}
