import type { RfmSegmentMap } from '../../../analytics/rfm-segments.js';
import type { AsOf, OrderDimension, OrderSplit, SegmentData, SessionDimension, SessionSplit, TimeRange } from '../../../bot/data-port.js';
import type { Db } from '../db.js';
import { sqlParams } from '../sql-params.js';
import { historySource } from './rfm.js';
import { historySegmentOf, rfmCutsCte, segmentGridParam } from './rfm-scores.js';

// How each dimension keys an order. Channel is the order's last non-direct touch (direct only when
// every touch was direct), device its last touch's, country the customer's. Orders without a
// touch have no channel or device: "unknown". `start` is the placeholder of the range's start. The RFM
// segment is scored in its own statement (splitByRfmSegment).
const ORDER_KEYS: Record<Exclude<OrderDimension, 'rfm_segment'>, (start: string) => { key: string; join: string }> = {
  channel: () => ({
    key: "coalesce(touch.channel, 'unknown')",
    join: `LEFT JOIN LATERAL (SELECT t.channel FROM touchpoints t WHERE t.order_id = o.id
                               ORDER BY t.channel = 'direct', t.at DESC LIMIT 1) AS touch ON true`,
  }),
  device: () => ({
    key: "coalesce(touch.device, 'unknown')",
    join: 'LEFT JOIN LATERAL (SELECT t.device FROM touchpoints t WHERE t.order_id = o.id ORDER BY t.at DESC LIMIT 1) AS touch ON true',
  }),
  country: () => ({ key: "coalesce(c.country, 'unknown')", join: '' }),
  new_returning: (start) => ({ key: `CASE WHEN c.first_order_at < ${start} THEN 'returning' ELSE 'new' END`, join: '' }),
};

const SESSION_KEYS: Record<SessionDimension, string> = {
  channel: 'channel',
  device: "coalesce(device, 'unknown')",
  country: "coalesce(country, 'unknown')",
};

/** KPI inputs per segment over half-open ranges; the bot runs the significance tests. */
export function segmentQueries(db: Db): SegmentData {
  return {
    async ordersBy(range: TimeRange, dimension: OrderDimension, timeZone: string, segmentMap: RfmSegmentMap): Promise<OrderSplit[]> {
      if (dimension === 'rfm_segment') return splitByRfmSegment(db, range, timeZone, segmentMap);
      const p = sqlParams();
      const [start, end, zone] = [p.add(range.start), p.add(range.end), p.add(timeZone)];
      const rows = await db.query<SplitRow>(splitSql({ ...ORDER_KEYS[dimension](start), start, end, timeZone: zone }), p.values);
      return rows.map(toOrderSplit);
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

/**
 * Orders in the range split by the RFM segment each customer was in when the range began, scored in
 * the database as the rfm and churn commands score (rfm-scores.ts): every customer with an order
 * before the start counts towards the cut values, but only the range's buyers are given a segment.
 * Customers without an order before the start are "none".
 */
async function splitByRfmSegment(db: Db, range: TimeRange, timeZone: string, segmentMap: RfmSegmentMap): Promise<OrderSplit[]> {
  const atStart: AsOf = { end: range.start, isNow: false };
  const p = sqlParams();
  const { from, columns } = await historySource(db, atStart, p);
  // The orders before the start are aggregated once, then read for the count, the cuts and the join.
  const histories = `histories AS MATERIALIZED (
       SELECT s.customer_id, s.orders AS frequency, s.revenue_value AS m_value, ${columns()} FROM ${from} s
     ),
     ${rfmCutsCte('cuts', 'histories')}`;
  const rows = await db.query<SplitRow>(splitSql({
    before: histories,
    key: `coalesce(${historySegmentOf(p.add(segmentGridParam(segmentMap)), 'h', 'cut')}, 'none')`,
    join: 'LEFT JOIN histories h ON h.customer_id = o.customer_id CROSS JOIN cuts cut',
    start: p.add(range.start), end: p.add(range.end), timeZone: p.add(timeZone),
  }), p.values);
  return rows.map(toOrderSplit);
}

interface SplitRow {
  key: string;
  orders: number;
  revenue: number;
  revenue_squares: number;
  daily_revenue_squares: number;
  customers: number;
  returning_customers: number;
}

/**
 * The split of the orders placed in [start, end) (parameter names) by `key`, an expression over the
 * order `o`, its customer `c` and whatever `join` adds; `before` names CTEs the key reads.
 */
function splitSql(split: { key: string; join: string; start: string; end: string; timeZone: string; before?: string }): string {
  const { key, join, start, end, timeZone } = split;
  return `WITH ${split.before ? `${split.before},` : ''}
     keyed AS (
       SELECT ${key} AS key, o.customer_id, o.revenue::float8 AS revenue, (o.ordered_at AT TIME ZONE ${timeZone})::date AS day,
              coalesce(c.first_order_at < ${start}, false) AS is_returning
         FROM orders o JOIN customers c ON c.id = o.customer_id ${join}
        WHERE o.ordered_at >= ${start} AND o.ordered_at < ${end}
     ), daily AS (
       SELECT key, sum(revenue) AS revenue FROM keyed GROUP BY key, day
     )
     SELECT k.key, count(*)::int AS orders, sum(k.revenue)::float8 AS revenue, sum(k.revenue * k.revenue)::float8 AS revenue_squares,
            (SELECT sum(d.revenue * d.revenue) FROM daily d WHERE d.key = k.key)::float8 AS daily_revenue_squares,
            count(DISTINCT k.customer_id)::int AS customers,
            count(DISTINCT k.customer_id) FILTER (WHERE k.is_returning)::int AS returning_customers
       FROM keyed k GROUP BY k.key ORDER BY k.key`;
}

function toOrderSplit(row: SplitRow): OrderSplit {
  return {
    key: row.key, orders: row.orders, revenue: row.revenue, revenueSquares: row.revenue_squares,
    dailyRevenueSquares: row.daily_revenue_squares, customers: row.customers, returningCustomers: row.returning_customers,
  };
}
