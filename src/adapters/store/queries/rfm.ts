import type { AsOf } from '../../../bot/data-port.js';
import { asOfDay } from '../../../bot/data-port.js';
import type { Db } from '../db.js';
import type { SqlParams } from '../sql-params.js';
import { refreshSummaries, summariesAsOf } from './customer-summaries.js';

/**
 * Per-customer histories in whole UTC days: the source (the kept summaries when the question is
 * about now, raw orders before `asOf.end` otherwise, as `s`) and the history columns over it
 * (recency_days, repeat_purchases, active_days, age_days). Parameters go into `p`, the as-of day
 * only once `columns` is asked for, so a statement that reads no column binds no unused value.
 */
export async function historySource(db: Db, asOf: AsOf, p: SqlParams): Promise<{ from: string; columns: () => string }> {
  if (asOf.isNow) await refreshSummaries(db);
  const from = asOf.isNow ? summariesAsOf() : summariesAsOf(p.add(asOf.end));
  let day: string | undefined;
  const columns = () => {
    day ??= p.add(asOfDay(asOf));
    return `(${day}::date - s.last_order_day) AS recency_days,
          s.purchase_days - 1 AS repeat_purchases,
          (s.last_order_day - s.first_order_day) AS active_days,
          (${day}::date - s.first_order_day) AS age_days`;
  };
  return { from, columns };
}
