import type { BackendDayOrders, HourlyEventCount, ReportedDayConversions, TimeRange, TrackingData } from '../../../bot/data-port.js';
import type { Db } from '../db.js';

/** Hourly tracking events, and analytics-reported against backend conversions per day and channel. */
export function trackingQueries(db: Db): TrackingData {
  return {
    async eventNames(before: Date) {
      const rows = await db.query<{ event_name: string }>('SELECT DISTINCT event_name FROM tracking_events WHERE hour < $1 ORDER BY event_name', [before]);
      return rows.map((row) => row.event_name);
    },

    /** Counts summed over sources, hours in [start, end). */
    async hourlyEvents(eventNames: readonly string[], range: TimeRange): Promise<HourlyEventCount[]> {
      const rows = await db.query<{ hour: Date; event_name: string; count: number }>(
        `SELECT hour, event_name, sum(count)::float8 AS count FROM tracking_events
          WHERE event_name = ANY($1::text[]) AND hour >= $2 AND hour < $3
          GROUP BY hour, event_name ORDER BY hour`,
        [eventNames, range.start, range.end],
      );
      return rows.map((row) => ({ hourMs: row.hour.getTime(), eventName: row.event_name, count: row.count }));
    },

    /**
     * Backend orders per day and channel, the channel being the order's last non-direct touch
     * (direct when it had only direct touches or none), which is how analytics tools assign them.
     */
    async backendOrdersByDay(range: TimeRange, timeZone: string): Promise<BackendDayOrders[]> {
      return db.query<BackendDayOrders>(
        `WITH period_orders AS (
           SELECT id, ordered_at FROM orders WHERE ordered_at >= $1 AND ordered_at < $2
         ), last_touch AS (
           SELECT DISTINCT ON (t.order_id) t.order_id, t.channel
             FROM touchpoints t JOIN period_orders o ON o.id = t.order_id
            WHERE t.channel <> 'direct'
            ORDER BY t.order_id, t.at DESC
         )
         SELECT to_char((o.ordered_at AT TIME ZONE $3)::date, 'YYYY-MM-DD') AS day,
                coalesce(last_touch.channel, 'direct') AS channel, count(*)::int AS orders
           FROM period_orders o LEFT JOIN last_touch ON last_touch.order_id = o.id
          GROUP BY 1, 2 ORDER BY 1, 2`,
        [range.start, range.end, timeZone],
      );
    },

    /** Reported conversions for the calendar days the range covers in `timeZone`. */
    async reportedConversionsByDay(range: TimeRange, timeZone: string): Promise<ReportedDayConversions[]> {
      return db.query<ReportedDayConversions>(
        `SELECT to_char(day, 'YYYY-MM-DD') AS day, channel, sum(conversions)::float8 AS conversions
           FROM reported_conversions
          WHERE day >= ($1::timestamptz AT TIME ZONE $3)::date AND day <= (($2::timestamptz - interval '1 millisecond') AT TIME ZONE $3)::date
          GROUP BY day, channel ORDER BY day, channel`,
        [range.start, range.end, timeZone],
      );
    },
  };
}
