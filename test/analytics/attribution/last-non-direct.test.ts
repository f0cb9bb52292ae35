import { describe, expect, it } from 'vitest';
import { creditLastNonDirect } from '../../../src/analytics/attribution/last-non-direct.js';
import { byChannel, expectConserved } from './path-fixtures.js';
import { SMALL_PATHS } from './small-paths.js';

describe('creditLastNonDirect', () => {
  it('skips direct touches, unless the path is direct only', () => {
    const credits = creditLastNonDirect(SMALL_PATHS);
    expect(byChannel(credits)).toEqual({
      email: { conversions: 2, revenue: 100 }, // path 1 ends with email
      search: { conversions: 2, revenue: 80 }, // path 2 (direct > search > direct) 1, 30 + path 5 1, 50
      direct: { conversions: 1, revenue: 20 }, // path 3 is direct only, so direct keeps it
      social: { conversions: 0, revenue: 0 },
    });
    expectConserved(credits, SMALL_PATHS);
  });

  it('takes the direct channel name as a parameter', () => {
    const paths = [{ channels: ['(none)', 'ads', '(none)'], conversions: 3, revenue: 9, nulls: 0 }];
    expect(byChannel(creditLastNonDirect(paths, '(none)'))).toEqual({
      ads: { conversions: 3, revenue: 9 }, // the only touch that is not "(none)"
      '(none)': { conversions: 0, revenue: 0 },
    });
  });
});
