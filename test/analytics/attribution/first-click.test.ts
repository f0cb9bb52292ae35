import { describe, expect, it } from 'vitest';
import { creditFirstClick } from '../../../src/analytics/attribution/first-click.js';
import { byChannel, expectConserved } from './path-fixtures.js';
import { SMALL_PATHS } from './small-paths.js';

describe('creditFirstClick', () => {
  it('gives each conversion to the first touch of its path', () => {
    const credits = creditFirstClick(SMALL_PATHS);
    expect(byChannel(credits)).toEqual({
      search: { conversions: 2, revenue: 100 }, // path 1 starts with search: 2 conversions, 100
      direct: { conversions: 2, revenue: 50 }, // paths 2 and 3 start direct: 1 + 1, 30 + 20
      email: { conversions: 1, revenue: 50 }, // path 5
      social: { conversions: 0, revenue: 0 }, // listed although it never comes first in a converting path
    });
    expectConserved(credits, SMALL_PATHS);
  });

  it('lists channels by conversions, most first', () => {
    expect(creditFirstClick(SMALL_PATHS).map((credit) => credit.channel)).toEqual([
      'direct', // 2 (tie with search broken by name)
      'search', // 2
      'email', // 1
      'social', // 0
    ]);
  });
});
