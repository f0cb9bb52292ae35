import { creditByTouchWeights } from './touch-weights.js';
import type { AttributionPath, ChannelCredit } from './types.js';

/** Linear: every touch gets an equal share, so a channel touched twice gets two shares (Google Analytics "linear"). */
export function creditLinear(paths: readonly AttributionPath[]): ChannelCredit[] {
  return creditByTouchWeights(paths, (path) => path.channels.map(() => 1));
}
