import { describe, expect, it } from 'vitest';
import { expectedOrderValue, fitGammaGamma, gammaGammaLogLikelihood, SpendLikelihood } from '../../src/analytics/gamma-gamma.js';
import { readCdnowSummaries, significantDigitsTolerance } from './cdnow-fixtures.js';

// Fader & Hardie (2013), "The Gamma-Gamma Model of Monetary Value" (brucehardie.com note 025):
// the 946 CDNOW repeat buyers' mean repeat-purchase value. lifetimes reproduces 6.25 / 3.74 / 15.45.
const PUBLISHED = { p: 6.25, q: 3.74, gamma: 15.44 };

describe('Gamma-Gamma likelihood', () => {
  it('matches the density worked by hand for p = q = gamma = 1, x = 1, mbar = 1', () => {
    // Γ(2)/(Γ(1)Γ(1)) · 1^1 · 1^0 · 1^1 / (1 + 1)^2 = 1/4
    expect(gammaGammaLogLikelihood({ p: 1, q: 1, gamma: 1 }, { x: 1, mbar: 1 })).toBeCloseTo(Math.log(1 / 4), 12);
  });
});

describe('the summed likelihood the fit optimises', () => {
  const params = { p: 3.2, q: 5.5, gamma: 9.0 };
  const repeatBuyers = readCdnowSummaries().filter((spend) => spend.x > 0 && spend.mbar > 0);

  it('sums eq. 1 over the repeat buyers', () => {
    const direct = repeatBuyers.reduce((sum, spend) => sum + gammaGammaLogLikelihood(params, spend), 0);
    expect(new SpendLikelihood(repeatBuyers).evaluate(params).value).toBeCloseTo(direct, 8);
  });

  it('has the gradient that central differences of its value give, for each parameter', () => {
    const likelihood = new SpendLikelihood(repeatBuyers);
    const { gradient } = likelihood.evaluate(params);
    for (const name of ['p', 'q', 'gamma'] as const) {
      const h = 1e-6 * params[name];
      const up = likelihood.evaluate({ ...params, [name]: params[name] + h }).value;
      const down = likelihood.evaluate({ ...params, [name]: params[name] - h }).value;
      expect(gradient[name], name).toBeCloseTo((up - down) / (2 * h), 3);
    }
  });
});

describe('fitting Gamma-Gamma', () => {
  it('recovers the published CDNOW parameters to 3 significant digits from the 946 repeat buyers', () => {
    const spends = readCdnowSummaries();
    expect(spends.filter((spend) => spend.x > 0)).toHaveLength(946);
    const fit = fitGammaGamma(spends);
    if (!fit.ok) throw new Error(`fit refused: ${JSON.stringify(fit.error)}`);
    expect(fit.value.converged).toBe(true);
    for (const name of ['p', 'q', 'gamma'] as const) {
      expect(Math.abs(fit.value[name] - PUBLISHED[name]), name).toBeLessThanOrEqual(significantDigitsTolerance(PUBLISHED[name], 3));
    }
  });

  it('refuses to fit fewer than 20 repeat buyers, ignoring one-time buyers and zero-value orders', () => {
    const spends = [
      ...Array.from({ length: 19 }, (_, i) => ({ x: 1 + (i % 3), mbar: 20 + i })),
      ...Array.from({ length: 300 }, () => ({ x: 0, mbar: 0 })),
      { x: 2, mbar: 0 },
    ];
    expect(fitGammaGamma(spends)).toEqual({ ok: false, error: { kind: 'too_few_repeat_buyers', repeatBuyers: 19, minRepeatBuyers: 20 } });
  });
});

describe('expected order value E(M | x, mbar)', () => {
  it("matches Hardie's spreadsheet for the first ten CDNOW customers at the published parameters", () => {
    // Note 025 spreadsheet, quoted in lifetimes tests/test_estimation.py; it used the unrounded
    // MLE, so the rounded published parameters agree to about 0.1.
    const spreadsheet = [24.65, 18.91, 35.17, 35.17, 35.17, 71.46, 18.91, 35.17, 27.28, 35.17];
    const firstTen = readCdnowSummaries().slice(0, 10);
    firstTen.forEach((customer, i) => {
      expect(Math.abs(expectedOrderValue(PUBLISHED, customer) - (spreadsheet[i] ?? Number.NaN)), customer.customerId).toBeLessThan(0.1);
    });
  });

  it('weights the customer mean by p·x/(p·x+q−1), worked by hand for x = 2, mbar = 22.35', () => {
    // 6.25 · (15.44 + 2 · 22.35) / (6.25 · 2 + 3.74 − 1) = 375.875 / 15.24 = 24.66371391...
    expect(expectedOrderValue(PUBLISHED, { x: 2, mbar: 22.35 })).toBeCloseTo(375.875 / 15.24, 10);
  });

  it('is the population mean p·gamma/(q−1) without repeat purchases, and unbounded when q ≤ 1', () => {
    expect(expectedOrderValue(PUBLISHED, { x: 0, mbar: 0 })).toBeCloseTo((6.25 * 15.44) / 2.74, 10);
    expect(expectedOrderValue({ ...PUBLISHED, q: 0.9 }, { x: 0, mbar: 0 })).toBe(Number.POSITIVE_INFINITY);
  });
});
