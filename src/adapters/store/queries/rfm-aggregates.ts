import { z } from 'zod';
import type { AsOf, RfmAggregateQuery, RfmAggregates, RfmData } from '../../../bot/data-port.js';
import { asOfDay } from '../../../bot/data-port.js';
import type { Db } from '../db.js';
import { sqlParams } from '../sql-params.js';
import { answerKey, asOfKey, cachedAnswer } from './answer-cache.js';
import { refreshSummaries } from './customer-summaries.js';
import { cutFractions, rfmCutColumns, rfmSegmentOf, segmentGridParam } from './rfm-scores.js';
import type { RfmColumns } from './rfm-scores.js';

/**
 * RFM scored in the database for two as-of points (period start and end), so only segment sizes,
 * the transition matrix and the few customers who slid reach Node instead of every customer twice.
 *
 * Both points come from one pass over the kept summaries: a point's frequency and revenue are the
 * summary minus the orders placed since the point (a scan of recent orders only, where aggregating
 * every order before it would read them all), and customers who bought since look up their last
 * earlier order, one index probe each. Every customer at the start is also one at the end, so no
 * join of the two points is needed. Scores follow scoreRfm in src/analytics/rfm.ts (rfm-scores.ts).
 */
export function rfmAggregateQueries(db: Db): RfmData {
  return {
    async rfmAggregates(query: RfmAggregateQuery): Promise<RfmAggregates> {
      const key = async () => answerKey({
        start: await pointKey(db, query.start), end: await pointKey(db, query.end),
        grid: segmentGridParam(query.segmentMap), segments: query.segmentMap.segments.map((segment) => segment.id),
        valuable: query.valuable, slipping: query.slipping, topSlid: query.topSlid,
      });
      return cachedAnswer(db, { kind: 'rfm_aggregates', key, shape: StoredRfmAggregates }, () => scoreBothPoints(db, query));
    },
  };
}

/**
 * A point of the question in its cache key. This query counts the orders placed before a point's
 * instant even when it is "now", so the day alone names the answer only while no order is dated at
 * or after that instant (a clock ahead of ours, a mistyped time): then the instant is the key.
 * Probed after the version is read (cachedAnswer), so an order written since raises the version
 * instead of slipping in under a day key.
 */
async function pointKey(db: Db, point: AsOf): Promise<string> {
  if (!point.isNow) return asOfKey(point);
  const [later] = await db.query<{ any: boolean }>('SELECT EXISTS (SELECT 1 FROM orders WHERE ordered_at >= $1) AS any', [point.end]);
  return asOfKey(later?.any ? { end: point.end, isNow: false } : point);
}

/** What a cached RfmAggregates reads back as (plain JSON: strings, numbers and nulls). */
const StoredRfmAggregates = z.object({
  segments: z.array(z.object({ segmentId: z.string(), customers: z.number(), revenue: z.number() })),
  transitions: z.array(z.object({ from: z.string().nullable(), to: z.string().nullable(), customers: z.number(), monetary: z.number() })),
  topSlid: z.array(z.object({ customerId: z.string(), from: z.string().nullable(), to: z.string().nullable(), monetary: z.number() })),
});

