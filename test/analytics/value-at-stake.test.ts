import { describe, expect, it } from 'vitest';
import type { CustomerSummary } from '../../src/analytics/customer-summary.js';
import { rankByValueAtStake, valueAtStake, type ChurnModels } from '../../src/analytics/value-at-stake.js';

// Published CDNOW fits, weeks: BG/NBD from Fader, Hardie & Lee (2005), Gamma-Gamma from Fader &
// Hardie (2013, note 025).
const MODELS: ChurnModels = {
  bgNbd: { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 },
  gammaGamma: { p: 6.25, q: 3.74, gamma: 15.44 },
};
const HORIZON_WEEKS = 39;

describe('value at stake of one customer', () => {
  it('splits the 39-week value of CDNOW customer 1 by P(alive), from published figures', () => {
    // P(alive) = 0.7265786 worked by hand (see bg-nbd-predict.test.ts); Hardie's 1.226 expected
    // purchases in weeks 40-78 (3 decimals) = P(alive) × purchases-if-alive; E(M) = 375.875/15.24.
    const pAlive = 0.7265786;
    const orderValue = 375.875 / 15.24;
    const valueIfAlive = (1.226 / pAlive) * orderValue;
    const customer = { customerId: '1', x: 2, tx: 30.43, T: 38.86, mbar: 22.35 } satisfies CustomerSummary;

    const result = valueAtStake(customer, MODELS, HORIZON_WEEKS);

    expect(result.probabilityAlive).toBeCloseTo(pAlive, 6);
    expect(result.expectedOrderValue).toBeCloseTo(orderValue, 10);
    // 1.226 carries ±0.0005, i.e. 4e-4 relative, so allow 1e-3 relative below.
    expect(Math.abs(result.expectedValue - 1.226 * orderValue)).toBeLessThan(1e-3 * 1.226 * orderValue);
    expect(Math.abs(result.expectedValueIfAlive - valueIfAlive)).toBeLessThan(1e-3 * valueIfAlive);
    expect(Math.abs(result.valueAtStake - (1 - pAlive) * valueIfAlive)).toBeLessThan(1e-3 * valueIfAlive);
  });

  it('puts nothing at stake for a customer who never bought again, since BG/NBD keeps them alive', () => {
    const oneOff = { customerId: '3', x: 0, tx: 0, T: 38.86, mbar: 0 } satisfies CustomerSummary;
    const result = valueAtStake(oneOff, MODELS, HORIZON_WEEKS);
    expect(result.probabilityAlive).toBe(1);
    expect(result.valueAtStake).toBe(0);
    expect(result.expectedValue).toBeGreaterThan(0);
  });

  it('stays finite for a customer with 200 repeat purchases', () => {
    const heavy = { customerId: 'h', x: 200, tx: 20, T: 38.86, mbar: 15 } satisfies CustomerSummary;
    const result = valueAtStake(heavy, MODELS, HORIZON_WEEKS);
    expect(Number.isFinite(result.valueAtStake)).toBe(true);
    expect(result.valueAtStake).toBeGreaterThan(0);
    expect(result.valueAtStake).toBeLessThanOrEqual(result.expectedValueIfAlive);
  });
});

describe('ranking customers by value at stake', () => {
  // Same x, T and mbar give the same value if alive, so the one silent for 33 weeks (lower P(alive))
  // must outrank the one who bought last week; the one-off buyer has nothing at stake.
  const lapsed = { customerId: 'lapsed', x: 10, tx: 5, T: 38, mbar: 50 } satisfies CustomerSummary;
  const recent = { customerId: 'recent', x: 10, tx: 37, T: 38, mbar: 50 } satisfies CustomerSummary;
  const oneOff = { customerId: 'one-off', x: 0, tx: 0, T: 38, mbar: 0 } satisfies CustomerSummary;

  it('lists the lapsed heavy buyer first and the one-off buyer last', () => {
    const ranked = rankByValueAtStake([oneOff, recent, lapsed], MODELS, { horizon: HORIZON_WEEKS, top: 10 });
    expect(ranked.map((entry) => entry.customerId)).toEqual(['lapsed', 'recent', 'one-off']);
  });

  it('returns only the top N', () => {
    const ranked = rankByValueAtStake([oneOff, recent, lapsed], MODELS, { horizon: HORIZON_WEEKS, top: 2 });
    expect(ranked.map((entry) => entry.customerId)).toEqual(['lapsed', 'recent']);
  });

  it('breaks ties by customer id so repeated runs agree', () => {
    const twins = [{ ...lapsed, customerId: 'b' }, { ...lapsed, customerId: 'a' }];
    const ranked = rankByValueAtStake(twins, MODELS, { horizon: HORIZON_WEEKS, top: 2 });
    expect(ranked.map((entry) => entry.customerId)).toEqual(['a', 'b']);
  });
});
