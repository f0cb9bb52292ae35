import { describe, expect, it } from 'vitest';
import { groupPurchaseHistories, summariseTransactions, type Transaction } from '../../src/analytics/customer-summary.js';
import { readCdnowSummaries, readCdnowTransactions } from './cdnow-fixtures.js';

describe('summarising transactions', () => {
  it('rebuilds the published CDNOW calibration summaries from the raw sample transactions', () => {
    // Calibration ends 1997-09-30, 39 weeks after 1997-01-01; the summary CSV rounds to 2 decimals.
    const summaries = summariseTransactions(readCdnowTransactions(), { calibrationEnd: '1997-09-30', unitDays: 7 });
    const byId = new Map(summaries.map((summary) => [summary.customerId, summary]));
    const published = readCdnowSummaries();
    expect(summaries).toHaveLength(published.length);
    for (const expected of published) {
      const actual = byId.get(expected.customerId);
      if (!actual) throw new Error(`customer ${expected.customerId} missing`);
      expect(actual.x, expected.customerId).toBe(expected.x);
      for (const field of ['tx', 'T', 'mbar'] as const) {
        expect(Math.abs(actual[field] - expected[field]), `${expected.customerId} ${field}`).toBeLessThanOrEqual(0.005 + 1e-9);
      }
    }
  });

  it('counts same-day orders as one purchase worth their sum and ignores orders after calibration', () => {
    const orders = [
      { customerId: 'c1', day: '2024-01-01', value: 10 },
      { customerId: 'c1', day: '2024-01-08', value: 5 },
      { customerId: 'c1', day: '2024-01-08', value: 7 },
      { customerId: 'c1', day: '2024-01-15', value: 30 },
      { customerId: 'c1', day: '2024-02-01', value: 99 },
      { customerId: 'late', day: '2024-02-01', value: 99 },
    ] satisfies Transaction[];
    // Repeat days 01-08 (12) and 01-15 (30): x = 2, tx = 14 days, T = 28 days, mbar = 21.
    expect(summariseTransactions(orders, { calibrationEnd: '2024-01-29', unitDays: 7 })).toEqual([
      { customerId: 'c1', x: 2, tx: 2, T: 4, mbar: 21 },
    ]);
  });

  it('gives a one-off buyer x = 0, tx = 0 and mbar = 0', () => {
    const orders = [{ customerId: 'once', day: '2024-03-01', value: 40 }] satisfies Transaction[];
    expect(summariseTransactions(orders, { calibrationEnd: '2024-03-11', unitDays: 1 })).toEqual([
      { customerId: 'once', x: 0, tx: 0, T: 10, mbar: 0 },
    ]);
  });
});

describe('grouping purchase histories', () => {
  it('collapses identical (x, tx, T) and keeps every customer counted', () => {
    const groups = groupPurchaseHistories([
      { x: 1, tx: 2, T: 5 }, { x: 1, tx: 2, T: 5 }, { x: 0, tx: 0, T: 5 }, { x: 1, tx: 2, T: 6 },
    ]);
    expect(groups).toEqual([
      { x: 1, tx: 2, T: 5, count: 2 }, { x: 0, tx: 0, T: 5, count: 1 }, { x: 1, tx: 2, T: 6, count: 1 },
    ]);
  });

  it('finds the 1,016 distinct histories among the 2,357 CDNOW customers', () => {
    // Counted independently with `cut -d, -f2-4 | sort -u` on the summary CSV.
    const groups = groupPurchaseHistories(readCdnowSummaries());
    expect(groups).toHaveLength(1016);
    expect(groups.reduce((sum, group) => sum + group.count, 0)).toBe(2357);
  });
});
