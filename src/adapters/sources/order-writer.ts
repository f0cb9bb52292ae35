import type { Db } from '../store/db.js';
import type { ShopCurrency } from './exchange-rates.js';
import { toShopCurrency } from './exchange-rates.js';
import { upsertRows } from './upsert-rows.js';

/** One order of the data contract as a source delivers it (revenue in `currency`). */
export interface OrderRow {
  id: string;
  customerId: string;
  orderedAt: Date;
  revenue: number;
  currency: string;
}

export interface OrdersWritten {
  /** Orders inserted or changed; an order read again unchanged counts 0. */
  written: number;
  customersCreated: number;
}

const ORDER_COLUMNS = [
  { name: 'id', type: 'text' }, { name: 'customer_id', type: 'text' }, { name: 'ordered_at', type: 'timestamptz' },
  { name: 'revenue', type: 'numeric' }, { name: 'currency', type: 'text' },
] as const;

/**
 * The orders in the shop's currency (see toShopCurrency), and those refused with the reason:
 * what every order source runs before writeOrders.
 */
export async function convertOrders(db: Db, rows: readonly OrderRow[], shop: ShopCurrency): Promise<{ accepted: OrderRow[]; refused: { row: OrderRow; reason: string }[] }> {
  const conversions = await toShopCurrency(db, rows.map((row) => ({ amount: row.revenue, currency: row.currency, at: row.orderedAt })), shop);
  const accepted: OrderRow[] = [];
  const refused: { row: OrderRow; reason: string }[] = [];
  rows.forEach((row, index) => {
    const conversion = conversions[index]!;
    if (conversion.ok) accepted.push({ ...row, revenue: conversion.amount, currency: shop.currency });
    else refused.push({ row, reason: conversion.reason });
  });
  return { accepted, refused };
}

/** The first refused order and how many more, for a source's failure message. */
export function describeRefusals(refused: readonly { row: OrderRow; reason: string }[]): string {
  const [first] = refused;
  if (!first) return 'no order refused';
  return `order ${first.row.id}: ${first.reason}${refused.length > 1 ? ` (and ${refused.length - 1} more orders)` : ''}`;
}

/**
 * Inserts or updates orders (by id), creating the customers they name; each customer's
 * first_order_at follows its earliest order. Re-writing the same orders changes nothing.
 */
export async function writeOrders(db: Db, rows: readonly OrderRow[]): Promise<OrdersWritten> {
  if (rows.length === 0) return { written: 0, customersCreated: 0 };
  const [created] = await db.query<{ created: number }>(
    `WITH added AS (INSERT INTO customers (id, first_order_at) SELECT id, min(at) FROM unnest($1::text[], $2::timestamptz[]) AS t(id, at) GROUP BY id ON CONFLICT (id) DO NOTHING RETURNING 1)
     SELECT count(*)::int AS created FROM added`,
    [rows.map((row) => row.customerId), rows.map((row) => row.orderedAt.toISOString())],
  );
  const written = await upsertRows(db, 'orders', ORDER_COLUMNS, ['id'], rows.map((row) => [row.id, row.customerId, row.orderedAt, row.revenue, row.currency]));
  await refreshFirstOrders(db, rows.map((row) => row.customerId));
  return { written, customersCreated: created?.created ?? 0 };
}

/** Deletes orders a source reports gone (cancelled, test orders); returns how many there were. */
export async function removeOrders(db: Db, ids: readonly string[]): Promise<number> {
  if (ids.length === 0) return 0;
  const removed = await db.query<{ customer_id: string }>('DELETE FROM orders WHERE id = ANY($1::text[]) RETURNING customer_id', [ids]);
  await refreshFirstOrders(db, removed.map((row) => row.customer_id));
  return removed.length;
}

/** first_order_at = the customer's earliest order (NULL once none is left). */
async function refreshFirstOrders(db: Db, customerIds: readonly string[]): Promise<void> {
  if (customerIds.length === 0) return;
  await db.query(
    `UPDATE customers c SET first_order_at = (SELECT min(o.ordered_at) FROM orders o WHERE o.customer_id = c.id)
      WHERE c.id = ANY($1::text[]) AND c.first_order_at IS DISTINCT FROM (SELECT min(o.ordered_at) FROM orders o WHERE o.customer_id = c.id)`,
    [[...new Set(customerIds)]],
  );
}