/** The one statement described above, over summaries brought up to date first. */
async function scoreBothPoints(db: Db, query: RfmAggregateQuery): Promise<RfmAggregates> {
  const { start, end, segmentMap, valuable, slipping, topSlid } = query;
  await refreshSummaries(db);
  const p = sqlParams();
  const [endDay, endInstant, startDay, startInstant] = [p.add(asOfDay(end)), p.add(end.end), p.add(asOfDay(start)), p.add(start.end)];
  const grid = p.add(segmentGridParam(segmentMap));
  // Customers without orders since the point keep their summary's values (migration 010's ready columns).
  // Customers who first bought after the point have no value there: no probe for them.
  const lastOrderDayBefore = (tail: string, instant: string) => `CASE WHEN ${tail}.customer_id IS NULL THEN s.last_order_day
    WHEN s.first_order_at >= ${instant} THEN NULL
    ELSE ((SELECT max(o.ordered_at) FROM orders o WHERE o.customer_id = s.customer_id AND o.ordered_at < ${instant}) AT TIME ZONE 'UTC')::date END`;
  const monetaryValue = (tail: string) => `CASE WHEN ${tail}.customer_id IS NULL THEN s.revenue_value ELSE (s.revenue - ${tail}.revenue)::float8 END`;
  const tailSince = (instant: string) => `(SELECT customer_id, count(*)::int AS orders, sum(revenue) AS revenue
    FROM orders WHERE ordered_at >= ${instant} GROUP BY customer_id)`;
  const values = (point: 'end' | 'start', alias = ''): RfmColumns =>
    ({ recency: `${alias}recency_${point}`, frequency: `${alias}frequency_${point}`, monetary: `${alias}m_value_${point}` });
  const cutNames = (point: 'end' | 'start', alias = ''): RfmColumns => ({ recency: `${alias}r_${point}`, frequency: `${alias}f_${point}`, monetary: `${alias}m_${point}` });
  const score = (point: 'end' | 'start') => rfmSegmentOf(grid, values(point, 'p.'), cutNames(point, 'c.'));
  const fractions = (point: 'end' | 'start') => `(SELECT ${point}_fractions FROM counted)`;
  const rows = await db.query<AggregateRow>(
    `WITH points AS (
       SELECT s.customer_id,
              s.orders - coalesce(te.orders, 0) AS frequency_end,
              s.revenue - coalesce(te.revenue, 0) AS monetary_end,
              -- Scored as float8 (see rfm-scores.ts), cast once: numeric to float8 goes through text.
              ${monetaryValue('te')} AS m_value_end,
              ${endDay}::date - ${lastOrderDayBefore('te', endInstant)} AS recency_end,
              s.first_order_at < ${startInstant} AS at_start,
              s.orders - coalesce(ts.orders, 0) AS frequency_start,
              ${monetaryValue('ts')} AS m_value_start,
              ${startDay}::date - ${lastOrderDayBefore('ts', startInstant)} AS recency_start
         FROM customer_summaries s
         LEFT JOIN ${tailSince(endInstant)} te ON te.customer_id = s.customer_id
         LEFT JOIN ${tailSince(startInstant)} ts ON ts.customer_id = s.customer_id
        WHERE s.first_order_at < ${endInstant}
     ),
     counted AS (
       SELECT ${cutFractions('count(*)')} AS end_fractions, ${cutFractions('count(*) FILTER (WHERE at_start)')} AS start_fractions FROM points
     ),
     cuts AS (
       SELECT ${rfmCutColumns(fractions('end'), values('end'), cutNames('end'))},
              ${rfmCutColumns(fractions('start'), values('start'), cutNames('start'), 'at_start')}
         FROM points
     ),
     moves AS (
       SELECT p.customer_id, p.monetary_end AS monetary,
              CASE WHEN p.at_start THEN ${score('start')} END AS from_id, ${score('end')} AS to_id
         FROM points p CROSS JOIN cuts c
     )
     -- Revenue is summed as numeric, exact to the cent, and only then turned into a float.
     SELECT 'move' AS kind, from_id, to_id, NULL AS customer_id, count(*)::int AS customers, sum(monetary)::float8 AS monetary
       FROM moves GROUP BY from_id, to_id
     ${topSlid > 0 ? `UNION ALL
     (SELECT 'slid', from_id, to_id, customer_id, 1, monetary::float8
        FROM moves WHERE from_id = ANY(${p.add([...valuable])}::text[]) AND to_id = ANY(${p.add([...slipping])}::text[])
       ORDER BY monetary DESC, customer_id COLLATE "C" LIMIT ${p.add(topSlid)})` : ''}`,
    p.values,
  );
  return toAggregates(rows, segmentMap.segments.map((segment) => segment.id));
}

interface AggregateRow {
  kind: 'move' | 'slid';
  from_id: string | null;
  to_id: string;
  customer_id: string | null;
  customers: number;
  monetary: number;
}

function toAggregates(rows: readonly AggregateRow[], segmentIds: readonly string[]): RfmAggregates {
  const moves = rows.filter((row) => row.kind === 'move');
  const transitions = moves
    .map((row) => ({ from: row.from_id, to: row.to_id, customers: row.customers, monetary: row.monetary }))
    .sort((a, b) => b.customers - a.customers || compareIds(a.from, b.from) || compareIds(a.to, b.to));
  const topSlid = rows.filter((row) => row.kind === 'slid')
    .map((row) => ({ customerId: row.customer_id ?? '', from: row.from_id, to: row.to_id, monetary: row.monetary }))
    .sort((a, b) => b.monetary - a.monetary || compareIds(a.customerId, b.customerId));
  // A segment's size at the end is the column of the matrix that lands in it.
  const sizeOf = (segmentId: string) => {
    const landing = moves.filter((row) => row.to_id === segmentId);
    return { customers: landing.reduce((sum, row) => sum + row.customers, 0), revenue: landing.reduce((sum, row) => sum + row.monetary, 0) };
  };
  return {
    segments: segmentIds.map((segmentId) => ({ segmentId, ...sizeOf(segmentId) })),
    transitions,
    topSlid,
  };
}

/** Plain code-unit order, nulls first, as segmentMovement orders its cells. */
function compareIds(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  return a < b ? -1 : 1;
}
