import { describe, expect, it } from 'vitest';
import { creditTimeDecay } from '../../../src/analytics/attribution/time-decay.js';
import { byChannel, expectConserved } from './path-fixtures.js';
import { SMALL_PATHS } from './small-paths.js';

describe('creditTimeDecay', () => {
  it('weighs a touch 2^(−age / half-life), reading ages from the touch position when none are given', () => {
    // Half-life 1 day, ages by position (last touch 0 days, the one before 1, ...):
    // path 1 weights 1/4, 1/2, 1 → shares 1/7, 2/7, 4/7 of 2 conversions and 100
    // path 2 direct 1/4 + 1, search 1/2 → shares 5/7, 2/7 of 1 and 30
    // path 3 direct alone; path 5 email 1/2, search 1 → shares 1/3, 2/3 of 1 and 50
    const credits = byChannel(creditTimeDecay(SMALL_PATHS, 1));
    expect(credits.search?.conversions).toBeCloseTo(26 / 21, 12); // 2/7 + 2/7 + 2/3
    expect(credits.search?.revenue).toBeCloseTo(1180 / 21, 10); // 100/7 + 60/7 + 100/3
    expect(credits.social?.conversions).toBeCloseTo(4 / 7, 12); // 2 × 2/7
    expect(credits.social?.revenue).toBeCloseTo(200 / 7, 10);
    expect(credits.email?.conversions).toBeCloseTo(31 / 21, 12); // 8/7 + 1/3
    expect(credits.email?.revenue).toBeCloseTo(1550 / 21, 10); // 400/7 + 50/3
    expect(credits.direct?.conversions).toBeCloseTo(12 / 7, 12); // 5/7 + 1
    expect(credits.direct?.revenue).toBeCloseTo(290 / 7, 10); // 150/7 + 20
    expectConserved(creditTimeDecay(SMALL_PATHS, 1), SMALL_PATHS);
  });

  it('uses touch ages in days when the path has them, with a 7-day half-life by default', () => {
    const paths = [{ channels: ['search', 'email'], ageDays: [14, 0], conversions: 1, revenue: 10, nulls: 0 }];
    // weights 2^(−14/7) = 1/4 and 1 → shares 0.2 and 0.8
    expect(byChannel(creditTimeDecay(paths))).toEqual({
      email: { conversions: 0.8, revenue: 8 },
      search: { conversions: 0.2, revenue: 2 },
    });
  });

  it('defaults to one day per step and a 7-day half-life without ages', () => {
    const paths = [{ channels: ['search', 'email'], conversions: 1, revenue: 0, nulls: 0 }];
    // weights 2^(−1/7) = 0.905724 and 1 → search 0.905724 / 1.905724 = 0.475265
    expect(byChannel(creditTimeDecay(paths)).search?.conversions).toBeCloseTo(0.475265, 6);
  });
});
