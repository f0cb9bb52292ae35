import type { Db } from '../../src/adapters/store/db.js';
import type { WorkloadFigures } from './figures.js';
import { explainAnalyze, isRead } from './recording-db.js';
import type { RecordedQuery } from './recording-db.js';

/** A workload whose SQL stage takes longer than this gets its reads' plans in the report. */
const SLOW_SQL_MS = 1000;

/** EXPLAIN (ANALYZE, BUFFERS) of each distinct read behind a slow workload, keyed by workload name. */
export async function slowReadPlans(db: Db, workloads: readonly WorkloadFigures[], queries: ReadonlyMap<string, RecordedQuery[]>): Promise<Record<string, string>> {
  const plans: Record<string, string> = {};
  const seen = new Set<string>();
  for (const workload of workloads) {
    if ((workload.stages.sql?.ms ?? 0) < SLOW_SQL_MS) continue;
    for (const [index, query] of (queries.get(workload.name) ?? []).entries()) {
      const key = `${query.sql}|${JSON.stringify(query.params)}`;
      if (!isRead(query.sql) || query.sql.includes('EXISTS (SELECT 1 FROM dirty_customers)') || seen.has(key)) continue;
      seen.add(key);
      plans[`${workload.name} #${index + 1}`] = `${query.sql}\n-- params ${JSON.stringify(query.params)}\n${await explainAnalyze(db, query)}`;
    }
  }
  return plans;
}
