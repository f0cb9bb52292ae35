import { randomBytes } from 'node:crypto';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { migrate, readMigrations } from '../../../src/adapters/store/migrate.js';
import { openPg } from '../../../src/adapters/store/pg.js';
import { openPglite } from '../../../src/adapters/store/pglite.js';
import { attributionQueries } from '../../../src/adapters/store/queries/attribution.js';
import { rebuildJourneys, refreshJourneys } from '../../../src/adapters/store/queries/order-journeys.js';
import type { JourneyQuery } from '../../../src/bot/data-port.js';
import { testDatabaseUrl, testDbKind, useTestDb } from '../../support/db.js';
import { insertOrders, insertTouchpoints } from '../../support/fixtures.js';
import { comparable, queryOf, range, referenceJourneysOf, summarise } from '../../support/journey-fixtures.js';
import { journeysWithAges } from '../../support/journeys-with-ages.js';

const DAY_MS = 86_400_000;

describe(`kept journeys by identity and lookback on ${testDbKind}`, () => {
  const march = range('2026-03-01T00:00:00Z', '2026-04-01T00:00:00Z');
  const april = range('2026-04-01T00:00:00Z', '2026-05-01T00:00:00Z');

  describe('a hand-built shop where only the converting session names its order', () => {
    const test = useTestDb();
    const journeys = (query: JourneyQuery) => attributionQueries(test.db).journeys(query);

    // Committed once; each test's writes are rolled back after it.
    beforeAll(async () => {
      await insertOrders(test.db, [
        { id: 'oA', customer: 'a', at: '2026-03-10T12:00:00Z', revenue: 100 },
        { id: 'oB', customer: 'b', at: '2026-03-12T00:00:00Z', revenue: 50 },
        { id: 'oC', customer: 'c', at: '2026-03-15T00:00:00Z', revenue: 20 },
        // Other customers' orders a year before: enough kept journeys that a few marks refresh them
        // one identity at a time instead of rebuilding everything.
        ...Array.from({ length: 12 }, (_, index) => ({ id: `old${index}`, customer: `old${index}`, at: `2025-03-${String(index + 10)}T00:00:00Z`, revenue: 10 })),
      ]);
      await insertTouchpoints(test.db, [
        // Visitor va: an email visit 37 days before oA (before the link's window), an anonymous seo
        // visit 9 days before, then the signed-in converting session with oA's id.
        { id: 't0', anonymous: 'va', at: '2026-02-01T12:00:00Z', channel: 'email' },
        { id: 't1', anonymous: 'va', at: '2026-03-01T12:00:00Z', channel: 'seo' },
        { id: 't2', anonymous: 'va', customer: 'a', at: '2026-03-10T11:00:00Z', channel: 'ads', campaign: 'spring', order: 'oA' },
        // c's signed-in visit the day before oC, with no order id: the next order within the window.
        { id: 't3', customer: 'c', at: '2026-03-14T00:00:00Z', channel: 'ads', campaign: '' },
        // a comes back after the order: the next journey, which no order ends yet.
        { id: 'n3', customer: 'a', at: '2026-03-11T09:00:00Z', channel: 'direct' },
        // Visitors never linked: v1 on two days, v2 over two months, v3 once.
        { id: 'n1', anonymous: 'v1', at: '2026-03-05T10:00:00Z', channel: 'social' },
        { id: 'n2', anonymous: 'v1', at: '2026-03-06T10:00:00Z', channel: 'seo' },
        { id: 'n4', anonymous: 'v2', at: '2026-01-10T10:00:00Z', channel: 'seo' },
        { id: 'n5', anonymous: 'v2', at: '2026-03-20T10:00:00Z', channel: 'ads' },
        { id: 'n6', anonymous: 'v3', at: '2026-03-20T08:00:00Z', channel: 'email' },
      ]);
      // The first read builds everything; the writes in each test are then refreshed.
      await refreshJourneys(test.db);
    });

    const marchPaths = [
      { path: 'ads', conversions: 1, revenue: 20, nulls: 1 },
      { path: 'direct', conversions: 0, revenue: 0, nulls: 1 },
      { path: 'email', conversions: 0, revenue: 0, nulls: 1 },
      { path: 'seo>ads', conversions: 1, revenue: 100, nulls: 0 },
      { path: 'social>seo', conversions: 0, revenue: 0, nulls: 1 },
    ];

    it("gives an order its customer's touches and its linked visitor's in the lookback window", async () => {
      expect(summarise(await journeys(queryOf(march, 'channel', true)))).toEqual({ orders: 3, ordersWithoutTouches: 1, paths: marchPaths });
      expect(summarise(await journeysWithAges(test.db, queryOf(march, 'campaign', false)))).toEqual({
        orders: 3, ordersWithoutTouches: 1,
        paths: [
          { path: '(ads)', ages: '1', conversions: 1, revenue: 20, nulls: 0 },
          { path: '(seo)>spring', ages: '9,0', conversions: 1, revenue: 100, nulls: 0 },
        ],
      });
      // va's email visit, before the window of its link to a, stays the visitor's own browsing journey.
      const february = range('2026-02-01T00:00:00Z', '2026-03-01T00:00:00Z');
      expect(summarise(await journeys(queryOf(february, 'channel', true))).paths).toEqual([{ path: 'email', conversions: 0, revenue: 0, nulls: 1 }]);
    });

    it('cuts a browsing journey that crosses an edge of the range to the touches inside it', async () => {
      // From noon on 5 March: v1's social touch that morning falls outside; v2's ads at 10:00 on
      // 20 March is past the end, and v3 comes in that morning, before it.
      const fromNoon = range('2026-03-05T12:00:00Z', '2026-03-20T10:00:00Z');
      const paths = summarise(await journeys(queryOf(fromNoon, 'channel', true))).paths.filter((path) => path.nulls > 0);
      expect(paths).toEqual([
        { path: 'direct', conversions: 0, revenue: 0, nulls: 1 },
        { path: 'email', conversions: 0, revenue: 0, nulls: 1 },
        { path: 'seo', conversions: 0, revenue: 0, nulls: 1 },
      ]);
      const withV2 = range('2026-01-10T10:00:00Z', '2026-03-20T10:00:01Z');
      expect(summarise(await journeys(queryOf(withV2, 'channel', true))).paths.filter((path) => path.nulls > 0).map((path) => path.path))
        .toEqual(['direct', 'email', 'seo>ads', 'social>seo']);
    });

    it('adds a late anonymous touch of a linked visitor to the order it precedes', async () => {
      await insertTouchpoints(test.db, [{ id: 't4', anonymous: 'va', at: '2026-03-08T09:00:00Z', channel: 'social' }]);
      expect(summarise(await journeysWithAges(test.db, queryOf(march, 'channel', false))).paths)
        .toContainEqual({ path: 'seo>social>ads', ages: '9,2,0', conversions: 1, revenue: 100, nulls: 0 });
    });

    it("moves a visitor's earlier visits into the order of the customer they sign in as", async () => {
      // v1 signs in as b on the evening of 11 March: its visits of 5 and 6 March become b's, and oB has a journey.
      await insertTouchpoints(test.db, [{ id: 's1', anonymous: 'v1', customer: 'b', at: '2026-03-11T20:00:00Z', channel: 'email' }]);
      expect(summarise(await journeys(queryOf(march, 'channel', true)))).toEqual({
        orders: 3, ordersWithoutTouches: 0,
        paths: [
          { path: 'ads', conversions: 1, revenue: 20, nulls: 1 },
          { path: 'direct', conversions: 0, revenue: 0, nulls: 1 },
          { path: 'email', conversions: 0, revenue: 0, nulls: 1 },
          { path: 'seo>ads', conversions: 1, revenue: 100, nulls: 0 },
          { path: 'social>seo>email', conversions: 1, revenue: 50, nulls: 0 },
        ],
      });
      // Deleting that sign-in unlinks them again.
      await test.db.query(`DELETE FROM touchpoints WHERE id = 's1'`);
      expect(summarise(await journeys(queryOf(march, 'channel', true)))).toEqual({ orders: 3, ordersWithoutTouches: 1, paths: marchPaths });
    });

    it("links a visitor through the order its converting session names, without a customer id", async () => {
      // v3 buys as c: its session names oC but carries no customer id. Its touch of 20 March comes
      // after oC, so it is c's next journey, and the purchase session joins oC's.
      await insertTouchpoints(test.db, [{ id: 'p3', anonymous: 'v3', at: '2026-03-14T23:00:00Z', channel: 'paid_social', order: 'oC' }]);
      expect(summarise(await journeys(queryOf(march, 'channel', true))).paths).toEqual([
        { path: 'ads', conversions: 0, revenue: 0, nulls: 1 },
        { path: 'ads>paid_social', conversions: 1, revenue: 20, nulls: 0 },
        { path: 'direct', conversions: 0, revenue: 0, nulls: 1 },
        { path: 'email', conversions: 0, revenue: 0, nulls: 1 },
        { path: 'seo>ads', conversions: 1, revenue: 100, nulls: 0 },
        { path: 'social>seo', conversions: 0, revenue: 0, nulls: 1 },
      ]);
      const c = await test.db.query(`SELECT identity, channel_path FROM browsing_journeys WHERE identity IN ('c:c', 'a:v3')`);
      expect(c).toEqual([{ identity: 'c:c', channel_path: 'email' }]);
    });

    it('follows a corrected order time: the order leaves the range and its touches the window', async () => {
      await test.db.query(`UPDATE orders SET ordered_at = '2026-04-05T00:00:00Z' WHERE id = 'oA'`);
      expect(summarise(await journeys(queryOf(march, 'channel', false)))).toMatchObject({ orders: 2, ordersWithoutTouches: 1 });
      // Now a's return visit of 11 March leads to oA too; seo of 1 March is 35 days before it, a browsing journey of a.
      expect(summarise(await journeysWithAges(test.db, queryOf(april, 'channel', false))).paths).toEqual([
        { path: 'ads>direct', ages: '26,25', conversions: 1, revenue: 100, nulls: 0 },
      ]);
      expect(summarise(await journeys(queryOf(march, 'channel', true))).paths).toContainEqual({ path: 'seo', conversions: 0, revenue: 0, nulls: 1 });
    });

    it("follows an order moved to another customer, taking the order's pinned touch with it", async () => {
      await test.db.query(`UPDATE orders SET customer_id = 'b' WHERE id = 'oA'`);
      // a's journey now ends without an order: seo (through va) and the return visit. oA keeps its pinned session.
      expect(summarise(await journeys(queryOf(march, 'channel', true))).paths).toEqual([
        { path: 'ads', conversions: 2, revenue: 120, nulls: 1 },
        { path: 'email', conversions: 0, revenue: 0, nulls: 1 },
        { path: 'seo>direct', conversions: 0, revenue: 0, nulls: 1 },
        { path: 'social>seo', conversions: 0, revenue: 0, nulls: 1 },
      ]);
    });

    it('turns the journey of a deleted order into browsing and forgets the order', async () => {
      await test.db.query(`DELETE FROM orders WHERE id = 'oC'`);
      expect(summarise(await journeys(queryOf(march, 'channel', true)))).toEqual({
        orders: 2, ordersWithoutTouches: 1,
        paths: [
          { path: 'ads', conversions: 0, revenue: 0, nulls: 2 },
          { path: 'direct', conversions: 0, revenue: 0, nulls: 1 },
          { path: 'email', conversions: 0, revenue: 0, nulls: 1 },
          { path: 'seo>ads', conversions: 1, revenue: 100, nulls: 0 },
          { path: 'social>seo', conversions: 0, revenue: 0, nulls: 1 },
        ],
      });
    });

    it('gives a touch naming an order that arrives later to that order', async () => {
      await insertTouchpoints(test.db, [{ id: 't5', customer: 'd', at: '2026-04-02T00:00:00Z', channel: 'seo', order: 'oD' }]);
      expect(summarise(await journeys(queryOf(april, 'channel', true))).paths).toEqual([{ path: 'seo', conversions: 0, revenue: 0, nulls: 1 }]);
      await insertOrders(test.db, [{ id: 'oD', customer: 'd', at: '2026-04-03T00:00:00Z', revenue: 7 }]);
      expect(summarise(await journeysWithAges(test.db, queryOf(april, 'channel', false))).paths).toEqual([{ path: 'seo', ages: '1', conversions: 1, revenue: 7, nulls: 0 }]);
      expect(summarise(await journeys(queryOf(april, 'channel', true))).paths).toEqual([{ path: 'seo', conversions: 1, revenue: 7, nulls: 0 }]);
    });

    it('forgets every journey when the touches are truncated', async () => {
      await test.db.exec('TRUNCATE touchpoints');
      expect(summarise(await journeys(queryOf(range('2026-01-01T00:00:00Z', '2027-01-01T00:00:00Z'), 'channel', true))))
        .toEqual({ orders: 3, ordersWithoutTouches: 3, paths: [] });
    });
  });

  describe('against the rules computed in TypeScript, through random writes', () => {
    const test = useTestDb();
    const journeys = (query: JourneyQuery) => attributionQueries(test.db).journeys(query);
    const start = Date.parse('2026-01-01T00:00:00Z');
    // Each test draws the same numbers whatever ran before it.
    let random = mulberry32(20_260_301);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
    // Whole minutes within 120 days, so touches of one journey tie on time now and then.
    const someTime = () => new Date(start + Math.floor(random() * 120 * 24 * 60) * 60_000).toISOString();
    const customers = ['c1', 'c2', 'c3', 'c4', 'c5', 'c6'];
    const visitors = Array.from({ length: 14 }, (_, index) => `v${index}`);
    const channels = ['seo', 'ads', 'email', 'direct', 'social'];
    const campaigns = [null, '', 'spring', 'sale'];
    let nextTouch = 0;
    let nextOrder = 0;

    /** A touch of a customer, a visitor, or a visitor signed in as a customer; half of the customers' ones name an order. */
    function randomTouch(orderIds: readonly string[]): Parameters<typeof insertTouchpoints>[1][number] {
      nextTouch += 1;
      const kind = random();
      const campaign = pick(campaigns);
      // Visitors browse within about two weeks of their own day, so many spans are short and some not.
      const visitor = Math.floor(random() * visitors.length);
      const visitedAt = new Date(start + visitor * 8 * DAY_MS + Math.floor(random() * 14 * 24 * 60) * 60_000).toISOString();
      const who = kind < 0.4 ? { customer: pick(customers), at: someTime() }
        : kind < 0.55 ? { customer: pick(customers), anonymous: `v${visitor}`, at: visitedAt }
        : { anonymous: `v${visitor}`, at: visitedAt };
      return {
        id: `t${String(nextTouch).padStart(4, '0')}`, ...who,
        channel: pick(channels), ...(campaign === null ? {} : { campaign }),
        ...(random() < 0.3 ? { order: pick(orderIds) } : {}),
      };
    }

    // All of it; edges inside days; within one day; edges at midnight.
    const ranges = [
      range('2025-12-01T00:00:00Z', '2026-06-01T00:00:00Z'),
      range('2026-02-10T05:30:00Z', '2026-03-12T17:45:00Z'),
      range('2026-01-21T13:00:00Z', '2026-02-04T23:00:00Z'),
      range('2026-01-09T01:00:00Z', '2026-03-30T22:00:00Z'),
      range('2026-03-03T03:00:00Z', '2026-03-03T21:00:00Z'),
      { start: new Date(start + 40 * DAY_MS), end: new Date(start + 70 * DAY_MS) },
    ];

    async function expectSameAsReference(step: string, lookbacks: readonly number[] = [30]): Promise<void> {
      await refreshJourneys(test.db);
      // The day counts match the journeys they count.
      expect(await test.db.query(
        `SELECT first_day, channel_path, campaign_path, visitors FROM browsing_day_paths
         EXCEPT SELECT (first_at AT TIME ZONE 'UTC')::date, channel_path, campaign_path, count(*)::int FROM browsing_journeys GROUP BY 1, 2, 3`), step).toEqual([]);
      expect(await test.db.query(`SELECT count(*)::int AS rows FROM browsing_day_paths`), step)
        .toEqual(await test.db.query(`SELECT count(DISTINCT ((first_at AT TIME ZONE 'UTC')::date, channel_path, campaign_path))::int AS rows FROM browsing_journeys`));
      for (const lookbackDays of lookbacks) {
        for (const journeyRange of ranges) {
          for (const dimension of ['channel', 'campaign'] as const) {
            for (const withNonConverting of [false, true]) {
              const query = queryOf(journeyRange, dimension, withNonConverting, lookbackDays);
              const context = `${step}: ${journeyRange.start.toISOString()} ${dimension} nulls=${withNonConverting} lookback=${lookbackDays}`;
              expect(comparable(await journeys(query)), context).toEqual(comparable(await referenceJourneysOf(test.db, query)));
            }
            // The ages time decay weighs, read through the store's journey SQL.
            const converting = queryOf(journeyRange, dimension, false, lookbackDays);
            expect(comparable(await journeysWithAges(test.db, converting)), `${step}: ages`).toEqual(comparable(await referenceJourneysOf(test.db, converting, { withAges: true })));
          }
        }
      }
    }

    const orderIds = async () => (await test.db.query<{ id: string }>('SELECT id FROM orders ORDER BY id')).map((row) => row.id);
    const touchIds = async () => (await test.db.query<{ id: string }>('SELECT id FROM touchpoints ORDER BY id')).map((row) => row.id);

    let seeded = { touches: 0, orders: 0 };
    beforeAll(async () => {
      const orders = Array.from({ length: 30 }, () => {
        nextOrder += 1;
        return { id: `o${String(nextOrder).padStart(3, '0')}`, customer: pick(customers), at: someTime(), revenue: Math.round(random() * 10_000) / 100 };
      });
      await insertOrders(test.db, orders);
      await insertTouchpoints(test.db, Array.from({ length: 260 }, () => randomTouch([...orders.map((order) => order.id), 'o-missing'])));
      seeded = { touches: nextTouch, orders: nextOrder };
    });
    beforeEach(() => {
      random = mulberry32(20_260_302);
      nextTouch = seeded.touches;
      nextOrder = seeded.orders;
    });

    it('reads the same journeys after the first (full) build, for the kept lookback and others', async () => {
      await expectSameAsReference('initial', [30, 7, 45]);
    });

    it('reads the same journeys after each kind of write, refreshed one at a time', async () => {
      const writes: [string, () => Promise<unknown>][] = [
        ['late touches', async () => insertTouchpoints(test.db, Array.from({ length: 3 }, () => randomTouch(['o001', 'o002', 'o003'])))],
        ['a visitor signing in as a customer', async () => insertTouchpoints(test.db, [{ id: 'sign-in', anonymous: 'v3', customer: 'c2', at: '2026-01-30T12:00:00Z', channel: 'direct' }])],
        ['the visitor signing in as another customer later', async () => insertTouchpoints(test.db, [{ id: 'sign-in-2', anonymous: 'v3', customer: 'c5', at: '2026-02-03T12:00:00Z', channel: 'direct' }])],
        ['a sign-in moved earlier', async () => test.db.query(`UPDATE touchpoints SET at = '2026-01-20T00:00:00Z' WHERE id = 'sign-in-2'`)],
        ['a sign-in deleted', async () => test.db.query(`DELETE FROM touchpoints WHERE id = 'sign-in'`)],
        ['an anonymous purchase session naming an order', async () => insertTouchpoints(test.db, [{ id: 'buy', anonymous: 'v6', at: '2026-02-20T08:00:00Z', channel: 'email', order: 'o004' }])],
        ['a touch moved to another order', async () => test.db.query('UPDATE touchpoints SET order_id = $1 WHERE id = $2', [pick(await orderIds()), pick(await touchIds())])],
        ['a touch taken from its order', async () => test.db.query(`UPDATE touchpoints SET order_id = NULL WHERE id = (SELECT min(id) FROM touchpoints WHERE order_id IS NOT NULL)`)],
        ['a touch moved in time', async () => test.db.query(`UPDATE touchpoints SET at = at - interval '20 days' WHERE id = $1`, [pick(await touchIds())])],
        ['a touch moved to another visitor', async () => test.db.query(`UPDATE touchpoints SET customer_id = NULL, anonymous_id = 'v9' WHERE id = (SELECT min(id) FROM touchpoints WHERE customer_id IS NOT NULL)`)],
        ['touches deleted', async () => test.db.query('DELETE FROM touchpoints WHERE id IN ($1, $2)', [pick(await touchIds()), pick(await touchIds())])],
        ['an order deleted', async () => test.db.query('DELETE FROM orders WHERE id = $1', [pick(await orderIds())])],
        ['an order time corrected', async () => test.db.query(`UPDATE orders SET ordered_at = ordered_at + interval '9 days 3 hours' WHERE id = $1`, [pick(await orderIds())])],
        ['an order moved to another customer', async () => test.db.query(`UPDATE orders SET customer_id = 'c1' WHERE id = (SELECT min(id) FROM orders WHERE customer_id <> 'c1')`)],
        ['a revenue corrected', async () => test.db.query('UPDATE orders SET revenue = revenue + 12.34 WHERE id = $1', [pick(await orderIds())])],
        ['the order its touches were waiting for', async () => insertOrders(test.db, [{ id: 'o-missing', customer: 'c-late', at: '2026-03-01T00:00:00Z', revenue: 5 }])],
        ['many rows in one statement', async () => test.db.query(`INSERT INTO touchpoints (id, customer_id, anonymous_id, at, channel, campaign, order_id)
          SELECT 'bulk' || n, CASE WHEN n % 4 = 0 THEN 'c' || (n % 6 + 1) END, 'v' || (n % 5), timestamptz '2026-02-20T00:00:00Z' + n * interval '13 hours', 'seo', 'sale',
                 CASE WHEN n % 3 = 0 THEN 'o00' || (n % 9 + 1) END
            FROM generate_series(1, 12) AS n`)],
      ];
      for (const [name, write] of writes) {
        await write();
        await expectSameAsReference(name);
      }
    });

    it('reads the same journeys after a full rebuild as after refreshes', async () => {
      await rebuildJourneys(test.db);
      await expectSameAsReference('rebuilt');
      expect(await test.db.query('SELECT * FROM dirty_identities')).toEqual([]);
    });
  });
});

