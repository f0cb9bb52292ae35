import { z } from 'zod';
import type { AsOf, ChurnPopulation, ChurnRanking, ChurnRankingQuery, CustomerData, HistoryGroup, RankedHistory, RepeatSpends } from '../../../bot/data-port.js';
import { asOfDay } from '../../../bot/data-port.js';
import type { Db } from '../db.js';
import { answerKey, asOfKey, cachedAnswer, fingerprintOf, StoredDate } from './answer-cache.js';
import { orderDataVersion } from './customer-summaries.js';
import { historySource } from './rfm.js';
import { historySegmentOf, rfmCutsCte, segmentGridParam } from './rfm-scores.js';
import type { SqlParams } from '../sql-params.js';
import { sqlParams } from '../sql-params.js';

/**
 * What the churn command reads. A million customers never travel to Node: the fits read grouped
 * histories and spend columns (arrays in one row, far cheaper to transfer than a row per customer),
 * and the ranking by value at stake runs in SQL, returning only the top customers.
 */
export function churnQueries(db: Db): CustomerData {
  return {
    /** One row per distinct (x, tx, T) in days: the BG/NBD fit never needs more than these. */
    async historyGroups(asOf: AsOf): Promise<HistoryGroup[]> {
      const p = sqlParams();
      const { from, columns } = await historySource(db, asOf, p);
      const [row] = await db.query<{ x: number[] | null; tx: number[] | null; t: number[] | null; customers: number[] | null }>(
        // The four arrays are filled in one pass over the same rows, so their elements line up; the groups
        // are sorted once in the subquery (an ORDER BY inside each array_agg sorted them four times: 2.6 s
        // of 3.4 at a million customers), which keeps the fit's sums in a repeatable order.
        `SELECT array_agg(repeat_purchases) AS x, array_agg(active_days) AS tx, array_agg(age_days) AS t, array_agg(customers) AS customers
           FROM (SELECT repeat_purchases, active_days, age_days, count(*)::int AS customers
                   FROM (SELECT ${columns()} FROM ${from} s) AS h
                  GROUP BY 1, 2, 3 ORDER BY 1, 2, 3) AS grouped`,
        p.values,
      );
      const { x, tx, t, customers } = { x: row?.x ?? [], tx: row?.tx ?? [], t: row?.t ?? [], customers: row?.customers ?? [] };
      return x.map((repeatPurchases, i) => ({ repeatPurchases, activeDays: tx[i] ?? 0, ageDays: t[i] ?? 0, customers: customers[i] ?? 0 }));
    },

    async repeatSpends(asOf: AsOf): Promise<RepeatSpends> {
      const p = sqlParams();
      const { from } = await historySource(db, asOf, p);
      const [row] = await db.query<{ x: number[] | null; mbar: number[] | null }>(
        `SELECT array_agg(s.purchase_days - 1) AS x, array_agg(s.repeat_mean_value) AS mbar
           FROM ${from} s WHERE s.purchase_days > 1`,
        p.values,
      );
      return { repeatPurchases: row?.x ?? [], repeatMeanValue: row?.mbar ?? [] };
    },

    // Now, the summaries hold every order (however it is dated), so the day names the answer exactly.
    churnPopulation: (asOf: AsOf): Promise<ChurnPopulation> =>
      cachedAnswer(db, { kind: 'churn_population', key: answerKey({ asOf: asOfKey(asOf) }), shape: StoredChurnPopulation }, () => countPopulation(db, asOf)),

    churnRanking: (query: ChurnRankingQuery): Promise<ChurnRanking> =>
      cachedAnswer(db, { kind: 'churn_ranking', key: rankingKey(query), shape: StoredChurnRanking }, () => rankByValueAtStake(db, query)),
    async cachedModel(model: string, asOf: AsOf): Promise<{ dataVersion: number; params: unknown }> {
      const dataVersion = await orderDataVersion(db);
      const [row] = await db.query<{ params: unknown }>(
        'SELECT params FROM model_cache WHERE model = $1 AND as_of = $2 AND data_version = $3',
        [modelCacheName(model, asOf), asOfDay(asOf), dataVersion],
      );
      return { dataVersion, params: row?.params };
    },

    async storeModel(model: string, asOf: AsOf, dataVersion: number, params: unknown): Promise<void> {
      await db.query(
        `INSERT INTO model_cache (model, as_of, data_version, params) VALUES ($1, $2, $3, $4)
         ON CONFLICT (model, as_of) DO UPDATE SET data_version = EXCLUDED.data_version, params = EXCLUDED.params, fitted_at = now()`,
        [modelCacheName(model, asOf), asOfDay(asOf), dataVersion, JSON.stringify(params)],
      );
    },
  };
}

