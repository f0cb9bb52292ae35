import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../src/adapters/store/db.js';
import { migrate, readMigrations } from '../../../src/adapters/store/migrate.js';
import { openPg } from '../../../src/adapters/store/pg.js';
import { openPglite } from '../../../src/adapters/store/pglite.js';
import { attributionQueries } from '../../../src/adapters/store/queries/attribution.js';
import { rebuildBrowsingJourneys, rebuildOrderJourneys, refreshBrowsingJourneys, refreshOrderJourneys } from '../../../src/adapters/store/queries/order-journeys.js';
import type { AttributionDimension, JourneyQuery, Journeys, TimeRange } from '../../../src/bot/data-port.js';
import { clearData, testDatabaseUrl, testDbKind, useTestDb } from '../../support/db.js';
import { insertOrders, insertTouchpoints } from '../../support/fixtures.js';
import { journeysWithAges } from '../../support/journeys-with-ages.js';
import { MINUTE_MS, DAY_MS } from '../../../src/analytics/time.js';

const LOOKBACK_DAYS = 30;

/**
 * The journeys as attribution collapsed them before order_journeys existed, straight from the raw
 * rows: the reference every stored read must equal.
 */
async function rawJourneys(db: Db, query: JourneyQuery, withAges = false): Promise<Journeys> {
  const label = query.dimension === 'channel' ? 't.channel' : `coalesce(nullif(t.campaign, ''), '(' || t.channel || ')')`;
  const age = withAges ? 'round(extract(epoch FROM o.ordered_at - t.at) / 86400)::int' : 'NULL::int';
  const [counted] = await db.query<{ orders: number }>('SELECT count(*)::int AS orders FROM orders WHERE ordered_at >= $1 AND ordered_at < $2', [query.range.start, query.range.end]);
  const converting = await db.query<{ path: string; ages: string | null; conversions: number; revenue: number }>(
    `WITH touches AS (
       SELECT o.id AS journey, o.revenue, t.at, t.id AS touch_id, ${label} AS label, ${age} AS age_days
         FROM orders o JOIN touchpoints t ON t.order_id = o.id
        WHERE o.ordered_at >= $1 AND o.ordered_at < $2
          AND t.at <= o.ordered_at AND t.at >= o.ordered_at - $3::int * interval '1 day'
     ), journeys AS (
       SELECT journey, min(revenue) AS revenue,
              string_agg(label, chr(31) ORDER BY at, touch_id) AS path,
              string_agg(age_days::text, ',' ORDER BY at, touch_id) AS ages
         FROM touches GROUP BY journey
     )
     SELECT path, ages, count(*)::int AS conversions, sum(revenue)::float8 AS revenue
       FROM journeys GROUP BY path, ages ORDER BY conversions DESC, path`,
    [query.range.start, query.range.end, query.lookbackDays],
  );
  const browsing = !query.withNonConverting ? [] : await db.query<{ path: string; nulls: number }>(
    `WITH journeys AS (
       SELECT string_agg(${label}, chr(31) ORDER BY t.at, t.id) AS path
         FROM touchpoints t
        WHERE t.order_id IS NULL AND t.at >= $1 AND t.at < $2
        GROUP BY coalesce('c:' || t.customer_id, 'a:' || t.anonymous_id)
     )
     SELECT path, count(*)::int AS nulls FROM journeys GROUP BY path ORDER BY nulls DESC, path`,
    [query.range.start, query.range.end],
  );
  const byKey = new Map<string, { channels: string[]; ageDays?: number[]; conversions: number; revenue: number; nulls: number }>();
  for (const row of converting) {
    byKey.set(`${row.path}|${row.ages ?? ''}`, {
      channels: row.path.split('\u001f'),
      ...(row.ages === null ? {} : { ageDays: row.ages.split(',').map(Number) }),
      conversions: row.conversions, revenue: row.revenue, nulls: 0,
    });
  }
  for (const row of browsing) {
    const entry = byKey.get(`${row.path}|`) ?? { channels: row.path.split('\u001f'), conversions: 0, revenue: 0, nulls: 0 };
    entry.nulls += row.nulls;
    byKey.set(`${row.path}|`, entry);
  }
  const orders = counted?.orders ?? 0;
  return { paths: [...byKey.values()], orders, ordersWithoutTouches: orders - converting.reduce((sum, row) => sum + row.conversions, 0) };
}

