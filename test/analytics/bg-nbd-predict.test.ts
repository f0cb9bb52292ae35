import { describe, expect, it } from 'vitest';
import {
  expectedPurchases,
  expectedPurchasesIfAlive,
  expectedPurchasesIfAliveByQuadrature,
  expectedPurchasesNewCustomer,
  probabilityAlive,
} from '../../src/analytics/bg-nbd-predict.js';
import { fitBgNbd } from '../../src/analytics/bg-nbd.js';
import { groupPurchaseHistories } from '../../src/analytics/customer-summary.js';
import { betaExpectation } from '../../src/analytics/special-functions.js';
import { readCdnowSummaries } from './cdnow-fixtures.js';

// Fader, Hardie & Lee (2005), CDNOW fit, weeks.
const PUBLISHED = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
const CUSTOMER_1 = { x: 2, tx: 30.43, T: 38.86 };

// Reference values marked "mpmath" evaluate eq. 10 as printed (no Euler transformation) in 30-digit
// arithmetic with mpmath 1.3's hyp2f1, independently of this code.
function expectRelativelyClose(actual: number, expected: number, relativeTolerance: number): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(relativeTolerance * Math.abs(expected));
}

describe('P(alive)', () => {
  it('is exactly 1 for a customer with no repeat purchase, whatever their age', () => {
    expect(probabilityAlive(PUBLISHED, { x: 0, tx: 0, T: 38.86 })).toBe(1);
    expect(probabilityAlive(PUBLISHED, { x: 0, tx: 0, T: 5000 })).toBe(1);
  });

  it('matches the formula worked by hand for x = 2, tx = 30.43, T = 38.86', () => {
    // 1 / (1 + 0.793/(2.426+2−1) · ((4.414+38.86)/(4.414+30.43))^(0.243+2)) = 0.7265785700806729
    expect(probabilityAlive(PUBLISHED, CUSTOMER_1)).toBeCloseTo(0.7265785700806729, 12);
  });

  it('falls towards 0 without underflowing to NaN for a heavy buyer silent for a long time', () => {
    const pAlive = probabilityAlive(PUBLISHED, { x: 200, tx: 10, T: 38.86 });
    expectRelativelyClose(pAlive, 6.3142126560711638e-94, 1e-9); // mpmath
  });
});

describe('expected purchases given the history (eq. 10)', () => {
  it('predicts 1.226 purchases in weeks 40-78 for x = 2, tx = 30.43, T = 38.86 as Hardie reports', () => {
    // Hardie's BG/NBD Excel worked example, quoted in lifetimes tests/test_estimation.py; 3 decimals.
    expect(Math.abs(expectedPurchases(PUBLISHED, CUSTOMER_1, 39) - 1.226)).toBeLessThan(0.0005);
  });

  it('predicts nothing over a zero-length horizon', () => {
    expect(expectedPurchases(PUBLISHED, CUSTOMER_1, 0)).toBe(0);
  });

  it('stays finite and accurate for x = 200, where the untransformed 2F1 is astronomically large', () => {
    expectRelativelyClose(expectedPurchases(PUBLISHED, { x: 200, tx: 38, T: 38.86 }, 39), 113.09852445576191, 1e-9); // mpmath
    expectRelativelyClose(expectedPurchases(PUBLISHED, { x: 200, tx: 10, T: 38.86 }, 39), 8.7066403972051693e-92, 1e-9); // mpmath
    expectRelativelyClose(expectedPurchasesIfAlive(PUBLISHED, { x: 2000, tx: 38, T: 38.86 }, 520), 6777.1927182401903, 1e-9); // mpmath
  });

  it('converges for a 100-year horizon, where the series argument z is close to 1', () => {
    expectRelativelyClose(expectedPurchases(PUBLISHED, CUSTOMER_1, 5200), 19.715392891936632, 1e-9); // mpmath
    expectRelativelyClose(expectedPurchases(PUBLISHED, { x: 0, tx: 0, T: 38.86 }, 5200), 5.0188416629829034, 1e-9); // mpmath
  });

  it('passes smoothly through a = 1, where the formula divides by a − 1', () => {
    const atOne = expectedPurchasesIfAlive({ ...PUBLISHED, a: 1 }, CUSTOMER_1, 39);
    const below = expectedPurchasesIfAlive({ ...PUBLISHED, a: 0.999 }, CUSTOMER_1, 39);
    const above = expectedPurchasesIfAlive({ ...PUBLISHED, a: 1.001 }, CUSTOMER_1, 39);
    expect(atOne).toBeGreaterThanOrEqual(Math.min(below, above));
    expect(atOne).toBeLessThanOrEqual(Math.max(below, above));
  });
});

