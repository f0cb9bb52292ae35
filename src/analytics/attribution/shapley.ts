import { addCredit, closeLedger, openLedger } from './channel-credits.js';
import type { AttributionPath, ChannelCredit } from './types.js';

/**
 * Shapley value of each channel for the game v(S) = conversions (or revenue) of the paths whose set of
 * distinct channels is a subset of S: the "simplified Shapley value" of Zhao et al. 2018, "Shapley
 * value methods for attribution modeling in online advertising", eq. 8.
 *
 * That game is a sum of unanimity games, one per path weighted by its conversions, and the Shapley
 * value of a unanimity game gives each member 1/|members|. So the exact value, for any number of
 * channels, is: each path splits its conversions and revenue evenly over its distinct channels.
 * No subset enumeration or sampling is needed. Unlike linear, a channel touched twice gets one share.
 * Non-converting journeys do not enter this game.
 */
export function creditShapley(paths: readonly AttributionPath[]): ChannelCredit[] {
  const ledger = openLedger(paths);
  for (const path of paths) {
    const players = new Set(path.channels);
    for (const channel of players) {
      addCredit(ledger, channel, path.conversions / players.size, path.revenue / players.size);
    }
  }
  return closeLedger(ledger);
}