/**
 * A fit's row in model_cache: the model and its as-of point as the answer cache keys it ("now D" or the
 * instant a past day ends), so a fit on every order and one on the orders before a day's end never
 * share a row, although both are dated that day.
 */
function modelCacheName(model: string, asOf: AsOf): string {
  return `${model} ${asOfKey(asOf)}`;
}

/** How many customers there are as of a point, and the distinct (x, T) pairs of repeat buyers. */
async function countPopulation(db: Db, asOf: AsOf): Promise<ChurnPopulation> {
  const p = sqlParams();
  const { from, columns } = await historySource(db, asOf, p);
  const [row] = await db.query<{ customers: number; x: number[] | null; t: number[] | null }>(
    `WITH h AS (SELECT ${columns()} FROM ${from} s)
     SELECT (SELECT count(*)::int FROM h) AS customers,
            array_agg(repeat_purchases) AS x, array_agg(age_days) AS t
       FROM (SELECT DISTINCT repeat_purchases, age_days FROM h WHERE repeat_purchases > 0) AS pairs`,
    p.values,
  );
  return { customers: row?.customers ?? 0, repeatPurchases: row?.x ?? [], ageDays: row?.t ?? [] };
}

/**
 * Everything the ranking depends on besides the orders. The expected purchases are hashed whole:
 * the horizon reaches the query through them alone.
 */
function rankingKey(query: ChurnRankingQuery): string {
  const { bgNbd, gammaGamma } = query.models;
  const { scope } = query;
  return answerKey({
    asOf: asOfKey(query.asOf),
    grid: segmentGridParam(scope.segmentMap),
    segment: scope.segment ?? null,
    activeIn: scope.activeIn ? [scope.activeIn.start.toISOString(), scope.activeIn.end.toISOString()] : null,
    models: [bgNbd.r, bgNbd.alpha, bgNbd.a, bgNbd.b, gammaGamma.p, gammaGamma.q, gammaGamma.gamma],
    unitDays: query.unitDays,
    top: query.top,
    minPAlive: query.minPAlive,
    purchasesIfAlive: fingerprintOf(query.purchasesIfAlive),
  });
}

/** The models' parameters as placeholders, for valueAtStakeSql. */
export interface ModelParams {
  r: string; alpha: string; a: string; b: string;
  p: string; q: string; gamma: string;
  /** Days per time unit of the BG/NBD fit. */
  unitDays: string;
}

export function modelParams(models: ChurnRankingQuery['models'], unitDays: number, p: SqlParams): ModelParams {
  const float = (value: number) => `${p.add(value)}::float8`;
  const { bgNbd, gammaGamma } = models;
  return {
    r: float(bgNbd.r), alpha: float(bgNbd.alpha), a: float(bgNbd.a), b: float(bgNbd.b),
    p: float(gammaGamma.p), q: float(gammaGamma.q), gamma: float(gammaGamma.gamma), unitDays: float(unitDays),
  };
}

/**
 * valueAtStake of src/analytics/value-at-stake.ts in SQL, for the history row `h` (repeat_purchases,
 * active_days and age_days in days, repeat_mean_value) of a repeat buyer and its purchases if alive:
 * (1 − P(alive)) × E[purchases | alive] × E(M). 1 − P(alive) is the logistic of the log odds of
 * having dropped out, clamped where exp overflows; E(M) has no finite value (Infinity) where p·x + q ≤ 1.
 * test/adapters/store/value-at-stake-sql.test.ts checks it against the TypeScript on the same histories.
 */
