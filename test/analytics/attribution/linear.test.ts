import { describe, expect, it } from 'vitest';
import { creditLinear } from '../../../src/analytics/attribution/linear.js';
import { byChannel, expectConserved } from './path-fixtures.js';
import { SMALL_PATHS } from './small-paths.js';

describe('creditLinear', () => {
  it('splits each conversion evenly over the touches, counting repeated channels once per touch', () => {
    const credits = byChannel(creditLinear(SMALL_PATHS));
    // search: path 1 2/3 + path 2 1/3 + path 5 1/2 = 1.5; revenue 100/3 + 30/3 + 50/2 = 68.33
    expect(credits.search?.conversions).toBeCloseTo(1.5, 12);
    expect(credits.search?.revenue).toBeCloseTo(100 / 3 + 10 + 25, 10);
    // social: path 1 2/3; 100/3
    expect(credits.social?.conversions).toBeCloseTo(2 / 3, 12);
    expect(credits.social?.revenue).toBeCloseTo(100 / 3, 10);
    // email: path 1 2/3 + path 5 1/2 = 7/6; 100/3 + 25
    expect(credits.email?.conversions).toBeCloseTo(7 / 6, 12);
    expect(credits.email?.revenue).toBeCloseTo(100 / 3 + 25, 10);
    // direct: two of path 2's three touches 2/3 + path 3 1 = 5/3; 20 + 20
    expect(credits.direct?.conversions).toBeCloseTo(5 / 3, 12);
    expect(credits.direct?.revenue).toBeCloseTo(40, 10);
  });

  it('conserves conversions and revenue', () => {
    expectConserved(creditLinear(SMALL_PATHS), SMALL_PATHS);
  });
});
