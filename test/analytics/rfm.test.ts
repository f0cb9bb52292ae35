import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fmScore, quintileScores, scoreRfm, summarizeSegments } from '../../src/analytics/rfm.js';
import type { RfmInput } from '../../src/analytics/rfm.js';
import type { RfmSegmentMap } from '../../src/analytics/rfm-segments.js';
import { DAY_MS } from '../../src/analytics/time.js';

describe('quintileScores', () => {
  it('splits ten distinct values into five scores of two', () => {
    // score = 1 + floor(5 · worse / 10) with worse = 0 … 9 → 1,1,2,2,3,3,4,4,5,5.
    expect(quintileScores([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], true)).toEqual([1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
  });

  it('gives fewer days since the last order the higher recency score', () => {
    expect(quintileScores([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], false)).toEqual([5, 5, 4, 4, 3, 3, 2, 2, 1, 1]);
  });

  it('never splits a tie: most customers buying once all get F = 1 and scores 2 and 3 stay empty', () => {
    // 7 one-time buyers: worse = 0 → 1. Two with 2 orders: worse = 7 → 1 + floor(35/10) = 4.
    // One with 5 orders: worse = 9 → 1 + floor(45/10) = 5.
    const frequencies = [1, 2, 1, 1, 5, 1, 1, 2, 1, 1];
    expect(quintileScores(frequencies, true)).toEqual([1, 4, 1, 1, 5, 1, 1, 4, 1, 1]);
  });

  it('scores everyone 1 when all values are equal, and handles empty input', () => {
    expect(quintileScores([3, 3, 3, 3], true)).toEqual([1, 1, 1, 1]);
    expect(quintileScores([3, 3, 3, 3], false)).toEqual([1, 1, 1, 1]);
    expect(quintileScores([], true)).toEqual([]);
  });

  it('does not depend on input order and handles n not divisible by 5', () => {
    // n = 3: worse 0, 1, 2 → 1 + floor(0), 1 + floor(5/3), 1 + floor(10/3) = 1, 2, 4.
    expect(quintileScores([30, 10, 20], true)).toEqual([4, 1, 2]);
    expect(quintileScores([10, 20, 30], true)).toEqual([1, 2, 4]);
  });
});

describe('scoreRfm', () => {
  const customers = [
    { customerId: 'A', recencyDays: 2, frequency: 6, monetary: 600 },
    { customerId: 'B', recencyDays: 10, frequency: 3, monetary: 300 },
    { customerId: 'C', recencyDays: 30, frequency: 1, monetary: 50 },
    { customerId: 'D', recencyDays: 200, frequency: 5, monetary: 900 },
    { customerId: 'E', recencyDays: 400, frequency: 1, monetary: 40 },
  ] satisfies RfmInput[];

  it('scores five customers and names their segments with the default map', () => {
    // n = 5, so score = 1 + worse. R (fewer days better): A5 B4 C3 D2 E1.
    // F 6,3,1,5,1: A worse 4 → 5, B 2 → 3, C 0 → 1, D 3 → 4, E 0 → 1.
    // M 600,300,50,900,40: A 3 → 4, B 2 → 3, C 1 → 2, D 4 → 5, E 0 → 1.
    // FM = floor((F + M + 1)/2): A 5, B 3, C 2, D 5, E 1.
    // Map: R5 FM5 champions; R4 FM3 potential_loyalist; R3 FM2 about_to_sleep; R2 FM5 cant_lose; R1 FM1 lost.
    const scored = scoreRfm(customers);
    expect(scored.map(({ customerId, r, f, m, fm, segmentId }) => [customerId, r, f, m, fm, segmentId])).toEqual([
      ['A', 5, 5, 4, 5, 'champions'],
      ['B', 4, 3, 3, 3, 'potential_loyalist'],
      ['C', 3, 1, 2, 2, 'about_to_sleep'],
      ['D', 2, 4, 5, 5, 'cant_lose'],
      ['E', 1, 1, 1, 1, 'lost'],
    ]);
  });

  it('summarises size and revenue share per segment, in map order, empty segments included', () => {
    // Total monetary 600 + 300 + 50 + 900 + 40 = 1 890.
    const summary = summarizeSegments(scoreRfm(customers));
    expect(summary).toHaveLength(11);
    expect(summary[0]).toMatchObject({ segmentId: 'champions', customers: 1, customerShare: 0.2, revenue: 600 });
    expect(summary[0]?.revenueShare).toBeCloseTo(600 / 1890, 12);
    expect(summary.find((s) => s.segmentId === 'cant_lose')?.revenueShare).toBeCloseTo(900 / 1890, 12);
    expect(summary.find((s) => s.segmentId === 'loyal')).toMatchObject({ customers: 0, revenue: 0, revenueShare: 0 });
    expect(summary.reduce((sum, s) => sum + s.customers, 0)).toBe(5);
  });

  it('summarises no customers without dividing by zero', () => {
    const summary = summarizeSegments(scoreRfm([]));
    expect(summary.every((s) => s.customers === 0 && s.customerShare === null && s.revenueShare === null)).toBe(true);
  });

  it('uses a replacement map', () => {
    const twoSegments: RfmSegmentMap = {
      segments: [
        { id: 'active', label: 'Active', cells: [{ r: [3, 5], fm: [1, 5] }] },
        { id: 'lapsed', label: 'Lapsed', cells: [{ r: [1, 2], fm: [1, 5] }] },
      ],
    };
    expect(scoreRfm(customers, { segmentMap: twoSegments }).map((c) => c.segmentId)).toEqual([
      'active', 'active', 'active', 'lapsed', 'lapsed',
    ]);
  });

  it('rounds the FM mean half up', () => {
    expect([fmScore(1, 2), fmScore(4, 5), fmScore(3, 3), fmScore(1, 1)]).toEqual([2, 5, 3, 1]);
  });
});

describe('scoreRfm on the CDNOW sample (2 357 customers, Fader, Hardie & Lee 2005)', () => {
  /** Orders, last order day and revenue per customer from the raw transaction lines, as of 1 Jul 1998. */
  function cdnowCustomers(): RfmInput[] {
    const text = readFileSync(new URL('../../../shared/fixtures/cdnow/CDNOW_sample.txt', import.meta.url), 'utf8');
    const byCustomer = new Map<string, { lastMs: number; orders: number; revenue: number }>();
    for (const line of text.split(/\r?\n/)) {
      const [, id, day, , dollars] = line.trim().split(/\s+/);
      if (id === undefined || day === undefined || dollars === undefined) continue;
      const ms = Date.UTC(Number(day.slice(0, 4)), Number(day.slice(4, 6)) - 1, Number(day.slice(6, 8)));
      const customer = byCustomer.get(id) ?? { lastMs: 0, orders: 0, revenue: 0 };
      byCustomer.set(id, {
        lastMs: Math.max(customer.lastMs, ms),
        orders: customer.orders + 1,
        revenue: customer.revenue + Number(dollars),
      });
    }
    const asOfMs = Date.UTC(1998, 6, 1);
    return [...byCustomer].map(([customerId, c]) => ({
      customerId,
      recencyDays: (asOfMs - c.lastMs) / DAY_MS,
      frequency: c.orders,
      monetary: c.revenue,
    }));
  }

  it('keeps every one-time buyer at F = 1 and leaves F = 2 empty', () => {
    const customers = cdnowCustomers();
    expect(customers).toHaveLength(2357);
    const scored = scoreRfm(customers);
    const onceCount = customers.filter((c) => c.frequency === 1).length;
    // About half bought once, so the 2-order group starts at rank onceCount and scores
    // 1 + floor(5 · onceCount / 2357) ≥ 3.
    expect(onceCount / 2357).toBeGreaterThan(0.4);
    expect(scored.filter((c) => c.f === 1)).toHaveLength(onceCount);
    expect(scored.filter((c) => c.f === 2)).toHaveLength(0);
    const twice = scored.find((c) => c.frequency === 2);
    expect(twice?.f).toBe(1 + Math.floor((5 * onceCount) / 2357));
    // No tie splits: each frequency value maps to exactly one score.
    const scoresByFrequency = new Map<number, Set<number>>();
    for (const c of scored) scoresByFrequency.set(c.frequency, (scoresByFrequency.get(c.frequency) ?? new Set()).add(c.f));
    expect([...scoresByFrequency.values()].every((set) => set.size === 1)).toBe(true);
    // Recency and monetary have few ties, so their quintiles hold close to a fifth each (2357/5 = 471.4).
    for (const score of [1, 2, 3, 4, 5]) {
      expect(Math.abs(scored.filter((c) => c.m === score).length - 471.4)).toBeLessThan(30);
    }
  });
});