describe('expected purchases where the 2F1 series cannot converge', () => {
  it('averages over a Beta by quadrature: the means worked by hand, however concentrated or skewed', () => {
    // E[p] = a/(a+b); E[p(1−p)] = ab/((a+b)(a+b+1)). Bounded functions, as eq. 10's is.
    expectRelativelyClose(betaExpectation(0.4, 0.8, (p) => p), 1 / 3, 1e-12);
    expectRelativelyClose(betaExpectation(2.5, 3, (p, q) => p * q), 7.5 / (5.5 * 6.5), 1e-12);
    expectRelativelyClose(betaExpectation(0.05, 7, (p) => p), 0.05 / 7.05, 1e-10);
    expectRelativelyClose(betaExpectation(1e9, 3e9, (p) => p), 0.25, 1e-6);
  });

  it('agrees with eq. 10 through the series wherever the series converges', () => {
    for (const [history, t] of [[CUSTOMER_1, 39], [CUSTOMER_1, 5200], [{ x: 0, tx: 0, T: 38.86 }, 5200], [{ x: 200, tx: 38, T: 38.86 }, 39], [{ x: 1, tx: 1, T: 1 / 7 }, 90 / 7]] as const) {
      expectRelativelyClose(expectedPurchasesIfAliveByQuadrature(PUBLISHED, history, t), expectedPurchasesIfAlive(PUBLISHED, history, t), 1e-9);
    }
    expectRelativelyClose(expectedPurchasesIfAliveByQuadrature(PUBLISHED, CUSTOMER_1, 5200) * probabilityAlive(PUBLISHED, CUSTOMER_1), 19.715392891936632, 1e-9); // mpmath
  });

  it('stays finite for a fit stopped at a and b of 10⁹, where every customer drops out with nearly the same p', () => {
    // The small test shop as of 2026-11-01, in weeks: the fit's a and b, whose ₂F₁(a+b−1−r, a−1; a+b+x−1; z) series did not converge.
    const degenerate = { r: 0.6435261820218592, alpha: 3.438594968930739, a: 1404794640.3382258, b: 18006014821.805923 };
    const history = { x: 4, tx: 10, T: 142 / 7 };
    const horizon = 90 / 7;
    // With p fixed at a/(a+b+x) (the Beta's spread is 2·10⁻⁶ of it), E = (1 − ((α+T)/(α+T+pt))^(r+x))/p.
    const p = degenerate.a / (degenerate.a + degenerate.b + history.x);
    const fixedP = (1 - ((degenerate.alpha + history.T) / (degenerate.alpha + history.T + p * horizon)) ** (degenerate.r + history.x)) / p;
    expectRelativelyClose(expectedPurchasesIfAlive(degenerate, history, horizon), fixedP, 1e-5);
  });
});

describe('expected purchases of a new customer, E[X(t)]', () => {
  it("matches Hardie's BG/NBD spreadsheet at the maximum-likelihood CDNOW parameters", () => {
    // Hardie's Excel implementation evaluated at its unrounded MLE, quoted in lifetimes
    // tests/test_estimation.py (4 decimals); our own MLE differs from Excel's in the 4th digit.
    const fit = fitBgNbd(groupPurchaseHistories(readCdnowSummaries()));
    if (!fit.ok) throw new Error('CDNOW fit refused');
    const spreadsheet: [weeks: number, purchases: number][] = [
      [0.1429, 0.0078], [1, 0.0532], [3, 0.1506], [31.8571, 1.0405], [32, 1.0437], [78, 1.8576],
    ];
    for (const [weeks, purchases] of spreadsheet) {
      expect(Math.abs(expectedPurchasesNewCustomer(fit.value, weeks) - purchases), `t = ${weeks}`).toBeLessThan(0.001);
    }
  });
});
