import { z } from 'zod';
import type { AsOf, ChurnPopulation, ChurnRanking, ChurnRankingQuery, CustomerData, HistoryGroup, RankedHistory, RepeatSpends } from '../../../bot/data-port.js';
import type { Db } from '../db.js';
import { answerKey, asOfKey, cachedAnswer, fingerprintOf, StoredDate } from './answer-cache.js';
import { orderDataVersion } from './customer-summaries.js';
import { historyColumns, historySource } from './rfm.js';
import { historySegmentOf, rfmCutsCte, segmentGridParam } from './rfm-scores.js';


/**
 * What the churn command reads. A million customers never travel to Node: the fits read grouped
 * histories and spend columns (arrays in one row, far cheaper to transfer than a row per customer),
 * and the ranking by value at stake runs in SQL, returning only the top customers.
 */
export function churnQueries(db: Db): CustomerData {
  return {
    /** One row per distinct (x, tx, T) in days: the BG/NBD fit never needs more than these. */
    async historyGroups(asOf: AsOf): Promise<HistoryGroup[]> {
      const { from, params } = await historySource(db, asOf);
      const [row] = await db.query<{ x: number[] | null; tx: number[] | null; t: number[] | null; customers: number[] | null }>(
        // The four arrays are filled in one pass over the same rows, so their elements line up; the groups
        // are sorted once in the subquery (an ORDER BY inside each array_agg sorted them four times: 2.6 s
        // of 3.4 at a million customers), which keeps the fit's sums in a repeatable order.
        `SELECT array_agg(repeat_purchases) AS x, array_agg(active_days) AS tx, array_agg(age_days) AS t, array_agg(customers) AS customers
           FROM (SELECT repeat_purchases, active_days, age_days, count(*)::int AS customers
                   FROM (SELECT ${historyColumns()} FROM ${from} s) AS h
                  GROUP BY 1, 2, 3 ORDER BY 1, 2, 3) AS grouped`,
        params,
      );
      const { x, tx, t, customers } = { x: row?.x ?? [], tx: row?.tx ?? [], t: row?.t ?? [], customers: row?.customers ?? [] };
      return x.map((repeatPurchases, i) => ({ repeatPurchases, activeDays: tx[i] ?? 0, ageDays: t[i] ?? 0, customers: customers[i] ?? 0 }));
    },

    async repeatSpends(asOf: AsOf): Promise<RepeatSpends> {
      const { from, params } = await historySource(db, asOf);
      const [row] = await db.query<{ x: number[] | null; mbar: number[] | null }>(
        `SELECT array_agg(s.purchase_days - 1) AS x, array_agg(s.repeat_mean_value) AS mbar
           FROM ${from} s WHERE s.purchase_days > 1 AND $1::date IS NOT NULL`, // names $1 (the as-of day), which the summaries source leaves unused
        params,
      );
      return { repeatPurchases: row?.x ?? [], repeatMeanValue: row?.mbar ?? [] };
    },

    // Now, the summaries hold every order (however it is dated), so the day names the answer exactly.
    churnPopulation: (asOf: AsOf): Promise<ChurnPopulation> =>
      cachedAnswer(db, { kind: 'churn_population', key: answerKey({ asOf: asOfKey(asOf) }), shape: StoredChurnPopulation }, () => countPopulation(db, asOf)),

    churnRanking: (query: ChurnRankingQuery): Promise<ChurnRanking> =>
      cachedAnswer(db, { kind: 'churn_ranking', key: rankingKey(query), shape: StoredChurnRanking }, () => rankByValueAtStake(db, query)),
    async cachedModel(model: string, asOfDay: string): Promise<{ dataVersion: number; params: unknown }> {
      const dataVersion = await orderDataVersion(db);
      const [row] = await db.query<{ params: unknown }>(
        'SELECT params FROM model_cache WHERE model = $1 AND as_of = $2 AND data_version = $3',
        [model, asOfDay, dataVersion],
      );
      return { dataVersion, params: row?.params };
    },

    async storeModel(model: string, asOfDay: string, dataVersion: number, params: unknown): Promise<void> {
      await db.query(
        `INSERT INTO model_cache (model, as_of, data_version, params) VALUES ($1, $2, $3, $4)
         ON CONFLICT (model, as_of) DO UPDATE SET data_version = EXCLUDED.data_version, params = EXCLUDED.params, fitted_at = now()`,
        [model, asOfDay, dataVersion, JSON.stringify(params)],
      );
    },
  };
}

/** How many customers there are as of a point, and the distinct (x, T) pairs of repeat buyers. */
async function countPopulation(db: Db, asOf: AsOf): Promise<ChurnPopulation> {
  const { from, params } = await historySource(db, asOf);
  const [row] = await db.query<{ customers: number; x: number[] | null; t: number[] | null }>(
    `WITH h AS (SELECT ${historyColumns()} FROM ${from} s)
     SELECT (SELECT count(*)::int FROM h) AS customers,
            array_agg(repeat_purchases) AS x, array_agg(age_days) AS t
       FROM (SELECT DISTINCT repeat_purchases, age_days FROM h WHERE repeat_purchases > 0) AS pairs`,
    params,
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
    purchasesIfAlive: fingerprintOf(query.purchasesIfAlive),
  });
}

