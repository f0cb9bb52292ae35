import { median } from './median.js';

/**
 * Core Web Vitals thresholds at the 75th percentile (web.dev/articles/vitals: LCP 2.5 s / 4 s,
 * INP 200 ms / 500 ms, CLS 0.1 / 0.25; TTFB 0.8 s / 1.8 s from web.dev/articles/ttfb).
 */
export type VitalName = 'lcp' | 'inp' | 'cls' | 'ttfb';
export type VitalStatus = 'good' | 'needs_improvement' | 'poor';

export const VITAL_THRESHOLDS: Record<VitalName, { good: number; poor: number }> = {
  lcp: { good: 2500, poor: 4000 },
  inp: { good: 200, poor: 500 },
  cls: { good: 0.1, poor: 0.25 },
  ttfb: { good: 800, poor: 1800 },
};

/** "Good" includes the threshold itself, as in the published definitions (≤ 2.5 s is good). */
export function vitalStatus(name: VitalName, p75: number): VitalStatus {
  const { good, poor } = VITAL_THRESHOLDS[name];
  if (p75 <= good) return 'good';
  return p75 <= poor ? 'needs_improvement' : 'poor';
}

export interface LabShift {
  /** Median of the recent runs and of the runs before them. */
  recent: number;
  before: number;
  /** recent − before, in the metric's unit. */
  change: number;
  relativeChange: number;
}

/**
 * Compares the median of the last `recentRuns` lab runs with the median of the `baselineRuns` before
 * them: one slow lab run never moves a median of several, which is why a single run never alarms.
 */
export function labShift(values: readonly number[], recentRuns = 5, baselineRuns = 15): LabShift | null {
  if (values.length < recentRuns + Math.min(baselineRuns, 5)) return null;
  const recent = median(values.slice(-recentRuns));
  const before = median(values.slice(-(recentRuns + baselineRuns), -recentRuns));
  if (recent === null || before === null || before === 0) return null;
  return { recent, before, change: recent - before, relativeChange: (recent - before) / before };
}
