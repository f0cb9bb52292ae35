import { describe, expect, it } from 'vitest';
import type { DayActivity } from '../../src/analytics/coverage.js';
import { comparability } from '../../src/analytics/coverage.js';

const week = (orders: number[], sessions: number[]): DayActivity[] => orders.map((count, day) => ({ orders: count, sessions: sessions[day] ?? 0 }));

describe('whether an earlier period can be compared with the current one', () => {
  const current = week([10, 12, 9, 11, 10, 8, 10], [300, 360, 270, 330, 300, 240, 300]);

  it('compares two full weeks with the same kind of data', () => {
    // 70 orders and 2,100 sessions (30 per order) against 60 and 1,500 (25 per order)
    const earlier = week([8, 9, 8, 9, 9, 8, 9], [200, 225, 200, 225, 225, 200, 225]);
    expect(comparability(current, earlier)).toEqual({ orders: { isComparable: true }, sessions: { isComparable: true } });
  });

  it('marks orders partial when history starts mid-week on a shop whose busy days are busy', () => {
    // data on 4 of the 7 days the current week has, 40 orders over 4 days = 10 per day ≥ 5
    const earlier = week([0, 0, 0, 10, 10, 10, 10], [0, 0, 0, 300, 300, 300, 300]);
    expect(comparability(current, earlier)).toEqual({
      orders: { isComparable: false, reason: 'days', earlierDays: 4, currentDays: 7, days: 7 },
      sessions: { isComparable: false, reason: 'days', earlierDays: 4, currentDays: 7, days: 7 },
    });
  });

  it('takes a quiet day of a small shop for chance, not missing data', () => {
    // 2 + 1 + 1 orders on 3 days: 1.3 per day, so an empty day is ordinary; sessions every day
    const small = week([1, 0, 2, 1, 0, 1, 1], [30, 25, 60, 30, 20, 30, 30]);
    const earlier = week([2, 0, 0, 1, 0, 1, 0], [60, 20, 25, 30, 25, 30, 20]);
    expect(comparability(small, earlier)).toEqual({ orders: { isComparable: true }, sessions: { isComparable: true } });
  });

  it('marks sessions partial when the earlier period recorded a sample of visits', () => {
    // current: 2,100 sessions / 70 orders = 30 per order; earlier: 140 / 70 = 2 per order < 30 / 3 = 10
    const earlier = week([10, 10, 10, 10, 10, 10, 10], [20, 20, 20, 20, 20, 20, 20]);
    expect(comparability(current, earlier)).toEqual({
      orders: { isComparable: true },
      sessions: { isComparable: false, reason: 'density', earlierPerOrder: 2, currentPerOrder: 30 },
    });
  });

  it('keeps a real rise in conversion rate comparable: 30 to 12 sessions per order is above a third', () => {
    const earlier = week([10, 10, 10, 10, 10, 10, 10], [120, 120, 120, 120, 120, 120, 120]);
    expect(comparability(current, earlier).sessions).toEqual({ isComparable: true });
  });

  it('says there is nothing to compare with when the earlier period holds no data', () => {
    expect(comparability(current, week([0, 0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0, 0]))).toEqual({
      orders: { isComparable: false, reason: 'no_data' }, sessions: { isComparable: false, reason: 'no_data' },
    });
  });
});
