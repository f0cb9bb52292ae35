import type { DuckDbFigures } from './duckdb-rfm.js';
import type { CommandFigures, WorkloadFigures } from './figures.js';
import { peakOf, totalMs } from './figures.js';

export interface BenchReport {
  startedAt: string;
  machine: { cpus: number; node: string; loadAverage: number[]; database: string; server: string };
  customers: number;
  orders: number;
  seededMs: number | null;
  rebuildMs?: number;
  commands?: CommandFigures[];
  workloads?: WorkloadFigures[];
  duckdb?: DuckDbFigures;
  others?: Record<string, unknown>;
  /** EXPLAIN ANALYZE of the reads behind workloads that were slow. */
  plans?: Record<string, string>;
  /** The process's RSS high-water mark over the whole run, DuckDB and PathData included. */
  processMaxRssMb: number;
  /** The same before the DuckDB reference ran: what the app's own work needed. */
  appMaxRssMb: number;
  verdicts: Verdict[];
}

export interface Verdict {
  target: string;
  measured: string;
  isMet: boolean;
}

const cell = (value: number | undefined, digits = 0): string => (value === undefined ? '–' : value.toFixed(digits));

export function workloadTable(workloads: readonly WorkloadFigures[]): string {
  const lines = [
    '| workload | rows | SQL ms | transfer ms | fit ms | score ms | total ms | peak RSS MB | peak heap MB |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const w of workloads) {
    lines.push(`| ${w.name} | ${w.rows} | ${cell(w.stages.sql?.ms)} | ${cell(w.stages.transfer?.ms)} | ${cell(w.stages.fit?.ms)} | ${cell(w.stages.score?.ms)} | ${cell(totalMs(w))} | ${cell(peakOf(w, 'peakRssMb'))} | ${cell(peakOf(w, 'peakHeapMb'))} |`);
  }
  return lines.join('\n');
}

export function commandTable(commands: readonly CommandFigures[]): string {
  const lines = ['| command | cold ms | warm ms | peak RSS MB | answered |', '|---|---:|---:|---:|---|'];
  for (const c of commands) lines.push(`| ${c.text} | ${cell(c.coldMs)} | ${cell(c.warmMs)} | ${cell(c.peakRssMb)} | ${c.problem ?? 'yes'} |`);
  return lines.join('\n');
}

export function duckDbTable(d: DuckDbFigures): string {
  return [
    `| DuckDB reference (${d.orders} orders → ${d.customers} customers) | ms |`, '|---|---:|',
    `| export orders to CSV (store → file, not DuckDB) | ${cell(d.exportMs)} |`,
    `| CSV → Parquet | ${cell(d.parquetMs)} |`,
    `| RFM GROUP BY over CSV | ${cell(d.groupByCsvMs)} |`,
    `| RFM GROUP BY over Parquet | ${cell(d.groupByParquetMs)} |`,
    `| read the answer into JS objects | ${cell(d.readIntoJsMs)} |`,
  ].join('\n');
}

export function verdictTable(verdicts: readonly Verdict[]): string {
  return ['| target | measured | met |', '|---|---|---|', ...verdicts.map((v) => `| ${v.target} | ${v.measured} | ${v.isMet ? 'yes' : 'NO'} |`)].join('\n');
}
