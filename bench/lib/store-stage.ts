import type { Db } from '../../src/adapters/store/db.js';
import type { StageFigures } from './figures.js';
import { measure } from './measure.js';
import { recordingDb, serverOnlyMs } from './recording-db.js';
import type { RecordedQuery } from './recording-db.js';

export interface StoreStage<T> {
  value: T;
  sql: StageFigures;
  transfer: StageFigures;
  queries: RecordedQuery[];
}

/**
 * Splits a store read into the server's aggregation (its reads re-run under EXPLAIN ANALYZE, which
 * computes every row and sends none) and the transfer into Node objects (the rest of the read's time).
 * The read runs first, so both see the same warm caches.
 */
export async function storeStage<T>(db: Db, read: (db: Db) => Promise<T>): Promise<StoreStage<T>> {
  const { db: recording, recorded } = recordingDb(db);
  const call = await measure(() => read(recording));
  const sql = await measure(() => serverOnlyMs(db, recorded));
  const transferMs = Math.max(0, call.ms - sql.value);
  return {
    value: call.value,
    sql: { ...sql, ms: sql.value },
    transfer: { ...call, ms: transferMs },
    queries: recorded,
  };
}
