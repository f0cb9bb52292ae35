import { describe, expect, it } from 'vitest';
import { computeRoas } from '../../../src/analytics/attribution/roas.js';

describe('computeRoas', () => {
  const credits = [
    { channel: 'search', conversions: 10, revenue: 500 },
    { channel: 'direct', conversions: 4, revenue: 120 },
  ];

  it('divides attributed revenue by spend, null where there is no spend', () => {
    expect(
      computeRoas(credits, [
        { channel: 'search', spend: 100 },
        { channel: 'search', spend: 150 }, // two rows for one channel add up to 250
        { channel: 'social', spend: 80 },
      ]),
    ).toEqual([
      { channel: 'search', revenue: 500, spend: 250, roas: 2 }, // 500 / 250
      { channel: 'direct', revenue: 120, spend: null, roas: null },
      { channel: 'social', revenue: 0, spend: 80, roas: 0 }, // spent 80, earned nothing
    ]);
  });

  it('gives no ratio for zero spend', () => {
    expect(computeRoas(credits, [{ channel: 'direct', spend: 0 }])[1]).toEqual({
      channel: 'direct',
      revenue: 120,
      spend: 0,
      roas: null,
    });
  });
});
