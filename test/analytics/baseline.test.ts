import { describe, expect, it } from 'vitest';
import { robustBaseline, robustBaselines } from '../../src/analytics/baseline.js';
import type { HourlyPoint } from '../../src/analytics/baseline.js';
import { MINUTE_MS, HOUR_MS, WEEK_MS } from '../../src/analytics/time.js';

const AT = Date.parse('2026-11-23T10:00:00Z'); // a Monday, 10:00 UTC

/** Points at AT minus 1, 2, … weeks (null leaves that week out), plus `now` at AT itself. */
function series(previousWeeks: readonly (number | null)[], now: number | null): HourlyPoint[] {
  const points: HourlyPoint[] = [];
  previousWeeks.forEach((count, i) => {
    if (count !== null) points.push({ hour: AT - (i + 1) * WEEK_MS, count });
  });
  if (now !== null) points.push({ hour: new Date(AT).toISOString(), count: now });
  return points;
}

describe('robustBaseline', () => {
  it('computes median, MAD, robust z, percent below and band for a drop', () => {
    // Reference 100, 110, 90, 105, 95, 120 → sorted 90 95 100 105 110 120, median 102.5.
    // |deviations| 2.5 2.5 7.5 7.5 12.5 17.5 → MAD 7.5; scale = max(1.4826·7.5 = 11.1195, √102.5 = 10.12, 1).
    // z = (40 − 102.5)/11.1195 = −5.62080; below = 100·62.5/102.5 = 60.9756 %; band 102.5 ± 3·11.1195.
    const result = robustBaseline(series([100, 110, 90, 105, 95, 120], 40), AT);
    expect(result.median).toBe(102.5);
    expect(result.mad).toBe(7.5);
    expect(result.scale).toBeCloseTo(11.1195, 10);
    expect(result.robustZ).toBeCloseTo(-5.6208, 4);
    expect(result.percentBelowBaseline).toBeCloseTo(60.9756, 4);
    expect(result.band?.lower).toBeCloseTo(69.1415, 10);
    expect(result.band?.upper).toBeCloseTo(135.8585, 10);
    expect(result.reference).toEqual([100, 110, 90, 105, 95, 120]);
  });

  it('looks back only the requested number of weeks and ignores other hours', () => {
    // weeks = 4 → reference 100 110 90 105, median 102.5; a point one hour off must not count.
    const points = [...series([100, 110, 90, 105, 1_000, 1_000], 102.5), { hour: AT - WEEK_MS + HOUR_MS, count: 9_999 }];
    const result = robustBaseline(points, AT, { weeks: 4 });
    expect(result.reference).toEqual([100, 110, 90, 105]);
    expect(result.robustZ).toBe(0);
  });

  it('floors the scale at √median when MAD is 0, and at 1 for a series of zeros', () => {
    // 50 every week: MAD 0, scale √50 = 7.0711; z = (30 − 50)/7.0711 = −2.8284.
    expect(robustBaseline(series([50, 50, 50, 50, 50, 50], 30), AT).robustZ).toBeCloseTo(-2.8284, 4);
    // 0 0 0 1 0 0: median 0, MAD 0, scale 1; z = 3; percent below undefined with a zero median.
    const quiet = robustBaseline(series([0, 0, 0, 1, 0, 0], 3), AT);
    expect(quiet.scale).toBe(1);
    expect(quiet.robustZ).toBe(3);
    expect(quiet.percentBelowBaseline).toBeNull();
    expect(quiet.band).toEqual({ lower: 0, upper: 3 });
  });

  it('leaves missing hours out unless the caller says they are complete, then counts them as 0', () => {
    // Weeks 4 and 6 missing. Unknown: reference 80 80 80 80, median 80.
    // Complete through AT: reference 80 80 80 0 80 0 → median 80, |dev| 0 0 0 0 80 80 → MAD 0, scale √80.
    const points = series([80, 80, 80, null, 80, null], 80);
    expect(robustBaseline(points, AT).reference).toEqual([80, 80, 80, 80]);
    const complete = robustBaseline(points, AT, { completeUntil: '2026-11-23T10:00:00Z' });
    expect(complete.reference).toEqual([80, 80, 80, 0, 80, 0]);
    expect(complete.scale).toBeCloseTo(Math.sqrt(80), 12);
  });

  it('treats the current hour as unknown while it is not complete, and as 0 once it is', () => {
    const points = series([10, 10, 10, 10], null);
    expect(robustBaseline(points, AT).value).toBeNull();
    expect(robustBaseline(points, AT).robustZ).toBeNull();
    expect(robustBaseline(points, AT, { completeUntil: AT + HOUR_MS }).value).toBe(0);
    expect(robustBaseline(points, AT, { completeUntil: AT + HOUR_MS }).percentBelowBaseline).toBe(100);
  });

  it('gives no baseline with too little history or no points at all', () => {
    const result = robustBaseline(series([10, 12], 11), AT);
    expect(result).toMatchObject({ value: 11, reference: [10, 12], median: null, robustZ: null, band: null });
    expect(robustBaseline([], AT).median).toBeNull();
  });

  it('adds up points in the same hour and accepts any time inside the hour', () => {
    const points = [...series([10, 10, 10], null), { hour: AT, count: 4 }, { hour: AT + 60_000, count: 3 }];
    expect(robustBaseline(points, AT + 30 * MINUTE_MS).value).toBe(7);
  });
});

describe('robustBaselines', () => {
  it('returns one band per hour for a chart', () => {
    const nextHour = series([20, 20, 20], 21).map((p) => ({ ...p, hour: new Date(p.hour).getTime() + HOUR_MS }));
    const points = [...series([10, 10, 10], 9), ...nextHour];
    const result = robustBaselines(points, [AT, AT + HOUR_MS]);
    expect(result.map((r) => r.median)).toEqual([10, 20]);
    expect(result.map((r) => r.hourMs)).toEqual([AT, AT + HOUR_MS]);
  });
});
