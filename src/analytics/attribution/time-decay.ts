import { creditByTouchWeights } from './touch-weights.js';
import type { AttributionPath, ChannelCredit } from './types.js';

/** Google Analytics' time decay default. */
export const DEFAULT_HALF_LIFE_DAYS = 7;

/**
 * Time decay (Google Analytics "time decay"): a touch `ageDays` before the conversion weighs
 * 2^(−ageDays / halfLifeDays), so a touch one half-life older counts half as much.
 * A path without `ageDays` is read as one touch per day: the last touch is 0 days old, the one
 * before it 1 day, and so on, so position alone decides.
 */
export function creditTimeDecay(
  paths: readonly AttributionPath[],
  halfLifeDays: number = DEFAULT_HALF_LIFE_DAYS,
): ChannelCredit[] {
  return creditByTouchWeights(paths, (path) => {
    const lastIndex = path.channels.length - 1;
    const ages = path.ageDays ?? path.channels.map((_, index) => lastIndex - index);
    return ages.map((ageDays) => 2 ** (-ageDays / halfLifeDays));
  });
}
