import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../../src/adapters/store/db.js';
import { refreshJourneys } from '../../../../src/adapters/store/queries/order-journeys.js';
import { seedDemo } from '../../../../src/adapters/store/seed/seed-demo.js';
import type { SeedDemoOutcome } from '../../../../src/adapters/store/seed/seed-demo.js';
import { DATA_TABLES } from '../../../../src/adapters/store/seed/seed-writer.js';
import { testDbKind, useTestDb } from '../../../support/db.js';

const END = new Date('2026-11-26T11:00:00Z');
const SMALL = { customers: 400, end: END };

/** Row count and a digest of every row per data table, so "identical" means identical content. */
async function fingerprint(db: Db): Promise<Record<string, { rows: number; digest: string }>> {
  const entries = await Promise.all(DATA_TABLES.map(async (table) => {
    const [row] = await db.query<{ rows: number; digest: string }>(
      `SELECT count(*) AS rows, md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS digest FROM ${table} AS t`);
    return [table, row ?? { rows: -1, digest: '' }] as const;
  }));
  return Object.fromEntries(entries);
}

describe(`seedDemo on ${testDbKind}`, () => {
  const test = useTestDb();
  let first: SeedDemoOutcome;
  let firstPrint: Awaited<ReturnType<typeof fingerprint>>;
  const stages = new Set<string>();

  beforeAll(async () => {
    first = await seedDemo(test.db, { ...SMALL, replace: true, onProgress: (progress) => stages.add(progress.stage) });
    firstPrint = await fingerprint(test.db);
  });

  it('reports the rows it wrote, table by table, and every stage of its progress', async () => {
    expect(first.seeded).toBe(true);
    if (!first.seeded) return;
    for (const table of DATA_TABLES) expect(first.rows[table], table).toBe(firstPrint[table]?.rows);
    expect(first.rows.customers).toBe(400);
    expect([...stages]).toEqual(['customers', 'visitors', 'analytics', 'pagespeed', 'changes', 'spend']);
  });

  it('refuses to seed a shop that already has orders and says how many', async () => {
    const again = await seedDemo(test.db, SMALL);
    expect(again).toEqual({ seeded: false, reason: 'already_seeded', existingOrders: firstPrint.orders?.rows });
    expect(await fingerprint(test.db)).toEqual(firstPrint);
  });

  it('leaves the previous shop untouched when a replacing seed fails half-way', async () => {
    const failing = seedDemo(test.db, { ...SMALL, seed: 9, replace: true, onProgress: (progress) => {
      if (progress.stage === 'visitors') throw new Error('interrupted');
    } });
    await expect(failing).rejects.toThrow('interrupted');
    expect(await fingerprint(test.db)).toEqual(firstPrint);
  });

  it('rebuilds the identical shop from the same seed and a different one from another seed', async () => {
    await seedDemo(test.db, { ...SMALL, replace: true });
    expect(await fingerprint(test.db)).toEqual(firstPrint);
    await seedDemo(test.db, { ...SMALL, seed: 7, replace: true });
    const other = await fingerprint(test.db);
    expect(other.orders?.digest).not.toBe(firstPrint.orders?.digest);
    expect(other.touchpoints?.digest).not.toBe(firstPrint.touchpoints?.digest);
    await seedDemo(test.db, { ...SMALL, replace: true });
  });

  it("labels every amount it writes with the shop's currency", async () => {
    await seedDemo(test.db, { ...SMALL, replace: true, currency: 'GBP' });
    const labels = await test.db.query(`SELECT 'orders' AS t, array_agg(DISTINCT currency) AS currencies FROM orders
      UNION ALL SELECT 'spend', array_agg(DISTINCT currency) FROM spend UNION ALL SELECT 'budgets', array_agg(DISTINCT currency) FROM budgets`);
    expect(labels).toEqual([{ t: 'orders', currencies: ['GBP'] }, { t: 'spend', currencies: ['GBP'] }, { t: 'budgets', currencies: ['GBP'] }]);
    await seedDemo(test.db, { ...SMALL, replace: true });
  });

  it('has a heavy tail of purchases: most customers buy once, a few buy many times', async () => {
    const [tail] = await test.db.query<{ one_time: number; max_orders: number; customers: number }>(`
      SELECT avg((orders = 1)::int)::float8 AS one_time, max(orders) AS max_orders, count(*) AS customers
      FROM (SELECT customer_id, count(*) AS orders FROM orders GROUP BY customer_id) AS per_customer`);
    expect(tail?.customers).toBe(400);
    expect(tail?.one_time).toBeGreaterThan(0.5);
    expect(tail?.max_orders).toBeGreaterThanOrEqual(8);
  });

  it('spreads two years of orders with a November/December peak and growth year over year', async () => {
    const [spread] = await test.db.query<{ first: Date; nov_dec: number; feb_mar: number; last_year: number; year_before: number }>(`
      SELECT min(ordered_at) AS first,
        count(*) FILTER (WHERE ordered_at >= '2025-11-01' AND ordered_at < '2026-01-01') AS nov_dec,
        count(*) FILTER (WHERE ordered_at >= '2026-02-01' AND ordered_at < '2026-04-01') AS feb_mar,
        count(*) FILTER (WHERE ordered_at >= '2025-11-26' AND ordered_at < '2026-11-26') AS last_year,
        count(*) FILTER (WHERE ordered_at >= '2024-11-26' AND ordered_at < '2025-11-26') AS year_before
      FROM orders`);
    expect(spread?.first.getTime()).toBeGreaterThanOrEqual(Date.parse('2024-11-28'));
    expect(spread?.first.getTime()).toBeLessThan(Date.parse('2025-01-01'));
    expect(spread?.nov_dec).toBeGreaterThan(1.2 * (spread?.feb_mar ?? 0));
    expect(spread?.last_year).toBeGreaterThan(spread?.year_before ?? 0);
  });

  it("gives every order a converting session that names it, signed in as its customer, and a journey in the 30 days before it", async () => {
    const bad = await test.db.query(`
      SELECT o.id, count(t.id) AS sessions FROM orders o LEFT JOIN touchpoints t ON t.order_id = o.id
      GROUP BY o.id, o.ordered_at, o.customer_id
      HAVING count(t.id) <> 1 OR max(t.at) > o.ordered_at OR min(t.at) < o.ordered_at - interval '90 minutes'
        OR bool_or(t.customer_id IS DISTINCT FROM o.customer_id OR t.anonymous_id IS NULL)`);
    expect(bad).toEqual([]);
    await refreshJourneys(test.db);
    const [journeys] = await test.db.query<{ untouched: number; oldest: number; longer: number }>(`
      SELECT count(*) FILTER (WHERE ages IS NULL)::int AS untouched,
             max((SELECT max(age::int) FROM unnest(string_to_array(ages, ',')) AS age))::int AS oldest,
             count(*) FILTER (WHERE position(',' IN ages) > 0)::int AS longer
        FROM order_journeys`);
    expect(journeys?.untouched).toBe(0);
    expect(journeys?.oldest).toBeLessThanOrEqual(30);
    // The visits before the converting session are found by the visitor id they share with it.
    expect(journeys?.longer).toBeGreaterThan(0);
  });

  it('credits analytics with 80-92 % of backend orders on normal days (not the outage day)', async () => {
    const [capture] = await test.db.query<{ rate: number }>(`
      SELECT (SELECT sum(conversions) FROM reported_conversions WHERE day <> '2026-11-23')
        / (SELECT count(*) FROM orders WHERE ordered_at::date <> '2026-11-23')::float8 AS rate`);
    expect(capture?.rate).toBeGreaterThan(0.8);
    expect(capture?.rate).toBeLessThan(0.92);
  });

  it('converts 1.5-3 % of recent sessions and keeps anonymous journeys that never convert', async () => {
    const [recent] = await test.db.query<{ rate: number; visitors: number; anonymous_visits: number }>(`
      SELECT (SELECT count(*) FROM orders WHERE ordered_at >= '2026-11-13')
          / (SELECT count(*) FROM touchpoints WHERE at >= '2026-11-13')::float8 AS rate,
        (SELECT count(DISTINCT anonymous_id) FROM touchpoints t WHERE NOT EXISTS (
           SELECT 1 FROM touchpoints seen WHERE seen.anonymous_id = t.anonymous_id AND (seen.customer_id IS NOT NULL OR seen.order_id IS NOT NULL))) AS visitors,
        (SELECT count(*) FROM touchpoints WHERE customer_id IS NULL AND order_id IS NULL) AS anonymous_visits`);
    expect(recent?.rate).toBeGreaterThan(0.015);
    expect(recent?.rate).toBeLessThan(0.03);
    expect(recent?.visitors).toBeGreaterThan(0);
    expect(recent?.anonymous_visits).toBeGreaterThan(recent?.visitors ?? 0);
  });
});