export function valueAtStakeSql(h: string, purchasesIfAlive: string, m: ModelParams): string {
  const x = `${h}.repeat_purchases`;
  const churned = churnedSql(h, m);
  const orderValue = `CASE WHEN ${m.p} * ${x} + ${m.q} - 1 <= 0 THEN 'Infinity'::float8
      ELSE ${m.p} * (${m.gamma} + ${x} * ${h}.repeat_mean_value) / (${m.p} * ${x} + ${m.q} - 1) END`;
  return `(${churned}) * ${purchasesIfAlive} * (${orderValue})`;
}

/**
 * The log odds of having dropped out against being alive, as probabilityAlive in
 * src/analytics/bg-nbd-predict.ts computes them, for the history row `h` of a repeat buyer (x > 0 only: ln(b + x − 1)).
 */
export function logOddsGoneSql(h: string, m: ModelParams): string {
  const x = `${h}.repeat_purchases`;
  return `(ln(${m.a}) - ln(${m.b} + ${x} - 1)
      + (${m.r} + ${x}) * (ln(${m.alpha} + ${h}.age_days / ${m.unitDays}) - ln(${m.alpha} + ${h}.active_days / ${m.unitDays})))`;
}

/** 1 − P(alive): the logistic of the log odds, clamped where exp overflows. */
function churnedSql(h: string, m: ModelParams): string {
  return `1 / (1 + exp(-least(700, greatest(-700, ${logOddsGoneSql(h, m)}))))`;
}

/**
 * P(alive) ≤ floor as a bound on the log odds of having dropped out, ln((1 − floor)/floor), which keeps
 * its meaning where 1 − P(alive) rounds to 1; a floor of 0 counts nobody as gone.
 */
export function goneLogOddsBound(minPAlive: number): number {
  return minPAlive <= 0 ? Number.MAX_VALUE : Math.log((1 - minPAlive) / minPAlive);
}

/**
 * Value at stake of every customer in scope, ranked in SQL among those the model still thinks likely
 * active (P(alive) above the floor); only the top rows, the counts, and how many are gone with their
 * revenue come back.
 */