/** Paths in a fixed order with revenue rounded to cents, so equal journeys compare equal whatever the row order. */
function comparable(journeys: Journeys) {
  const paths = journeys.paths
    .map((path) => ({ ...path, revenue: Math.round(path.revenue * 100) / 100 }))
    .sort((a, b) => byText(JSON.stringify(a), JSON.stringify(b)));
  return { orders: journeys.orders, ordersWithoutTouches: journeys.ordersWithoutTouches, paths };
}

/** Code-point order: the same on every machine, whatever its locale. */
const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

interface PathSummary { path: string; ages?: string; conversions: number; revenue: number; nulls: number }

/** A readable form for hand-built expectations: labels joined by '>', ages by ','. */
function summarise(journeys: Journeys): { orders: number; ordersWithoutTouches: number; paths: PathSummary[] } {
  const paths = journeys.paths.map((entry) => ({
    path: entry.channels.join('>'),
    ...(entry.ageDays ? { ages: entry.ageDays.join(',') } : {}),
    conversions: entry.conversions, revenue: entry.revenue, nulls: entry.nulls,
  })).sort((a, b) => byText(`${a.path} ${a.ages ?? ''}`, `${b.path} ${b.ages ?? ''}`));
  return { orders: journeys.orders, ordersWithoutTouches: journeys.ordersWithoutTouches, paths };
}

const range = (start: string, end: string): TimeRange => ({ start: new Date(start), end: new Date(end) });

function queryOf(journeyRange: TimeRange, dimension: AttributionDimension, withNonConverting: boolean, lookbackDays = LOOKBACK_DAYS): JourneyQuery {
  return { range: journeyRange, lookbackDays, dimension, withNonConverting };
}

