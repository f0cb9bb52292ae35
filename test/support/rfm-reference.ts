import type { Db } from '../../src/adapters/store/db.js';
import { historySource } from '../../src/adapters/store/queries/rfm.js';
import { sqlParams } from '../../src/adapters/store/sql-params.js';
import type { RfmSegmentMap } from '../../src/analytics/rfm-segments.js';
import type { RfmScored } from '../../src/analytics/rfm.js';
import { scoreRfm } from '../../src/analytics/rfm.js';
import type { AsOf } from '../../src/bot/data-port.js';

/**
 * Every customer scored in JS (scoreRfm) from their own history as of `asOf`, read row by row: the
 * reference the store's RFM scoring in SQL is checked against. Recency in whole days, frequency =
 * orders, monetary = revenue.
 */
export async function scoreCustomersInJs(db: Db, asOf: AsOf, segmentMap: RfmSegmentMap): Promise<RfmScored[]> {
  const p = sqlParams();
  const { from, columns } = await historySource(db, asOf, p);
  const rows = await db.query<{ customer_id: string; recency_days: number; orders: number; revenue: number }>(
    `SELECT s.customer_id, s.orders, s.revenue_value AS revenue, ${columns()} FROM ${from} s ORDER BY s.customer_id`,
    p.values,
  );
  return scoreRfm(rows.map((row) => ({ customerId: row.customer_id, recencyDays: row.recency_days, frequency: row.orders, monetary: row.revenue })), { segmentMap });
}
