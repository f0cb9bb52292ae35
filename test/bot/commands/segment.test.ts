import { beforeAll, describe, expect, it } from 'vitest';
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
