import { beforeAll, describe, expect, it } from 'vitest';
import { rfmAggregateQueries } from '../../../src/adapters/store/queries/rfm-aggregates.js';
import { customersWhoSlid, DEFAULT_RFM_SEGMENT_MAP, segmentMovement } from '../../../src/analytics/rfm-segments.js';
import type { RfmSegmentMap, SegmentAssignment } from '../../../src/analytics/rfm-segments.js';
import { summarizeSegments } from '../../../src/analytics/rfm.js';
import type { RfmScored } from '../../../src/analytics/rfm.js';
import type { AsOf, RfmAggregateQuery } from '../../../src/bot/data-port.js';
import { clearData, testDbKind, useTestDb } from '../../support/db.js';
import { insertOrders } from '../../support/fixtures.js';
import type { OrderFixture } from '../../support/fixtures.js';
import { scoreCustomersInJs } from '../../support/rfm-reference.js';

const VALUABLE = ['champions', 'loyal', 'potential_loyalist'];
const SLIPPING = ['at_risk', 'cant_lose'];
const TOP = 10;

/**
 * 300 customers whose orders fall on 30 days (every 6th from 1 Jun) and carry 5 amounts, so recency,
 * frequency and monetary are full of ties; every fourth starts buying only after 1 Oct (absent at the start).
 */
function tiedOrders(): OrderFixture[] {
  let state = 12345;
  // A small LCG read from its high bits (the low bits of a power-of-two LCG cycle quickly).
  const next = (n: number) => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return Math.floor((state / 2 ** 31) * n);
  };
  const days = Array.from({ length: 30 }, (_, i) => new Date(Date.UTC(2026, 5, 1 + 6 * i)).toISOString().slice(0, 10));
  const firstOctoberDay = days.findIndex((day) => day >= '2026-10-01');
  const amounts = [10, 20, 25, 50, 100];
  const orders: OrderFixture[] = [];
  for (let c = 0; c < 300; c++) {
    const customer = `c${String(c).padStart(3, '0')}`;
    const first = c % 4 === 0 ? firstOctoberDay + next(days.length - firstOctoberDay) : next(firstOctoberDay);
    const count = 1 + next(5);
    for (let o = 0; o < count; o++) {
      const day = days[first + next(days.length - first)];
      orders.push({ id: `${customer}-${o}`, customer, at: `${day}T${String(8 + o).padStart(2, '0')}:00:00Z`, revenue: amounts[next(amounts.length)] ?? 10 });
    }
  }
  return orders;
}

