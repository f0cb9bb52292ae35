import { describe, expect, it } from 'vitest';
import { creditMarkov, measureRemovalEffects } from '../../../src/analytics/attribution/markov.js';
import { byChannel, expectConserved, totalsOf } from './path-fixtures.js';
import { readPathFixture } from '../../../bench/lib/path-fixture.js';

const effectsByChannel = (effects: ReturnType<typeof measureRemovalEffects>['effects']) =>
  Object.fromEntries(effects.map((effect) => [effect.channel, effect]));

describe('Markov removal effects on the ChannelAttribution white paper example', () => {
  // Three converting paths, no nulls: A>B>A>B>B>A, A>B>B>A>A, A>A.
  // Transition counts: start→A 3; A→B 3, A→A 2, A→conv 3 (of 8); B→A 3, B→B 2 (of 5).
  // Every route ends in conversion, so P(conv) = 1.
  // Without A: start leads only to A, so P = 0 and the removal effect of A is 1 − 0/1 = 1.
  // Without B: x_A = 2/8 x_A + 3/8 → x_A = 1/2, so the removal effect of B is 1 − 1/2 = 1/2.
  // Credit: A = 3 × 1 / 1.5 = 2, B = 3 × 0.5 / 1.5 = 1.
  // The self-transitions (A→A, B→B) do not change this: dropping them gives A→B 3/6, A→conv 3/6,
  // B→A 1, the same x_A = 1/2 without B, because a loop only delays where the chain goes next.
  const toyPaths = readPathFixture('channelattribution_whitepaper_toy_paths.csv');

  it('finds removal effects A = 1 and B = 0.5', () => {
    const { conversionProbability, effects } = measureRemovalEffects(toyPaths);
    expect(conversionProbability).toBeCloseTo(1, 10);
    expect(effectsByChannel(effects).A?.conversions).toBeCloseTo(1, 10);
    expect(effectsByChannel(effects).B?.conversions).toBeCloseTo(0.5, 10);
  });

  it('credits A with 2 conversions and B with 1', () => {
    const credits = byChannel(creditMarkov(toyPaths));
    expect(credits.A?.conversions).toBeCloseTo(2, 10);
    expect(credits.B?.conversions).toBeCloseTo(1, 10);
  });

  it('gives the same credit when repeated touches are collapsed', () => {
    const collapsed = [
      { channels: ['A', 'B', 'A', 'B', 'A'], conversions: 1, revenue: 0, nulls: 0 },
      { channels: ['A', 'B', 'A'], conversions: 1, revenue: 0, nulls: 0 },
      { channels: ['A'], conversions: 1, revenue: 0, nulls: 0 },
    ];
    const credits = byChannel(creditMarkov(collapsed));
    expect(credits.A?.conversions).toBeCloseTo(2, 10);
    expect(credits.B?.conversions).toBeCloseTo(1, 10);
  });
});

