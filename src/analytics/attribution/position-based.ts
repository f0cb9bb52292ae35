import { creditByTouchWeights } from './touch-weights.js';
import type { AttributionPath, ChannelCredit } from './types.js';

/** Google Analytics' position-based defaults: 40% first, 40% last, the remaining 20% shared by the middle. */
const FIRST_SHARE = 0.4;
const LAST_SHARE = 0.4;

/**
 * Position based ("U-shaped", Google Analytics "position based"). One touch takes everything; two
 * touches split 50/50 because there is no middle to give the 20% to.
 */
export function creditPositionBased(paths: readonly AttributionPath[]): ChannelCredit[] {
  return creditByTouchWeights(paths, (path) => positionWeights(path.channels.length));
}

function positionWeights(touchCount: number): number[] {
  if (touchCount === 1) return [1];
  if (touchCount === 2) return [0.5, 0.5];
  const middleShare = (1 - FIRST_SHARE - LAST_SHARE) / (touchCount - 2);
  return Array.from({ length: touchCount }, (_, index) =>
    index === 0 ? FIRST_SHARE : index === touchCount - 1 ? LAST_SHARE : middleShare,
  );
}
