import { describe, expect, it } from 'vitest';
import { adjustPValues, compareSegments } from '../../src/analytics/segmentation.js';

describe('adjustPValues', () => {
  // p = [0.01, 0.04, 0.03, 0.005], m = 4; sorted 0.005, 0.01, 0.03, 0.04.
  const p = [0.01, 0.04, 0.03, 0.005];

  it('applies Benjamini–Hochberg', () => {
    // p·m/rank: 0.02, 0.02, 0.04, 0.04; running minimum from the largest keeps them.
    const adjusted = adjustPValues(p, 'benjamini_hochberg');
    [0.02, 0.04, 0.04, 0.02].forEach((want, i) => expect(adjusted[i]).toBeCloseTo(want, 12));
  });

  it('applies Holm', () => {
    // (m − rank + 1)·p: 4·0.005 = 0.02, 3·0.01 = 0.03, 2·0.03 = 0.06, 1·0.04 = 0.04 → running max 0.06.
    const adjusted = adjustPValues(p, 'holm');
    [0.03, 0.06, 0.06, 0.02].forEach((want, i) => expect(adjusted[i]).toBeCloseTo(want, 12));
  });

  it('caps at 1, passes nulls through and leaves them out of m', () => {
    // Two real p-values: BH 0.6·2/2 = 0.6, 0.5·2/1 = 1.0 → min(1, 0.6) = 0.6 for both; Holm 2·0.5 = 1, max(1, 0.6) = 1.
    expect(adjustPValues([0.5, null, 0.6], 'benjamini_hochberg')).toEqual([0.6, null, 0.6]);
    expect(adjustPValues([0.5, null, 0.6], 'holm')).toEqual([1, null, 1]);
    expect(adjustPValues([], 'holm')).toEqual([]);
  });
});

describe('compareSegments', () => {
  it('tests conversion rate per channel with a z-test and flags only what survives correction', () => {
    const rows = compareSegments({
      kind: 'proportion',
      segments: [
        // z = 2.94246 → p ≈ 0.003256 (see stats.test.ts). 'social' has no test, so BH uses m = 2:
        // 0.003256·2/1 = 0.00651 < 0.05.
        { key: 'email', current: { successes: 200, trials: 1000 }, previous: { successes: 150, trials: 1000 } },
        // identical rates: z = 0, p = 1.
        { key: 'paid', current: { successes: 30, trials: 600 }, previous: { successes: 30, trials: 600 } },
        // no sessions this period: no value, no test.
        { key: 'social', current: { successes: 0, trials: 0 }, previous: { successes: 2, trials: 40 } },
      ],
    });
    expect(rows.map((r) => r.key)).toEqual(['email', 'paid', 'social']);
    const [email, paid, social] = rows;
    expect(email?.current).toBeCloseTo(0.2, 12);
    expect(email?.absoluteChange).toBeCloseTo(0.05, 12);
    expect(email?.relativeChange).toBeCloseTo(1 / 3, 12);
    expect(email?.adjustedPValue).toBeCloseTo(0.00651, 4);
    expect(email?.isSignificant).toBe(true);
    expect(paid?.pValue).toBe(1);
    expect(paid?.isSignificant).toBe(false);
    expect(social).toMatchObject({ current: null, previous: 0.05, pValue: null, adjustedPValue: null, isSignificant: false });
  });

  it('tests AOV with Welch from count, sum and sum of squares', () => {
    // current: 11 orders, mean 12.086, variance 5.5 → sum 132.946, sum of squares = 10·5.5 + 132.946²/11.
    // previous: 11 orders, mean 10, variance 5.5 → sum 110, sum of squares = 55 + 110²/11 = 1155.
    // t = 2.086, df = 20 → p = 0.05 (table); one segment, so adjusted = raw, significant at α = 0.1.
    const [row] = compareSegments(
      {
        kind: 'mean',
        segments: [
          {
            key: 'mobile',
            current: { count: 11, sum: 132.946, sumSquares: 55 + 132.946 ** 2 / 11 },
            previous: { count: 11, sum: 110, sumSquares: 1155 },
          },
        ],
      },
      { alpha: 0.1 },
    );
    expect(row?.current).toBeCloseTo(12.086, 10);
    expect(row?.test?.test).toBe('welch_t');
    expect(Math.abs((row?.pValue ?? 0) - 0.05)).toBeLessThan(5e-4);
    expect(row?.isSignificant).toBe(true);
  });

  it('tests order counts per day with the exact Poisson test and Holm on request', () => {
    // DE: 10 orders in 7 days vs 2 in 7 days → p = 158/4096 = 0.03857; FR: 5 vs 5 → p = 1.
    // Holm, m = 2: DE 2·0.03857 = 0.0771 (not significant at 0.05); FR max(0.0771, 1) = 1.
    const rows = compareSegments(
      {
        kind: 'rate',
        segments: [
          { key: 'DE', current: { count: 10, exposure: 7 }, previous: { count: 2, exposure: 7 } },
          { key: 'FR', current: { count: 5, exposure: 7 }, previous: { count: 5, exposure: 7 } },
        ],
      },
      { correction: 'holm' },
    );
    expect(rows[0]?.current).toBeCloseTo(10 / 7, 12);
    expect(rows[0]?.relativeChange).toBeCloseTo(4, 12);
    expect(rows[0]?.adjustedPValue).toBeCloseTo((2 * 158) / 4096, 12);
    expect(rows[0]?.isSignificant).toBe(false);
    expect(rows[1]?.adjustedPValue).toBe(1);
  });
});
