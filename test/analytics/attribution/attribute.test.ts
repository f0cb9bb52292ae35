import { describe, expect, it } from 'vitest';
import { attribute, ATTRIBUTION_MODELS } from '../../../src/analytics/attribution/attribute.js';
import { byChannel, expectConserved, totalsOf } from './path-fixtures.js';
import { readPathFixture } from '../../../bench/lib/path-fixture.js';
import { SMALL_PATHS } from './small-paths.js';

describe('attribute', () => {
  const pathData = readPathFixture('channelattribution_PathData.csv');

  it('reads the PathData fixture whole', () => {
    // SOURCES.md: 10,000 paths, 12 channels, conversions 19,785, nulls 68,602
    expect(pathData).toHaveLength(10_000);
    expect(new Set(pathData.flatMap((path) => path.channels)).size).toBe(12);
    expect(totalsOf(pathData).conversions).toBe(19_785);
    expect(pathData.reduce((sum, path) => sum + path.nulls, 0)).toBe(68_602);
  });

  it.each(ATTRIBUTION_MODELS)('%s conserves conversions and revenue on PathData and lists all 12 channels', (model) => {
    const credits = attribute(model, pathData);
    expectConserved(credits, pathData);
    expect(credits).toHaveLength(12);
  });

  it('passes each option to the model that reads it', () => {
    // last_non_direct with "search" as the direct channel: path 2 (direct > search > direct) goes to
    // its last non-"search" touch, direct; path 5 (email > search) to email.
    expect(byChannel(attribute('last_non_direct', SMALL_PATHS, { directChannel: 'search' })).email).toEqual({
      conversions: 3, // path 1 (2) + path 5 (1)
      revenue: 150,
    });
    // time_decay with half-life 1 day: social gets 2/7 of path 1's 2 conversions
    expect(byChannel(attribute('time_decay', SMALL_PATHS, { halfLifeDays: 1 })).social?.conversions).toBeCloseTo(
      4 / 7,
      12,
    );
  });
});
