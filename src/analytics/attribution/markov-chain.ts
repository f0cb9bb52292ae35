import type { AttributionPath } from './types.js';

/**
 * An absorbing Markov chain estimated from journey counts (Anderl et al. 2016, "Mapping the customer
 * journey"; ChannelAttribution's `markov_model`). Transient state 0 is the start; every other state is
 * the tuple of the last `order` channels (shorter near the start of a path). Conversion and
 * non-conversion are the absorbing states; they appear only as per-state rewards.
 */
export interface MarkovChain {
  /** The distinct channels inside each transient state; empty for the start. */
  readonly stateChannels: readonly ReadonlySet<string>[];
  /** Transition probabilities between transient states; each row sums to one minus the absorption. */
  readonly transitions: readonly (readonly Transition[])[];
  /** P(state → conversion). */
  readonly conversionReward: Float64Array;
  /** P(state → conversion) × mean revenue of the conversions leaving that state. */
  readonly revenueReward: Float64Array;
}

interface Transition {
  readonly to: number;
  readonly probability: number;
}

interface StateTally {
  readonly channels: ReadonlySet<string>;
  readonly next: Map<number, number>;
  conversions: number;
  revenue: number;
  nulls: number;
}

export const START_STATE = 0;

export function buildMarkovChain(paths: readonly AttributionPath[], order: number): MarkovChain {
  const tallies = tallyTransitions(paths, order);
  const transitions: Transition[][] = [];
  const conversionReward = new Float64Array(tallies.length);
  const revenueReward = new Float64Array(tallies.length);
  tallies.forEach((tally, state) => {
    // Every journey in a state either moves on or ends there, converting or not.
    let leaving = tally.conversions + tally.nulls;
    for (const count of tally.next.values()) leaving += count;
    transitions.push([...tally.next].map(([to, count]) => ({ to, probability: count / leaving })));
    conversionReward[state] = tally.conversions / leaving;
    revenueReward[state] = tally.revenue / leaving;
  });
  return { stateChannels: tallies.map((tally) => tally.channels), transitions, conversionReward, revenueReward };
}

function tallyTransitions(paths: readonly AttributionPath[], order: number): StateTally[] {
  const newTally = (channels: readonly string[]): StateTally => ({
    channels: new Set(channels),
    next: new Map(),
    conversions: 0,
    revenue: 0,
    nulls: 0,
  });
  const tallies: StateTally[] = [newTally([])];
  const indexByKey = new Map<string, number>([['[]', START_STATE]]);
  const stateOf = (tuple: readonly string[]): number => {
    const key = JSON.stringify(tuple);
    const known = indexByKey.get(key);
    if (known !== undefined) return known;
    indexByKey.set(key, tallies.length);
    tallies.push(newTally(tuple));
    return tallies.length - 1;
  };

  for (const path of paths) {
    const journeys = path.conversions + path.nulls;
    if (journeys === 0) continue;
    let from = tallyAt(tallies, START_STATE);
    for (let position = 0; position < path.channels.length; position++) {
      const to = stateOf(path.channels.slice(Math.max(0, position - order + 1), position + 1));
      from.next.set(to, (from.next.get(to) ?? 0) + journeys);
      from = tallyAt(tallies, to);
    }
    from.conversions += path.conversions;
    from.revenue += path.revenue;
    from.nulls += path.nulls;
  }
  return tallies;
}

function tallyAt(tallies: readonly StateTally[], state: number): StateTally {
  const tally = tallies[state];
  if (tally === undefined) throw new Error(`no tally for state ${state}`);
  return tally;
}
