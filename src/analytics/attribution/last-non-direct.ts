import { creditByTouchWeights, weightOnlyTouch } from './touch-weights.js';
import type { AttributionPath, ChannelCredit } from './types.js';

export const DEFAULT_DIRECT_CHANNEL = 'direct';

/**
 * Last non-direct click (Google Analytics "last non-direct click"): the whole conversion goes to the
 * last touch that was not direct, because typing the address usually follows a touch that earned it.
 * A path of direct touches only keeps its last touch.
 */
export function creditLastNonDirect(
  paths: readonly AttributionPath[],
  directChannel: string = DEFAULT_DIRECT_CHANNEL,
): ChannelCredit[] {
  return creditByTouchWeights(paths, (path) => {
    const lastNonDirect = path.channels.findLastIndex((channel) => channel !== directChannel);
    const index = lastNonDirect === -1 ? path.channels.length - 1 : lastNonDirect;
    return weightOnlyTouch(path.channels.length, index);
  });
}
