import { segmentLookup } from '../../../analytics/rfm-segments.js';
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

/**
 * The segment map as one SQL parameter: the 25 segment ids of the (R, FM) grid, R-major, so a
 * customer's segment is an array subscript instead of a join with the map's cells.
 */
export function segmentGridParam(segmentMap: RfmSegmentMap): string[] {
  const segmentOf = segmentLookup(segmentMap);
  return Array.from({ length: 25 }, (_, i) => segmentOf(1 + Math.floor(i / 5), 1 + (i % 5)));
}

/**
 * percentile_disc fractions (a float8[] expression) that pick the four cut positions
 * j = ceil(k·n/5), k = 1..4, among `count` values; NULL when there are none.
 */
export function cutFractions(count: string): string {
  const fraction = (k: number) => `((${k} * (${count})::int8 + 4) / 5 - 0.5)::float8 / (${count})`;
  return `CASE WHEN (${count}) > 0 THEN ARRAY[${[1, 2, 3, 4].map(fraction).join(', ')}] END`;
}

/** SQL expressions (or column names) for the three RFM dimensions: recency in days, frequency, monetary as float8. */
export interface RfmColumns {
  recency: string;
  frequency: string;
  monetary: string;
}

/**
 * The select list of the cut values of each dimension, named `names`: worst first, so descending for
 * recency (more days is worse). `filter` limits the customers counted (the start point's population).
 */
export function rfmCutColumns(fractions: string, values: RfmColumns, names: RfmColumns, filter = 'true'): string {
  const cuts = (column: string, worstFirst: 'DESC' | 'ASC') =>
    `percentile_disc(${fractions}) WITHIN GROUP (ORDER BY ${column} ${worstFirst}) FILTER (WHERE ${filter})`;
  return `${cuts(values.recency, 'DESC')} AS ${names.recency}, ${cuts(values.frequency, 'ASC')} AS ${names.frequency},
          ${cuts(values.monetary, 'ASC')} AS ${names.monetary}`;
}

/**
 * The segment id of a customer's values against cut arrays, from the grid (the placeholder of
 * segmentGridParam's value): each score is 1 + the number of cuts the value is better than, and
 * FM = floor((F + M + 1) / 2).
 */
export function rfmSegmentOf(grid: string, values: RfmColumns, cuts: RfmColumns): string {
  const score = (value: string, cutArray: string, better: '<' | '>') =>
    `(1 + ${[1, 2, 3, 4].map((k) => `(${value} ${better} ${cutArray}[${k}])::int`).join(' + ')})`;
  const [r, f, m] = [score(values.recency, cuts.recency, '<'), score(values.frequency, cuts.frequency, '>'), score(values.monetary, cuts.monetary, '>')];
  return `(${grid}::text[])[(${r} - 1) * 5 + (${f} + ${m} + 1) / 2]`;
}

const CUT_NAMES: RfmColumns = { recency: 'r_cuts', frequency: 'f_cuts', monetary: 'm_cuts' };
const HISTORY_COLUMNS: RfmColumns = { recency: 'recency_days', frequency: 'frequency', monetary: 'm_value' };

/**
 * A CTE `<name>` (r_cuts, f_cuts, m_cuts) over `relation` (a table name or a parenthesised
 * subquery), whose columns recency_days, frequency and m_value (monetary as float8) are scored.
 * Monetary is compared as float8: numeric(16, 2) values are distinct doubles below 10¹³, in the same
 * order, and sort several times faster. The count and the cuts read the relation separately, so a
 * subquery is better passed inline than as a CTE that PostgreSQL would materialise (and spill).
 */
export function rfmCutsCte(name: string, relation: string): string {
  return `${name}_count AS (SELECT ${cutFractions('count(*)')} AS fractions FROM ${relation} AS counted),
    ${name} AS (
      SELECT ${rfmCutColumns(`(SELECT fractions FROM ${name}_count)`, HISTORY_COLUMNS, CUT_NAMES)}
        FROM ${relation} AS scored
    )`;
}

/** The segment id of the history row `row` (columns as rfmCutsCte names them) against its cuts row `cuts`. */
export function historySegmentOf(grid: string, row: string, cuts: string): string {
  const qualify = (columns: RfmColumns, alias: string): RfmColumns =>
    ({ recency: `${alias}.${columns.recency}`, frequency: `${alias}.${columns.frequency}`, monetary: `${alias}.${columns.monetary}` });
  return rfmSegmentOf(grid, qualify(HISTORY_COLUMNS, row), qualify(CUT_NAMES, cuts));
}
