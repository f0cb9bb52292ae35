import type { AttributionPath } from './types.js';

/** Below this many conversions in all, removal effects and Shapley shares move with a handful of journeys. */
export const MIN_TOTAL_CONVERSIONS = 100;
/** A channel on fewer journeys than this has a transition row estimated from too few observations. */
export const MIN_CHANNEL_JOURNEYS = 30;
/** A channel on fewer converting journeys than this gets a credit one journey can double. */
export const MIN_CHANNEL_CONVERSIONS = 10;

export type SufficiencyReason =
  | { readonly kind: 'too_few_conversions'; readonly conversions: number; readonly minimum: number }
  /** Markov only: without non-converting journeys every path converts and removal reflects path shape alone. */
  | { readonly kind: 'no_non_converting_journeys' }
  | {
      readonly kind: 'rare_channel';
      readonly channel: string;
      readonly journeys: number;
      readonly conversions: number;
      readonly minimumJourneys: number;
      readonly minimumConversions: number;
    };

export interface SufficiencyVerdict {
  readonly sufficient: boolean;
  readonly reasons: readonly SufficiencyReason[];
}

/** Whether the data can carry an algorithmic model; the reasons are data for the bot to phrase. */
export function assessSufficiency(
  paths: readonly AttributionPath[],
  model: 'markov' | 'shapley',
): SufficiencyVerdict {
  const reasons: SufficiencyReason[] = [];
  const conversions = paths.reduce((sum, path) => sum + path.conversions, 0);
  if (conversions < MIN_TOTAL_CONVERSIONS) {
    reasons.push({ kind: 'too_few_conversions', conversions, minimum: MIN_TOTAL_CONVERSIONS });
  }
  if (model === 'markov' && paths.every((path) => path.nulls === 0)) {
    reasons.push({ kind: 'no_non_converting_journeys' });
  }
  for (const [channel, reach] of reachByChannel(paths)) {
    if (reach.journeys < MIN_CHANNEL_JOURNEYS || reach.conversions < MIN_CHANNEL_CONVERSIONS) {
      reasons.push({
        kind: 'rare_channel',
        channel,
        ...reach,
        minimumJourneys: MIN_CHANNEL_JOURNEYS,
        minimumConversions: MIN_CHANNEL_CONVERSIONS,
      });
    }
  }
  return { sufficient: reasons.length === 0, reasons };
}

/** Journeys and conversions on paths that touch each channel at least once. */
function reachByChannel(paths: readonly AttributionPath[]): Map<string, { journeys: number; conversions: number }> {
  const reach = new Map<string, { journeys: number; conversions: number }>();
  for (const path of paths) {
    for (const channel of new Set(path.channels)) {
      const entry = reach.get(channel) ?? { journeys: 0, conversions: 0 };
      entry.journeys += path.conversions + path.nulls;
      entry.conversions += path.conversions;
      reach.set(channel, entry);
    }
  }
  return new Map([...reach].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
