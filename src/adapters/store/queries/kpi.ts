import type { DailyActivity, DailyRevenue, KpiData, KpiTotals, TimeRange } from '../../../bot/data-port.js';
import type { Db } from '../db.js';

/** KPI aggregates over orders and touchpoints; ranges are half-open [start, end). */
export function kpiQueries(db: Db): KpiData {
  return {
    async kpiTotals(range: TimeRange): Promise<KpiTotals> {
      const [orders] = await db.query<{ revenue: number; orders: number; customers: number; new_customers: number }>(
        `SELECT coalesce(sum(o.revenue), 0)::float8 AS revenue,
                count(*)::int AS orders,
                count(DISTINCT o.customer_id)::int AS customers,
                count(DISTINCT o.customer_id) FILTER (WHERE c.first_order_at >= $1 AND c.first_order_at < $2)::int AS new_customers
           FROM orders o JOIN customers c ON c.id = o.customer_id
          WHERE o.ordered_at >= $1 AND o.ordered_at < $2`,
        [range.start, range.end],
      );
      const [visits] = await db.query<{ sessions: number }>(
        'SELECT count(*)::int AS sessions FROM touchpoints WHERE at >= $1 AND at < $2',
        [range.start, range.end],
      );
      const totals = orders ?? { revenue: 0, orders: 0, customers: 0, new_customers: 0 };
      return {
        revenue: totals.revenue,
        orders: totals.orders,
        sessions: visits?.sessions ?? 0,
        customers: totals.customers,
        newCustomers: totals.new_customers,
        returningCustomers: totals.customers - totals.new_customers,
      };
    },

    /** One row per calendar day of the range in `timeZone`, days without orders included as zero. */
    async dailyRevenue(range: TimeRange, timeZone: string): Promise<DailyRevenue[]> {
      return db.query<{ day: string; revenue: number; orders: number }>(
        `WITH per_day AS (
           SELECT (ordered_at AT TIME ZONE $3)::date AS day, sum(revenue)::float8 AS revenue, count(*)::int AS orders
             FROM orders WHERE ordered_at >= $1 AND ordered_at < $2 GROUP BY 1
         ), days AS (
           SELECT generate_series(($1::timestamptz AT TIME ZONE $3)::date,
                                  (($2::timestamptz - interval '1 millisecond') AT TIME ZONE $3)::date,
                                  interval '1 day')::date AS day
         )
         SELECT to_char(days.day, 'YYYY-MM-DD') AS day, coalesce(per_day.revenue, 0)::float8 AS revenue, coalesce(per_day.orders, 0)::int AS orders
           FROM days LEFT JOIN per_day USING (day) ORDER BY days.day`,
        [range.start, range.end, timeZone],
      );
    },

    async dailyActivity(range: TimeRange, timeZone: string): Promise<DailyActivity[]> {
      return db.query<DailyActivity>(
        `WITH per_day AS (
           SELECT (ordered_at AT TIME ZONE $3)::date AS day, sum(revenue)::float8 AS revenue, count(*)::int AS orders
             FROM orders WHERE ordered_at >= $1 AND ordered_at < $2 GROUP BY 1
         ), visits AS (
           SELECT (at AT TIME ZONE $3)::date AS day, count(*)::int AS sessions
             FROM touchpoints WHERE at >= $1 AND at < $2 GROUP BY 1
         ), days AS (
           SELECT generate_series(($1::timestamptz AT TIME ZONE $3)::date,
                                  (($2::timestamptz - interval '1 millisecond') AT TIME ZONE $3)::date,
                                  interval '1 day')::date AS day
         )
         SELECT to_char(days.day, 'YYYY-MM-DD') AS day, coalesce(per_day.revenue, 0)::float8 AS revenue,
                coalesce(per_day.orders, 0)::int AS orders, coalesce(visits.sessions, 0)::int AS sessions
           FROM days LEFT JOIN per_day USING (day) LEFT JOIN visits USING (day) ORDER BY days.day`,
        [range.start, range.end, timeZone],
      );
    },
  };
}
