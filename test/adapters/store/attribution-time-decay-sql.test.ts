import { beforeAll, describe, expect, it } from 'vitest';
import { attributionQueries } from '../../../src/adapters/store/queries/attribution.js';
import { attribute } from '../../../src/analytics/attribution/attribute.js';
import type { ChannelCredit } from '../../../src/analytics/attribution/types.js';
import type { AttributionDimension, TimeDecayCredits, TimeDecayQuery, TimeRange } from '../../../src/bot/data-port.js';
import { ask, createTestBot, rowOf, tableOf } from '../../support/bot.js';
import { testDbKind, useTestDb } from '../../support/db.js';
import { insertOrders, insertTouchpoints } from '../../support/fixtures.js';
import { journeysWithAges } from '../../support/journeys-with-ages.js';
import { MINUTE_MS, DAY_MS } from '../../../src/analytics/time.js';

const STORED_LOOKBACK = 30;
const range = (start: string, end: string): TimeRange => ({ start: new Date(start), end: new Date(end) });
const march = range('2026-03-01T00:00:00Z', '2026-04-01T00:00:00Z');
const april = range('2026-04-01T00:00:00Z', '2026-05-01T00:00:00Z');

function queryOf(journeyRange: TimeRange, dimension: AttributionDimension, halfLifeDays: number, lookbackDays = STORED_LOOKBACK): TimeDecayQuery {
  return { range: journeyRange, dimension, halfLifeDays, lookbackDays };
}

/** Credits keyed by label; the order is checked apart. */
const byLabel = (credits: readonly ChannelCredit[]) =>
  Object.fromEntries(credits.map((credit) => [credit.channel, { conversions: credit.conversions, revenue: credit.revenue }]));

/** Each credit close to the expected one, and no label more or less. */
function expectCredits(actual: TimeDecayCredits, expected: Record<string, { conversions: number; revenue: number }>): void {
  const got = byLabel(actual.credits);
  expect(Object.keys(got).sort()).toEqual(Object.keys(expected).sort());
  for (const [label, credit] of Object.entries(expected)) {
    expect(got[label]?.conversions, `${label} conversions`).toBeCloseTo(credit.conversions, 12);
    expect(got[label]?.revenue, `${label} revenue`).toBeCloseTo(credit.revenue, 9);
  }
}

/** Most conversions first, as every model lists its credits. */
function expectModelOrder(credits: readonly ChannelCredit[]): void {
  for (let index = 1; index < credits.length; index += 1) {
    expect(credits[index - 1]!.conversions).toBeGreaterThanOrEqual(credits[index]!.conversions);
  }
}

