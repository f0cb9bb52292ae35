import type { RfmAggregateQuery, RfmAggregates, RfmData } from '../../../bot/data-port.js';
import { asOfDay } from '../../../bot/data-port.js';
import type { Db } from '../db.js';
import { refreshSummaries, rfmHistoriesAsOf, summariesAsOf } from './customer-summaries.js';
import { rfmSegmentCtes, segmentCellParams } from './rfm-scores.js';

/**
 * RFM scored in the database for two as-of points (period start and end), so only segment sizes,
 * the transition matrix and the few customers who slid reach Node instead of every customer twice.
 *
 * Scores follow scoreRfm in src/analytics/rfm.ts, from four cut values per dimension (rfm-scores.ts).
 */
export function rfmAggregateQueries(db: Db): RfmData {
  return {
    async rfmAggregates(query: RfmAggregateQuery): Promise<RfmAggregates> {
      const { start, end, segmentMap, valuable, slipping, topSlid } = query;
      // The start always reads the summaries (minus later orders), so refresh them whatever the end.
      await refreshSummaries(db);
      const params: unknown[] = [asOfDay(end), asOfDay(start), start.end, ...segmentCellParams(segmentMap), [...valuable], [...slipping], topSlid];
      // The end reads the kept summaries when it is now, else raw orders before its instant ($12).
      const endSource = end.isNow ? summariesAsOf() : summariesAsOf(12);
      if (!end.isNow) params.push(end.end);
      const rows = await db.query<AggregateRow>(
        `WITH end_point AS (
           SELECT s.customer_id, s.orders AS frequency, s.revenue AS monetary,
                  $1::date - (s.last_order_at AT TIME ZONE 'UTC')::date AS recency_days
             FROM ${endSource} s
         ),
         start_point AS (
           SELECT s.customer_id, s.orders AS frequency, s.revenue AS monetary,
                  $2::date - (s.last_order_at AT TIME ZONE 'UTC')::date AS recency_days
             FROM ${rfmHistoriesAsOf(3)} s
         ),
         ${rfmSegmentCtes('end_point', 4)},
         ${rfmSegmentCtes('start_point', 4)},
         moves AS (
           -- Value at stake: monetary at the end, at the start for customers gone by the end.
           SELECT b.segment_id AS from_id, a.segment_id AS to_id, a.customer_id AS customer_id,
                  coalesce(a.monetary, b.monetary) AS monetary
             FROM end_point_segmented a
             FULL JOIN start_point_segmented b ON a.customer_id = b.customer_id
         ),
         slid AS (
           SELECT * FROM moves WHERE from_id = ANY($9::text[]) AND to_id = ANY($10::text[])
         )
         -- Revenue is summed as numeric, exact to the cent, and only then turned into a float.
         SELECT 'segment' AS kind, segment_id AS from_id, NULL AS to_id, NULL AS customer_id,
                count(*)::int AS customers, sum(monetary)::float8 AS monetary
           FROM end_point_segmented GROUP BY segment_id
         UNION ALL
         SELECT 'move', from_id, to_id, NULL, count(*)::int, sum(monetary)::float8
           FROM moves GROUP BY from_id, to_id
         UNION ALL
         (SELECT 'slid', from_id, to_id, customer_id, 1, monetary::float8
            FROM slid ORDER BY monetary DESC, customer_id COLLATE "C" LIMIT $11)`,
        params,
      );
      return toAggregates(rows, segmentMap.segments.map((segment) => segment.id));
    },
  };
}

interface AggregateRow {
  kind: 'segment' | 'move' | 'slid';
  from_id: string | null;
  to_id: string | null;
  customer_id: string | null;
  customers: number;
  monetary: number;
}

function toAggregates(rows: readonly AggregateRow[], segmentIds: readonly string[]): RfmAggregates {
  const sizes = new Map(rows.filter((row) => row.kind === 'segment').map((row) => [row.from_id, row]));
  const transitions = rows.filter((row) => row.kind === 'move')
    .map((row) => ({ from: row.from_id, to: row.to_id, customers: row.customers, monetary: row.monetary }))
    .sort((a, b) => b.customers - a.customers || compareIds(a.from, b.from) || compareIds(a.to, b.to));
  const topSlid = rows.filter((row) => row.kind === 'slid')
    .map((row) => ({ customerId: row.customer_id ?? '', from: row.from_id, to: row.to_id, monetary: row.monetary }))
    .sort((a, b) => b.monetary - a.monetary || compareIds(a.customerId, b.customerId));
  return {
    segments: segmentIds.map((segmentId) => ({ segmentId, customers: sizes.get(segmentId)?.customers ?? 0, revenue: sizes.get(segmentId)?.monetary ?? 0 })),
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
