import { beforeAll, describe, expect, it } from 'vitest';
import type { RfmSegmentMap } from '../../../src/analytics/rfm-segments.js';
import type { Reply } from '../../../src/bot/reply.js';
import { ask, createTestBot, rowOf, tableOf } from '../../support/bot.js';
import { clearData, testDbKind, useTestDb } from '../../support/db.js';
import type { OrderFixture, TouchFixture } from '../../support/fixtures.js';
import { insertOrders, insertTouchpoints } from '../../support/fixtures.js';

// Today is 2026-11-26: "last 7d" is 19..25 Nov, the previous period 12..18 Nov.
const now = new Date('2026-11-26T09:00:00Z');

/** Two-sided exact test of c1 of n events at rate share 1/2 (equal exposures), summed independently of the code. */
function equalExposurePoissonP(c1: number, n: number): number {
  let choose = 1;
  const probabilities: number[] = [];
  for (let k = 0; k <= n; k += 1) {
    probabilities.push(choose / 2 ** n);
    choose = (choose * (n - k)) / (k + 1);
  }
  const upper = probabilities.slice(c1).reduce((sum, p) => sum + p, 0);
  const lower = probabilities.slice(0, c1 + 1).reduce((sum, p) => sum + p, 0);
  return Math.min(1, 2 * Math.min(upper, lower));
}

/** `count` orders of 10 on the given day, each with one paid-search touch from `device`. */
function ordersOn(prefix: string, day: string, count: number, device: string, customer: (i: number) => string): { orders: OrderFixture[]; touches: TouchFixture[] } {
  const orders = Array.from({ length: count }, (_, i) => ({ id: `${prefix}${i}`, customer: customer(i), at: `${day}T10:${String(i).padStart(2, '0')}:00Z`, revenue: 10 }));
  const touches = orders.map((order) => ({ id: `t-${order.id}`, customer: order.customer, at: `${day}T09:00:00Z`, channel: 'paid_search', order: order.id, device }));
  return { orders, touches };
}

