import type { AsOf } from '../../../bot/data-port.js';
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
