// Churn risk in money: BG/NBD (Fader, Hardie & Lee 2005) for whether and how often a customer buys,
// Gamma-Gamma (Fader & Hardie 2013, note 025) for how much, combined as in note 025's CLV example
// (expected purchases × expected order value), with the horizon value split by P(alive).
import type { BgNbdParams } from './bg-nbd.js';
import { expectedPurchasesIfAlive, probabilityAlive } from './bg-nbd-predict.js';
import type { CustomerSummary } from './customer-summary.js';
import { expectedOrderValue, type GammaGammaParams } from './gamma-gamma.js';

export interface ChurnModels {
  bgNbd: BgNbdParams;
  gammaGamma: GammaGammaParams;
}

export interface CustomerValueAtStake {
  customerId: string;
  probabilityAlive: number;
  /** Expected purchases over the horizon if the customer is still active. */
  expectedPurchasesIfAlive: number;
  /** Expected order value E(M | x, mbar) from Gamma-Gamma. */
  expectedOrderValue: number;
  /** Expected value over the horizon if the customer is still active. */
  expectedValueIfAlive: number;
  /** Expected value over the horizon given the history: P(alive) × expectedValueIfAlive. */
  expectedValue: number;
  /** (1 − P(alive)) × expectedValueIfAlive; see valueAtStake. */
  valueAtStake: number;
}

/**
 * Value at stake over a horizon (in the time unit of the BG/NBD fit): the value the customer would
 * bring over the horizon if still active, times the probability that they have already churned,
 *   valueAtStake = (1 − P(alive | x, tx, T)) × E[Y(horizon) | history, alive] × E(M | x, mbar).
 * It is the part of the customer's "alive" value that the model expects to be lost; the rest,
 * P(alive) × the same value, is the expected value itself (Fader, Hardie & Lee 2005 eq. 10 × E(M)).
 * Customers with no repeat purchase always have 0 at stake: BG/NBD lets customers churn only right
 * after a purchase, so it considers them alive.
 */
export function valueAtStake(customer: CustomerSummary, models: ChurnModels, horizon: number): CustomerValueAtStake {
  const pAlive = probabilityAlive(models.bgNbd, customer);
  const purchasesIfAlive = expectedPurchasesIfAlive(models.bgNbd, customer, horizon);
  const orderValue = expectedOrderValue(models.gammaGamma, customer);
  const valueIfAlive = purchasesIfAlive * orderValue;
  const churnProbability = 1 - pAlive;
  return {
    customerId: customer.customerId,
    probabilityAlive: pAlive,
    expectedPurchasesIfAlive: purchasesIfAlive,
    expectedOrderValue: orderValue,
    expectedValueIfAlive: valueIfAlive,
    expectedValue: pAlive * valueIfAlive,
    // Spelled out so a certain-alive customer scores 0 even if the order value is unbounded (q ≤ 1).
    valueAtStake: churnProbability === 0 ? 0 : churnProbability * valueIfAlive,
  };
}

/**
 * The top customers by value at stake, largest first; ties go to the smaller customerId so runs agree.
 * With `minPAlive`, only customers whose P(alive) is above it: the ones a marketer can still win back.
 */
export function rankByValueAtStake(customers: readonly CustomerSummary[], models: ChurnModels,
  options: { horizon: number; top: number; minPAlive?: number }): CustomerValueAtStake[] {
  return customers
    .map((customer) => valueAtStake(customer, models, options.horizon))
    .filter((customer) => options.minPAlive === undefined || customer.probabilityAlive > options.minPAlive)
    .sort((left, right) => right.valueAtStake - left.valueAtStake || left.customerId.localeCompare(right.customerId))
    .slice(0, options.top);
}