describe(`journeys after upgrading a shop with data on ${testDbKind}`, () => {
  it('builds the journeys of the orders and touches loaded before the migrations', async () => {
    const schema = `t_${process.pid}_${randomBytes(4).toString('hex')}`;
    const db = testDatabaseUrl ? await openPg(testDatabaseUrl, { schema, maxConnections: 2 }) : await openPglite('memory://');
    try {
      const migrations = await readMigrations();
      await migrate(db, migrations.filter((migration) => migration.version < 9));
      await insertOrders(db, [
        { id: 'o1', customer: 'a', at: '2026-03-10T12:00:00Z', revenue: 30 },
        { id: 'o2', customer: 'b', at: '2026-03-11T12:00:00Z', revenue: 20 },
      ]);
      await insertTouchpoints(db, [
        { id: 't1', anonymous: 'va', at: '2026-03-09T12:00:00Z', channel: 'seo' },
        { id: 't2', anonymous: 'va', customer: 'a', at: '2026-03-10T11:00:00Z', channel: 'ads', order: 'o1' },
        { id: 'n1', anonymous: 'v1', at: '2026-03-12T12:00:00Z', channel: 'social' },
        { id: 'n2', anonymous: 'v2', at: '2026-03-13T12:00:00Z', channel: 'social' },
      ]);
      // Through 009's journeys by order id (built and read once), then 014's by identity.
      await migrate(db, migrations.filter((migration) => migration.version < 14));
      await migrate(db, migrations);
      const query = queryOf(range('2026-03-01T00:00:00Z', '2026-04-01T00:00:00Z'), 'channel', true);
      expect(summarise(await attributionQueries(db).journeys(query))).toEqual({
        orders: 2, ordersWithoutTouches: 1,
        paths: [
          { path: 'seo>ads', conversions: 1, revenue: 30, nulls: 0 },
          { path: 'social', conversions: 0, revenue: 0, nulls: 2 },
        ],
      });
    } finally {
      if (testDatabaseUrl) await db.exec(`DROP SCHEMA ${schema} CASCADE`);
      await db.close();
    }
  });
});

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

