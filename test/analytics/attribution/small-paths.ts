import type { AttributionPath } from '../../../src/analytics/attribution/types.js';

/**
 * Five journey shapes small enough to attribute by hand; 5 conversions and 200 in revenue in all.
 * The social-only path never converts, so social earns only where it assisted.
 */
export const SMALL_PATHS = [
  { channels: ['search', 'social', 'email'], conversions: 2, revenue: 100, nulls: 1 },
  { channels: ['direct', 'search', 'direct'], conversions: 1, revenue: 30, nulls: 0 },
  { channels: ['direct'], conversions: 1, revenue: 20, nulls: 3 },
  { channels: ['social'], conversions: 0, revenue: 0, nulls: 5 },
  { channels: ['email', 'search'], conversions: 1, revenue: 50, nulls: 0 },
] as const satisfies readonly AttributionPath[];
