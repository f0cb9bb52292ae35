import { expectedReward } from './absorption.js';
import { addCredit, closeLedger, openLedger } from './channel-credits.js';
import { buildMarkovChain } from './markov-chain.js';
import type { AttributionPath, ChannelCredit } from './types.js';

export const DEFAULT_MARKOV_ORDER = 1;

export interface RemovalEffect {
  readonly channel: string;
  /** 1 − P(conversion without the channel) / P(conversion). */
  readonly conversions: number;
  /** The same for expected revenue per journey. */
  readonly revenue: number;
}

export interface RemovalEffects {
  /** P(conversion) of the fitted chain; equals the observed conversions / journeys at every order. */
  readonly conversionProbability: number;
  readonly revenuePerJourney: number;
  readonly effects: readonly RemovalEffect[];
}

/**
 * Removal effects of a k-order Markov chain (Anderl et al. 2016; ChannelAttribution's `markov_model`,
 * solved exactly instead of by simulation). Removing a channel turns every state that contains it into
 * a non-converting dead end. Non-converting journeys count: they are the chain's null absorptions.
 */
export function measureRemovalEffects(
  paths: readonly AttributionPath[],
  order: number = DEFAULT_MARKOV_ORDER,
): RemovalEffects {
  const chain = buildMarkovChain(paths, order);
  const noneRemoved = new Set<number>();
  const conversionProbability = expectedReward(chain, chain.conversionReward, noneRemoved);
  const revenuePerJourney = expectedReward(chain, chain.revenueReward, noneRemoved);
  const effects = [...openLedger(paths).keys()].map((channel) => {
    const removed = new Set<number>();
    chain.stateChannels.forEach((channels, state) => {
      if (channels.has(channel)) removed.add(state);
    });
    return {
      channel,
      conversions: relativeLoss(conversionProbability, expectedReward(chain, chain.conversionReward, removed)),
      revenue: relativeLoss(revenuePerJourney, expectedReward(chain, chain.revenueReward, removed)),
    };
  });
  return { conversionProbability, revenuePerJourney, effects };
}

/**
 * Markov credit: conversions and revenue shared in proportion to the removal effects, each measure by
 * its own removal effect (as ChannelAttribution does for conversion value).
 */
export function creditMarkov(
  paths: readonly AttributionPath[],
  order: number = DEFAULT_MARKOV_ORDER,
): ChannelCredit[] {
  const { effects } = measureRemovalEffects(paths, order);
  const totalConversions = paths.reduce((sum, path) => sum + path.conversions, 0);
  const totalRevenue = paths.reduce((sum, path) => sum + path.revenue, 0);
  const conversionEffectSum = effects.reduce((sum, effect) => sum + effect.conversions, 0);
  const revenueEffectSum = effects.reduce((sum, effect) => sum + effect.revenue, 0);
  const ledger = openLedger(paths);
  for (const effect of effects) {
    addCredit(
      ledger,
      effect.channel,
      conversionEffectSum === 0 ? 0 : (totalConversions * effect.conversions) / conversionEffectSum,
      revenueEffectSum === 0 ? 0 : (totalRevenue * effect.revenue) / revenueEffectSum,
    );
  }
  return closeLedger(ledger);
}

function relativeLoss(baseline: number, withoutChannel: number): number {
  return baseline === 0 ? 0 : 1 - withoutChannel / baseline;
}
