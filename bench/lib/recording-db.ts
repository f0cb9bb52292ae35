import type { Db } from '../../src/adapters/store/db.js';

export interface RecordedQuery {
  sql: string;
  params: readonly unknown[];
}

/** A Db that remembers every query it is asked, so the bench can time the same SQL on the server alone. */
export function recordingDb(db: Db): { db: Db; recorded: RecordedQuery[] } {
  const recorded: RecordedQuery[] = [];
  const wrap = (inner: Db): Db => ({
    ...inner,
    query: (sql, params = []) => {
      recorded.push({ sql, params });
      return inner.query(sql, params);
    },
    transaction: (work) => inner.transaction((tx) => work(wrap(tx))),
  });
  return { db: wrap(db), recorded };
}

/** A statement that only reads: safe to re-run under EXPLAIN ANALYZE. */
export const isRead = (sql: string): boolean => /^\s*(SELECT|WITH)\b/i.test(sql) && !/\b(INSERT|UPDATE|DELETE)\b/i.test(sql);

/**
 * Runs the recorded reads under EXPLAIN ANALYZE, all at once as the store ran them: the server
 * computes every row but sends none, so this is the SQL aggregation alone. Returns the wall time.
 */
export async function serverOnlyMs(db: Db, queries: readonly RecordedQuery[]): Promise<number> {
  const reads = queries.filter((query) => isRead(query.sql));
  const started = performance.now();
  await Promise.all(reads.map((query) => db.query(`EXPLAIN (ANALYZE, TIMING OFF, SUMMARY ON) ${query.sql}`, query.params)));
  return performance.now() - started;
}

/** The plan of the slowest-looking read, for the report when a stage misses its target. */
export async function explainAnalyze(db: Db, query: RecordedQuery): Promise<string> {
  const rows = await db.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${query.sql}`, query.params);
  return rows.map((row) => row['QUERY PLAN']).join('\n');
}