describe('Markov removal effects with non-converting journeys', () => {
  const paths = [
    { channels: ['A', 'B'], conversions: 1, revenue: 10, nulls: 1 },
    { channels: ['B'], conversions: 0, revenue: 0, nulls: 2 },
    { channels: ['A'], conversions: 1, revenue: 30, nulls: 0 },
  ];

  it('counts nulls in the first-order chain', () => {
    // start→A 3/5, start→B 2/5; A→B 2/3, A→conv 1/3; B→conv 1/4, B→null 3/4.
    // x_B = 1/4, x_A = 2/3 × 1/4 + 1/3 = 1/2, P = 3/5 × 1/2 + 2/5 × 1/4 = 2/5 (= 2 conversions / 5 journeys)
    // without A: P = 2/5 × 1/4 = 1/10 → effect 1 − (1/10)/(2/5) = 3/4
    // without B: x_A = 1/3, P = 3/5 × 1/3 = 1/5 → effect 1 − (1/5)/(2/5) = 1/2
    // conversions: A = 2 × (3/4)/(5/4) = 1.2, B = 2 × (1/2)/(5/4) = 0.8
    // revenue per journey: y_B = 10/4, y_A = 2/3 × 10/4 + 30/3 = 35/3, V = 3/5 × 35/3 + 2/5 × 10/4 = 8 (= 40 / 5)
    // without A: V = 2/5 × 10/4 = 1 → 7/8; without B: V = 3/5 × 10 = 6 → 1/4
    // revenue: A = 40 × (7/8)/(9/8) = 280/9, B = 40 × (1/4)/(9/8) = 80/9
    const { conversionProbability, revenuePerJourney } = measureRemovalEffects(paths);
    expect(conversionProbability).toBeCloseTo(0.4, 10);
    expect(revenuePerJourney).toBeCloseTo(8, 10);
    const credits = byChannel(creditMarkov(paths));
    expect(credits.A?.conversions).toBeCloseTo(1.2, 10);
    expect(credits.B?.conversions).toBeCloseTo(0.8, 10);
    expect(credits.A?.revenue).toBeCloseTo(280 / 9, 9);
    expect(credits.B?.revenue).toBeCloseTo(80 / 9, 9);
    expectConserved(creditMarkov(paths), paths);
  });

  it('remembers the last two channels at order 2', () => {
    // states [A], [B], [A,B]: start→[A] 3/5, start→[B] 2/5; [A]→[A,B] 2/3, [A]→conv 1/3;
    // [A,B]→conv 1/2; [B]→null 1. x_[A,B] = 1/2, x_[A] = 2/3 × 1/2 + 1/3 = 2/3, P = 3/5 × 2/3 = 2/5
    // without A ([A] and [A,B] gone): P = 0 → 1; without B ([B], [A,B] gone): P = 3/5 × 1/3 = 1/5 → 1/2
    // conversions: A = 2 × 1/1.5 = 4/3, B = 2 × 0.5/1.5 = 2/3
    const credits = byChannel(creditMarkov(paths, 2));
    expect(credits.A?.conversions).toBeCloseTo(4 / 3, 10);
    expect(credits.B?.conversions).toBeCloseTo(2 / 3, 10);
  });
});

describe('Markov removal effects on ChannelAttribution PathData (10,000 paths, 12 channels)', () => {
  const paths = readPathFixture('channelattribution_PathData.csv');
  const { conversions } = totalsOf(paths);
  const journeys = conversions + paths.reduce((sum, path) => sum + path.nulls, 0);
  /** Share of conversions whose path touches the channel at least once. */
  const touchShare = (channel: string): number =>
    paths.filter((path) => path.channels.includes(channel)).reduce((sum, path) => sum + path.conversions, 0) /
    conversions;

  it.each([1, 2, 3])('reproduces the observed conversion rate at order %i', (order) => {
    // Visits in and out of every state balance in the data, so the fitted chain's expected absorptions
    // equal the observed ones: P(conv) = 19,785 / (19,785 + 68,602).
    expect(journeys).toBe(88_387);
    expect(measureRemovalEffects(paths, order).conversionProbability).toBeCloseTo(19_785 / 88_387, 9);
  });

  it('replays the observed journeys when the order reaches the longest path', () => {
    // With states that remember the whole path so far, the chain is the tree of observed prefixes, and
    // "converts without touching c" happens exactly as often as in the data. So the removal effect
    // of c is the share of conversions whose path touches c.
    const order = Math.max(...paths.map((path) => path.channels.length));
    for (const effect of measureRemovalEffects(paths, order).effects) {
      expect(effect.conversions).toBeCloseTo(touchShare(effect.channel), 9);
    }
  });

  it('gives first-order removal effects near each channel’s share of converting paths', () => {
    // The memoryless chain lets journeys wander into channels they never touched, which inflates
    // removal effects a little; 0.1 bounds that drift on this data (observed up to 0.06, for iota).
    const { effects } = measureRemovalEffects(paths, 1);
    expect(effects).toHaveLength(12);
    for (const effect of effects) {
      expect(effect.conversions).toBeGreaterThanOrEqual(0);
      expect(effect.conversions).toBeLessThanOrEqual(1);
      expect(Math.abs(effect.conversions - touchShare(effect.channel))).toBeLessThan(0.1);
    }
    const credits = creditMarkov(paths, 1);
    expectConserved(credits, paths);
    expect(credits.every((credit) => credit.conversions >= 0 && credit.revenue >= 0)).toBe(true);
  });
});
