import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../../src/adapters/store/db.js';
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

  it('gives every order 1-6 touches in the 30 days before it, the last one 2-90 minutes before', async () => {
    const [shape] = await test.db.query<{ orders: number; fewest: number; most: number; outside: number; late_last: number }>(
      `SELECT count(*)::int AS orders, min(touches)::int AS fewest, max(touches)::int AS most,
              count(*) FILTER (WHERE oldest < ordered_at - interval '30 days' OR newest > ordered_at)::int AS outside,
              count(*) FILTER (WHERE newest < ordered_at - interval '90 minutes' OR newest > ordered_at - interval '2 minutes')::int AS late_last
         FROM (SELECT o.ordered_at, count(t.id) AS touches, min(t.at) AS oldest, max(t.at) AS newest
                 FROM orders o LEFT JOIN touchpoints t ON t.order_id = o.id GROUP BY o.id, o.ordered_at) AS journeys`);
    expect(shape).toEqual({ orders: rows.orders, fewest: 1, most: 6, outside: 0, late_last: 0 });
    const [first] = await test.db.query<{ mismatched: number }>(
      `SELECT count(*)::int AS mismatched FROM customers c
         JOIN (SELECT customer_id, min(ordered_at) AS first_at FROM orders GROUP BY 1) o ON o.customer_id = c.id
        WHERE o.first_at <> c.first_order_at`);
    expect(first?.mismatched).toBe(0);
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