describe(`time decay summed in SQL on ${testDbKind}`, () => {
  describe('a hand-built shop', () => {
    const test = useTestDb();
    const timeDecay = (query: TimeDecayQuery) => attributionQueries(test.db).timeDecayCredits(query);
    /*
     * March (ages are whole days, rounded):
     *   oA €90:  seo 7 days before, ads (campaign brand) at the order
     *   oB €20:  email 1 day before: a single touch
     *   oC €40:  display 42 days before: outside the 30-day lookback, so no touch
     *   oD €5:   no touch at all
     *   oE €70:  ads (spring) 14 days, seo 7 days, ads (no campaign) 0 days before
     *   oF €10:  email 1 day 14 hours before (rounds to 2 days), direct at the order
     *   a touch after oB's order and one for no order count nowhere.
     * April:
     *   oG €8:   one touch of a channel with an empty name
     */
    beforeAll(async () => {
      await insertOrders(test.db, [
        { id: 'oA', customer: 'a', at: '2026-03-10T12:00:00Z', revenue: 90 },
        { id: 'oB', customer: 'b', at: '2026-03-12T00:00:00Z', revenue: 20 },
        { id: 'oC', customer: 'c', at: '2026-03-15T00:00:00Z', revenue: 40 },
        { id: 'oD', customer: 'd', at: '2026-03-20T00:00:00Z', revenue: 5 },
        { id: 'oE', customer: 'e', at: '2026-03-25T00:00:00Z', revenue: 70 },
        { id: 'oF', customer: 'f', at: '2026-03-28T00:00:00Z', revenue: 10 },
        { id: 'oG', customer: 'g', at: '2026-04-05T00:00:00Z', revenue: 8 },
      ]);
      await insertTouchpoints(test.db, [
        { id: 'a1', customer: 'a', at: '2026-03-03T12:00:00Z', channel: 'seo', order: 'oA' },
        { id: 'a2', customer: 'a', at: '2026-03-10T12:00:00Z', channel: 'ads', campaign: 'brand', order: 'oA' },
        { id: 'b1', customer: 'b', at: '2026-03-11T00:00:00Z', channel: 'email', order: 'oB' },
        { id: 'b2', customer: 'b', at: '2026-03-12T01:00:00Z', channel: 'social', order: 'oB' },
        { id: 'c1', customer: 'c', at: '2026-02-01T00:00:00Z', channel: 'display', order: 'oC' },
        { id: 'e1', customer: 'e', at: '2026-03-11T00:00:00Z', channel: 'ads', campaign: 'spring', order: 'oE' },
        { id: 'e2', customer: 'e', at: '2026-03-18T00:00:00Z', channel: 'seo', order: 'oE' },
        { id: 'e3', customer: 'e', at: '2026-03-25T00:00:00Z', channel: 'ads', campaign: '', order: 'oE' },
        { id: 'f1', customer: 'f', at: '2026-03-26T10:00:00Z', channel: 'email', order: 'oF' },
        { id: 'f2', customer: 'f', at: '2026-03-28T00:00:00Z', channel: 'direct', order: 'oF' },
        { id: 'g1', customer: 'g', at: '2026-04-04T00:00:00Z', channel: '', order: 'oG' },
        { id: 'n1', anonymous: 'v1', at: '2026-03-05T00:00:00Z', channel: 'affiliate' },
      ]);
    });

    // oF: email 2 days old against direct at the order.
    const emailShareOfF = (halfLife: number) => 2 ** (-2 / halfLife) / (2 ** (-2 / halfLife) + 1);

    it('splits each journey by 2^(−age / 7): 2/3 and 1/3 for ages 0 and 7, all of it for a single touch', async () => {
      const credits = await timeDecay(queryOf(march, 'channel', 7));
      const e = emailShareOfF(7);
      expectCredits(credits, {
        // oA 1/3 + oE (weights 1/4, 1/2, 1 over 7/4) 2/7; €30 + €20
        seo: { conversions: 1 / 3 + 2 / 7, revenue: 50 },
        // oA 2/3 + oE (1/4 + 1) / (7/4) = 5/7; €60 + €50
        ads: { conversions: 2 / 3 + 5 / 7, revenue: 110 },
        email: { conversions: 1 + e, revenue: 20 + 10 * e },
        direct: { conversions: 1 - e, revenue: 10 * (1 - e) },
      });
      expect(credits.credits.map((credit) => credit.channel)).toEqual(['email', 'ads', 'seo', 'direct']);
      // oC's only touch is 42 days old and oD has none: neither is credited, both are counted.
      expect(credits).toMatchObject({ orders: 6, ordersWithoutTouches: 2 });
    });

    it('follows another half-life', async () => {
      // Half-life 3.5 days: oA weights 1/4 and 1 → 1/5, 4/5; oE 1/16, 1/4, 1 → ads 17/21, seo 4/21.
      const credits = await timeDecay(queryOf(march, 'channel', 3.5));
      const e = emailShareOfF(3.5);
      expectCredits(credits, {
        seo: { conversions: 1 / 5 + 4 / 21, revenue: 18 + 70 * 4 / 21 },
        ads: { conversions: 4 / 5 + 17 / 21, revenue: 72 + 70 * 17 / 21 },
        email: { conversions: 1 + e, revenue: 20 + 10 * e },
        direct: { conversions: 1 - e, revenue: 10 * (1 - e) },
      });
    });

    it('credits campaigns, naming touches without one after their channel', async () => {
      const credits = await timeDecay(queryOf(march, 'campaign', 7));
      const e = emailShareOfF(7);
      expectCredits(credits, {
        brand: { conversions: 2 / 3, revenue: 60 },
        '(seo)': { conversions: 1 / 3 + 2 / 7, revenue: 50 },
        spring: { conversions: 1 / 7, revenue: 10 },
        '(ads)': { conversions: 4 / 7, revenue: 40 },
        '(email)': { conversions: 1 + e, revenue: 20 + 10 * e },
        '(direct)': { conversions: 1 - e, revenue: 10 * (1 - e) },
      });
    });

    it('reads the raw touches for another lookback', async () => {
      // 10 days: oE loses its 14-day-old ads touch, leaving seo 7 and ads 0 → 1/3, 2/3.
      const e = emailShareOfF(7);
      expectCredits(await timeDecay(queryOf(march, 'channel', 7, 10)), {
        seo: { conversions: 2 / 3, revenue: 30 + 70 / 3 },
        ads: { conversions: 4 / 3, revenue: 60 + 140 / 3 },
        email: { conversions: 1 + e, revenue: 20 + 10 * e },
        direct: { conversions: 1 - e, revenue: 10 * (1 - e) },
      });
      // 45 days: oC's display touch 42 days before counts, all of oC's; only oD is left without a touch.
      const longer = await timeDecay(queryOf(march, 'channel', 7, 45));
      expect(byLabel(longer.credits).display).toEqual({ conversions: 1, revenue: 40 });
      expect(longer).toMatchObject({ orders: 6, ordersWithoutTouches: 1 });
    });

    it('credits a channel with an empty name, as the model does', async () => {
      for (const lookbackDays of [STORED_LOOKBACK, 10]) {
        expect(await timeDecay(queryOf(april, 'channel', 7, lookbackDays)))
          .toEqual({ credits: [{ channel: '', conversions: 1, revenue: 8 }], orders: 1, ordersWithoutTouches: 0 });
      }
    });

    it('answers a range without orders with no credit', async () => {
      expect(await timeDecay(queryOf(range('2025-01-01T00:00:00Z', '2025-02-01T00:00:00Z'), 'channel', 7)))
        .toEqual({ credits: [], orders: 0, ordersWithoutTouches: 0 });
    });

    it('gives the same time decay alone and in the comparison of all models', async () => {
      const bot = createTestBot(test.db, { now: new Date('2026-04-01T09:00:00Z') });
      const alone = await ask(bot, 'attribution time decay 2026-03-01..2026-03-31');
      const compared = await ask(bot, 'attribution compare 2026-03-01..2026-03-31');
      const column = tableOf(compared).columns.findIndex((header) => header.key === 'time_decay');
      for (const [channel, conversions] of [['seo', 1 / 3 + 2 / 7], ['ads', 2 / 3 + 5 / 7], ['email', 1 + emailShareOfF(7)]] as const) {
        expect(rowOf(alone, channel)[1]?.raw, channel).toBeCloseTo(conversions, 12);
        expect(rowOf(compared, channel)[column]?.raw, channel).toBeCloseTo(conversions, 12);
      }
      expect(alone.blocks.some((block) => block.type === 'text' && block.text.startsWith('2 of 6 orders had no touchpoint'))).toBe(true);
    });

    it('brings the kept journeys up to date before summing', async () => {
      await timeDecay(queryOf(march, 'channel', 7));
      // oD gets a touch at its order: direct gains all of oD.
      await insertTouchpoints(test.db, [{ id: 'd1', customer: 'd', at: '2026-03-20T00:00:00Z', channel: 'direct', order: 'oD' }]);
      const credits = await timeDecay(queryOf(march, 'channel', 7));
      const e = emailShareOfF(7);
      expect(byLabel(credits.credits).direct?.conversions).toBeCloseTo(2 - e, 12);
      expect(byLabel(credits.credits).direct?.revenue).toBeCloseTo(5 + 10 * (1 - e), 9);
      expect(credits).toMatchObject({ orders: 6, ordersWithoutTouches: 1 });
    });
  });

  describe('against the model over the journeys read with their ages', () => {
    const test = useTestDb();
    const timeDecay = (query: TimeDecayQuery) => attributionQueries(test.db).timeDecayCredits(query);
    const random = mulberry32(20_260_405);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
    const start = Date.parse('2026-01-01T00:00:00Z');
    // Whole minutes within 100 days, so ages round both ways and touches of one order tie now and then.
    const someTime = (from = start, days = 100) => new Date(from + Math.floor(random() * days * 24 * 60) * MINUTE_MS);
    const channels = ['seo', 'ads', 'email', 'direct', 'social', 'display'];
    const campaigns = [null, '', 'spring', 'sale', 'brand'];

    beforeAll(async () => {
      const orders = Array.from({ length: 80 }, (_, index) => ({
        id: `o${String(index).padStart(3, '0')}`, customer: `c${index % 25}`, at: someTime().toISOString(),
        revenue: Math.round(random() * 20_000) / 100,
      }));
      await insertOrders(test.db, orders);
      // Touches up to 50 days before their order (some outside any lookback, a few after it), none for some orders.
      const touches = Array.from({ length: 260 }, (_, index) => {
        const order = pick(orders.slice(0, 70));
        const campaign = pick(campaigns);
        const at = someTime(Date.parse(order.at) - 50 * DAY_MS, 52);
        return {
          id: `t${String(index).padStart(4, '0')}`, customer: order.customer, at: at.toISOString(), channel: pick(channels),
          ...(campaign === null ? {} : { campaign }), order: order.id,
        };
      });
      await insertTouchpoints(test.db, touches);
    });

    const ranges = [
      range('2025-12-01T00:00:00Z', '2026-06-01T00:00:00Z'),
      range('2026-02-03T07:30:00Z', '2026-03-09T18:00:00Z'),
      range('2026-03-15T00:00:00Z', '2026-03-16T00:00:00Z'),
    ];

    it('sums the same credit per label as creditTimeDecay, for each lookback, dimension and half-life', async () => {
      let compared = 0;
      for (const journeyRange of ranges) {
        for (const dimension of ['channel', 'campaign'] as const) {
          for (const lookbackDays of [STORED_LOOKBACK, 14, 45]) {
            const journeys = await journeysWithAges(test.db, { range: journeyRange, lookbackDays, dimension });
            for (const halfLifeDays of [7, 1, 2.5, 30]) {
              const context = `${journeyRange.start.toISOString()} ${dimension} lookback ${lookbackDays} half-life ${halfLifeDays}`;
              const summed = await timeDecay({ range: journeyRange, dimension, lookbackDays, halfLifeDays });
              const model = attribute('time_decay', journeys.paths, { halfLifeDays });
              expect({ orders: summed.orders, without: summed.ordersWithoutTouches }, context)
                .toEqual({ orders: journeys.orders, without: journeys.ordersWithoutTouches });
              const got = byLabel(summed.credits);
              expect(Object.keys(got).sort(), context).toEqual(model.map((credit) => credit.channel).sort());
              for (const credit of model) {
                expectRelativelyClose(got[credit.channel]!.conversions, credit.conversions, `${context} ${credit.channel} conversions`);
                expectRelativelyClose(got[credit.channel]!.revenue, credit.revenue, `${context} ${credit.channel} revenue`);
              }
              expectModelOrder(summed.credits);
              compared += model.length;
            }
          }
        }
      }
      // The shop is large enough that most comparisons have several labels to tell apart.
      expect(compared).toBeGreaterThan(300);
    });
  });
});

function expectRelativelyClose(actual: number, expected: number, context: string): void {
  expect(Math.abs(actual - expected), context).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(expected)));
}

/** A small seeded generator: the same random shop on every run. */
function mulberry32(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