async function rankByValueAtStake(db: Db, query: ChurnRankingQuery): Promise<ChurnRanking> {
  const p = sqlParams();
  const { from, columns } = await historySource(db, query.asOf, p);
  const { scope } = query;
  const grid = p.add(segmentGridParam(scope.segmentMap));
  // The segment is scored per row only where a filter needs it, and otherwise for the top rows alone.
  const segment = historySegmentOf(grid, 'h', 'c');
  const inSegment = scope.segment === undefined ? 'true' : `${segment} = ${p.add(scope.segment)}::text`;
  const isActive = scope.activeIn === undefined ? 'true'
    : `h.last_order_at >= ${p.add(scope.activeIn.start)}::timestamptz AND h.last_order_at < ${p.add(scope.activeIn.end)}::timestamptz`;
  const inScope = `${inSegment} AND ${isActive}`;
  const { repeatPurchases, ageDays, purchases } = query.purchasesIfAlive;
  const expected = `unnest(${p.add(repeatPurchases)}::int[], ${p.add(ageDays)}::int[], ${p.add(purchases)}::float8[])`;
  const models = modelParams(query.models, query.unitDays, p);
  const stake = valueAtStakeSql('h', 'e.purchases_if_alive', models);
  // Guarded by CASE: SQL may evaluate either side of an AND first, and ln(b + x − 1) needs x > 0.
  const isGone = `CASE WHEN h.repeat_purchases > 0 THEN ${logOddsGoneSql('h', models)} >= ${p.add(goneLogOddsBound(query.minPAlive))}::float8 ELSE false END`;
  const historySelect = `SELECT s.customer_id, s.last_order_at, s.orders AS frequency, s.revenue_value AS m_value, ${columns()},
           s.repeat_mean_value, s.revenue AS revenue_to_date
      FROM ${from} s`;
  // Now, the kept summaries are cheaper to read twice than to materialise (10⁶ wide rows spill);
  // as of a past day, the orders are aggregated once.
  const h = query.asOf.isNow ? `(${historySelect})` : 'histories';
  const rows = await db.query<RankingRow>(
    `WITH ${query.asOf.isNow ? '' : `histories AS MATERIALIZED (${historySelect}),`}
     ${rfmCutsCte('cuts', h)},
     totals AS (
       SELECT count(*)::int AS customers, count(*) FILTER (WHERE h.repeat_purchases > 0)::int AS repeat_buyers,
              count(*) FILTER (WHERE ${isGone})::int AS gone_customers,
              -- Summed as numeric, exact to the cent, and only then a float.
              coalesce(sum(h.revenue_to_date) FILTER (WHERE ${isGone}), 0)::float8 AS gone_revenue
         FROM ${h} AS h CROSS JOIN cuts c WHERE ${inScope}
     ),
     top AS (
       SELECT h.customer_id, h.last_order_at, ${segment} AS segment_id, h.repeat_purchases, h.active_days, h.age_days,
              h.repeat_mean_value, h.value_at_stake
         FROM (SELECT h.*, ${stake} AS value_at_stake
                 FROM ${h} AS h CROSS JOIN cuts c
                 JOIN ${expected} AS e(repeat_purchases, age_days, purchases_if_alive)
                   ON e.repeat_purchases = h.repeat_purchases AND e.age_days = h.age_days
                WHERE h.repeat_purchases > 0 AND NOT (${isGone}) AND ${inScope}
                ORDER BY value_at_stake DESC, h.customer_id COLLATE "C" LIMIT ${p.add(query.top)}) AS h
        CROSS JOIN cuts c
     )
     SELECT totals.customers, totals.repeat_buyers, totals.gone_customers, totals.gone_revenue, top.*
       FROM totals LEFT JOIN top ON true
      ORDER BY top.value_at_stake DESC, top.customer_id COLLATE "C"`,
    p.values,
  );
  return {
    customers: rows[0]?.customers ?? 0,
    repeatBuyers: rows[0]?.repeat_buyers ?? 0,
    top: rows.flatMap((row) => (row.customer_id === null ? [] : [toRankedHistory(row)])),
    gone: { customers: rows[0]?.gone_customers ?? 0, revenue: rows[0]?.gone_revenue ?? 0 },
  };
}

/** What a cached population and ranking read back as: JSON, with last orders as ISO text. */
const StoredChurnPopulation = z.object({ customers: z.number(), repeatPurchases: z.array(z.number()), ageDays: z.array(z.number()) });
const StoredChurnRanking = z.object({
  customers: z.number(),
  repeatBuyers: z.number(),
  top: z.array(z.object({
    customerId: z.string(), lastOrderAt: StoredDate, segmentId: z.string(),
    repeatPurchases: z.number(), activeDays: z.number(), ageDays: z.number(), repeatMeanValue: z.number(),
  })),
  gone: z.object({ customers: z.number(), revenue: z.number() }),
});

/** The ranking's rows: the counts in scope on every row, then one top customer (all null when none is in scope). */
type RankingRow = { customers: number; repeat_buyers: number; gone_customers: number; gone_revenue: number } & (
  | { customer_id: string; last_order_at: Date; segment_id: string; repeat_purchases: number; active_days: number; age_days: number; repeat_mean_value: number }
  | { customer_id: null }
);

function toRankedHistory(row: RankingRow & { customer_id: string }): RankedHistory {
  return {
    customerId: row.customer_id,
    lastOrderAt: row.last_order_at,
    segmentId: row.segment_id,
    repeatPurchases: row.repeat_purchases,
    activeDays: row.active_days,
    ageDays: row.age_days,
    repeatMeanValue: row.repeat_mean_value,
  };
}
