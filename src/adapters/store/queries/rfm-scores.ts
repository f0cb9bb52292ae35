import type { RfmSegmentMap } from '../../../analytics/rfm-segments.js';

/**
 * RFM quintile scores and segments in SQL, by scoreRfm's rule (src/analytics/rfm.ts): a value scores
 * 1 + floor(5 · worse / n), `worse` counting customers with a strictly worse value.
 *
 * Ranking every customer (rank() over each dimension) sorts whole rows three times per as-of point.
 * The scores only need four cut values per dimension instead: with the values sorted worst first,
 * v scores at least k + 1 exactly when v is better than the value at 1-based position
 * j = ceil(k·n/5), because then those j values are all strictly worse (and otherwise at most j − 1
 * are). percentile_disc(f) returns the value at position ceil(f·n), so f = (j − 0.5)/n picks j with
 * no rounding doubt; one sort of one column per dimension gives all four cuts.
 */

/** The segment map's cells as SQL array parameters, unnested by rfmSegmentCtes. */
export function segmentCellParams(segmentMap: RfmSegmentMap): unknown[] {
  const cells = segmentMap.segments.flatMap((segment) => segment.cells.map((cell) => ({ id: segment.id, ...cell })));
  return [cells.map((cell) => cell.r[0]), cells.map((cell) => cell.r[1]), cells.map((cell) => cell.fm[0]),
    cells.map((cell) => cell.fm[1]), cells.map((cell) => cell.id)];
}

/**
 * CTEs that score the relation `<name>` (columns customer_id, recency_days, frequency, monetary) and
 * end in `<name>_segmented` (customer_id, monetary, segment_id). `cellsParam` is the number of the
 * first of segmentCellParams' five parameters. FM = floor((F + M + 1) / 2), the mean rounded half up.
 */
export function rfmSegmentCtes(name: string, cellsParam: number): string {
  const p = (offset: number) => `$${cellsParam + offset}`;
  return `${name}_cells AS (
      SELECT * FROM unnest(${p(0)}::int[], ${p(1)}::int[], ${p(2)}::int[], ${p(3)}::int[], ${p(4)}::text[])
               AS c(r_low, r_high, fm_low, fm_high, segment_id)
    ),
    ${name}_fractions AS (
      SELECT array_agg(((k * n + 4) / 5 - 0.5)::float8 / n ORDER BY k) AS fractions
        FROM (SELECT count(*)::int8 AS n FROM ${name}) AS counted, generate_series(1, 4) AS k
       WHERE n > 0
    ),
    ${name}_cuts AS (
      SELECT percentile_disc((SELECT fractions FROM ${name}_fractions)) WITHIN GROUP (ORDER BY recency_days DESC) AS r_cuts,
             percentile_disc((SELECT fractions FROM ${name}_fractions)) WITHIN GROUP (ORDER BY frequency) AS f_cuts,
             percentile_disc((SELECT fractions FROM ${name}_fractions)) WITHIN GROUP (ORDER BY monetary) AS m_cuts
        FROM ${name}
    ),
    ${name}_scored AS (
      SELECT h.customer_id, h.monetary,
             1 + (h.recency_days < c.r_cuts[1])::int + (h.recency_days < c.r_cuts[2])::int
               + (h.recency_days < c.r_cuts[3])::int + (h.recency_days < c.r_cuts[4])::int AS r,
             1 + (h.frequency > c.f_cuts[1])::int + (h.frequency > c.f_cuts[2])::int
               + (h.frequency > c.f_cuts[3])::int + (h.frequency > c.f_cuts[4])::int AS f,
             1 + (h.monetary > c.m_cuts[1])::int + (h.monetary > c.m_cuts[2])::int
               + (h.monetary > c.m_cuts[3])::int + (h.monetary > c.m_cuts[4])::int AS m
        FROM ${name} h CROSS JOIN ${name}_cuts c
    ),
    ${name}_segmented AS (
      SELECT s.customer_id, s.monetary, c.segment_id
        FROM ${name}_scored s
        JOIN ${name}_cells c ON s.r BETWEEN c.r_low AND c.r_high AND (s.f + s.m + 1) / 2 BETWEEN c.fm_low AND c.fm_high
    )`;
}
