import { describe, expect, it } from 'vitest';
import { paceBudget } from '../../src/analytics/budget.js';
import type { BudgetLine } from '../../src/analytics/budget.js';

// November 2026 has 30 days; a cap of 3 000 paces at 100 a day.
const november = (spendToDate: number, revenueToDate?: number): BudgetLine => ({
  channel: 'paid_search',
  periodStart: '2026-11-01',
  periodEnd: '2026-11-30',
  cap: 3_000,
  spendToDate,
  ...(revenueToDate === undefined ? {} : { revenueToDate }),
});

describe('paceBudget', () => {
  it('flags overspending against even pacing and projects the month', () => {
    // Through 10 Nov: 10 of 30 days, expected 3 000·10/30 = 1 000. Spent 1 250 → ratio 1.25 > 1.1: over.
    // Projected 1 250/10·30 = 3 750; remaining 1 750 over 20 days = 87.5 a day; ROAS 5 000/1 250 = 4.
    expect(paceBudget(november(1_250, 5_000), { spendThrough: '2026-11-10' })).toEqual({
      channel: 'paid_search',
      totalDays: 30,
      daysElapsed: 10,
      expectedSpendToDate: 1_000,
      projectedSpend: 3_750,
      paceRatio: 1.25,
      verdict: 'over',
      remainingBudget: 1_750,
      dailyAllowance: 87.5,
      roas: 4,
    });
  });

  it('calls within ±10 % on pace and below it under', () => {
    // 950/1 000 = 0.95 → on pace; 800/1 000 = 0.8 → under; with tolerance 0.25, 0.8 is on pace.
    expect(paceBudget(november(950), { spendThrough: '2026-11-10' }).verdict).toBe('on_pace');
    expect(paceBudget(november(800), { spendThrough: '2026-11-10' }).verdict).toBe('under');
    expect(paceBudget(november(800), { spendThrough: '2026-11-10', tolerance: 0.25 }).verdict).toBe('on_pace');
  });

  it('says not started before the period and gives no projection', () => {
    const pacing = paceBudget(november(0), { spendThrough: '2026-10-31' });
    expect(pacing).toMatchObject({
      daysElapsed: 0,
      expectedSpendToDate: 0,
      projectedSpend: null,
      paceRatio: null,
      verdict: 'not_started',
      roas: null,
    });
    expect(pacing.dailyAllowance).toBe(100);
  });

  it('clamps to the period after it ends and reports a cap exceeded', () => {
    // Through 5 Dec: all 30 days elapsed, expected 3 000; 3 100 spent exceeds the cap; no days remain.
    const pacing = paceBudget(november(3_100), { spendThrough: '2026-12-05' });
    expect(pacing).toMatchObject({
      daysElapsed: 30,
      expectedSpendToDate: 3_000,
      verdict: 'cap_exceeded',
      remainingBudget: -100,
      dailyAllowance: null,
    });
  });

  it('counts a leap day and a one-day period', () => {
    // 2028-02-01..2028-02-29 is 29 days; through the 29th all are elapsed.
    const leap = paceBudget(
      { channel: 'x', periodStart: '2028-02-01', periodEnd: '2028-02-29', cap: 290, spendToDate: 290 },
      { spendThrough: '2028-02-29' },
    );
    expect([leap.totalDays, leap.daysElapsed, leap.verdict]).toEqual([29, 29, 'on_pace']);
    // One day: expected 50, spent 10 → ratio 0.2, under.
    const oneDay = paceBudget(
      { channel: 'x', periodStart: '2026-11-26', periodEnd: '2026-11-26', cap: 50, spendToDate: 10 },
      { spendThrough: '2026-11-26' },
    );
    expect([oneDay.totalDays, oneDay.paceRatio, oneDay.verdict]).toEqual([1, 0.2, 'under']);
  });

  it('handles a zero cap without dividing by zero', () => {
    const pacing = paceBudget(
      { channel: 'x', periodStart: '2026-11-01', periodEnd: '2026-11-30', cap: 0, spendToDate: 0 },
      { spendThrough: '2026-11-10' },
    );
    expect(pacing).toMatchObject({ paceRatio: null, verdict: 'on_pace', projectedSpend: 0, dailyAllowance: 0 });
  });
});
