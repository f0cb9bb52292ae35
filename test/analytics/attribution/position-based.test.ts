import { describe, expect, it } from 'vitest';
import { creditPositionBased } from '../../../src/analytics/attribution/position-based.js';
import { byChannel, expectConserved } from './path-fixtures.js';
import { SMALL_PATHS } from './small-paths.js';

describe('creditPositionBased', () => {
  it('gives 40% to the first and last touch and 20% to the middle; 50/50 for two touches; 100% for one', () => {
    const credits = byChannel(creditPositionBased(SMALL_PATHS));
    // search: path 1 first 0.4 × 2 = 0.8 + path 2 middle 0.2 + path 5 half 0.5 = 1.5; 40 + 6 + 25 = 71
    expect(credits.search?.conversions).toBeCloseTo(1.5, 12);
    expect(credits.search?.revenue).toBeCloseTo(71, 10);
    // social: path 1 middle 0.2 × 2 = 0.4; 20
    expect(credits.social?.conversions).toBeCloseTo(0.4, 12);
    expect(credits.social?.revenue).toBeCloseTo(20, 10);
    // email: path 1 last 0.8 + path 5 half 0.5 = 1.3; 40 + 25 = 65
    expect(credits.email?.conversions).toBeCloseTo(1.3, 12);
    expect(credits.email?.revenue).toBeCloseTo(65, 10);
    // direct: path 2 first + last 0.8 + path 3 alone 1 = 1.8; 24 + 20 = 44
    expect(credits.direct?.conversions).toBeCloseTo(1.8, 12);
    expect(credits.direct?.revenue).toBeCloseTo(44, 10);
  });

  it('shares the middle 20% among all middle touches', () => {
    const paths = [{ channels: ['a', 'b', 'c', 'd', 'e'], conversions: 10, revenue: 0, nulls: 0 }];
    const credits = byChannel(creditPositionBased(paths));
    expect(credits.a?.conversions).toBeCloseTo(4, 12); // 10 × 0.4
    expect(credits.c?.conversions).toBeCloseTo(10 * (0.2 / 3), 12); // three middle touches share 0.2
    expect(credits.e?.conversions).toBeCloseTo(4, 12);
    expectConserved(creditPositionBased(paths), paths);
  });
});
