import type { ChannelSpend } from '../../../analytics/attribution/roas.js';
import type { AttributionPath } from '../../../analytics/attribution/types.js';
import type { AttributionData, AttributionDimension, JourneyQuery, Journeys, TimeRange } from '../../../bot/data-port.js';
import type { Db } from '../db.js';

// Unit separator: cannot occur in a channel or campaign name typed by a person, so paths split back safely.
const PATH_SEPARATOR = '\u001f';
const DAY_S = 86_400;

/** The SQL expression that names a touch (or a spend row) for a dimension; fixed text, never user input. */
function labelOf(dimension: AttributionDimension, alias: string): string {
  return dimension === 'channel'
    ? `${alias}.channel`
    : `coalesce(nullif(${alias}.campaign, ''), '(' || ${alias}.channel || ')')`;
}

/**
 * Journeys collapsed into distinct paths in SQL: each order in the range with its touches
 * (touchpoints.order_id) inside the lookback window, in time order; and, for Markov, each visitor's
 * touches without an order in the range as a non-converting journey.
 */
export function attributionQueries(db: Db): AttributionData {
  async function convertingPaths(query: JourneyQuery): Promise<{ path: string; ages: string | null; conversions: number; revenue: number }[]> {
    const age = query.withAges ? `round(extract(epoch FROM o.ordered_at - t.at) / ${DAY_S})::int` : 'NULL::int';
    return db.query(
      `WITH touches AS (
         SELECT o.id AS journey, o.revenue, t.at, t.id AS touch_id, ${labelOf(query.dimension, 't')} AS label, ${age} AS age_days
           FROM orders o JOIN touchpoints t ON t.order_id = o.id
          WHERE o.ordered_at >= $1 AND o.ordered_at < $2
            AND t.at <= o.ordered_at AND t.at >= o.ordered_at - $3::int * interval '1 day'
       ), journeys AS (
         SELECT journey, min(revenue) AS revenue,
                string_agg(label, chr(31) ORDER BY at, touch_id) AS path,
                string_agg(age_days::text, ',' ORDER BY at, touch_id) AS ages
           FROM touches GROUP BY journey
       )
       SELECT path, ages, count(*)::int AS conversions, sum(revenue)::float8 AS revenue
         FROM journeys GROUP BY path, ages ORDER BY conversions DESC, path`,
      [query.range.start, query.range.end, query.lookbackDays],
    );
  }

  async function nonConvertingPaths(query: JourneyQuery): Promise<{ path: string; nulls: number }[]> {
    return db.query(
      `WITH journeys AS (
         SELECT string_agg(${labelOf(query.dimension, 't')}, chr(31) ORDER BY t.at, t.id) AS path
           FROM touchpoints t
          WHERE t.order_id IS NULL AND t.at >= $1 AND t.at < $2
          GROUP BY coalesce('c:' || t.customer_id, 'a:' || t.anonymous_id)
       )
       SELECT path, count(*)::int AS nulls FROM journeys GROUP BY path ORDER BY nulls DESC, path`,
      [query.range.start, query.range.end],
    );
  }

  return {
    async journeys(query: JourneyQuery): Promise<Journeys> {
      const [[counted], converting, browsing] = await Promise.all([
        db.query<{ orders: number }>('SELECT count(*)::int AS orders FROM orders WHERE ordered_at >= $1 AND ordered_at < $2', [query.range.start, query.range.end]),
        convertingPaths(query),
        query.withNonConverting ? nonConvertingPaths(query) : Promise.resolve([]),
      ]);
      const byKey = new Map<string, { channels: string[]; ageDays?: number[]; conversions: number; revenue: number; nulls: number }>();
      for (const row of converting) {
        byKey.set(`${row.path}|${row.ages ?? ''}`, {
          channels: row.path.split(PATH_SEPARATOR),
          ...(row.ages === null ? {} : { ageDays: row.ages.split(',').map(Number) }),
          conversions: row.conversions,
          revenue: row.revenue,
          nulls: 0,
        });
      }
      // Ages exist only for converting journeys, so with ages a null path stays its own entry.
      for (const row of browsing) {
        const key = `${row.path}|`;
        const entry = byKey.get(key) ?? { channels: row.path.split(PATH_SEPARATOR), conversions: 0, revenue: 0, nulls: 0 };
        entry.nulls += row.nulls;
        byKey.set(key, entry);
      }
      const paths: AttributionPath[] = [...byKey.values()];
      const attributed = converting.reduce((sum, row) => sum + row.conversions, 0);
      const orders = counted?.orders ?? 0;
      return { paths, orders, ordersWithoutTouches: orders - attributed };
    },

    async spendBy(range: TimeRange, dimension: AttributionDimension, timeZone: string): Promise<ChannelSpend[]> {
      return db.query<{ channel: string; spend: number }>(
        `SELECT ${labelOf(dimension, 's')} AS channel, sum(s.cost)::float8 AS spend
           FROM spend s
          WHERE s.day >= ($1::timestamptz AT TIME ZONE $3)::date
            AND s.day <= (($2::timestamptz - interval '1 millisecond') AT TIME ZONE $3)::date
          GROUP BY 1 ORDER BY spend DESC, channel`,
        [range.start, range.end, timeZone],
      );
    },
  };
}
