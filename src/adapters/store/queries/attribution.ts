import type { ChannelSpend } from '../../../analytics/attribution/roas.js';
import type { AttributionData, AttributionDimension, JourneyQuery, Journeys, TimeDecayCredits, TimeDecayQuery, TimeRange } from '../../../bot/data-port.js';
import type { Db } from '../db.js';
import { sqlParams } from '../sql-params.js';
import type { SqlParams } from '../sql-params.js';
import type { JourneyScope } from './journey-sql.js';
import {
  browsingTouchesSelect, EVERY_IDENTITY, labelOf, linksSelect, orderJourneysSelect, orderTouchesSelect, pathOf, placedTouchesSelect,
} from './journey-sql.js';
import { refreshJourneys, SHORT_SPAN, STORED_LOOKBACK_DAYS } from './order-journeys.js';
import { timeDecayCreditsOf, timeDecayCreditsSql, timeDecayJourneysOf, timeDecayWeights } from './time-decay-credits.js';
import type { TimeDecayRow } from './time-decay-credits.js';
import { DAY_MS } from '../../../analytics/time.js';

// Unit separator: cannot occur in a channel or campaign name typed by a person, so paths split back safely.
const PATH_SEPARATOR = '\u001f';

/** Orders collapsed on their path; a NULL path counts the orders without a touch in the lookback window. */
interface ConvertingRow { path: string | null; conversions: number; revenue: number }

/** The UTC days wholly inside a range, as the midnights [start, end); empty (start = end) when there is none. */
function wholeDays(range: TimeRange): TimeRange {
  const start = Math.ceil(range.start.getTime() / DAY_MS) * DAY_MS;
  const end = Math.max(start, Math.floor(range.end.getTime() / DAY_MS) * DAY_MS);
  return { start: new Date(start), end: new Date(end) };
}

const pathColumn = (dimension: AttributionDimension): string => (dimension === 'channel' ? 'channel_path' : 'campaign_path');

/** What an order-journey read covers: the orders of a range, their journeys over a lookback, and nothing from `before` on. */
interface JourneyRead { dimension: AttributionDimension; range: TimeRange; lookbackDays: number; before?: Date | undefined }

/** Whether a read can use the kept journeys: built for the stored lookback from every row, so not for a past day. */
const readsKept = (read: { lookbackDays: number; before?: Date | undefined }) => read.lookbackDays === STORED_LOOKBACK_DAYS && read.before === undefined;

/** The kept journeys: path, ages and revenue, one row per order of the range (ages NULL without a touch in the lookback). */
function storedOrderJourneysSql(p: SqlParams, read: Omit<JourneyRead, 'lookbackDays'>): string {
  return `SELECT ${pathColumn(read.dimension)} AS path, ages, revenue FROM order_journeys
           WHERE ordered_at >= ${p.add(read.range.start)} AND ordered_at < ${p.add(read.range.end)}`;
}

/**
 * A raw read's parameters, each added once and read by every fragment that needs it; `rows` opens its
 * WITH: as of a past day, CTEs named orders and touchpoints holding only the rows before it, which the
 * journey fragments (journey-sql.ts reads only those two tables) then read in place of the tables. A
 * WITH query that is not RECURSIVE cannot see its own name, so each reads the table it shadows.
 */
interface RawRead { start: string; end: string; lookback: string; scope: JourneyScope; rows: string }

function rawRead(p: SqlParams, range: TimeRange, lookbackDays: number, before?: Date): RawRead {
  const start = p.add(range.start);
  const end = p.add(range.end);
  const cut = before === undefined ? undefined : p.add(before);
  return {
    rows: cut === undefined ? '' : `orders AS (SELECT * FROM orders WHERE ordered_at < ${cut}::timestamptz),
          touchpoints AS (SELECT * FROM touchpoints WHERE at < ${cut}::timestamptz),`,
    start,
    end,
    lookback: `${p.add(lookbackDays)}::int * interval '1 day'`,
    // A raw read's orders: those of the customers who ordered in the range.
    scope: {
      customer: (column) => `${column} IN (SELECT customer_id FROM orders WHERE ordered_at >= ${start} AND ordered_at < ${end})`,
      visitor: () => 'false',
    },
  };
}

/**
 * Links and placed touches computed from the raw rows for the read's lookback, as CTEs `links` and
 * `placed`; materialized, since inlined the planner may recompute the links for every touch.
 */
function rawPlacementSql(scope: JourneyScope, lookback: string): string {
  return `links AS MATERIALIZED (${linksSelect(EVERY_IDENTITY)}),
          placed AS MATERIALIZED (${placedTouchesSelect(scope, lookback, 'links')})`;
}

