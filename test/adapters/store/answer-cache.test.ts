import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Db } from '../../../src/adapters/store/db.js';
import { cachedAnswer } from '../../../src/adapters/store/queries/answer-cache.js';
import { churnQueries } from '../../../src/adapters/store/queries/churn.js';
import { refreshSummaries } from '../../../src/adapters/store/queries/customer-summaries.js';
import { rfmAggregateQueries } from '../../../src/adapters/store/queries/rfm-aggregates.js';
import { DEFAULT_RFM_SEGMENT_MAP } from '../../../src/analytics/rfm-segments.js';
import type { RfmSegmentMap } from '../../../src/analytics/rfm-segments.js';
import type { AsOf, ChurnRankingQuery, RfmAggregateQuery, RfmAggregates } from '../../../src/bot/data-port.js';
import { testDbKind, useTestDb } from '../../support/db.js';
import { insertOrders } from '../../support/fixtures.js';
import { CHURN_JANUARY_ORDERS, RFM_OCTOBER_ORDERS } from '../../support/hand-scored-shops.js';

const VALUABLE = ['champions', 'loyal', 'potential_loyalist'];
const SLIPPING = ['at_risk', 'cant_lose'];
const TWO_HALVES: RfmSegmentMap = {
  segments: [
    { id: 'recent', label: 'Recent', cells: [{ r: [3, 5], fm: [1, 5] }] },
    { id: 'lapsed', label: 'Lapsed', cells: [{ r: [1, 2], fm: [1, 5] }] },
  ],
};

const past = (iso: string): AsOf => ({ end: new Date(iso), isNow: false });
const now = (iso: string): AsOf => ({ end: new Date(iso), isNow: true });

/** October: from the start of 1 Oct to the end of 31 Oct, as `rfm 2026-10-01..2026-10-31` asks it. */
function october(overrides: Partial<RfmAggregateQuery> = {}): RfmAggregateQuery {
  return { start: past('2026-10-01T00:00:00Z'), end: past('2026-11-01T00:00:00Z'), segmentMap: DEFAULT_RFM_SEGMENT_MAP, valuable: VALUABLE, slipping: SLIPPING, topSlid: 10, ...overrides };
}

/** Non-empty segments at the end as [id, customers, revenue]. */
const sizes = (answer: RfmAggregates) => answer.segments.filter((s) => s.customers > 0).map((s) => [s.segmentId, s.customers, s.revenue]);

/** With the transaction that last wrote each row (xmin): unchanged means not written again (now() stands still in a test). */
interface CacheRow { kind: string; key: string; data_version: number; written_by: string }
const cacheRows = (db: Db) => db.query<CacheRow>(
  `SELECT kind, key, data_version, xmin::text AS written_by FROM answer_cache ORDER BY kind, key`);
const version = async (db: Db) => (await db.query<{ version: number }>('SELECT version FROM order_data_version'))[0]?.version ?? NaN;

