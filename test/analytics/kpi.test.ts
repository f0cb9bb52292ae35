import { describe, expect, it } from 'vitest';
import { change, compareKpis, computeKpis } from '../../src/analytics/kpi.js';

describe('computeKpis', () => {
  it('derives AOV, conversion rate and returning share', () => {
    // AOV = 12 000 / 150 = 80; conversion = 150 / 5 000 = 0.03; returning share = 40 / (100 + 40) = 2/7.
    const kpis = computeKpis({ revenue: 12_000, orders: 150, sessions: 5_000, newCustomers: 100, returningCustomers: 40 });
    expect(kpis.aov).toBe(80);
    expect(kpis.conversionRate).toBeCloseTo(0.03, 12);
    expect(kpis.returningShare).toBeCloseTo(2 / 7, 12);
  });

  it('reports ratios with a zero base as null', () => {
    const kpis = computeKpis({ revenue: 0, orders: 0, sessions: 0, newCustomers: 0, returningCustomers: 0 });
    expect(kpis).toEqual({
      revenue: 0,
      orders: 0,
      aov: null,
      conversionRate: null,
      newCustomers: 0,
      returningCustomers: 0,
      returningShare: null,
    });
  });
});

describe('change', () => {
  it('gives absolute and relative change', () => {
    // 120 vs 100: +20, +20 %.
    expect(change(120, 100)).toEqual({ current: 120, previous: 100, absoluteChange: 20, relativeChange: 0.2 });
  });

  it('is null when the base is 0 or a side is missing', () => {
    expect(change(5, 0).relativeChange).toBeNull();
    expect(change(5, 0).absoluteChange).toBe(5);
    expect(change(null, 3)).toEqual({ current: null, previous: 3, absoluteChange: null, relativeChange: null });
  });

  it('divides by the magnitude of a negative base so the sign shows the direction', () => {
    // −50 → −25 is an improvement of 25 on a base of 50: +0.5.
    expect(change(-25, -50).relativeChange).toBe(0.5);
  });
});

describe('compareKpis', () => {
  it('compares every KPI with the previous period without NaN or Infinity', () => {
    // Current: AOV 90 000/1 000 = 90, conversion 1 000/40 000 = 0.025.
    // Previous: AOV 80 000/1 000 = 80 → AOV +10 (+12.5 %); previous sessions 0 → conversion change null.
    const comparison = compareKpis(
      { revenue: 90_000, orders: 1_000, sessions: 40_000, newCustomers: 300, returningCustomers: 500 },
      { revenue: 80_000, orders: 1_000, sessions: 0, newCustomers: 0, returningCustomers: 400 },
    );
    expect(comparison.aov).toEqual({ current: 90, previous: 80, absoluteChange: 10, relativeChange: 0.125 });
    expect(comparison.conversionRate).toEqual({ current: 0.025, previous: null, absoluteChange: null, relativeChange: null });
    expect(comparison.newCustomers.relativeChange).toBeNull();
    expect(comparison.returningCustomers.relativeChange).toBe(0.25);
    const numbers = Object.values(comparison).flatMap((c) => Object.values(c));
    expect(numbers.every((n) => n === null || Number.isFinite(n))).toBe(true);
  });
});
