/**
 * Lighthouse 10+ performance score from lab metrics: each metric scored on a log-normal curve fixed
 * by its median (score 0.5) and p10 (score 0.9), then weighted (FCP 10, SI 10, LCP 25, TBT 30, CLS 25).
 * Source: lighthouse/core/audits/metrics/*.js and core/lib/statistics.js (getLogNormalScore).
 */
export type FormFactor = 'mobile' | 'desktop';

interface Curve {
  p10: number;
  median: number;
}

const CURVES: Record<FormFactor, { fcp: Curve; si: Curve; lcp: Curve; tbt: Curve; cls: Curve }> = {
  mobile: { fcp: { p10: 1800, median: 3000 }, si: { p10: 3387, median: 5800 }, lcp: { p10: 2500, median: 4000 }, tbt: { p10: 200, median: 600 }, cls: { p10: 0.1, median: 0.25 } },
  desktop: { fcp: { p10: 934, median: 1600 }, si: { p10: 1311, median: 2300 }, lcp: { p10: 1200, median: 2400 }, tbt: { p10: 150, median: 350 }, cls: { p10: 0.1, median: 0.25 } },
};

// Φ⁻¹(0.9): the p10 control point sits this many log-standard-deviations below the median.
const Z_AT_P10 = 1.2815515655446004;

/** Standard normal CDF via erf (Abramowitz and Stegun 7.1.26, error below 1.5e-7). */
function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erf = 1 - t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))) * Math.exp(-x * x);
  return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}

function logNormalScore(curve: Curve, value: number): number {
  if (value <= 0) return 1;
  const logSd = Math.log(curve.median / curve.p10) / Z_AT_P10;
  return 1 - normalCdf(Math.log(value / curve.median) / logSd);
}

export interface LabMetrics {
  fcpMs: number;
  speedIndexMs: number;
  lcpMs: number;
  tbtMs: number;
  cls: number;
}

export function performanceScore(formFactor: FormFactor, metrics: LabMetrics): number {
  const curves = CURVES[formFactor];
  return 0.1 * logNormalScore(curves.fcp, metrics.fcpMs) + 0.1 * logNormalScore(curves.si, metrics.speedIndexMs)
    + 0.25 * logNormalScore(curves.lcp, metrics.lcpMs) + 0.3 * logNormalScore(curves.tbt, metrics.tbtMs)
    + 0.25 * logNormalScore(curves.cls, metrics.cls);
}
