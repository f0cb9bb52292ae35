import type { Db } from '../../src/adapters/store/db.js';

export interface OrderFixture { id: string; customer: string; at: string; revenue: number }
export interface TouchFixture { id: string; customer?: string; anonymous?: string; at: string; channel: string; order?: string; device?: string; country?: string; campaign?: string }

/** Inserts orders and creates their customers with first_order_at = their earliest order. */
export async function insertOrders(db: Db, orders: readonly OrderFixture[], countries: Record<string, string> = {}): Promise<void> {
  const firstOrder = new Map<string, string>();
  for (const order of orders) {
    const seen = firstOrder.get(order.customer);
    if (!seen || new Date(order.at) < new Date(seen)) firstOrder.set(order.customer, order.at);
  }
  for (const [customer, at] of firstOrder) {
    await db.query('INSERT INTO customers (id, first_order_at, country) VALUES ($1, $2, $3)', [customer, at, countries[customer] ?? 'IT']);
  }
  for (const order of orders) {
    await db.query('INSERT INTO orders (id, customer_id, ordered_at, revenue) VALUES ($1, $2, $3, $4)', [order.id, order.customer, order.at, order.revenue]);
  }
}

export async function insertTouchpoints(db: Db, touches: readonly TouchFixture[]): Promise<void> {
  for (const touch of touches) {
    await db.query(
      `INSERT INTO touchpoints (id, customer_id, anonymous_id, at, channel, device, country, campaign, order_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [touch.id, touch.customer ?? null, touch.anonymous ?? (touch.customer ? null : `anon-${touch.id}`), touch.at, touch.channel, touch.device ?? 'desktop', touch.country ?? 'IT', touch.campaign ?? null, touch.order ?? null],
    );
  }
}
