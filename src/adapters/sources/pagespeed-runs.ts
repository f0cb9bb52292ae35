import type { Db } from '../store/db.js';
import { insertBatch } from '../store/insert-batch.js';

export type FormFactor = 'mobile' | 'desktop';

/** One row of pagespeed_runs (data contract); null where the run did not measure the metric. */
export interface PagespeedRun {
  at: Date;
  url: string;
  formFactor: FormFactor;
  kind: 'lab' | 'field';
  source: 'psi' | 'crux' | 'lighthouse';
  performanceScore: number | null;
  lcpMs: number | null;
  inpMs: number | null;
  cls: number | null;
  ttfbMs: number | null;
  tbtMs: number | null;
  /** First Contentful Paint: the lab time, or the field p75. */
  fcpMs: number | null;
  /** Speed Index, a lab metric only. */
  speedIndexMs: number | null;
  thirdPartyMs: number | null;
  thirdPartyBytes: number | null;
  details: Record<string, unknown> | null;
}

const COLUMNS = ['at', 'url', 'form_factor', 'kind', 'source', 'performance_score', 'lcp_ms', 'inp_ms', 'cls', 'ttfb_ms', 'tbt_ms', 'fcp_ms', 'speed_index_ms', 'third_party_ms', 'third_party_bytes', 'details'] as const;
const TYPES = ['timestamptz', 'text', 'text', 'text', 'text', 'real', 'real', 'real', 'real', 'real', 'real', 'real', 'real', 'real', 'int8', 'jsonb'] as const;
const UPDATES = COLUMNS.slice(5).map((column) => `${column} = excluded.${column}`).join(', ');

/** Upserts runs on their natural key (url, form factor, kind, time, source): a re-read run replaces itself. */
export async function writePagespeedRuns(db: Db, runs: readonly PagespeedRun[]): Promise<number> {
  // One statement may not update the same row twice, so the last run per key wins here.
  const unique = new Map(runs.map((run) => [`${run.url} ${run.formFactor} ${run.kind} ${run.at.toISOString()} ${run.source}`, run]));
  const rows = [...unique.values()].map((run) => [run.at, run.url, run.formFactor, run.kind, run.source, run.performanceScore, run.lcpMs, run.inpMs, run.cls, run.ttfbMs, run.tbtMs, run.fcpMs, run.speedIndexMs, run.thirdPartyMs, run.thirdPartyBytes, run.details]);
  return insertBatch(db, 'pagespeed_runs', COLUMNS, TYPES, rows, { onConflict: `ON CONFLICT (url, form_factor, kind, at, source) DO UPDATE SET ${UPDATES}` });
}
