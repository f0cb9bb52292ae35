import { creditByTouchWeights, weightOnlyTouch } from './touch-weights.js';
import type { AttributionPath, ChannelCredit } from './types.js';

/** Last click: the whole conversion goes to the last touch (Google Analytics "last interaction"). */
export function creditLastClick(paths: readonly AttributionPath[]): ChannelCredit[] {
  return creditByTouchWeights(paths, (path) => weightOnlyTouch(path.channels.length, path.channels.length - 1));
}