describe(`segment on ${testDbKind}`, () => {
  const test = useTestDb();

  beforeAll(async () => {
    await clearData(test.db);
    // Orders: mobile 10 → 30, desktop 5 → 5. Mobile customers m0..m9 buy in both periods; the rest are new.
    const parts = [
      ordersOn('mp', '2026-11-13', 10, 'mobile', (i) => `m${i}`),
      ordersOn('mc', '2026-11-20', 30, 'mobile', (i) => `m${i}`),
      ordersOn('dp', '2026-11-14', 5, 'desktop', (i) => `dp${i}`),
      ordersOn('dc', '2026-11-21', 5, 'desktop', (i) => `dc${i}`),
    ];
    await insertOrders(test.db, parts.flatMap((part) => part.orders));
    await insertTouchpoints(test.db, parts.flatMap((part) => part.touches));
    // Email sessions without orders in the shop: 100 a period, 20 converted now against 10 before.
    const emails = (prefix: string, day: string, converted: number) => Array.from({ length: 100 }, (_, i) => ({
      id: `${prefix}${i}`, anonymous: `${prefix}v${i}`, at: `${day}T12:00:00Z`, channel: 'email', ...(i < converted ? { order: `${prefix}o${i}` } : {}),
    }));
    await insertTouchpoints(test.db, [...emails('ec', '2026-11-22', 20), ...emails('ep', '2026-11-15', 10)]);
  });

  it('calls out the one significant change in orders by device', async () => {
    const answer = await ask(createTestBot(test.db, { now }), 'segment orders by device last 7d');
    expect(answer.problem).toBeUndefined();
    // Mobile 30 vs 10 over equal 7-day exposures: p = 2 · P(X ≥ 30 | Bin(40, 1/2)); desktop 5 vs 5: p = 1.
    // Benjamini-Hochberg with m = 2: mobile min(2p/1, 1), desktop 1.
    const pMobile = equalExposurePoissonP(30, 40);
    const mobile = rowOf(answer, 'mobile');
    expect(mobile.slice(1, 3).map((cell) => cell.raw)).toEqual([30, 10]);
    expect(mobile[3]?.raw as number).toBeCloseTo(2, 12);
    expect(mobile[4]?.raw as number).toBeCloseTo(pMobile, 12);
    expect(mobile[5]?.raw as number).toBeCloseTo(2 * pMobile, 12);
    expect(rowOf(answer, 'desktop').slice(1, 6).map((cell) => cell.raw)).toEqual([5, 5, 0, 1, 1]);
    expect(answer.summary).toBe(`Orders changed significantly in 1 segment against the previous period: mobile +200.0% (adjusted p = ${(2 * pMobile).toFixed(3)}).`);
  });

  it('does not call a change significant once corrected for the number of segments', async () => {
    const answer = await ask(createTestBot(test.db, { now }), 'segment conversion rate by channel last 7d');
    // Email 20/100 vs 10/100: pooled 0.15, se = sqrt(0.15 · 0.85 · 0.02) = 0.050498, z = 1.9803, p = 0.0477.
    // Paid search 35/35 vs 15/15: p = 1. BH with m = 2 doubles email's p to 0.0953: not significant.
    const email = rowOf(answer, 'email');
    expect(email[1]?.raw).toBe(0.2);
    expect(email[3]?.raw as number).toBeCloseTo(0.1, 12);
    expect(email[4]?.raw as number).toBeGreaterThan(0.047);
    expect(email[4]?.raw as number).toBeLessThan(0.048);
    expect(email[5]?.raw as number).toBeCloseTo(2 * (email[4]?.raw as number), 12);
    expect(email[6]?.raw).toBe('false');
    expect(answer.summary).toBe("No segment's conversion rate changed significantly against the previous period (2 segments, Benjamini-Hochberg correction at 5%).");
  });

  it('shows revenue as period totals and draws previous against current per segment', async () => {
    const answer = await ask(createTestBot(test.db, { now }), 'segment revenue by device last 7d');
    // Mobile 30 × 10 = 300 now, 100 before; desktop 50 and 50.
    expect(rowOf(answer, 'mobile').slice(1, 3).map((cell) => cell.raw)).toEqual([300, 100]);
    const chart = answer.blocks.find((block) => block.type === 'chart');
    if (chart?.type !== 'chart') throw new Error('no chart');
    expect(chart.config.data.labels).toEqual(['desktop', 'mobile']);
    expect(chart.config.data.datasets.map((dataset) => dataset.data)).toEqual([[50, 100], [50, 300]]);
  });

  it('splits orders by the RFM segment customers were in when each period began', async () => {
    const answer = await ask(createTestBot(test.db, { now }), 'segment orders by rfm_segment last 7d');
    // Before 12 Nov nobody had ordered: all 15 previous-period orders are "No earlier order".
    // As of 18 Nov, m0..m9 (recency 5 days, 1 order, 10) and dp0..dp4 (recency 4): R = 1 + floor(5 · worse / 15) gives
    // m 1 and dp 1 + floor(50/15) = 4; F and M tie for all, so 1, and FM 1: m0..m9 lost, dp0..dp4 promising.
    // This period m0..m9 place 10 orders; m10..m29 and dc0..dc4 place 25 with no earlier order; promising buys nothing.
    expect(rowOf(answer, 'Lost').slice(1, 3).map((cell) => cell.raw)).toEqual([10, 0]);
    expect(rowOf(answer, 'No earlier order').slice(1, 3).map((cell) => cell.raw)).toEqual([25, 15]);
    expect(tableOf(answer).rows.map((row) => row[0]?.raw).sort()).toEqual(['lost', 'none']);
  });

  it('gives the repeat rate as the share of ordering customers who had ordered before the period', async () => {
    const answer = await ask(createTestBot(test.db, { now }), 'segment repeat rate by device last 7d');
    // Mobile now: m0..m9 of m0..m29 first ordered on 13 Nov, before the period: 10/30; before: all 10 new, 0/10.
    expect(rowOf(answer, 'mobile').slice(1, 3).map((cell) => cell.raw)).toEqual([10 / 30, 0]);
    expect(rowOf(answer, 'mobile')[3]?.text).toBe('+33.3 pp');
    expect(rowOf(answer, 'desktop').slice(1, 3).map((cell) => cell.raw)).toEqual([0, 0]);
  });

  it('answers in Italian', async () => {
    const answer = await ask(createTestBot(test.db, { now, settings: { locale: 'it' } }), 'segment ordini per device last 7d');
    expect(answer.title).toBe('Ordini per dispositivo, 19 nov 2026 – 25 nov 2026');
    expect(answer.summary.startsWith('Ordini: variazione significativa in 1 segmento')).toBe(true);
  });

  it.each([
    ['segment revenue by planet', '"planet" is not a known dimension. Valid: channel, device, country, new_returning, rfm_segment.'],
    ['segment by channel', 'Which KPI? For example `segment revenue by channel`. Valid: revenue, orders, aov, conversion_rate, repeat_rate.'],
    ['segment happiness by channel', '"happiness" is not a known KPI. Valid: revenue, orders, aov, conversion_rate, repeat_rate.'],
    ['segment revenue', 'Split by what? For example `segment revenue by channel`. Valid: channel, device, country, new_returning, rfm_segment.'],
    ['segment revenue by', 'Split by what? For example `segment revenue by channel`. Valid: channel, device, country, new_returning, rfm_segment.'],
    ['segment conversion_rate by rfm_segment', 'Conversion rate can be split by channel, device, country.'],
    ['segment repeat_rate by new_returning', 'Repeat rate can be split by channel, device, country.'],
    ['segment revenue by channel last 0d', '"last 0d" is not a period I understand.'],
  ])('answers "%s" with what would work', async (text, message) => {
    const answer = await ask(createTestBot(test.db, { now }), text);
    expect(answer.problem).toBe('bad_input');
    expect(answer.summary.startsWith(message)).toBe(true);
  });

  it('says there is nothing to split in an empty period', async () => {
    const answer = await ask(createTestBot(test.db, { now }), 'segment orders by channel 2025-01-01..2025-01-31');
    expect(answer.problem).toBe('no_data');
  });

});