/**
 * The same journeys collapsed from the raw touches, for a lookback other than the stored one: one
 * row per order in the range, as storedOrderJourneysSql gives.
 */
function rawOrderJourneysSql(p: SqlParams, read: JourneyRead): string {
  const { start, end, lookback, scope, rows } = rawRead(p, read.range, read.lookbackDays, read.before);
  return `WITH ${rows} ${rawPlacementSql(scope, lookback)}
          SELECT ${pathColumn(read.dimension)} AS path, ages, revenue
            FROM (${orderJourneysSelect(scope, orderTouchesSelect(scope, lookback, 'placed'))}) AS journeys
           WHERE ordered_at >= ${start} AND ordered_at < ${end}`;
}

/** The order journeys of a read: the kept ones for the stored lookback, else collapsed from the raw touches. */
export function orderJourneysSql(p: SqlParams, read: JourneyRead): string {
  return readsKept(read) ? storedOrderJourneysSql(p, read) : rawOrderJourneysSql(p, read);
}

/** Browsing journeys for the read's lookback, cut to the touches in the range: one path per journey. */
function rawBrowsingPathsSql(p: SqlParams, read: JourneyRead): string {
  const { start, end, lookback, rows } = rawRead(p, read.range, read.lookbackDays, read.before);
  return `WITH ${rows} ${rawPlacementSql(EVERY_IDENTITY, lookback)}
          SELECT path, count(*)::int AS nulls
            FROM (SELECT ${pathOf(read.dimension, 't')} AS path
                    FROM (${browsingTouchesSelect(EVERY_IDENTITY, lookback, 'placed', 'links')}) AS t
                   WHERE t.at >= ${start} AND t.at < ${end}
                   GROUP BY identity, after_orders) AS journeys
           GROUP BY path ORDER BY nulls DESC, path`;
}

/**
 * Journeys collapsed into distinct paths in SQL: each order in the range with the touches of its
 * journey (journey-sql.ts: by identity and lookback window), in time order; and, for Markov, the
 * touches in the range that lead to no order, one journey per visitor and per customer's stretch
 * between orders. The commands' lookback reads the journeys kept in order_journeys and
 * browsing_journeys (order-journeys.ts); another lookback collapses the raw touches.
 */
