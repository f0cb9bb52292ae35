import { describe, expect, it } from 'vitest';
import { creditLastClick } from '../../../src/analytics/attribution/last-click.js';
import { byChannel, expectConserved } from './path-fixtures.js';
import { SMALL_PATHS } from './small-paths.js';

describe('creditLastClick', () => {
  it('gives each conversion to the last touch of its path', () => {
    const credits = creditLastClick(SMALL_PATHS);
    expect(byChannel(credits)).toEqual({
      email: { conversions: 2, revenue: 100 }, // path 1 ends with email
      direct: { conversions: 2, revenue: 50 }, // paths 2 and 3 end direct: 1 + 1, 30 + 20
      search: { conversions: 1, revenue: 50 }, // path 5 ends with search
      social: { conversions: 0, revenue: 0 },
    });
    expectConserved(credits, SMALL_PATHS);
  });
});
