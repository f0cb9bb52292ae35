// Gamma-Gamma spend model: Fader & Hardie (2013), "The Gamma-Gamma Model of Monetary Value",
// brucehardie.com note 025, eq. 1 for the likelihood and eq. 5 for the conditional expectation.
import { DEFAULT_FIT_OPTIONS, RELATIVE_GRADIENT_TOLERANCE, type FitDiagnostics, type FitOptions, type FitResult } from './fit-result.js';
import { minimizeBfgs } from './optimize.js';
import { logGamma } from './special-functions.js';

/** A repeat buyer's spend: x repeat purchases with mean value mbar (money per order, > 0). */
export interface SpendHistory {
  x: number;
  mbar: number;
}

/** Order value ~ Gamma(p, ν) per customer, with ν ~ Gamma(q, gamma) across customers. */
export interface GammaGammaParams {
  p: number;
  q: number;
  gamma: number;
}

export type GammaGammaFit = GammaGammaParams & FitDiagnostics;

/** ln f(mbar | p, q, gamma, x) for one repeat buyer (note 025, eq. 1). */
export function gammaGammaLogLikelihood(params: GammaGammaParams, spend: SpendHistory): number {
  const { p, q, gamma } = params;
  const { x, mbar } = spend;
  const px = p * x;
  return logGamma(px + q) - logGamma(px) - logGamma(q) + q * Math.log(gamma)
    + (px - 1) * Math.log(mbar) + px * Math.log(x) - (px + q) * Math.log(gamma + mbar * x);
}

/**
 * Maximum-likelihood fit of p, q and gamma on the log scale with BFGS from p = q = gamma = 1.
 * Only customers with x > 0 and mbar > 0 carry information (and the density needs both), so
 * others are skipped; fewer than minRepeatBuyers of them is refused.
 */
export function fitGammaGamma(spends: readonly SpendHistory[], options: Partial<FitOptions> = {}): FitResult<GammaGammaFit> {
  const { maxIterations, minRepeatBuyers } = { ...DEFAULT_FIT_OPTIONS, ...options };
  const repeatBuyers = spends.filter((spend) => spend.x > 0 && spend.mbar > 0);
  if (repeatBuyers.length < minRepeatBuyers) {
    return { ok: false, error: { kind: 'too_few_repeat_buyers', repeatBuyers: repeatBuyers.length, minRepeatBuyers } };
  }
  const negativeLogLikelihood = (logParams: readonly number[]): number => {
    const params = paramsFromLog(logParams);
    return -repeatBuyers.reduce((sum, spend) => sum + gammaGammaLogLikelihood(params, spend), 0);
  };
  const minimum = minimizeBfgs(negativeLogLikelihood, [0, 0, 0], { maxIterations, relativeGradientTolerance: RELATIVE_GRADIENT_TOLERANCE });
  return {
    ok: true,
    value: { ...paramsFromLog(minimum.point), logLikelihood: -minimum.value, converged: minimum.converged, iterations: minimum.iterations },
  };
}

/**
 * E(M | p, q, gamma, x, mbar), note 025 eq. 5: a weighted average of the population mean order value
 * p·gamma/(q−1) and the customer's own mbar, with weight p·x/(p·x+q−1) on mbar. With x = 0 it is the
 * population mean, which is finite only when q > 1 (Infinity otherwise).
 */
export function expectedOrderValue(params: GammaGammaParams, spend: SpendHistory): number {
  const { p, q, gamma } = params;
  const { x, mbar } = spend;
  const denominator = p * x + q - 1;
  if (denominator <= 0) return Number.POSITIVE_INFINITY;
  return (p * (gamma + x * mbar)) / denominator;
}

function paramsFromLog(logParams: readonly number[]): GammaGammaParams {
  const [logP = 0, logQ = 0, logGammaScale = 0] = logParams;
  return { p: Math.exp(logP), q: Math.exp(logQ), gamma: Math.exp(logGammaScale) };
}
