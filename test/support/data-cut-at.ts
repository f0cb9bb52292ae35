import type { Db } from '../../src/adapters/store/db.js';

/**
 * The shop's data as it stood at `end` (the first instant after the as-of day `day`, YYYY-MM-DD, in
 * the zone asked): every row dated at or after it deleted, as if the same rows had been imported only
 * up to then. Run inside a test's transaction, so the rollback brings them back. Budgets are plans,
 * not data dated by when they happened, and stay.
 */
export async function cutDataAt(db: Db, end: Date, day: string): Promise<void> {
  await db.query('DELETE FROM touchpoints WHERE at >= $1', [end]);
  await db.query('DELETE FROM orders WHERE ordered_at >= $1', [end]);
  await db.query('DELETE FROM customers c WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.id) AND (c.first_order_at IS NULL OR c.first_order_at >= $1)', [end]);
  await db.query('DELETE FROM tracking_events WHERE hour >= $1', [end]);
  await db.query('DELETE FROM pagespeed_runs WHERE at >= $1', [end]);
  await db.query('DELETE FROM changes WHERE at >= $1', [end]);
  await db.query('DELETE FROM reported_conversions WHERE day > $1::date', [day]);
  await db.query('DELETE FROM spend WHERE day > $1::date', [day]);
}
