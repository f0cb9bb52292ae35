import type { HourBaseline } from './baseline.js';

/**
 * Contiguous runs of hours where an event count sits far below its seasonal baseline. A run
 * needs a robust z-score at or below `maxZ`, a drop of at least `minPercentBelow`, and enough
 * expected volume that a quiet night is not mistaken for an outage.
 */
export interface DropRule {
  /** Robust z-score at or below which an hour is low (default −3). */
  maxZ: number;
  /** Percent below the baseline median at or above which an hour is low (default 50). */
  minPercentBelow: number;
  /** Hours whose baseline median is below this are never low: too few events to tell (default 5). */
  minExpected: number;
}

export const DEFAULT_DROP_RULE: DropRule = { maxZ: -3, minPercentBelow: 50, minExpected: 5 };

export interface DropWindow {
  startMs: number;
  /** End of the last low hour (exclusive). */
  endMs: number;
  hours: number;
  observed: number;
  expected: number;
  /** 1 − observed / expected over the window. */
  dropShare: number;
}

const HOUR_MS = 3_600_000;

export function isLowHour(baseline: HourBaseline, rule: DropRule = DEFAULT_DROP_RULE): boolean {
  return baseline.value !== null && baseline.median !== null && baseline.robustZ !== null && baseline.percentBelowBaseline !== null
    && baseline.median >= rule.minExpected && baseline.robustZ <= rule.maxZ && baseline.percentBelowBaseline >= rule.minPercentBelow;
}

/** Baselines must be sorted by hour; a gap in hours ends a window. */
export function findDropWindows(baselines: readonly HourBaseline[], rule: DropRule = DEFAULT_DROP_RULE): DropWindow[] {
  const windows: DropWindow[] = [];
  let open: DropWindow | undefined;
  for (const hour of baselines) {
    if (!isLowHour(hour, rule)) {
      open = undefined;
      continue;
    }
    if (open && open.endMs === hour.hourMs) {
      open.endMs += HOUR_MS;
      open.hours += 1;
      open.observed += hour.value ?? 0;
      open.expected += hour.median ?? 0;
    } else {
      open = { startMs: hour.hourMs, endMs: hour.hourMs + HOUR_MS, hours: 1, observed: hour.value ?? 0, expected: hour.median ?? 0, dropShare: 0 };
      windows.push(open);
    }
    open.dropShare = open.expected > 0 ? 1 - open.observed / open.expected : 0;
  }
  return windows;
}
