import { expect } from 'vitest';
import type { AttributionPath, ChannelCredit } from '../../../src/analytics/attribution/types.js';

export function totalsOf(paths: readonly AttributionPath[]): { conversions: number; revenue: number } {
  return {
    conversions: paths.reduce((sum, path) => sum + path.conversions, 0),
    revenue: paths.reduce((sum, path) => sum + path.revenue, 0),
  };
}

/** Credit is conserved: what the channels get adds up to what the paths brought, to rounding. */
export function expectConserved(credits: readonly ChannelCredit[], paths: readonly AttributionPath[]): void {
  const expected = totalsOf(paths);
  const conversions = credits.reduce((sum, credit) => sum + credit.conversions, 0);
  const revenue = credits.reduce((sum, credit) => sum + credit.revenue, 0);
  expect(conversions).toBeCloseTo(expected.conversions, 6);
  expect(revenue).toBeCloseTo(expected.revenue, 6);
}

/** Credits keyed by channel, for assertions that do not depend on order. */
export function byChannel(credits: readonly ChannelCredit[]): Record<string, { conversions: number; revenue: number }> {
  return Object.fromEntries(credits.map((c) => [c.channel, { conversions: c.conversions, revenue: c.revenue }]));
}