describe(`rfm aggregates on ${testDbKind}`, () => {
  const test = useTestDb();

  beforeAll(async () => {
    await clearData(test.db);
    await insertOrders(test.db, tiedOrders());
  });

  /** The same answer from every customer's history scored in JS (scoreRfm and the rfm-segments helpers). */
  async function reference(start: AsOf, end: AsOf, map: RfmSegmentMap) {
    const scoreAt = (asOf: AsOf) => scoreCustomersInJs(test.db, asOf, map);
    const assign = (scored: readonly RfmScored[]): SegmentAssignment[] => scored.map((c) => ({ customerId: c.customerId, segmentId: c.segmentId, monetary: c.monetary }));
    const scoredBefore = await scoreAt(start);
    const scoredAfter = await scoreAt(end);
    const [before, after] = [assign(scoredBefore), assign(scoredAfter)];
    return {
      segments: summarizeSegments(scoredAfter, map),
      transitions: segmentMovement(before, after),
      slid: customersWhoSlid(before, after, { from: VALUABLE, to: SLIPPING }),
    };
  }

  async function compare(start: AsOf, end: AsOf, map: RfmSegmentMap = DEFAULT_RFM_SEGMENT_MAP) {
    const query: RfmAggregateQuery = { start, end, segmentMap: map, valuable: VALUABLE, slipping: SLIPPING, topSlid: TOP };
    const sql = await rfmAggregateQueries(test.db).rfmAggregates(query);
    const js = await reference(start, end, map);
    expect(sql.segments.map((s) => [s.segmentId, s.customers])).toEqual(js.segments.map((s) => [s.segmentId, s.customers]));
    sql.segments.forEach((s, i) => expect(s.revenue).toBeCloseTo(js.segments[i]?.revenue ?? NaN, 6));
    // Same cells in the same order (largest first, then ids), with the same customer counts.
    expect(sql.transitions.map((t) => [t.from, t.to, t.customers])).toEqual(js.transitions.map((t) => [t.from, t.to, t.customers]));
    sql.transitions.forEach((t, i) => expect(t.monetary).toBeCloseTo(js.transitions[i]?.monetary ?? NaN, 6));
    expect(sql.topSlid.map((m) => [m.customerId, m.from, m.to, m.monetary])).toEqual(js.slid.slice(0, TOP).map((m) => [m.customerId, m.from, m.to, m.monetary]));
    return { sql, js };
  }

  it('matches scoreRfm on raw orders at both ends (October), ties everywhere', async () => {
    const { js } = await compare({ end: new Date('2026-10-01T00:00:00Z'), isNow: false }, { end: new Date('2026-11-01T00:00:00Z'), isNow: false });
    // The comparison means something only if the data exercise it: several segments, moves and slides.
    expect(js.segments.filter((s) => s.customers > 0).length).toBeGreaterThanOrEqual(6);
    expect(js.transitions.length).toBeGreaterThan(30);
    expect(js.slid.length).toBeGreaterThan(TOP);
  });

  it('matches scoreRfm with the end read from the kept summaries, newcomers arriving with no segment before', async () => {
    const { js } = await compare({ end: new Date('2026-10-01T00:00:00Z'), isNow: false }, { end: new Date('2026-11-26T09:00:00Z'), isNow: true });
    expect(js.transitions.some((t) => t.from === null)).toBe(true);
  });

  it('stays equal to scoreRfm on raw orders after orders are corrected across the start, deleted and arrive late', async () => {
    // The start is read from the kept summaries minus the orders placed since; these writes change both.
    await test.db.query("UPDATE orders SET ordered_at = ordered_at - interval '40 days' WHERE id IN (SELECT id FROM orders WHERE ordered_at >= '2026-10-01' ORDER BY id LIMIT 15)");
    await test.db.query("DELETE FROM orders WHERE id IN (SELECT id FROM orders WHERE ordered_at < '2026-10-01' ORDER BY id DESC LIMIT 10)");
    await test.db.query("INSERT INTO orders (id, customer_id, ordered_at, revenue) VALUES ('late-1', 'c007', '2026-08-15T09:00:00Z', 500)");
    await insertOrders(test.db, [{ id: 'late-2', customer: 'late-newcomer', at: '2026-09-20T09:00:00Z', revenue: 35 }]);
    await compare({ end: new Date('2026-10-01T00:00:00Z'), isNow: false }, { end: new Date('2026-11-26T09:00:00Z'), isNow: true });
  });

  it('joins on whatever map it is given', async () => {
    const twoHalves: RfmSegmentMap = {
      segments: [
        { id: 'recent', label: 'Recent', cells: [{ r: [3, 5], fm: [1, 5] }] },
        { id: 'lapsed', label: 'Lapsed', cells: [{ r: [1, 2], fm: [1, 5] }] },
      ],
    };
    const { sql } = await compare({ end: new Date('2026-09-01T00:00:00Z'), isNow: false }, { end: new Date('2026-11-01T00:00:00Z'), isNow: false }, twoHalves);
    expect(sql.segments.map((s) => s.segmentId)).toEqual(['recent', 'lapsed']);
  });

  it('counts strictly worse customers for each score: a hand-checked tie', async () => {
    // Last in the file: it replaces the generated data.
    await clearData(test.db);
    // A, B bought once on 29 Sep for 10; C once on 1 Sep for 10; D twice (1 and 29 Sep) for 20 each.
    // n = 4. R (fewer days better): C worst (0 worse → 1), A B D tie with 1 worse → 1 + floor(5/4) = 2.
    // F: A B C tie → 1, D has 3 worse → 1 + floor(15/4) = 4. M: A B C (10) → 1, D (40) → 4.
    // FM: A B C 1, D 4. Segments (default map): R2 FM1 hibernating (A, B), R1 FM1 lost (C), R2 FM4 at_risk (D).
    await insertOrders(test.db, [
      { id: 'a', customer: 'A', at: '2026-09-29T10:00:00Z', revenue: 10 },
      { id: 'b', customer: 'B', at: '2026-09-29T11:00:00Z', revenue: 10 },
      { id: 'c', customer: 'C', at: '2026-09-01T10:00:00Z', revenue: 10 },
      { id: 'd1', customer: 'D', at: '2026-09-01T10:00:00Z', revenue: 20 },
      { id: 'd2', customer: 'D', at: '2026-09-29T12:00:00Z', revenue: 20 },
    ]);
    const asOf: AsOf = { end: new Date('2026-10-01T00:00:00Z'), isNow: false };
    const sql = await rfmAggregateQueries(test.db).rfmAggregates({ start: asOf, end: asOf, segmentMap: DEFAULT_RFM_SEGMENT_MAP, valuable: VALUABLE, slipping: SLIPPING, topSlid: TOP });
    expect(sql.segments.filter((s) => s.customers > 0).map((s) => [s.segmentId, s.customers, s.revenue]))
      .toEqual([['at_risk', 1, 40], ['hibernating', 2, 20], ['lost', 1, 10]]);
    expect(sql.transitions).toEqual([
      { from: 'hibernating', to: 'hibernating', customers: 2, monetary: 20 },
      { from: 'at_risk', to: 'at_risk', customers: 1, monetary: 40 },
      { from: 'lost', to: 'lost', customers: 1, monetary: 10 },
    ]);
    expect(sql.topSlid).toEqual([]);
  });
});
