import { describe, expect, it } from 'vitest';
import type { LabPoint, LabRegressionRule } from '../../src/analytics/lab-regression.js';
import { labLevel, labRegression } from '../../src/analytics/lab-regression.js';
import { HOUR_MS } from '../../src/analytics/time.js';

// LCP-like: worse when higher, a regression at +300 ms and +25 %, recovered below +300 ms or +12 %.
const lcp: LabRegressionRule = {
  worse: 'higher', enter: { absolute: 300, relative: 0.25 }, exit: { absolute: 300, relative: 0.12 },
  recentRuns: 5, baselineRuns: 10, minBaselineRuns: 6,
};
const T0 = Date.parse('2026-11-01T00:00:00Z');
/** One run every 8 hours from T0. */
const runs = (values: readonly number[]): LabPoint[] => values.map((value, index) => ({ atMs: T0 + index * 8 * HOUR_MS, value }));
const repeat = (value: number, times: number): number[] => Array<number>(times).fill(value);

describe('labRegression', () => {
  it('never calls one slow run a regression', () => {
    // Step at the 5000 run (index 7): baseline median of runs 0-6 = 2000; the window 7-11
    // (5000, 2100, 2000, 2100, 2000) has median 2100: +100 ms, short of +300.
    const result = labRegression(runs([2000, 2100, 2000, 2100, 2000, 2100, 2000, 5000, 2100, 2000, 2100, 2000]), lcp);
    expect(result).toEqual({ step: null, current: 2100, level: 'ok' });
  });

  it('waits for a majority of five: two slow runs at the end are not yet a step', () => {
    // Last five: 2000, 2000, 2000, 3000, 3000 → median 2000.
    expect(labRegression(runs([...repeat(2000, 10), 3000, 3000]), lcp)).toEqual({ step: null, current: 2000, level: 'ok' });
  });

  it('calls the third slow run a regression, dated to the first of them', () => {
    // Step at index 10: baseline median of runs 0-9 = 2000; fewer than five runs follow, so the
    // latest five (2000, 2000, 3000, 3100, 2900) decide: median 2900, +900 ms ≥ 300 and ≥ 25 % of 2000.
    // Index 9 (2000) is not itself slow, so the step cannot begin there.
    const points = runs([...repeat(2000, 10), 3000, 3100, 2900]);
    expect(labRegression(points, lcp)).toEqual({
      step: { index: 10, startMs: points[10]!.atMs, before: 2000, after: 2900, worsening: 900 },
      current: 2900,
      level: 'breach',
    });
  });

  it('dates a noisy regression to where it began, not to its largest step', () => {
    // Steps at 10 and 11: +1000 (windows of median 3000); at 12-14: +1600 (windows of median 3600), the largest.
    // Every step from 10 to 14 is a regression, 9 is not (its run is 2000): it began at 10,
    // against 2000, with the five runs from there (2800, 3000, 3000, 3000, 3600) at 3000.
    const points = runs([...repeat(2000, 10), 2800, 3000, 3000, 3000, 3600, 3600, 3600]);
    expect(labRegression(points, lcp)).toEqual({
      step: { index: 10, startMs: points[10]!.atMs, before: 2000, after: 3000, worsening: 1000 },
      current: 3600,
      level: 'breach',
    });
  });

  it('says a page that came back is recovered, and keeps the step it had', () => {
    // Step at 10 (2000 → 3000); now the last five are 2050: +50 ms against 2000 is back within +300.
    const result = labRegression(runs([...repeat(2000, 10), ...repeat(3000, 6), ...repeat(2050, 5)]), lcp);
    expect(result).toMatchObject({ step: { index: 10, before: 2000, after: 3000 }, current: 2050, level: 'ok' });
  });

  it('is in between while a page is part of the way back', () => {
    // Now 2400: +400 ms is past the exit threshold (+300 ms and +12 % = 240) but short of +25 % = 500.
    const result = labRegression(runs([...repeat(2000, 10), ...repeat(3000, 5), ...repeat(2400, 5)]), lcp);
    expect(result).toMatchObject({ step: { index: 10, before: 2000 }, current: 2400, level: 'between' });
  });

  it('takes the baseline from the runs just before the step', () => {
    // 1500 ×10, 2000 ×10, 3000 ×3. Both steps are regressions (+500 at 10, +1000 at 20); the larger one's
    // baseline is the ten runs before it, all 2000, not the 1750 of every earlier run.
    const result = labRegression(runs([...repeat(1500, 10), ...repeat(2000, 10), ...repeat(3000, 3)]), lcp);
    expect(result?.step).toMatchObject({ index: 20, before: 2000, after: 3000, worsening: 1000 });
  });

  it('judges a score by its fall', () => {
    const score: LabRegressionRule = { ...lcp, worse: 'lower', enter: { absolute: 0.1, relative: 0 }, exit: { absolute: 0.05, relative: 0 } };
    // Baseline 0.95; the last five (0.95, 0.95, 0.75, 0.75, 0.75) have median 0.75: down 0.2.
    const result = labRegression(runs([...repeat(0.95, 10), 0.75, 0.75, 0.75]), score);
    expect(result?.step).toMatchObject({ index: 10, before: 0.95, after: 0.75 });
    expect(result?.step?.worsening).toBeCloseTo(0.2, 12);
    expect(result?.level).toBe('breach');
  });

  it('does not judge fewer runs than a baseline and a majority of the recent window', () => {
    // minBaselineRuns 6 + 3 = 9 runs at least.
    expect(labRegression(runs(repeat(2000, 8)), lcp)).toBeNull();
    expect(labRegression(runs(repeat(2000, 9)), lcp)).toEqual({ step: null, current: 2000, level: 'ok' });
  });
});

describe('labLevel', () => {
  it('needs both the absolute and the relative worsening', () => {
    // Against 1000: +300 is 30 % (breach); against 2000, +400 is 20 % (between); against 4000, +450 is 11 % (ok).
    expect(labLevel(1300, 1000, lcp)).toBe('breach');
    expect(labLevel(2400, 2000, lcp)).toBe('between');
    expect(labLevel(4450, 4000, lcp)).toBe('ok');
    // +250 is 25 % of 1000 but short of +300 ms: ok.
    expect(labLevel(1250, 1000, lcp)).toBe('ok');
  });
});
