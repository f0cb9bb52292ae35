// BG/NBD model: Fader, Hardie & Lee (2005), "Counting Your Customers the Easy Way", Marketing Science
// 24(2), eq. 6 for the likelihood. Time is in whatever unit the summaries use (CDNOW: weeks).
import { DEFAULT_FIT_OPTIONS, RELATIVE_GRADIENT_TOLERANCE, type FitDiagnostics, type FitOptions, type FitResult } from './fit-result.js';
import { minimizeBfgs, valueAndGradient, type Gradient, type Objective } from './optimize.js';
import { distinctIndex } from './distinct-index.js';
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
 * four parameters on the log scale with BFGS from r = 1, alpha = mean T, a = 1, b = 1, with the
 * analytic gradient. Refuses data with fewer than minRepeatBuyers customers with x > 0: with none,
 * the dropout process is not identified at all.
 */
export function fitBgNbd(groups: readonly PurchaseHistoryGroup[], options: Partial<FitOptions> = {}): FitResult<BgNbdFit> {
  const { maxIterations, minRepeatBuyers } = { ...DEFAULT_FIT_OPTIONS, ...options };
  const repeatBuyers = groups.reduce((sum, group) => sum + (group.x > 0 ? group.count : 0), 0);
  if (repeatBuyers < minRepeatBuyers) {
    return { ok: false, error: { kind: 'too_few_repeat_buyers', repeatBuyers, minRepeatBuyers } };
  }
  const customers = groups.reduce((sum, group) => sum + group.count, 0);
  const meanAge = groups.reduce((sum, group) => sum + group.count * group.T, 0) / customers;
  const likelihood = new GroupedLikelihood(groups);
  const objective = negatedOnLogScale(likelihood);
  const minimum = minimizeBfgs(objective.value, [0, Math.log(meanAge), 0, 0], {
    maxIterations,
    relativeGradientTolerance: RELATIVE_GRADIENT_TOLERANCE,
    gradient: objective.gradient,
  });
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

/** −ln L and its gradient over log-parameters, for the minimiser: d/d ln θ = θ · d/dθ. */
function negatedOnLogScale(likelihood: GroupedLikelihood): { value: Objective; gradient: Gradient } {
  return valueAndGradient((logParams) => {
    const params = paramsFromLog(logParams);
    const { value, gradient } = likelihood.evaluate(params);
    return { value: -value, gradient: [-params.r * gradient.r, -params.alpha * gradient.alpha, -params.a * gradient.a, -params.b * gradient.b] };
  });
}

/** Partial derivatives of the summed log-likelihood with respect to each parameter. */
type ParamGradient = BgNbdParams;

/**
 * The summed log-likelihood of eq. 6 over grouped histories, and its gradient. A fit evaluates it
 * ~100 times over up to ~10⁶ groups, so the terms are factored by what they depend on: the Γ ratios
 * and their derivatives only on x (whole numbers up to a few hundred), ln(α + T) and ln(α + tx) only on
 * T or tx (a few hundred distinct days), leaving one exp and two logs per group. Same value as
 * summing bgNbdLogLikelihood.
 */
export class GroupedLikelihood {
  private readonly xs: Float64Array;
  private readonly xIndex: Int32Array;
  private readonly tValues: Float64Array;
  private readonly tIndex: Int32Array;
  private readonly txValues: Float64Array;
  private readonly txIndex: Int32Array;
  private readonly counts: Float64Array;
  /** Customers per distinct x, for the terms that depend on x alone. */
  private readonly countsByX: Float64Array;
  private readonly maxX: number;

  constructor(groups: readonly PurchaseHistoryGroup[]) {
    const bad = groups.find((group) => !Number.isInteger(group.x) || group.x < 0);
    if (bad) throw new RangeError(`BG/NBD needs whole repeat-purchase counts x >= 0, got ${bad.x}`);
    this.counts = Float64Array.from(groups, (group) => group.count);
    const x = distinctIndex(groups.map((group) => group.x), this.counts);
    const T = distinctIndex(groups.map((group) => group.T));
    const tx = distinctIndex(groups.map((group) => group.tx));
    this.xs = x.values;
    this.xIndex = x.index;
    this.tValues = T.values;
    this.tIndex = T.index;
    this.txValues = tx.values;
    this.txIndex = tx.index;
    this.countsByX = x.totals;
    this.maxX = this.xs.reduce((largest, value) => Math.max(largest, value), 0);
  }

  /** The value and its gradient together: the gradient costs little more once the terms are computed. */
  evaluate(params: BgNbdParams): { value: number; gradient: ParamGradient } {
    const { r, alpha, a, b } = params;
    const logAlpha = Math.log(alpha);
    const logA = Math.log(a);
    // Per x: A1 + A2 − r ln α as sums over j < x (Γ(z + x)/Γ(z) = Π (z + j)), which stay exact when a
    // and b run to 10¹⁵ on data with hardly any dropout, where differences of ln Γ lose every digit.
    const maxX = this.maxX;
    const logRising = new Float64Array(maxX + 1);
    const psiR = new Float64Array(maxX + 1);
    const psiB = new Float64Array(maxX + 1);
    const psiAB = new Float64Array(maxX + 1);
    for (let j = 0; j < maxX; j++) {
      logRising[j + 1] = (logRising[j] ?? 0) + Math.log(r + j) + Math.log(b + j) - Math.log(a + b + j);
      psiR[j + 1] = (psiR[j] ?? 0) + 1 / (r + j);
      psiB[j + 1] = (psiB[j] ?? 0) + 1 / (b + j);
      psiAB[j + 1] = (psiAB[j] ?? 0) + 1 / (a + b + j);
    }
    let value = 0;
    const gradient = { r: 0, alpha: 0, a: 0, b: 0 };
    for (let k = 0; k < this.xs.length; k++) {
      const x = this.xs[k] ?? 0;
      const count = this.countsByX[k] ?? 0;
      value += count * (r * logAlpha + (logRising[x] ?? 0));
      gradient.r += count * ((psiR[x] ?? 0) + logAlpha);
      gradient.alpha += count * (r / alpha);
      gradient.a -= count * (psiAB[x] ?? 0);
      gradient.b += count * ((psiB[x] ?? 0) - (psiAB[x] ?? 0));
    }
    const logAlphaT = this.tValues.map((T) => Math.log(alpha + T));
    const logAlphaTx = this.txValues.map((tx) => Math.log(alpha + tx));
    const inverseAlphaT = this.tValues.map((T) => 1 / (alpha + T));
    const inverseAlphaTx = this.txValues.map((tx) => 1 / (alpha + tx));
    const logBx1 = new Float64Array(maxX + 1).map((_, x) => (x > 0 ? Math.log(b + x - 1) : 0));
    // Locals, not object fields, in the loop that runs once per group.
    let dR = 0;
    let dAlpha = 0;
    let dA = 0;
    let dB = 0;
    for (let i = 0; i < this.counts.length; i++) {
      const x = this.xs[this.xIndex[i] ?? 0] ?? 0;
      const count = this.counts[i] ?? 0;
      const iT = this.tIndex[i] ?? 0;
      const logA3 = -(r + x) * (logAlphaT[iT] ?? 0);
      if (x === 0) {
        value += count * logA3;
        dR -= count * (logAlphaT[iT] ?? 0);
        dAlpha -= count * r * (inverseAlphaT[iT] ?? 0);
        continue;
      }
      const iTx = this.txIndex[i] ?? 0;
      const logA4 = logA - (logBx1[x] ?? 0) - (r + x) * (logAlphaTx[iTx] ?? 0);
      // ln(e^A3 + e^A4) and the weight w4 of the "dropped out at tx" branch from one exp.
      const difference = logA4 - logA3;
      const smaller = Math.exp(-Math.abs(difference));
      value += count * (Math.max(logA3, logA4) + Math.log1p(smaller));
      const w4 = difference > 0 ? 1 / (1 + smaller) : smaller / (1 + smaller);
      const w3 = 1 - w4;
      dR -= count * (w3 * (logAlphaT[iT] ?? 0) + w4 * (logAlphaTx[iTx] ?? 0));
      dAlpha -= count * (r + x) * (w3 * (inverseAlphaT[iT] ?? 0) + w4 * (inverseAlphaTx[iTx] ?? 0));
      dA += count * w4;
      dB -= (count * w4) / (b + x - 1);
    }
    gradient.r += dR;
    gradient.alpha += dAlpha;
    gradient.a += dA / a;
    gradient.b += dB;
    return { value, gradient };
  }
}

function paramsFromLog(logParams: readonly number[]): BgNbdParams {
  const [logR = 0, logAlpha = 0, logA = 0, logB = 0] = logParams;
  return { r: Math.exp(logR), alpha: Math.exp(logAlpha), a: Math.exp(logA), b: Math.exp(logB) };
}
