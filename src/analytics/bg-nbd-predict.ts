// Predictions from a fitted BG/NBD model: Fader, Hardie & Lee (2005) section 4 for E[X(t)] and
// eq. 10 for the conditional expectation; P(alive) as in Fader, Hardie & Lee, "Computing P(alive)
// Using the BG/NBD Model" (brucehardie.com note 021). Horizons t are in the unit of the fit.
import type { BgNbdParams, PurchaseHistory } from './bg-nbd.js';
import { betaExpectation, hypergeometric2F1Series } from './special-functions.js';

/**
 * P(alive | x, tx, T): probability the customer has not dropped out by T. A customer with no repeat
 * purchase is alive with probability 1 by construction, since BG/NBD only lets a customer drop out
 * immediately after a purchase.
 */
export function probabilityAlive(params: BgNbdParams, history: PurchaseHistory): number {
  const { r, alpha, a, b } = params;
  const { x, tx, T } = history;
  if (x === 0) return 1;
  // Odds of "dropped out after the last purchase" against "still alive", in logs so large x cannot overflow.
  const logOddsDead = Math.log(a) - Math.log(b + x - 1) + (r + x) * (Math.log(alpha + T) - Math.log(alpha + tx));
  return 1 / (1 + Math.exp(logOddsDead));
}

/**
 * E[Y(t) | x, tx, T, alive at T]: expected repeat purchases in (T, T + t] for a customer who is still
 * alive. Eq. 10 of the paper is this quantity times P(alive); keeping it apart lets value-at-stake use
 * it without dividing by a P(alive) that may underflow.
 */
export function expectedPurchasesIfAlive(params: BgNbdParams, history: PurchaseHistory, t: number): number {
  const { r, alpha, b } = params;
  const { x, T } = history;
  const a = awayFromOne(params.a);
  const z = t / (alpha + T + t);
  // Eq. 10 has ((α+T)/(α+T+t))^(r+x) · ₂F₁(r+x, b+x; a+b+x−1; z). Euler's transformation
  // ₂F₁(A,B;C;z) = (1−z)^(C−A−B) ₂F₁(C−A, C−B; C; z) (Abramowitz & Stegun 15.3.3) turns the
  // product into (1−z)^(a−1) ₂F₁(a+b−1−r, a−1; a+b+x−1; z): the huge ₂F₁ and the tiny power cancel
  // analytically, and c = a+b+x−1 grows with x, so the series converges faster for heavy buyers.
  if (t === 0) return 0; // exact, and no −0 for formatters to print
  const transformed = hypergeometric2F1Series(a + b - 1 - r, a - 1, a + b + x - 1, z, SERIES_MAX_TERMS);
  if (transformed === undefined) return expectedPurchasesIfAliveByQuadrature(params, history, t);
  // 1 − (1−z)^(a−1)·₂F₁ via expm1, which keeps its digits when t is short and the bracket is small.
  const bracket = -Math.expm1((a - 1) * Math.log1p(-z) + Math.log(transformed));
  return ((a + b + x - 1) / (a - 1)) * bracket;
}

// The series' terms grow for about (a − 1)·z/(1 − z) steps first: past this many it is cheaper, and
// as exact, to integrate. A fit can stop at a and b of 10⁹ (every customer with nearly the same
// drop-out probability), where the series would need billions of terms.
const SERIES_MAX_TERMS = 20_000;

/**
 * The same expectation by integrating over the posterior instead of through ₂F₁. Alive at T with
 * history (x, T), a customer's λ is Gamma(r + x, α + T) and p is Beta(a, b + x), independently
 * (Fader, Hardie & Lee 2005, section 3 and eq. 10's derivation), and one alive now makes
 * (1 − e^(−λpt))/p purchases in the next t on average (their eq. 7). Averaging over λ gives
 * (1 − ((α+T)/(α+T+pt))^(r+x))/p, left here as an expectation over p. lifetimes falls back to an
 * equivalent form where its ₂F₁ overflows (BetaGeoFitter.conditional_expected_number_of_purchases_up_to_time);
 * this one has no ₂F₁ to overflow.
 */
export function expectedPurchasesIfAliveByQuadrature(params: BgNbdParams, history: PurchaseHistory, t: number): number {
  const { r, alpha, a, b } = params;
  const { x, T } = history;
  if (t === 0) return 0;
  const shape = r + x;
  const rate = alpha + T;
  // −expm1(−shape·log1p(pt/rate))/p keeps its digits as p → 0, where it tends to shape·t/rate.
  return betaExpectation(a, b + x, (p) => -Math.expm1(-shape * Math.log1p((p * t) / rate)) / p);
}

/** E[Y(t) | x, tx, T]: expected repeat purchases in (T, T + t] given the history, eq. 10 of the paper. */
export function expectedPurchases(params: BgNbdParams, history: PurchaseHistory, t: number): number {
  return probabilityAlive(params, history) * expectedPurchasesIfAlive(params, history, t);
}

/**
 * E[X(t)]: expected repeat purchases in the first t units after a random customer's first purchase
 * (Fader, Hardie & Lee 2005, section 4). It equals eq. 10 for a customer observed at T = 0 with no repeat purchases.
 */
export function expectedPurchasesNewCustomer(params: BgNbdParams, t: number): number {
  return expectedPurchasesIfAlive(params, { x: 0, tx: 0, T: 0 }, t);
}

// Both expectations carry (a−1) in a denominator and a bracket that vanishes with it; the limit at
// a = 1 is finite, so evaluate a hair away from it, where cancellation costs ~1e-10 relative error
// and the bias is ~1e-6 relative.
const MIN_DISTANCE_FROM_ONE = 1e-6;

function awayFromOne(a: number): number {
  if (Math.abs(a - 1) >= MIN_DISTANCE_FROM_ONE) return a;
  return a < 1 ? 1 - MIN_DISTANCE_FROM_ONE : 1 + MIN_DISTANCE_FROM_ONE;
}
