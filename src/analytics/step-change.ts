import { median } from './median.js';

/**
 * The largest upward step in a daily series: for each day, the median of that day and the next
 * `afterDays − 1` against the median of the `beforeDays` before it. Medians of several days make
 * one slow measurement harmless; the step's day is where a regression began.
 */
export interface Step {
  /** Index of the first day after the step. */
  index: number;
  before: number;
  after: number;
  change: number;
  relativeChange: number;
}

export function largestStepUp(values: readonly (number | null)[], beforeDays = 7, afterDays = 3): Step | null {
  let best: Step | null = null;
  for (let index = Math.min(beforeDays, 3); index + afterDays <= values.length; index += 1) {
    const before = median(present(values.slice(Math.max(0, index - beforeDays), index)));
    const after = median(present(values.slice(index, index + afterDays)));
    if (before === null || after === null || before <= 0) continue;
    const change = after - before;
    // Two high days of three already lift the median a day early; a step begins on a day that is itself up.
    const first = values[index];
    if (first !== null && first !== undefined && first - before < change / 2) continue;
    if (!best || change > best.change) best = { index, before, after, change, relativeChange: change / before };
  }
  return best;
}

function present(values: readonly (number | null)[]): number[] {
  return values.filter((value): value is number => value !== null);
}
