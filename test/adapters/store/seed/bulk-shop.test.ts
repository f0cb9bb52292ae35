import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../../src/adapters/store/db.js';
import { refreshJourneys } from '../../../../src/adapters/store/queries/order-journeys.js';
import { seedBulkShop } from '../../../../src/adapters/store/seed/bulk-shop.js';
import type { BulkShopRows } from '../../../../src/adapters/store/seed/bulk-shop.js';
import { testDbKind, useTestDb } from '../../../support/db.js';

const END = new Date('2026-11-26T09:00:00Z');
const CUSTOMERS = 1500;

async function digest(db: Db, table: string): Promise<string> {
  const [row] = await db.query<{ digest: string }>(`SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS digest FROM ${table} AS t`);
  return row?.digest ?? '';
}

const indexNames = async (db: Db) => (await db.query<{ name: string }>(
  `SELECT indexname AS name FROM pg_indexes WHERE schemaname = current_schema() AND tablename IN ('customers', 'orders', 'touchpoints') ORDER BY 1`,
)).map((row) => row.name);

describe(`seedBulkShop on ${testDbKind}`, () => {
  const test = useTestDb();
  let rows: BulkShopRows;
  let indexesBefore: string[];
  const steps: string[] = [];

  beforeAll(async () => {
    indexesBefore = await indexNames(test.db);
    rows = await seedBulkShop(test.db, { end: END, customers: CUSTOMERS, seed: 7, onProgress: (step) => steps.push(step) });
  });

  it('writes the shape the benchmark names: about 10 orders and 20 touchpoints per customer', () => {
    expect(rows.customers).toBe(CUSTOMERS);
    expect(rows.orders / CUSTOMERS).toBeGreaterThan(7);
    expect(rows.orders / CUSTOMERS).toBeLessThan(14);
    expect(rows.touchpoints / rows.orders).toBeGreaterThan(1.7);
    expect(rows.touchpoints / rows.orders).toBeLessThan(2.4);
    expect(rows.rows.spend).toBeGreaterThan(0);
    expect(rows.rows.reported_conversions).toBeGreaterThan(0);
    expect(steps).toEqual(['customers', 'orders', 'touchpoints', 'visitors', 'analytics', 'indexes']);
  });

  it("gives every order one converting session 2-90 minutes before it, signed in on the customer's browser and naming the order", async () => {
    const [shape] = await test.db.query<{ orders: number; fewest: number; most: number; late: number; strangers: number }>(
      `SELECT count(*)::int AS orders, min(sessions)::int AS fewest, max(sessions)::int AS most,
              count(*) FILTER (WHERE newest < ordered_at - interval '90 minutes' OR newest > ordered_at - interval '2 minutes')::int AS late,
              count(*) FILTER (WHERE strangers > 0)::int AS strangers
         FROM (SELECT o.ordered_at, count(t.id) AS sessions, max(t.at) AS newest,
                      count(*) FILTER (WHERE t.customer_id <> o.customer_id OR t.anonymous_id <> 'd' || substr(o.customer_id, 2)) AS strangers
                 FROM orders o LEFT JOIN touchpoints t ON t.order_id = o.id GROUP BY o.id, o.ordered_at) AS journeys`);
    expect(shape).toEqual({ orders: rows.orders, fewest: 1, most: 1, late: 0, strangers: 0 });
    const [first] = await test.db.query<{ mismatched: number }>(
      `SELECT count(*)::int AS mismatched FROM customers c
         JOIN (SELECT customer_id, min(ordered_at) AS first_at FROM orders GROUP BY 1) o ON o.customer_id = c.id
        WHERE o.first_at <> c.first_order_at`);
    expect(first?.mismatched).toBe(0);
  });

  it("puts each visit from a customer's browser in a journey of theirs and other devices' visits in browsing journeys", async () => {
    await refreshJourneys(test.db);
    const [counted] = await test.db.query<{ browser: number; anonymous: number; signed_in: number; journeys: number; in_journeys: number; oldest: number; other_devices: number; other_journeys: number }>(
      `SELECT (SELECT count(*) FROM touchpoints WHERE anonymous_id LIKE 'd%')::int AS browser,
              (SELECT count(*) FROM touchpoints WHERE anonymous_id LIKE 'd%' AND customer_id IS NULL)::int AS anonymous,
              (SELECT count(*) FROM touchpoints WHERE anonymous_id LIKE 'd%' AND customer_id IS NOT NULL AND order_id IS NULL)::int AS signed_in,
              (SELECT count(*) FROM order_journeys WHERE ages IS NOT NULL)::int AS journeys,
              (SELECT sum(cardinality(string_to_array(ages, ','))) FROM order_journeys)::int AS in_journeys,
              (SELECT max(age::int) FROM order_journeys, unnest(string_to_array(ages, ',')) AS age)::int AS oldest,
              (SELECT count(*) FROM touchpoints WHERE anonymous_id LIKE 'x%')::int AS other_devices,
              (SELECT count(*) FROM browsing_journeys WHERE identity LIKE 'a:x%')::int AS other_journeys`);
    expect(counted?.journeys).toBe(rows.orders);
    expect(counted?.in_journeys).toBe(counted?.browser);
    expect(counted?.oldest).toBeLessThanOrEqual(30);
    expect(counted?.other_journeys).toBe(counted?.other_devices);
    // Of the visits before a converting session (0.8 per order), most are anonymous, a fifth signed in, an eighth from another device.
    const earlier = rows.orders * 0.8;
    expect(counted?.anonymous).toBeGreaterThan(0.55 * earlier);
    expect(counted?.signed_in).toBeGreaterThan(0.15 * earlier);
    expect(counted?.other_devices).toBeGreaterThan(0.08 * earlier);
  });

  it('writes orders as a shop receives them: ids rise with time, and touches are written in time order', async () => {
    const [order] = await test.db.query<{ out_of_order: number }>(
      `SELECT count(*)::int AS out_of_order FROM (SELECT ordered_at, lag(ordered_at) OVER (ORDER BY id) AS previous FROM orders) AS o
        WHERE ordered_at < previous`);
    expect(order?.out_of_order).toBe(0);
    const [touch] = await test.db.query<{ out_of_order: number }>(
      `SELECT count(*)::int AS out_of_order FROM (SELECT at, lag(at) OVER (ORDER BY id) AS previous FROM touchpoints WHERE order_id IS NOT NULL) AS t
        WHERE at < previous`);
    expect(touch?.out_of_order).toBe(0);
  });

  it('leaves the triggers on and every index back, so later writes keep the summaries correct', async () => {
    expect(await indexNames(test.db)).toEqual(indexesBefore);
    await test.db.exec('DELETE FROM dirty_customers');
    await test.db.query(`INSERT INTO orders (id, customer_id, ordered_at, revenue) VALUES ('late-1', 'c00000001', $1, 10)`, [END]);
    const dirty = await test.db.query<{ customer_id: string }>('SELECT customer_id FROM dirty_customers');
    expect(dirty).toEqual([{ customer_id: 'c00000001' }]);
    await test.db.exec(`DELETE FROM orders WHERE id = 'late-1'`);
  });

  it('writes the same rows again for the same seed', async () => {
    const before = { orders: await digest(test.db, 'orders'), touchpoints: await digest(test.db, 'touchpoints') };
    await seedBulkShop(test.db, { end: END, customers: CUSTOMERS, seed: 7 });
    expect({ orders: await digest(test.db, 'orders'), touchpoints: await digest(test.db, 'touchpoints') }).toEqual(before);
  });

  it('keeps the previous shop when a run fails half-way', async () => {
    const ordersBefore = await digest(test.db, 'orders');
    const failing = seedBulkShop(test.db, { end: END, customers: 50, seed: 8, onProgress: (step) => {
      if (step === 'touchpoints') throw new Error('interrupted');
    } });
    await expect(failing).rejects.toThrow('interrupted');
    expect(await digest(test.db, 'orders')).toBe(ordersBefore);
    expect(await indexNames(test.db)).toEqual(indexesBefore);
  });
});
