import { beforeAll, describe, expect, it } from 'vitest';
import { orderDataVersion, rebuildSummaries, refreshSummaries } from '../../../src/adapters/store/queries/customer-summaries.js';
import { testDbKind, useTestDb } from '../../support/db.js';
import { insertOrders } from '../../support/fixtures.js';

interface SummaryRow { customer_id: string; first_order_at: Date; last_order_at: Date; orders: number; purchase_days: number; revenue: number; first_day_revenue: number }

describe(`customer summaries on ${testDbKind}`, () => {
  const test = useTestDb();
  const summaries = async () => test.db.query<SummaryRow>('SELECT * FROM customer_summaries ORDER BY customer_id');
  const summaryOf = async (id: string) => (await summaries()).find((row) => row.customer_id === id);
  const dirty = async () => (await test.db.query<{ customer_id: string }>('SELECT customer_id FROM dirty_customers ORDER BY 1')).map((row) => row.customer_id);

  beforeAll(async () => {
    await insertOrders(test.db, [
      // a: two orders on 1 Jan (one purchase day worth 100 + 50 = 150), one on 5 Jan (30): 3 orders, 2 days, 180
      { id: 'o1', customer: 'a', at: '2026-01-01T10:00:00Z', revenue: 100 },
      { id: 'o2', customer: 'a', at: '2026-01-01T20:00:00Z', revenue: 50 },
      { id: 'o3', customer: 'a', at: '2026-01-05T09:00:00Z', revenue: 30 },
      // b: one order of 40; c and d make four customers, so one dirty customer is a partial refresh
      { id: 'o4', customer: 'b', at: '2026-01-03T12:00:00Z', revenue: 40 },
      { id: 'o5', customer: 'c', at: '2026-01-02T12:00:00Z', revenue: 5 },
      { id: 'o6', customer: 'd', at: '2026-01-02T12:00:00Z', revenue: 6 },
    ]);
  });

  it('summarises orders per customer with purchase days counted as distinct UTC days', async () => {
    expect(await dirty()).toEqual(['a', 'b', 'c', 'd']);
    await refreshSummaries(test.db);
    expect(await dirty()).toEqual([]);
    // Repeat mean value: (180 − 150) / (2 − 1) purchase days = 30.
    expect(await summaryOf('a')).toMatchObject({
      customer_id: 'a', first_order_at: new Date('2026-01-01T10:00:00Z'), last_order_at: new Date('2026-01-05T09:00:00Z'),
      orders: 3, purchase_days: 2, revenue: 180, first_day_revenue: 150, revenue_value: 180, repeat_mean_value: 30,
    });
    const [days] = await test.db.query<{ first: string; last: string }>(
      "SELECT first_order_day::text AS first, last_order_day::text AS last FROM customer_summaries WHERE customer_id = 'a'");
    expect(days).toEqual({ first: '2026-01-01', last: '2026-01-05' });
    expect(await summaryOf('b')).toMatchObject({ orders: 1, purchase_days: 1, revenue: 40, first_day_revenue: 40 });
  });

  it('marks only the customer of a late order and moves the first order back to it', async () => {
    await refreshSummaries(test.db);
    const versionBefore = await orderDataVersion(test.db);
    // An order from last December arrives late for b: first day 2025-12-20 worth 10; 2 orders, 2 days, 10 + 40 = 50.
    await test.db.query(`INSERT INTO orders (id, customer_id, ordered_at, revenue) VALUES ('late', 'b', '2025-12-20T08:00:00Z', 10)`);
    expect(await dirty()).toEqual(['b']);
    expect(await orderDataVersion(test.db)).toBe(versionBefore + 1);
    await refreshSummaries(test.db);
    expect(await summaryOf('b')).toMatchObject({
      first_order_at: new Date('2025-12-20T08:00:00Z'), last_order_at: new Date('2026-01-03T12:00:00Z'),
      orders: 2, purchase_days: 2, revenue: 50, first_day_revenue: 10, revenue_value: 50, repeat_mean_value: 40,
    });
    expect(await summaryOf('a')).toMatchObject({ revenue: 180 });
  });

  it('follows a corrected revenue and an order moved to another customer', async () => {
    await refreshSummaries(test.db);
    // o3 corrected from 30 to 70: a = 100 + 50 + 70 = 220, first day still 150.
    await test.db.query(`UPDATE orders SET revenue = 70 WHERE id = 'o3'`);
    await refreshSummaries(test.db);
    expect(await summaryOf('a')).toMatchObject({ orders: 3, purchase_days: 2, revenue: 220, first_day_revenue: 150 });
    // o2 (50 on 1 Jan) belonged to c, not a: a = 100 + 70 = 170 with first day 100; c = 5 + 50 = 55, first day 2 Jan = 5.
    await test.db.query(`UPDATE orders SET customer_id = 'c' WHERE id = 'o2'`);
    expect(await dirty()).toEqual(['a', 'c']);
    await refreshSummaries(test.db);
    expect(await summaryOf('a')).toMatchObject({ orders: 2, purchase_days: 2, revenue: 170, first_day_revenue: 100 });
    expect(await summaryOf('c')).toMatchObject({
      first_order_at: new Date('2026-01-01T20:00:00Z'), orders: 2, purchase_days: 2, revenue: 55, first_day_revenue: 50,
    });
  });

  it('drops the summary of a customer whose every order was deleted', async () => {
    await refreshSummaries(test.db);
    expect((await summaries()).map((row) => row.customer_id)).toEqual(['a', 'b', 'c', 'd']);
    await test.db.query(`DELETE FROM orders WHERE customer_id = 'd'`);
    await refreshSummaries(test.db);
    expect((await summaries()).map((row) => row.customer_id)).toEqual(['a', 'b', 'c']);
  });

  it('agrees with a full rebuild after a late order, a corrected revenue, a moved order and a deleted customer', async () => {
    await refreshSummaries(test.db);
    await test.db.query(`INSERT INTO orders (id, customer_id, ordered_at, revenue) VALUES ('late', 'b', '2025-12-20T08:00:00Z', 10)`);
    await test.db.query(`UPDATE orders SET revenue = 70 WHERE id = 'o3'`);
    await test.db.query(`UPDATE orders SET customer_id = 'c' WHERE id = 'o2'`);
    await test.db.query(`DELETE FROM orders WHERE customer_id = 'd'`);
    await refreshSummaries(test.db);
    const incremental = await summaries();
    expect(incremental.map((row) => [row.customer_id, row.orders, row.revenue])).toEqual([['a', 2, 170], ['b', 2, 50], ['c', 2, 55]]);
    await rebuildSummaries(test.db);
    expect(await summaries()).toEqual(incremental);
  });

  it('forgets every summary when orders are truncated', async () => {
    await refreshSummaries(test.db);
    expect(await summaries()).toHaveLength(4);
    await test.db.exec('TRUNCATE orders CASCADE');
    await refreshSummaries(test.db);
    expect(await summaries()).toEqual([]);
  });

  it('keeps no mark from a transaction that rolled back', async () => {
    await refreshSummaries(test.db);
    await test.db.query(`INSERT INTO customers (id) VALUES ('e') ON CONFLICT DO NOTHING`);
    await expect(test.db.transaction(async (tx) => {
      await tx.query(`INSERT INTO orders (id, customer_id, ordered_at, revenue) VALUES ('o7', 'e', '2026-01-09T00:00:00Z', 7)`);
      throw new Error('rolled back on purpose');
    })).rejects.toThrow('rolled back on purpose');
    expect(await dirty()).toEqual([]);
  });
});
