import { creditByTouchWeights, weightOnlyTouch } from './touch-weights.js';
import type { AttributionPath, ChannelCredit } from './types.js';

/** First click: the whole conversion goes to the first touch (Google Analytics "first interaction"). */
export function creditFirstClick(paths: readonly AttributionPath[]): ChannelCredit[] {
  return creditByTouchWeights(paths, (path) => weightOnlyTouch(path.channels.length, 0));
}
