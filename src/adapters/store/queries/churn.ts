import type { AsOf, CustomerData, HistoryGroup } from '../../../bot/data-port.js';
import type { Db } from '../db.js';
import { orderDataVersion } from './customer-summaries.js';
import { historyColumns, historySource } from './rfm.js';

/** What the churn models read: histories grouped in SQL, and the cache of fitted parameters. */
export function churnQueries(db: Db): Omit<CustomerData, 'customerHistories'> {
  return {
    /** One row per distinct (x, tx, T) in days: the BG/NBD fit never needs more than these. */
    async historyGroups(asOf: AsOf): Promise<HistoryGroup[]> {
      const { from, params } = await historySource(db, asOf);
      const rows = await db.query<{ repeat_purchases: number; active_days: number; age_days: number; customers: number }>(
        `SELECT repeat_purchases, active_days, age_days, count(*)::int AS customers
           FROM (SELECT ${historyColumns()} FROM ${from} s) AS h
          GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
        params,
      );
      return rows.map((row) => ({ repeatPurchases: row.repeat_purchases, activeDays: row.active_days, ageDays: row.age_days, customers: row.customers }));
    },

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