describe(`stored order and browsing journeys on ${testDbKind}`, () => {
  const test = useTestDb();
  const journeys = (query: JourneyQuery) => attributionQueries(test.db).journeys(query);
  const march = range('2026-03-01T00:00:00Z', '2026-04-01T00:00:00Z');

  describe('a hand-built shop', () => {
    beforeAll(async () => {
      await clearData(test.db);
      await insertOrders(test.db, [
        { id: 'oA', customer: 'a', at: '2026-03-10T12:00:00Z', revenue: 100 },
        { id: 'oB', customer: 'b', at: '2026-03-12T00:00:00Z', revenue: 50 },
        { id: 'oC', customer: 'c', at: '2026-03-15T00:00:00Z', revenue: 20 },
      ]);
      await insertTouchpoints(test.db, [
        // oA: email 37 days before is outside the lookback; seo 9 days before, then ads of the spring campaign.
        { id: 't0', customer: 'a', at: '2026-02-01T12:00:00Z', channel: 'email', order: 'oA' },
        { id: 't1', customer: 'a', at: '2026-03-01T12:00:00Z', channel: 'seo', order: 'oA' },
        { id: 't2', customer: 'a', at: '2026-03-10T11:00:00Z', channel: 'ads', campaign: 'spring', order: 'oA' },
        // oC: an ads touch with an empty campaign is named after its channel.
        { id: 't3', customer: 'c', at: '2026-03-14T00:00:00Z', channel: 'ads', campaign: '', order: 'oC' },
        // Browsing: v1 on two days, a after their order, v2 over two months.
        { id: 'n1', anonymous: 'v1', at: '2026-03-05T10:00:00Z', channel: 'social' },
        { id: 'n2', anonymous: 'v1', at: '2026-03-06T10:00:00Z', channel: 'seo' },
        { id: 'n3', customer: 'a', at: '2026-03-11T09:00:00Z', channel: 'direct' },
        { id: 'n4', anonymous: 'v2', at: '2026-01-10T10:00:00Z', channel: 'seo' },
        { id: 'n5', anonymous: 'v2', at: '2026-03-20T10:00:00Z', channel: 'ads' },
        { id: 'n6', anonymous: 'v3', at: '2026-03-20T08:00:00Z', channel: 'email' },
      ]);
    });

    it('collapses orders in the lookback window and visitors in the range', async () => {
      expect(summarise(await journeys(queryOf(march, 'channel', true)))).toEqual({
        orders: 3, ordersWithoutTouches: 1,
        paths: [
          { path: 'ads', conversions: 1, revenue: 20, nulls: 1 },
          { path: 'direct', conversions: 0, revenue: 0, nulls: 1 },
          { path: 'email', conversions: 0, revenue: 0, nulls: 1 },
          { path: 'seo>ads', conversions: 1, revenue: 100, nulls: 0 },
          { path: 'social>seo', conversions: 0, revenue: 0, nulls: 1 },
        ],
      });
      expect(summarise(await journeysWithAges(test.db, queryOf(march, 'campaign', false)))).toEqual({
        orders: 3, ordersWithoutTouches: 1,
        paths: [
          { path: '(ads)', ages: '1', conversions: 1, revenue: 20, nulls: 0 },
          { path: '(seo)>spring', ages: '9,0', conversions: 1, revenue: 100, nulls: 0 },
        ],
      });
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

    it('follows a late touch, a touch moved between an order and browsing, and a deleted order', async () => {
      await insertTouchpoints(test.db, [{ id: 't4', customer: 'b', at: '2026-03-11T00:00:00Z', channel: 'email', order: 'oB' }]);
      // t2 was not part of the order after all: a browsed ads, then direct.
      await test.db.query(`UPDATE touchpoints SET order_id = NULL WHERE id = 't2'`);
      await test.db.query(`DELETE FROM orders WHERE id = 'oC'`);
      expect(summarise(await journeys(queryOf(march, 'channel', true)))).toEqual({
        orders: 2, ordersWithoutTouches: 0,
        paths: [
          // t3 still names oC, which is gone: its touch counts nowhere.
          { path: 'ads', conversions: 0, revenue: 0, nulls: 1 },
          { path: 'ads>direct', conversions: 0, revenue: 0, nulls: 1 },
          { path: 'email', conversions: 1, revenue: 50, nulls: 1 },
          { path: 'seo', conversions: 1, revenue: 100, nulls: 0 },
          { path: 'social>seo', conversions: 0, revenue: 0, nulls: 1 },
        ],
      });
    });

    it('follows a corrected order time out of the range and its touches out of the window', async () => {
      await test.db.query(`UPDATE orders SET ordered_at = '2026-04-05T00:00:00Z' WHERE id = 'oA'`);
      expect(summarise(await journeys(queryOf(march, 'channel', false)))).toMatchObject({ orders: 1, ordersWithoutTouches: 0 });
      // In April oA's only touch (seo on 1 March) is 35 days old: an order without touches.
      const april = range('2026-04-01T00:00:00Z', '2026-05-01T00:00:00Z');
      expect(summarise(await journeys(queryOf(april, 'channel', false)))).toEqual({ orders: 1, ordersWithoutTouches: 1, paths: [] });
      // The order that a touch names arriving after it still gets that touch.
      await insertTouchpoints(test.db, [{ id: 't5', customer: 'd', at: '2026-04-02T00:00:00Z', channel: 'seo', order: 'oD' }]);
      await insertOrders(test.db, [{ id: 'oD', customer: 'd', at: '2026-04-03T00:00:00Z', revenue: 7 }]);
      expect(summarise(await journeysWithAges(test.db, queryOf(april, 'channel', false))).paths).toEqual([{ path: 'seo', ages: '1', conversions: 1, revenue: 7, nulls: 0 }]);
    });

    it('forgets every journey when the touches are truncated', async () => {
      await refreshOrderJourneys(test.db);
      await test.db.exec('TRUNCATE touchpoints');
      expect(summarise(await journeys(queryOf(range('2026-01-01T00:00:00Z', '2027-01-01T00:00:00Z'), 'channel', true))))
        .toEqual({ orders: 3, ordersWithoutTouches: 3, paths: [] });
    });
  });

  describe('against the raw query, through random writes', () => {
    const start = Date.parse('2026-01-01T00:00:00Z');
    const random = mulberry32(20_260_301);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
    // Whole minutes within 120 days, so touches of one journey tie on time now and then.
    const someTime = () => new Date(start + Math.floor(random() * 120 * 24 * 60) * MINUTE_MS).toISOString();
    const customers = ['c1', 'c2', 'c3', 'c4', 'c5', 'c6'];
    const channels = ['seo', 'ads', 'email', 'direct', 'social'];
    const campaigns = [null, '', 'spring', 'sale'];
    let nextTouch = 0;
    let nextOrder = 0;

    function randomTouch(orderIds: readonly (string | null)[], options = { browsing: false }): Parameters<typeof insertTouchpoints>[1][number] {
      nextTouch += 1;
      const customer = !options.browsing && random() < 0.6 ? pick(customers) : undefined;
      const campaign = pick(campaigns);
      // Anonymous visitors browse within about a week of their own day, so many spans are short and some not.
      const visitor = Math.floor(random() * 30);
      const browsedAt = new Date(start + visitor * 4 * DAY_MS + Math.floor(random() * 9 * 24 * 60) * MINUTE_MS).toISOString();
      return {
        id: `t${String(nextTouch).padStart(4, '0')}`,
        ...(customer === undefined ? { anonymous: `v${visitor}`, at: browsedAt } : { customer, at: someTime() }),
        channel: pick(channels), ...(campaign === null ? {} : { campaign }),
        ...(options.browsing || random() < 0.5 ? {} : { order: pick(orderIds) ?? undefined }),
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

    async function expectSameAsRaw(step: string): Promise<void> {
      await refreshBrowsingJourneys(test.db);
      // The day counts match the visitors they count.
      expect(await test.db.query(
        `SELECT first_day, channel_path, campaign_path, visitors FROM browsing_day_paths
         EXCEPT SELECT (first_at AT TIME ZONE 'UTC')::date, channel_path, campaign_path, count(*)::int FROM browsing_journeys GROUP BY 1, 2, 3`), step).toEqual([]);
      expect(await test.db.query(`SELECT count(*)::int AS rows FROM browsing_day_paths`), step)
        .toEqual(await test.db.query(`SELECT count(DISTINCT ((first_at AT TIME ZONE 'UTC')::date, channel_path, campaign_path))::int AS rows FROM browsing_journeys`));
      for (const journeyRange of ranges) {
        for (const dimension of ['channel', 'campaign'] as const) {
          for (const withNonConverting of [false, true]) {
            const query = queryOf(journeyRange, dimension, withNonConverting);
            const context = `${step}: ${journeyRange.start.toISOString()} ${dimension} nulls=${withNonConverting}`;
            expect(comparable(await journeys(query)), context).toEqual(comparable(await rawJourneys(test.db, query)));
          }
          const converting = queryOf(journeyRange, dimension, false);
          expect(comparable(await journeysWithAges(test.db, converting)), `${step}: ${journeyRange.start.toISOString()} ${dimension} ages`)
            .toEqual(comparable(await rawJourneys(test.db, converting, true)));
        }
      }
    }

    const orderIds = async () => (await test.db.query<{ id: string }>('SELECT id FROM orders ORDER BY id')).map((row) => row.id);
    const touchIds = async () => (await test.db.query<{ id: string }>('SELECT id FROM touchpoints ORDER BY id')).map((row) => row.id);

    beforeAll(async () => {
      await clearData(test.db);
      const orders = Array.from({ length: 30 }, () => {
        nextOrder += 1;
        return { id: `o${String(nextOrder).padStart(3, '0')}`, customer: pick(customers), at: someTime(), revenue: Math.round(random() * 10_000) / 100 };
      });
      await insertOrders(test.db, orders);
      const ids = orders.map((order) => order.id);
      await insertTouchpoints(test.db, Array.from({ length: 120 }, () => randomTouch([...ids, 'o-missing'])));
      // Browsing visitors of several touches each, so that ranges cut through short and long spans.
      await insertTouchpoints(test.db, Array.from({ length: 150 }, () => randomTouch([], { browsing: true })));
    });

    it('reads the same journeys after the first (full) build', async () => {
      await expectSameAsRaw('initial');
    });

    it('reads the same journeys after each kind of write, refreshed one at a time', async () => {
      const writes: [string, () => Promise<unknown>][] = [
        ['late touches for existing orders', async () => insertTouchpoints(test.db, Array.from({ length: 3 }, () => randomTouch(['o001', 'o002', 'o003'])))],
        ['a touch moved to another order', async () => test.db.query('UPDATE touchpoints SET order_id = $1 WHERE id = $2', [pick(await orderIds()), pick(await touchIds())])],
        ['a touch taken from its order', async () => test.db.query(`UPDATE touchpoints SET order_id = NULL WHERE id = (SELECT min(id) FROM touchpoints WHERE order_id IS NOT NULL)`)],
        ['a browsing touch given to an order', async () => test.db.query(`UPDATE touchpoints SET order_id = $1 WHERE id = (SELECT max(id) FROM touchpoints WHERE order_id IS NULL)`, [pick(await orderIds())])],
        ['a touch moved in time', async () => test.db.query(`UPDATE touchpoints SET at = at - interval '20 days' WHERE id = $1`, [pick(await touchIds())])],
        ['a browsing touch moved to another visitor', async () => test.db.query(`UPDATE touchpoints SET customer_id = NULL, anonymous_id = 'v9' WHERE id = (SELECT min(id) FROM touchpoints WHERE order_id IS NULL AND customer_id IS NOT NULL)`)],
        ['touches deleted', async () => test.db.query('DELETE FROM touchpoints WHERE id IN ($1, $2)', [pick(await touchIds()), pick(await touchIds())])],
        ['an order deleted', async () => test.db.query('DELETE FROM orders WHERE id = $1', [pick(await orderIds())])],
        ['an order time corrected', async () => test.db.query(`UPDATE orders SET ordered_at = ordered_at + interval '9 days 3 hours' WHERE id = $1`, [pick(await orderIds())])],
        ['a revenue corrected', async () => test.db.query('UPDATE orders SET revenue = revenue + 12.34 WHERE id = $1', [pick(await orderIds())])],
        ['the order its touches were waiting for', async () => insertOrders(test.db, [{ id: 'o-missing', customer: 'c-late', at: '2026-03-01T00:00:00Z', revenue: 5 }])],
        ['many rows in one statement', async () => test.db.query(`INSERT INTO touchpoints (id, anonymous_id, at, channel, campaign, order_id)
          SELECT 'bulk' || n, 'v' || (n % 3), timestamptz '2026-02-20T00:00:00Z' + n * interval '13 hours', 'seo', 'sale', CASE WHEN n % 2 = 0 THEN 'o00' || (n % 9 + 1) END
            FROM generate_series(1, 12) AS n`)],
      ];
      for (const [name, write] of writes) {
        await write();
        await expectSameAsRaw(name);
      }
    });

    it('reads the same journeys after a full rebuild as after refreshes', async () => {
      await rebuildOrderJourneys(test.db);
      await rebuildBrowsingJourneys(test.db);
      await expectSameAsRaw('rebuilt');
      await refreshBrowsingJourneys(test.db);
      expect(await test.db.query('SELECT * FROM dirty_orders UNION ALL SELECT * FROM dirty_visitors')).toEqual([]);
    });

    it('collapses the raw touches for a lookback other than the stored one', async () => {
      for (const lookbackDays of [7, 45]) {
        const query = queryOf(ranges[0] as TimeRange, 'channel', true, lookbackDays);
        expect(comparable(await journeys(query))).toEqual(comparable(await rawJourneys(test.db, query)));
        const converting = queryOf(ranges[0] as TimeRange, 'channel', false, lookbackDays);
        expect(comparable(await journeysWithAges(test.db, converting))).toEqual(comparable(await rawJourneys(test.db, converting, true)));
      }
    });
  });
});

describe(`order journeys after upgrading a shop with data on ${testDbKind}`, () => {
  it('builds the journeys of the orders and touches loaded before the migration', async () => {
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
        { id: 't1', customer: 'a', at: '2026-03-09T12:00:00Z', channel: 'seo', order: 'o1' },
        { id: 't2', customer: 'a', at: '2026-03-10T11:00:00Z', channel: 'ads', order: 'o1' },
        { id: 'n1', anonymous: 'v1', at: '2026-03-12T12:00:00Z', channel: 'social' },
        { id: 'n2', anonymous: 'v2', at: '2026-03-13T12:00:00Z', channel: 'social' },
      ]);
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
