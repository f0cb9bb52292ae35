import type { AsOf, CustomerData, CustomerHistory } from '../../../bot/data-port.js';
import { asOfDay } from '../../../bot/data-port.js';
import type { Db } from '../db.js';
import { refreshSummaries, summariesAsOf } from './customer-summaries.js';

/**
 * Per-customer histories in whole UTC days, from the kept summaries when the question is about
 * now and from raw orders before `asOf.end` otherwise. `$1` is the as-of day in every variant.
 */
export function historyColumns(): string {
  return `($1::date - s.last_order_day) AS recency_days,
          s.purchase_days - 1 AS repeat_purchases,
          (s.last_order_day - s.first_order_day) AS active_days,
          ($1::date - s.first_order_day) AS age_days`;
}

/** The FROM source and its parameters for an as-of: summaries (refreshed first) or raw orders. */
export async function historySource(db: Db, asOf: AsOf): Promise<{ from: string; params: unknown[] }> {
  if (asOf.isNow) {
    await refreshSummaries(db);
    return { from: summariesAsOf(), params: [asOfDay(asOf)] };
  }
  return { from: summariesAsOf(2), params: [asOfDay(asOf), asOf.end] };
}

export function rfmQueries(db: Db): Pick<CustomerData, 'customerHistories'> {
  return {
    async customerHistories(asOf: AsOf): Promise<CustomerHistory[]> {
      const { from, params } = await historySource(db, asOf);
      const rows = await db.query<{
        customer_id: string; last_order_at: Date; recency_days: number; orders: number; revenue: number;
        repeat_purchases: number; active_days: number; age_days: number; repeat_mean_value: number;
      }>(
        `SELECT s.customer_id, s.last_order_at, s.orders, s.revenue_value AS revenue, ${historyColumns()},
                s.repeat_mean_value
           FROM ${from} s ORDER BY s.customer_id`,
        params,
      );
      return rows.map((row) => ({
        customerId: row.customer_id,
        lastOrderAt: row.last_order_at,
        recencyDays: row.recency_days,
        orders: row.orders,
        revenue: row.revenue,
        repeatPurchases: row.repeat_purchases,
        activeDays: row.active_days,
        ageDays: row.age_days,
        repeatMeanValue: row.repeat_mean_value,
      }));
    },
  };
}