describe(`the answer cache on ${testDbKind}`, () => {
  describe('rfm', () => {
    const test = useTestDb();
    const rfm = (query: RfmAggregateQuery) => rfmAggregateQueries(test.db).rfmAggregates(query);
    /** The same question with nothing cached: what the answer must equal. */
    const fresh = async (query: RfmAggregateQuery) => {
      await test.db.exec('DELETE FROM answer_cache');
      return rfm(query);
    };

    beforeAll(async () => {
      // The hand-scored shop of test/bot/commands/rfm.test.ts. As of 31 Oct: P and T at risk (600 + 200),
      // Q and R potential loyalists (100 + 60), S about to sleep (40), U lost (5).
      await insertOrders(test.db, RFM_OCTOBER_ORDERS);
    });

    it('answers a repeated question from the cache, identical to the computed answer, without computing again', async () => {
      const first = await rfm(october());
      expect(sizes(first)).toEqual([['potential_loyalist', 2, 160], ['about_to_sleep', 1, 40], ['at_risk', 2, 800], ['lost', 1, 5]]);
      // P (a champion on 30 Sep) and T (a potential loyalist) slid into at risk.
      expect(first.topSlid).toEqual([
        { customerId: 'P', from: 'champions', to: 'at_risk', monetary: 600 },
        { customerId: 'T', from: 'potential_loyalist', to: 'at_risk', monetary: 200 },
      ]);
      const stored = await cacheRows(test.db);
      expect(stored.map((row) => [row.kind, row.data_version])).toEqual([['rfm_aggregates', await version(test.db)]]);

      expect(await rfm(october())).toStrictEqual(first);
      expect(await cacheRows(test.db)).toEqual(stored);
      // Proof that the second answer is the stored one: a changed stored value is what comes back.
      await test.db.query(`UPDATE answer_cache SET value = jsonb_set(value, '{segments,2,customers}', '99')`);
      expect((await rfm(october())).segments[2]).toEqual({ segmentId: 'potential_loyalist', customers: 99, revenue: 160 });
    });

    it('recomputes after a corrected revenue, a late order and a deleted order, each time equal to a fresh computation', async () => {
      await rfm(october());
      const cachedAt = async () => (await cacheRows(test.db))[0]?.data_version;

      // U's 5 becomes 105. Monetary scores (n = 6, 1 + floor(5 · worse / 6)): S 1, R 1, Q 2, U 3, T 4, P 5;
      // frequency 1 for all; FM: S 1, R 1, Q 2, U 2, T 3, P 3. With recency scores P1 U1 T2 S3 R4 Q5:
      // P, T at risk; Q potential loyalist; R promising (R4 FM1); S about to sleep; U lost (R1 FM2).
      await test.db.query(`UPDATE orders SET revenue = 105 WHERE id = 'u1'`);
      const corrected = await rfm(october());
      expect(await cachedAt()).toBe(await version(test.db));
      expect(sizes(corrected)).toEqual([['potential_loyalist', 1, 100], ['promising', 1, 60], ['about_to_sleep', 1, 40], ['at_risk', 2, 800], ['lost', 1, 105]]);
      expect(await fresh(october())).toStrictEqual(corrected);

      // A late order of 1,000 by a new customer V on 31 Oct (n = 7, scores 1 + floor(5 · worse / 7)):
      // R P1 U1 T2 S3 R3 Q4 V5; F U1 V1, others 2; M S1 R1 Q2 U3 T3 P4 V5; FM P3 Q2 R2 S2 T3 U2 V3.
      // Q and V potential loyalists (1,100), R and S about to sleep (100), P and T at risk, U lost.
      await insertOrders(test.db, [{ id: 'v1', customer: 'V', at: '2026-10-31T12:00:00Z', revenue: 1000 }]);
      const late = await rfm(october());
      expect(await cachedAt()).toBe(await version(test.db));
      expect(sizes(late)).toEqual([['potential_loyalist', 2, 1100], ['about_to_sleep', 2, 100], ['at_risk', 2, 800], ['lost', 1, 105]]);
      expect(await fresh(october())).toStrictEqual(late);

      // Deleting it brings back the answer before it.
      await test.db.query(`DELETE FROM orders WHERE id = 'v1'`);
      const deleted = await rfm(october());
      expect(await cachedAt()).toBe(await version(test.db));
      expect(deleted).toStrictEqual(corrected);
      expect(await fresh(october())).toStrictEqual(deleted);
    });

    it('leaves the version alone when it refreshes dirty summaries, so an answer computed after the refresh is served', async () => {
      await refreshSummaries(test.db);
      await test.db.query(`UPDATE orders SET revenue = 105 WHERE id = 'u1'`);
      const written = await version(test.db);
      expect(await test.db.query('SELECT customer_id FROM dirty_customers')).toEqual([{ customer_id: 'U' }]);
      await refreshSummaries(test.db);
      expect(await test.db.query('SELECT customer_id FROM dirty_customers')).toEqual([]);
      expect(await version(test.db)).toBe(written);
      // U's 105, scored as in the test above, computed once and then served.
      expect(sizes(await rfm(october()))).toEqual([['potential_loyalist', 1, 100], ['promising', 1, 60], ['about_to_sleep', 1, 40], ['at_risk', 2, 800], ['lost', 1, 105]]);
      const stored = await cacheRows(test.db);
      await rfm(october());
      expect(await cacheRows(test.db)).toEqual(stored);
    });

    it('keeps one answer per segment map, period and list of slides', async () => {
      await test.db.exec('DELETE FROM answer_cache');
      const halves = await rfm(october({ segmentMap: TWO_HALVES }));
      expect(halves.segments.map((s) => s.segmentId)).toEqual(['recent', 'lapsed']);
      await rfm(october());
      await rfm(october({ start: past('2026-09-01T00:00:00Z') }));
      await rfm(october({ end: past('2026-10-31T00:00:00Z') }));
      await rfm(october({ topSlid: 1 }));
      await rfm(october({ slipping: ['at_risk'] }));
      const keys = (await cacheRows(test.db)).map((row) => row.key);
      expect(new Set(keys).size).toBe(6);
      // The same map written anew is the same question.
      await rfm(october({ segmentMap: structuredClone(TWO_HALVES) }));
      expect(await cacheRows(test.db)).toHaveLength(6);
    });

    it('keys a question about now on its day: a later asker the same day is served, the next day is not', async () => {
      await test.db.exec('DELETE FROM answer_cache');
      const morning = now('2026-11-26T09:00:00Z');
      const first = await rfm(october({ end: morning }));
      await test.db.query(`UPDATE answer_cache SET value = jsonb_set(value, '{segments,0,customers}', '42')`);
      const evening = await rfm(october({ end: now('2026-11-26T21:30:00Z') }));
      expect(evening.segments[0]?.customers).toBe(42);
      const nextDay = await rfm(october({ end: now('2026-11-27T08:00:00Z') }));
      expect(nextDay.segments[0]?.customers).toBe(first.segments[0]?.customers);
      expect(await cacheRows(test.db)).toHaveLength(2);
    });

    it('keys a question about now on its instant while an order is dated after it', async () => {
      await test.db.exec('DELETE FROM answer_cache');
      // Dated at noon, already stored at nine: the nine o'clock answer does not count W, the later one does.
      await insertOrders(test.db, [{ id: 'w1', customer: 'W', at: '2026-11-26T12:00:00Z', revenue: 70 }]);
      const customersAt = async (instant: string) => (await rfm(october({ end: now(instant) }))).segments.reduce((sum, s) => sum + s.customers, 0);
      expect(await customersAt('2026-11-26T09:00:00Z')).toBe(6);
      expect(await customersAt('2026-11-26T15:00:00Z')).toBe(7);
      expect(await customersAt('2026-11-26T09:00:00Z')).toBe(6);
      await test.db.query(`DELETE FROM orders WHERE id = 'w1'`);
    });

    it('stores under the version read before computing: an order written meanwhile makes the next asker compute', async () => {
      const question = { kind: 'test', key: 'meanwhile', shape: z.number() };
      const before = await version(test.db);
      const answer = await cachedAnswer(test.db, question, async () => {
        await insertOrders(test.db, [{ id: 'x1', customer: 'X', at: '2026-11-20T10:00:00Z', revenue: 1 }]);
        return 1;
      });
      expect(answer).toBe(1);
      expect((await cacheRows(test.db)).find((row) => row.kind === 'test')?.data_version).toBe(before);
      expect(await cachedAnswer(test.db, question, () => Promise.resolve(2))).toBe(2);
      expect(await cachedAnswer(test.db, question, () => Promise.resolve(3))).toBe(2);
      // Rows of older versions can never be served again and are gone.
      expect((await cacheRows(test.db)).every((row) => row.data_version === before + 1)).toBe(true);
      await test.db.query(`DELETE FROM orders WHERE id = 'x1'`);
    });

    it('forgets every answer when the orders are truncated', async () => {
      expect((await rfm(october())).segments.some((s) => s.customers > 0)).toBe(true);
      await test.db.exec('TRUNCATE orders CASCADE');
      expect((await rfm(october())).segments.every((s) => s.customers === 0 && s.revenue === 0)).toBe(true);
    });
  });

  describe('churn', () => {
    const test = useTestDb();
    const asOf = past('2026-01-11T00:00:00Z');
    const churn = () => churnQueries(test.db);
    /** Parameters chosen by hand (as in test/bot/commands/churn.test.ts), and 1 purchase if alive for every pair. */
    async function rankingQuery(overrides: Partial<ChurnRankingQuery> = {}): Promise<ChurnRankingQuery> {
      const population = await churn().churnPopulation(asOf);
      return {
        asOf, unitDays: 1, top: 10, minPAlive: 0, scope: { segmentMap: DEFAULT_RFM_SEGMENT_MAP },
        models: { bgNbd: { r: 1, alpha: 1, a: 1, b: 1 }, gammaGamma: { p: 1, q: 2, gamma: 10 } },
        purchasesIfAlive: { repeatPurchases: population.repeatPurchases, ageDays: population.ageDays, purchases: population.repeatPurchases.map(() => 1) },
        ...overrides,
      };
    }

    beforeAll(async () => {
      // As of 10 Jan: A x = 1, tx = 1, T = 9, repeat value 50; B x = 1, tx = 8, T = 9, repeat value 30; C, D once.
      await insertOrders(test.db, CHURN_JANUARY_ORDERS);
    });

    it('serves the population and the ranking from the cache, last orders coming back as the same Dates', async () => {
      const population = await churn().churnPopulation(asOf);
      // A and B share (x, T) = (1, 9).
      expect(population).toEqual({ customers: 4, repeatPurchases: [1], ageDays: [9] });
      const first = await churn().churnRanking(await rankingQuery());
      // Value at stake (1 − P(alive)) · 1 · E(M): A 25/26 · 60/2, B 100/181 · 40/2, so A ranks first.
      // Segments (n = 4; recency days A 8, B 1, C 5, D 4; orders 2, 2, 1, 1; revenue 150, 50, 10, 10):
      // A R1, F3, M4 → FM4, can't lose; B R4, F3, M3 → FM3, potential loyalist.
      expect(first).toEqual({
        customers: 4, repeatBuyers: 2,
        top: [
          { customerId: 'A', lastOrderAt: new Date('2026-01-02T10:00:00Z'), segmentId: 'cant_lose', repeatPurchases: 1, activeDays: 1, ageDays: 9, repeatMeanValue: 50 },
          { customerId: 'B', lastOrderAt: new Date('2026-01-09T11:00:00Z'), segmentId: 'potential_loyalist', repeatPurchases: 1, activeDays: 8, ageDays: 9, repeatMeanValue: 30 },
        ],
        gone: { customers: 0, revenue: 0 },
      });
      expect((await cacheRows(test.db)).map((row) => row.kind)).toEqual(['churn_population', 'churn_ranking']);

      const again = await churn().churnRanking(await rankingQuery());
      expect(again).toStrictEqual(first);
      expect(again.top[0]?.lastOrderAt).toBeInstanceOf(Date);
      await test.db.query(`UPDATE answer_cache SET value = jsonb_set(value, '{repeatBuyers}', '7') WHERE kind = 'churn_ranking'`);
      expect((await churn().churnRanking(await rankingQuery())).repeatBuyers).toBe(7);
    });

    it('keys the ranking on its scope, parameters, expected purchases and size', async () => {
      await test.db.exec('DELETE FROM answer_cache');
      const base = await rankingQuery();
      await churn().churnRanking(base);
      await churn().churnRanking({ ...base, top: 1 });
      await churn().churnRanking({ ...base, scope: { ...base.scope, segment: 'at_risk' } });
      await churn().churnRanking({ ...base, models: { ...base.models, bgNbd: { ...base.models.bgNbd, r: 2 } } });
      await churn().churnRanking({ ...base, purchasesIfAlive: { ...base.purchasesIfAlive, purchases: [2] } });
      await churn().churnRanking({ ...base, unitDays: 7 });
      expect((await cacheRows(test.db)).filter((row) => row.kind === 'churn_ranking')).toHaveLength(6);
      expect((await churn().churnRanking({ ...base, top: 1 })).top.map((row) => row.customerId)).toEqual(['A']);
    });

    it('counts a late repeat purchase at once', async () => {
      await churn().churnRanking(await rankingQuery());
      // C also bought on 3 Jan: x = 1, tx = 2, T = 7, a new (x, T) pair and a third repeat buyer.
      await test.db.query(`INSERT INTO orders (id, customer_id, ordered_at, revenue) VALUES ('c0', 'C', '2026-01-03T08:00:00Z', 5)`);
      const population = await churn().churnPopulation(asOf);
      expect(population.customers).toBe(4);
      expect(population.repeatPurchases.map((x, i) => [x, population.ageDays[i]]).sort()).toEqual([[1, 7], [1, 9]]);
      const ranking = await churn().churnRanking(await rankingQuery());
      expect(ranking.repeatBuyers).toBe(3);
      expect(ranking.top.map((row) => row.customerId).sort()).toEqual(['A', 'B', 'C']);
    });
  });
});
