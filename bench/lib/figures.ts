import type { Measured } from './measure.js';

/** One stage of a workload: its time and the memory seen while it ran. */
export type StageFigures = Measured;

export type StageName = 'sql' | 'transfer' | 'fit' | 'score';

/** A workload split into stages: SQL aggregation, transfer to Node, model fit, scoring. */
export interface WorkloadFigures {
  name: string;
  /** Rows the store returned to Node. */
  rows: number;
  stages: Partial<Record<StageName, StageFigures>>;
  /** Named figures worth their own line, unit in the name (bgNbdFitMs, bgNbdGroups). */
  extra?: Record<string, number>;
}

export interface CommandFigures {
  text: string;
  coldMs: number;
  warmMs: number;
  /** The reply's problem kind when the command did not answer (no data, internal error). */
  problem: string | null;
  peakRssMb: number;
  peakHeapMb: number;
}

export const totalMs = (workload: WorkloadFigures): number =>
  Object.values(workload.stages).reduce((sum, stage) => sum + stage.ms, 0);

export const peakOf = (workload: WorkloadFigures, key: 'peakRssMb' | 'peakHeapMb' | 'maxRssMb'): number =>
  Math.max(...Object.values(workload.stages).map((stage) => stage[key]));
