import { describe, expect, it } from 'vitest';
import {
  assessSufficiency,
  MIN_CHANNEL_CONVERSIONS,
  MIN_CHANNEL_JOURNEYS,
  MIN_TOTAL_CONVERSIONS,
} from '../../../src/analytics/attribution/sufficiency.js';

describe('assessSufficiency', () => {
  const healthy = [
    { channels: ['search', 'email'], conversions: 60, revenue: 600, nulls: 200 },
    { channels: ['email'], conversions: 50, revenue: 500, nulls: 100 },
  ];

  it('accepts data with enough conversions on every channel', () => {
    // 110 conversions ≥ 100; search on 260 journeys with 60 conversions, email on 410 with 110
    expect(assessSufficiency(healthy, 'markov')).toEqual({ sufficient: true, reasons: [] });
  });

  it('names too few conversions, with the count and the minimum', () => {
    const few = [{ channels: ['search'], conversions: 99, revenue: 0, nulls: 500 }];
    expect(assessSufficiency(few, 'shapley')).toEqual({
      sufficient: false,
      reasons: [{ kind: 'too_few_conversions', conversions: 99, minimum: MIN_TOTAL_CONVERSIONS }],
    });
  });

  it('names each rare channel with its journeys and conversions', () => {
    const withRare = [...healthy, { channels: ['tiktok', 'email'], conversions: 9, revenue: 0, nulls: 40 }];
    // tiktok: 49 journeys (enough) but 9 conversions (< 10)
    expect(assessSufficiency(withRare, 'shapley').reasons).toEqual([
      {
        kind: 'rare_channel',
        channel: 'tiktok',
        journeys: 49,
        conversions: 9,
        minimumJourneys: MIN_CHANNEL_JOURNEYS,
        minimumConversions: MIN_CHANNEL_CONVERSIONS,
      },
    ]);
  });

  it('asks Markov, and only Markov, for non-converting journeys', () => {
    const convertingOnly = healthy.map((path) => ({ ...path, nulls: 0 }));
    expect(assessSufficiency(convertingOnly, 'markov').reasons).toContainEqual({ kind: 'no_non_converting_journeys' });
    expect(assessSufficiency(convertingOnly, 'shapley').reasons).toEqual([]);
  });
});
