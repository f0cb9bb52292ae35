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