/** Value at stake of every customer in scope, ranked in SQL; only the top rows and two counts come back. */
async function rankByValueAtStake(db: Db, query: ChurnRankingQuery): Promise<ChurnRanking> {
  const { from, params } = await historySource(db, query.asOf);
  const { bgNbd, gammaGamma } = query.models;
  const at = params.length + 1;
  const { scope } = query;
  params.push(
    segmentGridParam(scope.segmentMap),
    scope.segment ?? null, scope.activeIn?.start ?? null, scope.activeIn?.end ?? null,
    query.purchasesIfAlive.repeatPurchases, query.purchasesIfAlive.ageDays, query.purchasesIfAlive.purchases,
    bgNbd.r, bgNbd.alpha, bgNbd.a, bgNbd.b, gammaGamma.p, gammaGamma.q, gammaGamma.gamma, query.unitDays, query.top,
  );
  const p = (offset: number) => `$${at + offset}`;
  const [r, alpha, a, b, gp, gq, gGamma, unitDays] = [p(7), p(8), p(9), p(10), p(11), p(12), p(13), p(14)].map((name) => `${name}::float8`);
  // The segment is scored per row only where a filter needs it, and otherwise for the top rows alone.
  const segment = historySegmentOf(at, 'h', 'c');
  const inScope = `(${p(1)}::text IS NULL OR ${segment} = ${p(1)}::text)
    AND (${p(2)}::timestamptz IS NULL OR (h.last_order_at >= ${p(2)}::timestamptz AND h.last_order_at < ${p(3)}::timestamptz))`;
  const historySelect = `SELECT s.customer_id, s.last_order_at, s.orders AS frequency, s.revenue_value AS m_value, ${historyColumns()},
           s.repeat_mean_value
      FROM ${from} s`;
  // Now, the kept summaries are cheaper to read three times than to materialise (10⁶ wide rows spill);
  // as of a past day, the orders are aggregated once.
  const h = query.asOf.isNow ? `(${historySelect})` : 'histories';
  const rows = await db.query<RankingRow>(
    `WITH ${query.asOf.isNow ? '' : `histories AS MATERIALIZED (${historySelect}),`}
     ${rfmCutsCte('cuts', h)},
     expected AS (
       SELECT * FROM unnest(${p(4)}::int[], ${p(5)}::int[], ${p(6)}::float8[]) AS e(repeat_purchases, age_days, purchases_if_alive)
     ),
     valued AS (
       -- valueAtStake of src/analytics/value-at-stake.ts: (1 − P(alive)) × E[purchases | alive] × E(M).
       -- 1 − P(alive) is the logistic of the log odds of having dropped out, clamped where exp overflows.
       SELECT h.*,
              1 / (1 + exp(-least(700, greatest(-700,
                ln(${a}) - ln(${b} + h.repeat_purchases - 1)
                + (${r} + h.repeat_purchases) * (ln(${alpha} + h.age_days / ${unitDays}) - ln(${alpha} + h.active_days / ${unitDays})))))) AS churned,
              e.purchases_if_alive,
              CASE WHEN ${gp} * h.repeat_purchases + ${gq} - 1 <= 0 THEN 'Infinity'::float8
                   ELSE ${gp} * (${gGamma} + h.repeat_purchases * h.repeat_mean_value) / (${gp} * h.repeat_purchases + ${gq} - 1) END AS order_value
         FROM ${h} AS h CROSS JOIN cuts c
         JOIN expected e ON e.repeat_purchases = h.repeat_purchases AND e.age_days = h.age_days
        WHERE h.repeat_purchases > 0 AND ${inScope}
     )
     SELECT 'total' AS kind, NULL AS customer_id, NULL::timestamptz AS last_order_at, NULL AS segment_id,
            count(*)::int AS repeat_purchases, count(*) FILTER (WHERE h.repeat_purchases > 0)::int AS active_days,
            NULL::int AS age_days, NULL::float8 AS repeat_mean_value
       FROM ${h} AS h CROSS JOIN cuts c WHERE ${inScope}
     UNION ALL
     SELECT 'top', h.customer_id, h.last_order_at, ${segment}, h.repeat_purchases, h.active_days, h.age_days, h.repeat_mean_value
       FROM (SELECT * FROM valued ORDER BY churned * purchases_if_alive * order_value DESC, customer_id COLLATE "C" LIMIT ${p(15)}) AS h
      CROSS JOIN cuts c`,
    params,
  );
  const total = rows.find((row) => row.kind === 'total');
  return {
    customers: total?.repeat_purchases ?? 0,
    repeatBuyers: total?.active_days ?? 0,
    top: rows.filter((row) => row.kind === 'top').map(toRankedHistory),
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
});

/** The ranking's rows: one 'total' row (counts in the first two number columns), then the top customers. */
interface RankingRow {
  kind: 'total' | 'top';
  customer_id: string;
  last_order_at: Date;
  segment_id: string;
  repeat_purchases: number;
  active_days: number;
  age_days: number;
  repeat_mean_value: number;
}

function toRankedHistory(row: RankingRow): RankedHistory {
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
