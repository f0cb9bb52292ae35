import { addCredit, closeLedger, openLedger } from './channel-credits.js';
import type { AttributionPath, ChannelCredit } from './types.js';

/**
 * The rule-based models differ only in how much each touch of a path weighs. Weights need not sum to
 * one: each path's conversions and revenue are split in proportion to them, which is what conserves
 * the totals. Paths that did not convert carry nothing to split.
 */
export function creditByTouchWeights(
  paths: readonly AttributionPath[],
  weightsOf: (path: AttributionPath) => readonly number[],
): ChannelCredit[] {
  const ledger = openLedger(paths);
  for (const path of paths) {
    if (path.conversions === 0 && path.revenue === 0) continue;
    const weights = weightsOf(path);
    const totalWeight = weights.reduce((sum, weight) => sum + weight, 0);
    path.channels.forEach((channel, index) => {
      const share = (weights[index] ?? 0) / totalWeight;
      if (share > 0) addCredit(ledger, channel, path.conversions * share, path.revenue * share);
    });
  }
  return closeLedger(ledger);
}

/** All weight on one touch. */
export function weightOnlyTouch(touchCount: number, index: number): number[] {
  return Array.from({ length: touchCount }, (_, i) => (i === index ? 1 : 0));
}
