import type { HourBaseline } from './baseline.js';
import { HOUR_MS } from './time.js';

/**
 * Contiguous runs of hours where an event count sits far below its seasonal baseline. Hours are
 * judged together, not one by one: a shop with a handful of purchases an hour cannot show a
 * significant drop in a single hour, but eight hours at zero are unmistakable. A run counts when
 * every hour in it is well below its median, the hours together expected enough events, and the
 * run's combined robust z-score, (observed − expected) / √(Σ scale²), is low enough.
 */
export interface DropRule {
  /** Combined robust z-score at or below which a run is a drop (default −4). */
  maxZ: number;
  /** Percent below the baseline median at or above which an hour can be part of a run (default 50). */
  minPercentBelow: number;
  /** A run whose baseline medians add up to less than this is too quiet to judge: a quiet night is not an outage (default 10). */
  minExpected: number;
}

export const DEFAULT_DROP_RULE: DropRule = { maxZ: -4, minPercentBelow: 50, minExpected: 10 };

export interface DropWindow {
  startMs: number;
  /** End of the last low hour (exclusive). */
  endMs: number;
  hours: number;
  observed: number;
  expected: number;
  /** 1 − observed / expected over the window. */
  dropShare: number;
  /** Combined robust z-score of the window. */
  z: number;
}

/** An hour well below its usual level: a candidate to be part of a drop window. */
export function isLowHour(baseline: HourBaseline, rule: DropRule = DEFAULT_DROP_RULE): boolean {
  return baseline.value !== null && baseline.median !== null && baseline.median > 0
    && baseline.percentBelowBaseline !== null && baseline.percentBelowBaseline >= rule.minPercentBelow;
}

/** Baselines must be sorted by hour; a gap in hours ends a run. */
export function findDropWindows(baselines: readonly HourBaseline[], rule: DropRule = DEFAULT_DROP_RULE): DropWindow[] {
  const runs: HourBaseline[][] = [];
  let run: HourBaseline[] = [];
  for (const hour of baselines) {
    const last = run[run.length - 1];
    if (isLowHour(hour, rule) && (!last || last.hourMs + HOUR_MS === hour.hourMs)) {
      run.push(hour);
      continue;
    }
    if (run.length > 0) runs.push(run);
    run = isLowHour(hour, rule) ? [hour] : [];
  }
  if (run.length > 0) runs.push(run);
  return runs.map(windowOf).filter((window) => window.expected >= rule.minExpected && window.z <= rule.maxZ);
}

function windowOf(run: readonly HourBaseline[]): DropWindow {
  const observed = run.reduce((sum, hour) => sum + (hour.value ?? 0), 0);
  const expected = run.reduce((sum, hour) => sum + (hour.median ?? 0), 0);
  const spread = Math.sqrt(run.reduce((sum, hour) => sum + (hour.scale ?? 1) ** 2, 0));
  const first = run[0]!;
  return {
    startMs: first.hourMs,
    endMs: run[run.length - 1]!.hourMs + HOUR_MS,
    hours: run.length,
    observed,
    expected,
    dropShare: expected > 0 ? 1 - observed / expected : 0,
    z: (observed - expected) / spread,
  };
}
