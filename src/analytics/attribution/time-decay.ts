import { creditByTouchWeights } from './touch-weights.js';
import type { AttributionPath, ChannelCredit } from './types.js';

/** Google Analytics' time decay default. */
export const DEFAULT_HALF_LIFE_DAYS = 7;

/**
 * How much a touch `ageDays` before the conversion weighs: 2^(−ageDays / halfLifeDays), so a touch
 * one half-life older counts half as much. The store's SQL sum (timeDecayCreditsSql in
 * src/adapters/store/queries/time-decay-credits.ts) reads its weights from here too.
 */
export function timeDecayWeight(ageDays: number, halfLifeDays: number): number {
  return 2 ** (-ageDays / halfLifeDays);
}

/**
 * Time decay (Google Analytics "time decay"): each touch weighs timeDecayWeight(its age), and each
 * journey's conversions and revenue are split over its touches in proportion to those weights
 * (creditByTouchWeights). A path without `ageDays` is read as one touch per day: the last touch is
 * 0 days old, the one before it 1 day, and so on, so position alone decides.
 */
export function creditTimeDecay(
  paths: readonly AttributionPath[],
  halfLifeDays: number = DEFAULT_HALF_LIFE_DAYS,
): ChannelCredit[] {
  return creditByTouchWeights(paths, (path) => {
    const lastIndex = path.channels.length - 1;
    const ages = path.ageDays ?? path.channels.map((_, index) => lastIndex - index);
    return ages.map((ageDays) => timeDecayWeight(ageDays, halfLifeDays));
  });
}