export function attributionQueries(db: Db): AttributionData {
  async function convertingPaths(query: JourneyQuery, isStored: boolean): Promise<ConvertingRow[]> {
    if (isStored) await refreshJourneys(db);
    const p = sqlParams();
    return db.query(
      `SELECT path, count(*)::int AS conversions, sum(revenue)::float8 AS revenue
         FROM (${orderJourneysSql(p, query)}) AS journeys
        GROUP BY path ORDER BY conversions DESC, path`,
      p.values,
    );
  }

  function rawNonConvertingPaths(query: JourneyQuery): Promise<{ path: string; nulls: number }[]> {
    const p = sqlParams();
    return db.query(rawBrowsingPathsSql(p, query), p.values);
  }

  /**
   * Browsing journeys in the range: browsing_day_paths counts the visitors whose span lies within
   * the range's whole UTC days. The others that touch the range (the edge visitors: starting
   * before those days or after them, or crossing their end) are read one by one and cut to the
   * range with their touch times; those of them that the day counts hold are taken back out.
   * A short span crossing an edge starts at most SHORT_SPAN before it; longer ones have their own
   * index. The edge branches are disjoint, so no visitor is cut twice.
   */
  async function storedNonConvertingPaths(query: JourneyQuery): Promise<{ path: string; nulls: number }[]> {
    await refreshJourneys(db);
    const path = pathColumn(query.dimension);
    const visitors = `SELECT first_at, ${path} AS path, ats FROM browsing_journeys`;
    const isShort = `last_at - first_at <= ${SHORT_SPAN}`;
    const isLong = `last_at - first_at > ${SHORT_SPAN}`;
    const days = wholeDays(query.range);
    const p = sqlParams();
    const start = p.add(query.range.start);
    const end = p.add(query.range.end);
    // The range's whole UTC days, which browsing_day_paths counts by the day.
    const daysStart = p.add(days.start);
    const daysEnd = p.add(days.end);
    return db.transaction(async (tx) => {
      // Compiling this plan costs seconds and saves nothing; and browsing_journeys is clustered by
      // first_at, so an index range reads neighbouring pages: priced as scattered ones (the
      // default), a full scan of millions of visitors would look cheaper.
      await tx.query('SET LOCAL jit = off');
      await tx.query('SET LOCAL random_page_cost = 1.1');
      return tx.query<{ path: string; nulls: number }>(
        `WITH edge AS (
           ${visitors} WHERE first_at >= ${start}::timestamptz - ${SHORT_SPAN} AND first_at < ${start} AND last_at >= ${start} AND ${isShort}
           UNION ALL
           ${visitors} WHERE ${isLong} AND last_at >= ${start} AND first_at < ${start}
           UNION ALL
           ${visitors} WHERE first_at >= ${start} AND first_at < ${daysStart} AND first_at < ${end}
           UNION ALL
           ${visitors} WHERE first_at >= ${daysEnd}::timestamptz - ${SHORT_SPAN} AND first_at >= ${daysStart} AND first_at < ${daysEnd} AND last_at >= ${daysEnd} AND ${isShort}
           UNION ALL
           ${visitors} WHERE ${isLong} AND last_at >= ${daysEnd} AND first_at >= ${daysStart} AND first_at < ${daysEnd}
           UNION ALL
           ${visitors} WHERE first_at >= ${daysEnd} AND first_at >= ${start} AND first_at < ${end}
         ), cut AS (
           -- The touches in the range are those after position before, up to position through (ats ascend).
           SELECT first_at, path, cardinality(ats) AS touches,
                  width_bucket(${start}::timestamptz - interval '1 microsecond', ats) AS before,
                  width_bucket(${end}::timestamptz - interval '1 microsecond', ats) AS through
             FROM edge
         ), counted AS (
           SELECT ${path} AS path, visitors AS n FROM browsing_day_paths
            WHERE first_day >= (${daysStart}::timestamptz AT TIME ZONE 'UTC')::date AND first_day < (${daysEnd}::timestamptz AT TIME ZONE 'UTC')::date
           UNION ALL
           SELECT CASE WHEN before = 0 AND through = touches THEN path
                       ELSE array_to_string((string_to_array(path, chr(31)))[before + 1:through], chr(31)) END, 1
             FROM cut WHERE through > before
           UNION ALL
           SELECT path, -1 FROM cut WHERE first_at >= ${daysStart} AND first_at < ${daysEnd}
         )
         SELECT path, sum(n)::int AS nulls FROM counted GROUP BY path HAVING sum(n) > 0 ORDER BY nulls DESC, path`,
        p.values,
      );
    });
  }

  return {
    async journeys(query: JourneyQuery): Promise<Journeys> {
      const isStored = readsKept(query);
      const [converting, browsing] = await Promise.all([
        convertingPaths(query, isStored),
        !query.withNonConverting ? Promise.resolve([]) : isStored ? storedNonConvertingPaths(query) : rawNonConvertingPaths(query),
      ]);
      // Over every journey a shop has there are ~10⁶ distinct paths: one string per label (interned) and
      // no lookup map unless browsing journeys must be merged in keep them within the memory budget.
      const labels = new Map<string, string>();
      const channelsOf = (path: string) => path.split(PATH_SEPARATOR).map((label) => {
        const known = labels.get(label);
        if (known !== undefined) return known;
        labels.set(label, label);
        return label;
      });
      const paths: { channels: string[]; conversions: number; revenue: number; nulls: number }[] = [];
      let orders = 0;
      let ordersWithoutTouches = 0;
      for (const row of converting) {
        orders += row.conversions;
        if (row.path === null) {
          ordersWithoutTouches += row.conversions;
          continue;
        }
        paths.push({ channels: channelsOf(row.path), conversions: row.conversions, revenue: row.revenue, nulls: 0 });
      }
      if (browsing.length > 0) {
        const byPath = new Map(paths.map((path) => [path.channels.join(PATH_SEPARATOR), path]));
        for (const row of browsing) {
          const entry = byPath.get(row.path);
          if (entry) {
            entry.nulls += row.nulls;
            continue;
          }
          const added = { channels: channelsOf(row.path), conversions: 0, revenue: 0, nulls: row.nulls };
          byPath.set(row.path, added);
          paths.push(added);
        }
      }
      return { paths, orders, ordersWithoutTouches };
    },

    /**
     * Time decay summed in SQL (time-decay-credits.ts), from the kept journeys for the commands'
     * lookback and from the raw touches for another. The orders are counted from the same source.
     */
    async timeDecayCredits(query: TimeDecayQuery): Promise<TimeDecayCredits> {
      if (readsKept(query)) await refreshJourneys(db);
      // Both reads hold every order of the range (ages NULL without a touch), so the statement counts the orders too.
      const p = sqlParams();
      const journeys = orderJourneysSql(p, query);
      const weights = `${p.add(timeDecayWeights(query.lookbackDays, query.halfLifeDays))}::float8[]`;
      const rows = await db.query<TimeDecayRow>(timeDecayCreditsSql(journeys, weights), p.values);
      const { journeys: orders, touched } = timeDecayJourneysOf(rows);
      return { credits: timeDecayCreditsOf(rows), orders, ordersWithoutTouches: orders - touched };
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