/** Rows as [segment id, current, previous] by the raw key, sorted by key. */
function splitOf(answer: Reply): [unknown, unknown, unknown][] {
  return tableOf(answer).rows.map((row): [unknown, unknown, unknown] => [row[0]?.raw, row[1]?.raw, row[2]?.raw])
    .sort((a, b) => String(a[0]).localeCompare(String(b[0])));
}

// "2026-11-16..2026-11-22" compares with the 7 days before: 9..15 Nov. Each period keys an order by the
// segment its customer was in when the period began. Scores are 1 + floor(5 · worse / n), worse = customers
// with a strictly worse value; FM = floor((F + M + 1) / 2); segments from the default map.
//
// As of 15 Nov (n = 5), recency days / orders / revenue:
//   A 1/2/200, B 3/1/50, C 14/1/30, D 2/2/40, E 75/1/10
//   R: A5 D4 B3 C2 E1; F: A D 1 + floor(15/5) = 4, B C E 1; M: A5 B4 D3 C2 E1; FM: A5 B3 C2 D4 E1
//   → A champions, B need_attention, C hibernating, D loyal, E lost
//   16..22 Nov: A 2 orders (100 + 60), B 1 (40), D 1 (25), newcomer N 2 (30 + 30, the first at midnight on the 16th): none.
// As of 8 Nov (n = 3): C 7/1/30, D 38/1/20, E 68/1/10
//   R: C 1 + floor(10/3) = 4, D 1 + floor(5/3) = 2, E 1; F: all 1; M: C4 D2 E1; FM: C3 D2 E1
//   → C potential_loyalist, D hibernating, E lost
//   9..15 Nov: A 2 orders (100 + 100) and B 1 (50), none before: none; D 1 (20): hibernating.
describe(`segment by rfm_segment on a hand-scored shop on ${testDbKind}`, () => {
  const test = useTestDb();

  beforeAll(async () => {
    await clearData(test.db);
    await insertOrders(test.db, [
      { id: 'a1', customer: 'A', at: '2026-11-10T10:00:00Z', revenue: 100 },
      { id: 'a2', customer: 'A', at: '2026-11-14T10:00:00Z', revenue: 100 },
      { id: 'a3', customer: 'A', at: '2026-11-17T10:00:00Z', revenue: 100 },
      { id: 'a4', customer: 'A', at: '2026-11-20T10:00:00Z', revenue: 60 },
      { id: 'b1', customer: 'B', at: '2026-11-12T10:00:00Z', revenue: 50 },
      { id: 'b2', customer: 'B', at: '2026-11-18T10:00:00Z', revenue: 40 },
      { id: 'c1', customer: 'C', at: '2026-11-01T10:00:00Z', revenue: 30 },
      { id: 'd1', customer: 'D', at: '2026-10-01T10:00:00Z', revenue: 20 },
      { id: 'd2', customer: 'D', at: '2026-11-13T10:00:00Z', revenue: 20 },
      { id: 'd3', customer: 'D', at: '2026-11-19T10:00:00Z', revenue: 25 },
      { id: 'e1', customer: 'E', at: '2026-09-01T10:00:00Z', revenue: 10 },
      { id: 'n1', customer: 'N', at: '2026-11-16T00:00:00Z', revenue: 30 },
      { id: 'n2', customer: 'N', at: '2026-11-21T10:00:00Z', revenue: 30 },
    ]);
  });

  it('splits each period\'s orders by the segment its customers were in when it began', async () => {
    const answer = await ask(createTestBot(test.db, { now }), 'segment orders by rfm_segment 2026-11-16..2026-11-22');
    expect(answer.problem).toBeUndefined();
    expect(splitOf(answer)).toEqual([
      ['champions', 2, 0], ['hibernating', 0, 1], ['loyal', 1, 0], ['need_attention', 1, 0], ['none', 2, 3],
    ]);
    expect(rowOf(answer, 'No earlier order').slice(1, 3).map((cell) => cell.raw)).toEqual([2, 3]);
  });

  it('splits revenue the same way, as period totals', async () => {
    const answer = await ask(createTestBot(test.db, { now }), 'segment revenue by rfm_segment 2026-11-16..2026-11-22');
    expect(splitOf(answer)).toEqual([
      ['champions', 160, 0], ['hibernating', 0, 20], ['loyal', 25, 0], ['need_attention', 40, 0], ['none', 60, 250],
    ]);
  });

  it('scores against the team\'s own segment map', async () => {
    // R 3..5 recent, 1..2 lapsed. As of 15 Nov A (R5), B (R3), D (R4) are recent; as of 8 Nov D (R2) is lapsed.
    const recentOrLapsed: RfmSegmentMap = {
      segments: [
        { id: 'recent', label: 'Recent', cells: [{ r: [3, 5], fm: [1, 5] }] },
        { id: 'lapsed', label: 'Lapsed', cells: [{ r: [1, 2], fm: [1, 5] }] },
      ],
    };
    const bot = createTestBot(test.db, { now, settings: { rfmSegmentMap: recentOrLapsed } });
    const answer = await ask(bot, 'segment orders by rfm_segment 2026-11-16..2026-11-22');
    expect(splitOf(answer)).toEqual([['lapsed', 0, 1], ['none', 2, 3], ['recent', 4, 0]]);
    expect(rowOf(answer, 'Recent').slice(1, 3).map((cell) => cell.raw)).toEqual([4, 0]);
  });
});
