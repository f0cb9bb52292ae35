import { describe, expect, it } from 'vitest';
import { bgNbdLogLikelihood, fitBgNbd, GroupedLikelihood, type PurchaseHistoryGroup } from '../../src/analytics/bg-nbd.js';
import { groupPurchaseHistories } from '../../src/analytics/customer-summary.js';
import { readCdnowSummaries, significantDigitsTolerance } from './cdnow-fixtures.js';

// Fader, Hardie & Lee (2005), "Counting Your Customers the Easy Way", section 5: MLE on the CDNOW
// sample of 2,357 customers, 39-week calibration.
const PUBLISHED = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426, logLikelihood: -9582.4 };

describe('BG/NBD likelihood', () => {
  it('matches eq. 6 worked by hand for a customer with no repeat purchase', () => {
    // r = alpha = a = b = 1, x = 0, T = 1: L = Γ(1)·1/Γ(1) · B(1,1)/B(1,1) · (1/(1+1))^1 = 1/2.
    const params = { r: 1, alpha: 1, a: 1, b: 1 };
    expect(bgNbdLogLikelihood(params, { x: 0, tx: 0, T: 1 })).toBeCloseTo(Math.log(1 / 2), 12);
  });

  it('matches eq. 6 worked by hand for a repeat buyer, including the dropped-out-at-tx term', () => {
    // x = 1, tx = 1, T = 2, all parameters 1: A1 = Γ(2)/Γ(1) = 1, A2 = Γ(2)Γ(2)/(Γ(1)Γ(3)) = 1/2,
    // A3 = (1/3)^2 = 1/9, A4 = a/(b+x−1)·(1/2)^2 = 1/4, so L = 1/2 · (1/9 + 1/4) = 13/72.
    const params = { r: 1, alpha: 1, a: 1, b: 1 };
    expect(bgNbdLogLikelihood(params, { x: 1, tx: 1, T: 2 })).toBeCloseTo(Math.log(13 / 72), 12);
  });

  it('gives the published log-likelihood -9582.4 at the published CDNOW parameters', () => {
    const params = { r: PUBLISHED.r, alpha: PUBLISHED.alpha, a: PUBLISHED.a, b: PUBLISHED.b };
    const total = readCdnowSummaries().reduce((sum, customer) => sum + bgNbdLogLikelihood(params, customer), 0);
    // Published to one decimal and with rounded parameters, so allow 0.05.
    expect(Math.abs(total - PUBLISHED.logLikelihood)).toBeLessThan(0.05);
  });

  it('stays finite for a customer with 200 repeat purchases', () => {
    const params = { r: PUBLISHED.r, alpha: PUBLISHED.alpha, a: PUBLISHED.a, b: PUBLISHED.b };
    expect(Number.isFinite(bgNbdLogLikelihood(params, { x: 200, tx: 38, T: 38.86 }))).toBe(true);
  });
});

describe('the grouped likelihood the fit optimises', () => {
  // Away from the optimum, where every partial derivative is far from zero.
  const params = { r: 0.6, alpha: 7.5, a: 1.4, b: 3.1 };
  const groups = groupPurchaseHistories(readCdnowSummaries());

  it('sums eq. 6 over the customers, weighted by group size', () => {
    const direct = readCdnowSummaries().reduce((sum, customer) => sum + bgNbdLogLikelihood(params, customer), 0);
    expect(new GroupedLikelihood(groups).evaluate(params).value).toBeCloseTo(direct, 8);
  });

  it('has the gradient that central differences of its value give, for each parameter', () => {
    const likelihood = new GroupedLikelihood(groups);
    const { gradient } = likelihood.evaluate(params);
    for (const name of ['r', 'alpha', 'a', 'b'] as const) {
      const h = 1e-6 * params[name];
      const up = likelihood.evaluate({ ...params, [name]: params[name] + h }).value;
      const down = likelihood.evaluate({ ...params, [name]: params[name] - h }).value;
      expect(gradient[name], name).toBeCloseTo((up - down) / (2 * h), 3);
    }
  });
});

describe('fitting BG/NBD', () => {
  it('recovers the published CDNOW parameters and log-likelihood to 3 significant digits', () => {
    const groups = groupPurchaseHistories(readCdnowSummaries());
    const fit = fitBgNbd(groups);
    if (!fit.ok) throw new Error(`fit refused: ${JSON.stringify(fit.error)}`);
    expect(fit.value.converged).toBe(true);
    for (const name of ['r', 'alpha', 'a', 'b'] as const) {
      expect(Math.abs(fit.value[name] - PUBLISHED[name]), name).toBeLessThanOrEqual(significantDigitsTolerance(PUBLISHED[name], 3));
    }
    expect(Math.abs(fit.value.logLikelihood - PUBLISHED.logLikelihood)).toBeLessThan(0.05);
  });

  it('refuses to fit when fewer than 20 customers bought again, saying how many did', () => {
    const groups = [
      { x: 0, tx: 0, T: 30, count: 500 },
      { x: 1, tx: 5, T: 30, count: 12 },
      { x: 3, tx: 20, T: 25, count: 7 },
    ] satisfies PurchaseHistoryGroup[];
    expect(fitBgNbd(groups)).toEqual({ ok: false, error: { kind: 'too_few_repeat_buyers', repeatBuyers: 19, minRepeatBuyers: 20 } });
  });

  it('refuses to fit when nobody bought again', () => {
    const result = fitBgNbd([{ x: 0, tx: 0, T: 39, count: 2357 }]);
    expect(result).toEqual({ ok: false, error: { kind: 'too_few_repeat_buyers', repeatBuyers: 0, minRepeatBuyers: 20 } });
  });
});
