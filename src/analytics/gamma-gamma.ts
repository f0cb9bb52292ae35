// Gamma-Gamma spend model: Fader & Hardie (2013), "The Gamma-Gamma Model of Monetary Value",
// brucehardie.com note 025, eq. 1 for the likelihood and eq. 5 for the conditional expectation.
import { DEFAULT_FIT_OPTIONS, RELATIVE_GRADIENT_TOLERANCE, type FitDiagnostics, type FitOptions, type FitResult } from './fit-result.js';
import { minimizeBfgs, valueAndGradient } from './optimize.js';
import { distinctIndex } from './distinct-index.js';
import { digamma, logGamma } from './special-functions.js';

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
 * Maximum-likelihood fit of p, q and gamma on the log scale with BFGS from p = q = gamma = 1, with
 * the analytic gradient. Only customers with x > 0 and mbar > 0 carry information (and the density
 * needs both), so others are skipped; fewer than minRepeatBuyers of them is refused.
 */
export function fitGammaGamma(spends: readonly SpendHistory[], options: Partial<FitOptions> = {}): FitResult<GammaGammaFit> {
  const { maxIterations, minRepeatBuyers } = { ...DEFAULT_FIT_OPTIONS, ...options };
  const repeatBuyers = spends.filter((spend) => spend.x > 0 && spend.mbar > 0);
  if (repeatBuyers.length < minRepeatBuyers) {
    return { ok: false, error: { kind: 'too_few_repeat_buyers', repeatBuyers: repeatBuyers.length, minRepeatBuyers } };
  }
  const likelihood = new SpendLikelihood(repeatBuyers);
  // −ln L and its gradient over log-parameters, for the minimiser: d/d ln θ = θ · d/dθ.
  const objective = valueAndGradient((logParams) => {
    const params = paramsFromLog(logParams);
    const { value, gradient } = likelihood.evaluate(params);
    return { value: -value, gradient: [-params.p * gradient.p, -params.q * gradient.q, -params.gamma * gradient.gamma] };
  });
  const minimum = minimizeBfgs(objective.value, [0, 0, 0], {
    maxIterations,
    relativeGradientTolerance: RELATIVE_GRADIENT_TOLERANCE,
    gradient: objective.gradient,
  });
  return {
    ok: true,
    value: { ...paramsFromLog(minimum.point), logLikelihood: -minimum.value, converged: minimum.converged, iterations: minimum.iterations },
  };
}

/**
 * The summed log-likelihood of eq. 1 over repeat buyers (x > 0, mbar > 0) and its gradient. The ln Γ
 * and ψ terms depend only on x, so they are computed once per distinct x; per customer one log remains.
 */
export class SpendLikelihood {
  private readonly xs: Float64Array;
  private readonly xIndex: Int32Array;
  private readonly countsByX: Float64Array;
  private readonly mbars: Float64Array;
  /** Σ over customers of x · (ln mbar + ln x) and of ln mbar: the parts free of parameters. */
  private readonly sumXLogMx: number;
  private readonly sumLogMbar: number;

  constructor(repeatBuyers: readonly SpendHistory[]) {
    const x = distinctIndex(repeatBuyers.map((spend) => spend.x));
    this.xs = x.values;
    this.xIndex = x.index;
    this.countsByX = x.totals;
    this.mbars = Float64Array.from(repeatBuyers, (spend) => spend.mbar);
    this.sumXLogMx = repeatBuyers.reduce((sum, spend) => sum + spend.x * (Math.log(spend.mbar) + Math.log(spend.x)), 0);
    this.sumLogMbar = repeatBuyers.reduce((sum, spend) => sum + Math.log(spend.mbar), 0);
  }

  /** The value and its gradient together: the gradient costs little more once the terms are computed. */
  evaluate(params: GammaGammaParams): { value: number; gradient: GammaGammaParams } {
    const { p, q, gamma } = params;
    const customers = this.mbars.length;
    const logGammaScale = Math.log(gamma);
    let value = customers * (q * logGammaScale - logGamma(q)) + p * this.sumXLogMx - this.sumLogMbar;
    const gradient = { p: this.sumXLogMx, q: customers * (logGammaScale - digamma(q)), gamma: customers * q / gamma };
    for (let k = 0; k < this.xs.length; k++) {
      const x = this.xs[k] ?? 0;
      const count = this.countsByX[k] ?? 0;
      value += count * (logGamma(p * x + q) - logGamma(p * x));
      const psiPxQ = digamma(p * x + q);
      gradient.p += count * x * (psiPxQ - digamma(p * x));
      gradient.q += count * psiPxQ;
    }
    // Locals, not object fields, in the loop that runs once per customer.
    let dP = 0;
    let dQ = 0;
    let dGamma = 0;
    for (let i = 0; i < customers; i++) {
      const x = this.xs[this.xIndex[i] ?? 0] ?? 0;
      const scaled = gamma + (this.mbars[i] ?? 0) * x;
      const logScaled = Math.log(scaled);
      value -= (p * x + q) * logScaled;
      dP -= x * logScaled;
      dQ -= logScaled;
      dGamma -= (p * x + q) / scaled;
    }
    gradient.p += dP;
    gradient.q += dQ;
    gradient.gamma += dGamma;
    return { value, gradient };
  }
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
