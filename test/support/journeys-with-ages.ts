import type { Db } from '../../src/adapters/store/db.js';
import { orderJourneysSql } from '../../src/adapters/store/queries/attribution.js';
import { refreshJourneys, STORED_LOOKBACK_DAYS } from '../../src/adapters/store/queries/order-journeys.js';
import { sqlParams } from '../../src/adapters/store/sql-params.js';
import type { AttributionPath } from '../../src/analytics/attribution/types.js';
import type { AttributionDimension, Journeys, TimeRange } from '../../src/bot/data-port.js';

/**
 * The converting journeys with each touch's age at conversion (whole days), collapsed on (path,
 * ages) and read through the store's own journey SQL: the kept journeys for the stored lookback, the
 * raw touches for another. Only time decay reads ages, and the bot has the store sum it instead
 * (timeDecayCredits); these paths are what creditTimeDecay is given as that sum's reference.
 */
export async function journeysWithAges(db: Db, query: { range: TimeRange; lookbackDays: number; dimension: AttributionDimension }): Promise<Journeys> {
  if (query.lookbackDays === STORED_LOOKBACK_DAYS) await refreshJourneys(db);
  const p = sqlParams();
  const rows = await db.query<{ path: string | null; ages: string | null; conversions: number; revenue: number }>(
    `SELECT path, ages, count(*)::int AS conversions, sum(revenue)::float8 AS revenue
       FROM (${orderJourneysSql(p, query)}) AS journeys
      GROUP BY path, ages ORDER BY conversions DESC, path, ages`,
    p.values,
  );
  const [counted] = await db.query<{ orders: number }>('SELECT count(*)::int AS orders FROM orders WHERE ordered_at >= $1 AND ordered_at < $2', [query.range.start, query.range.end]);
  const orders = counted?.orders ?? 0;
  const paths: AttributionPath[] = rows.flatMap((row) => (row.path === null ? [] : [{
    channels: row.path.split('\u001f'),
    ageDays: (row.ages ?? '').split(',').map(Number),
    conversions: row.conversions,
    revenue: row.revenue,
    nulls: 0,
  }]));
  return { paths, orders, ordersWithoutTouches: orders - paths.reduce((sum, path) => sum + path.conversions, 0) };
}
