import { beforeAll, describe, expect, it } from 'vitest';
import { createDataPort } from '../../../src/adapters/store/data-port.js';
import { modelParams, valueAtStakeSql } from '../../../src/adapters/store/queries/churn.js';
import { historySource } from '../../../src/adapters/store/queries/rfm.js';
import { sqlParams } from '../../../src/adapters/store/sql-params.js';
import { expectedPurchasesIfAlive } from '../../../src/analytics/bg-nbd-predict.js';
import type { CustomerSummary } from '../../../src/analytics/customer-summary.js';
import { DEFAULT_RFM_SEGMENT_MAP } from '../../../src/analytics/rfm-segments.js';
import type { ChurnModels } from '../../../src/analytics/value-at-stake.js';
import { rankByValueAtStake, valueAtStake } from '../../../src/analytics/value-at-stake.js';
import { clearData, testDbKind, useTestDb } from '../../support/db.js';
import { seedSmallShop, SMALL_SHOP_NOW } from '../../support/small-shop.js';

// Published CDNOW fits in weeks (Fader, Hardie & Lee 2005; Fader & Hardie 2013, note 025), as in value-at-stake.test.ts.
const MODELS: ChurnModels = { bgNbd: { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 }, gammaGamma: { p: 6.25, q: 3.74, gamma: 15.44 } };
const UNIT_DAYS = 7;
const HORIZON_WEEKS = 13;

/** A repeat buyer's history as the store keeps it: days, and the mean value of the repeat purchases. */
interface StoredHistory { id: string; repeatPurchases: number; activeDays: number; ageDays: number; repeatMeanValue: number }

const summaryOf = (history: StoredHistory): CustomerSummary => ({
  customerId: history.id, x: history.repeatPurchases, tx: history.activeDays / UNIT_DAYS, T: history.ageDays / UNIT_DAYS, mbar: history.repeatMeanValue,
});

const test = useTestDb();

/** valueAtStakeSql over the given histories, each with the purchases if alive the TypeScript computes for it. */
async function stakesInSql(histories: readonly StoredHistory[], models: ChurnModels): Promise<Map<string, number>> {
  const p = sqlParams();
  const column = <K extends keyof StoredHistory>(key: K) => p.add(histories.map((history) => history[key]));
  const purchases = p.add(histories.map((history) => expectedPurchasesIfAlive(models.bgNbd, summaryOf(history), HORIZON_WEEKS)));
  const rows = await test.db.query<{ id: string; stake: number }>(
    `SELECT h.id, ${valueAtStakeSql('h', 'h.purchases_if_alive', modelParams(models, UNIT_DAYS, p))} AS stake
       FROM unnest(${column('id')}::text[], ${column('repeatPurchases')}::int[], ${column('activeDays')}::int[], ${column('ageDays')}::int[],
                   ${column('repeatMeanValue')}::float8[], ${purchases}::float8[])
            AS h(id, repeat_purchases, active_days, age_days, repeat_mean_value, purchases_if_alive)`,
    p.values,
  );
  return new Map(rows.map((row) => [row.id, Number(row.stake)]));
}

describe(`value at stake in SQL against src/analytics/value-at-stake.ts on ${testDbKind}`, () => {
  beforeAll(async () => {
    await clearData(test.db);
    await seedSmallShop(test.db);
  });

  it('agrees to 1e-12 relative on histories from a lapsed heavy buyer to one who bought today', async () => {
    const histories: StoredHistory[] = [
      { id: 'lapsed', repeatPurchases: 10, activeDays: 35, ageDays: 266, repeatMeanValue: 50 },
      { id: 'recent', repeatPurchases: 10, activeDays: 259, ageDays: 266, repeatMeanValue: 50 },
      { id: 'bought-today', repeatPurchases: 3, activeDays: 120, ageDays: 120, repeatMeanValue: 31.5 },
      { id: 'one-repeat', repeatPurchases: 1, activeDays: 2, ageDays: 400, repeatMeanValue: 12.99 },
      // (r + x) · ln((α + T)/(α + tx)) is large here: P(alive) ≈ 0 and the clamp must not change the value.
      { id: 'heavy', repeatPurchases: 200, activeDays: 140, ageDays: 272, repeatMeanValue: 15 },
    ];
    const sql = await stakesInSql(histories, MODELS);
    for (const history of histories) {
      const reference = valueAtStake(summaryOf(history), MODELS, HORIZON_WEEKS).valueAtStake;
      expect(reference, history.id).toBeGreaterThan(0);
      expect(Math.abs(sql.get(history.id)! - reference) / reference, history.id).toBeLessThan(1e-12);
    }
  });

  it('agrees that the value is unbounded where p·x + q ≤ 1', async () => {
    // E(M) = p(γ + x·mbar) / (p·x + q − 1) has no finite value where p·x + q ≤ 1: p = 0.1, x = 1, q = 0.8 gives −0.1.
    const models: ChurnModels = { ...MODELS, gammaGamma: { p: 0.1, q: 0.8, gamma: 10 } };
    const history: StoredHistory = { id: 'x1', repeatPurchases: 1, activeDays: 10, ageDays: 100, repeatMeanValue: 20 };
    const sql = await stakesInSql([history], models);
    expect(valueAtStake(summaryOf(history), models, HORIZON_WEEKS).valueAtStake).toBe(Number.POSITIVE_INFINITY);
    expect(sql.get('x1')).toBe(Number.POSITIVE_INFINITY);
  });

  it('ranks a shop\'s customers in SQL in the order the TypeScript ranks them', async () => {
    const asOf = { end: SMALL_SHOP_NOW, isNow: true };
    const p = sqlParams();
    const { from, columns } = await historySource(test.db, asOf, p);
    const histories = (await test.db.query<{ id: string; repeat_purchases: number; active_days: number; age_days: number; repeat_mean_value: number }>(
      `SELECT s.customer_id AS id, s.repeat_mean_value, ${columns()} FROM ${from} s WHERE s.purchase_days > 1`, p.values))
      .map((row): StoredHistory => ({ id: row.id, repeatPurchases: row.repeat_purchases, activeDays: row.active_days, ageDays: row.age_days, repeatMeanValue: row.repeat_mean_value }));
    expect(histories.length).toBeGreaterThan(20);
    const pairs = [...new Map(histories.map((history) => [`${history.repeatPurchases} ${history.ageDays}`, history])).values()];
    const ranking = await createDataPort(test.db).churnRanking({
      asOf, scope: { segmentMap: DEFAULT_RFM_SEGMENT_MAP }, unitDays: UNIT_DAYS, models: MODELS, top: histories.length, minPAlive: 0,
      purchasesIfAlive: {
        repeatPurchases: pairs.map((pair) => pair.repeatPurchases),
        ageDays: pairs.map((pair) => pair.ageDays),
        purchases: pairs.map((pair) => expectedPurchasesIfAlive(MODELS.bgNbd, summaryOf(pair), HORIZON_WEEKS)),
      },
    });
    const reference = rankByValueAtStake(histories.map(summaryOf), MODELS, { horizon: HORIZON_WEEKS, top: histories.length });
    expect(ranking.repeatBuyers).toBe(histories.length);
    expect(ranking.top.map((row) => row.customerId)).toEqual(reference.map((row) => row.customerId));
  });
});
