// BG/NBD model: Fader, Hardie & Lee (2005), "Counting Your Customers the Easy Way", Marketing Science
// 24(2), eq. 6 for the likelihood. Time is in whatever unit the summaries use (CDNOW: weeks).
import { DEFAULT_FIT_OPTIONS, RELATIVE_GRADIENT_TOLERANCE, type FitDiagnostics, type FitOptions, type FitResult } from './fit-result.js';
import { minimizeBfgs } from './optimize.js';
import { logAddExp, logGamma } from './special-functions.js';

/** One customer's calibration history: x repeat purchases, the last at tx, first purchase T units ago. */
export interface PurchaseHistory {
  x: number;
  tx: number;
  T: number;
}

/** Customers sharing one (x, tx, T) history; grouping keeps the fit fast on large customer bases. */
export interface PurchaseHistoryGroup extends PurchaseHistory {
  count: number;
}

/** Purchase rate λ ~ Gamma(r, alpha); dropout probability after each purchase p ~ Beta(a, b). */
export interface BgNbdParams {
  r: number;
  alpha: number;
  a: number;
  b: number;
}

export type BgNbdFit = BgNbdParams & FitDiagnostics;

/** ln L(r, alpha, a, b | x, tx, T) for one customer, eq. 6 of the paper, in log space throughout. */
export function bgNbdLogLikelihood(params: BgNbdParams, history: PurchaseHistory): number {
  const { r, alpha, a, b } = params;
  const { x, tx, T } = history;
  const logA1 = logGamma(r + x) - logGamma(r) + r * Math.log(alpha);
  const logA2 = logGamma(a + b) + logGamma(b + x) - logGamma(b) - logGamma(a + b + x);
  const logA3 = -(r + x) * Math.log(alpha + T);
  if (x === 0) return logA1 + logA2 + logA3;
  // The customer may also have dropped out right after the last purchase at tx.
  const logA4 = Math.log(a) - Math.log(b + x - 1) - (r + x) * Math.log(alpha + tx);
  return logA1 + logA2 + logAddExp(logA3, logA4);
}

/**
 * Maximum-likelihood fit of the BG/NBD model (Fader, Hardie & Lee 2005, section 3). Optimises the
 * four parameters on the log scale with BFGS from r = 1, alpha = mean T, a = 1, b = 1. Refuses data
 * with fewer than minRepeatBuyers customers with x > 0: with none, the dropout process is not
 * identified at all.
 */
export function fitBgNbd(groups: readonly PurchaseHistoryGroup[], options: Partial<FitOptions> = {}): FitResult<BgNbdFit> {
  const { maxIterations, minRepeatBuyers } = { ...DEFAULT_FIT_OPTIONS, ...options };
  const repeatBuyers = groups.reduce((sum, group) => sum + (group.x > 0 ? group.count : 0), 0);
  if (repeatBuyers < minRepeatBuyers) {
    return { ok: false, error: { kind: 'too_few_repeat_buyers', repeatBuyers, minRepeatBuyers } };
  }
  const customers = groups.reduce((sum, group) => sum + group.count, 0);
  const meanAge = groups.reduce((sum, group) => sum + group.count * group.T, 0) / customers;

  const negativeLogLikelihood = (logParams: readonly number[]): number => {
    const params = paramsFromLog(logParams);
    return -groups.reduce((sum, group) => sum + group.count * bgNbdLogLikelihood(params, group), 0);
  };
  const start = [0, Math.log(meanAge), 0, 0];
  const minimum = minimizeBfgs(negativeLogLikelihood, start, { maxIterations, relativeGradientTolerance: RELATIVE_GRADIENT_TOLERANCE });
  return {
    ok: true,
    value: {
      ...paramsFromLog(minimum.point),
      logLikelihood: -minimum.value,
      converged: minimum.converged,
      iterations: minimum.iterations,
    },
  };
}

function paramsFromLog(logParams: readonly number[]): BgNbdParams {
  const [logR = 0, logAlpha = 0, logA = 0, logB = 0] = logParams;
  return { r: Math.exp(logR), alpha: Math.exp(logAlpha), a: Math.exp(logA), b: Math.exp(logB) };
}
