import type { Db } from '../db.js';

/** Whether the store holds any order: one row read, not a count. */
export async function hasOrders(db: Db): Promise<boolean> {
  const [row] = await db.query<{ any: boolean }>('SELECT EXISTS (SELECT 1 FROM orders) AS any');
  return row?.any ?? false;
}
