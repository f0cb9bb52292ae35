import { closeLedger } from '../../../analytics/attribution/channel-credits.js';
import { timeDecayWeight } from '../../../analytics/attribution/time-decay.js';
import type { ChannelCredit } from '../../../analytics/attribution/types.js';

/**
 * The weight of each whole-day age from 0 to maxAgeDays, computed by the model itself: the SQL
 * looks a touch's weight up here (index age + 1) rather than computing 2^(−age / half-life) again,
 * so the store and the model weigh a touch with the same number. Journeys keep touches at most
 * the lookback old, rounded to whole days, so maxAgeDays is the lookback.
 */
export function timeDecayWeights(maxAgeDays: number, halfLifeDays: number): number[] {
  if (!Number.isInteger(maxAgeDays) || maxAgeDays < 0) throw new Error(`time decay needs a lookback of whole days, not ${maxAgeDays}`);
  if (!(halfLifeDays > 0) || !Number.isFinite(halfLifeDays)) throw new Error(`time decay needs a positive half-life, not ${halfLifeDays}`);
  return Array.from({ length: maxAgeDays + 1 }, (_, ageDays) => timeDecayWeight(ageDays, halfLifeDays));
}

/** The labels of a path; a path of one unnamed touch ('') is one label, where string_to_array would give none. */
const labelsOf = (path: string): string => `CASE WHEN ${path} = '' THEN ARRAY[''] ELSE string_to_array(${path}, chr(31)) END`;
const agesOf = (ages: string): string => `string_to_array(${ages}, ',')::int[]`;

/**
 * Time decay's conversions and revenue per label, summed in the database so that only one row per
 * channel (or campaign) reaches Node. It mirrors creditTimeDecay (src/analytics/attribution/time-decay.ts),
 * which splits through creditByTouchWeights (touch-weights.ts): each touch weighs timeDecayWeight(its
 * age), read from `weights` (an SQL float8[] of timeDecayWeights); a journey's conversions and revenue
 * are split in proportion, share = weight / the journey's total weight; each label sums its touches'
 * shares. As the model reads journeys collapsed on (path, ages), so does this, before weighing: each
 * distinct pair is weighed once, and its conversions and revenue (the sum of its orders' revenue) are
 * multiplied by the same shares, so per pair the numbers are the model's own; only the order of the
 * final sums differs.
 *
 * `journeys` yields one row per order: path (labels joined by chr(31), in time order), ages (whole
 * days per touch, joined by ',', in the same order) and revenue; ages NULL for an order without a
 * touch, which the model credits to nobody and the count row counts apart.
 *
 * A journey whose every weight underflows to 0 (a half-life of minutes) has no shares: the model's
 * 0 / 0 credits nobody, and NULLIF does the same here rather than dividing by zero.
 */
export function timeDecayCreditsSql(journeys: string, weights: string): string {
  const weightOf = (age: string): string => `(${weights})[${age} + 1]`;
  const share = `(${weightOf('touch.age')} / touch.total)`;
  // Read once and used twice (PostgreSQL keeps it): the credits, and the journeys counted, so the
  // caller needs no second scan of ten million journeys to know how many orders it credited.
  return `WITH pair AS (
            -- Revenue summed as float8, not numeric: at ten million orders numeric addition cost a
            -- quarter of the statement, and shares of it are fractions anyway (exact to ~1e-15).
            SELECT path, ages, count(*)::float8 AS conversions, sum(revenue::float8) AS revenue
              FROM (${journeys}) AS journey GROUP BY path, ages
          ),
          weighed AS (
            -- A journey's total weight depends on its ages alone: far fewer distinct than pairs (22k
            -- against a million at ten million orders), so each is summed once and joined.
            SELECT ages, sum(${weightOf('age')}) AS total
              FROM (SELECT DISTINCT ages FROM pair WHERE ages IS NOT NULL) AS distinct_ages, unnest(${agesOf('ages')}) AS age
             GROUP BY ages
          )
          SELECT touch.label,
                 coalesce(sum(touch.conversions * ${share}), 0)::float8 AS conversions,
                 coalesce(sum(touch.revenue * ${share}), 0)::float8 AS revenue,
                 NULL::int8 AS journeys, NULL::int8 AS touched
            FROM (SELECT unnest(${labelsOf('pair.path')}) AS label, unnest(${agesOf('pair.ages')}) AS age,
                         pair.conversions, pair.revenue, nullif(weighed.total, 0) AS total
                    FROM pair JOIN weighed ON weighed.ages = pair.ages
                 ) AS touch
           GROUP BY touch.label
          UNION ALL
          SELECT NULL, NULL, NULL, coalesce(sum(conversions), 0)::int8, coalesce(sum(conversions) FILTER (WHERE ages IS NOT NULL), 0)::int8
            FROM pair`;
}

/** A row of timeDecayCreditsSql: a label's credit, or (label null) how many journeys were read and how many had a touch. */
export interface TimeDecayRow { label: string | null; conversions: number | null; revenue: number | null; journeys: number | null; touched: number | null }

/** The credit rows of timeDecayCreditsSql in the model's order: most conversions first, ties by label. */
export function timeDecayCreditsOf(rows: readonly TimeDecayRow[]): ChannelCredit[] {
  const credits = rows.flatMap((row) => (row.label === null ? [] : [[row.label, { conversions: row.conversions ?? 0, revenue: row.revenue ?? 0 }] as const]));
  return closeLedger(new Map(credits));
}

/** The count row of timeDecayCreditsSql: journeys read and those with a touch. */
export function timeDecayJourneysOf(rows: readonly TimeDecayRow[]): { journeys: number; touched: number } {
  const counted = rows.find((row) => row.label === null);
  return { journeys: Number(counted?.journeys ?? 0), touched: Number(counted?.touched ?? 0) };
}
