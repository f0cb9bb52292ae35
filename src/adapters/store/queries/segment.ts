import type { OrderDimension, OrderSplit, SegmentData, SessionDimension, SessionSplit, TimeRange } from '../../../bot/data-port.js';
import type { Db } from '../db.js';

// How each dimension keys an order. Channel is the order's last non-direct touch (direct only when
// every touch was direct), device its last touch's, country the customer's. Orders without a
// touch have no channel or device: "unknown".
const ORDER_KEYS: Record<OrderDimension, { key: string; join: string }> = {
  channel: {
    key: "coalesce(touch.channel, 'unknown')",
    join: `LEFT JOIN LATERAL (SELECT t.channel FROM touchpoints t WHERE t.order_id = o.id
                               ORDER BY t.channel = 'direct', t.at DESC LIMIT 1) AS touch ON true`,
  },
  device: {
    key: "coalesce(touch.device, 'unknown')",
    join: 'LEFT JOIN LATERAL (SELECT t.device FROM touchpoints t WHERE t.order_id = o.id ORDER BY t.at DESC LIMIT 1) AS touch ON true',
  },
  country: { key: "coalesce(c.country, 'unknown')", join: '' },
  new_returning: { key: "CASE WHEN c.first_order_at < $1 THEN 'returning' ELSE 'new' END", join: '' },
  rfm_segment: {
    key: "coalesce(seg.segment_id, 'none')",
    join: 'LEFT JOIN unnest($4::text[], $5::text[]) AS seg (customer_id, segment_id) ON seg.customer_id = o.customer_id',
  },
};

const SESSION_KEYS: Record<SessionDimension, string> = {
  channel: 'channel',
  device: "coalesce(device, 'unknown')",
  country: "coalesce(country, 'unknown')",
};

/** KPI inputs per segment over half-open ranges; the bot runs the significance tests. */
export function segmentQueries(db: Db): SegmentData {
  return {
    async ordersBy(range: TimeRange, dimension: OrderDimension, timeZone: string, segmentOf?: ReadonlyMap<string, string>): Promise<OrderSplit[]> {
      const { key, join } = ORDER_KEYS[dimension];
      const params: unknown[] = [range.start, range.end, timeZone];
      if (dimension === 'rfm_segment') params.push([...(segmentOf ?? new Map()).keys()], [...(segmentOf ?? new Map()).values()]);
      const rows = await db.query<{
        key: string; orders: number; revenue: number; revenue_squares: number; daily_revenue_squares: number; customers: number; returning_customers: number;
      }>(
        `WITH keyed AS (
           SELECT ${key} AS key, o.customer_id, o.revenue::float8 AS revenue, (o.ordered_at AT TIME ZONE $3)::date AS day,
                  coalesce(c.first_order_at < $1, false) AS is_returning
             FROM orders o JOIN customers c ON c.id = o.customer_id ${join}
            WHERE o.ordered_at >= $1 AND o.ordered_at < $2
         ), daily AS (
           SELECT key, sum(revenue) AS revenue FROM keyed GROUP BY key, day
         )
         SELECT k.key, count(*)::int AS orders, sum(k.revenue)::float8 AS revenue, sum(k.revenue * k.revenue)::float8 AS revenue_squares,
                (SELECT sum(d.revenue * d.revenue) FROM daily d WHERE d.key = k.key)::float8 AS daily_revenue_squares,
                count(DISTINCT k.customer_id)::int AS customers,
                count(DISTINCT k.customer_id) FILTER (WHERE k.is_returning)::int AS returning_customers
           FROM keyed k GROUP BY k.key ORDER BY k.key`,
        params,
      );
      return rows.map((row) => ({
        key: row.key, orders: row.orders, revenue: row.revenue, revenueSquares: row.revenue_squares,
        dailyRevenueSquares: row.daily_revenue_squares, customers: row.customers, returningCustomers: row.returning_customers,
      }));
    },

    async sessionsBy(range: TimeRange, dimension: SessionDimension): Promise<SessionSplit[]> {
      const rows = await db.query<{ key: string; sessions: number; converted: number }>(
        `SELECT ${SESSION_KEYS[dimension]} AS key, count(*)::int AS sessions, count(order_id)::int AS converted
           FROM touchpoints WHERE at >= $1 AND at < $2 GROUP BY 1 ORDER BY 1`,
        [range.start, range.end],
      );
      return rows.map((row) => ({ key: row.key, sessions: row.sessions, convertedSessions: row.converted }));
    },
  };
}
