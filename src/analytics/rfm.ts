// RFM scoring: recency, frequency and monetary quintile scores and the named segment they fall in.
// Scores follow Hughes, "Strategic Database Marketing" (quintiles, 5 = best); the tie rule is ours.

import { DEFAULT_RFM_SEGMENT_MAP, segmentLookup } from './rfm-segments.js';
import type { RfmSegmentMap } from './rfm-segments.js';

/** Per-customer summary as of a date: days since the last order, number of orders, total revenue. */
export type RfmInput = { customerId: string; recencyDays: number; frequency: number; monetary: number };

export type RfmScored = RfmInput & { r: number; f: number; m: number; fm: number; segmentId: string };

const QUINTILES = 5;

/**
 * Quintile score of each value: 1 + floor(5 · worse / n), where `worse` counts customers with a
 * strictly worse value. Equal values therefore share the score of the first rank they span and a
 * tie never splits across scores; the result does not depend on input order.
 *
 * Heavy ties leave scores empty. When 70 % of customers bought once, all of them get F = 1 (nobody
 * is worse), the next frequency starts at rank 70 % and gets F = 4, so F = 2 and 3 are unused. When
 * every value is equal, everyone scores 1: with no spread there is nothing to rank by.
 */
export function quintileScores(values: readonly number[], isHigherBetter: boolean): number[] {
  const sorted = [...values].sort((a, b) => (isHigherBetter ? a - b : b - a));
  const firstRank = new Map<number, number>();
  sorted.forEach((value, index) => {
    if (!firstRank.has(value)) firstRank.set(value, index);
  });
  return values.map((value) => 1 + Math.floor((QUINTILES * (firstRank.get(value) ?? 0)) / values.length));
}

/** FM score: the mean of F and M rounded half up, so (4, 5) → 5 and (1, 2) → 2. */
export function fmScore(f: number, m: number): number {
  return Math.floor((f + m + 1) / 2);
}

/** Fewer days since the last order is better, so recency ranks in reverse. */
export function scoreRfm(
  customers: readonly RfmInput[],
  options: { segmentMap?: RfmSegmentMap } = {},
): RfmScored[] {
  const segmentOf = segmentLookup(options.segmentMap ?? DEFAULT_RFM_SEGMENT_MAP);
  const r = quintileScores(customers.map((c) => c.recencyDays), false);
  const f = quintileScores(customers.map((c) => c.frequency), true);
  const m = quintileScores(customers.map((c) => c.monetary), true);
  return customers.map((customer, i) => {
    const scores = { r: r[i] ?? 1, f: f[i] ?? 1, m: m[i] ?? 1 };
    const fm = fmScore(scores.f, scores.m);
    return { ...customer, ...scores, fm, segmentId: segmentOf(scores.r, fm) };
  });
}

export type SegmentSummary = {
  segmentId: string;
  label: string;
  customers: number;
  customerShare: number | null;
  revenue: number;
  revenueShare: number | null;
};

/** Size and revenue (sum of monetary) per segment, in map order, empty segments included. */
export function summarizeSegments(
  scored: readonly RfmScored[],
  segmentMap: RfmSegmentMap = DEFAULT_RFM_SEGMENT_MAP,
): SegmentSummary[] {
  const totalRevenue = scored.reduce((sum, c) => sum + c.monetary, 0);
  return segmentMap.segments.map(({ id, label }) => {
    const members = scored.filter((c) => c.segmentId === id);
    const revenue = members.reduce((sum, c) => sum + c.monetary, 0);
    return {
      segmentId: id,
      label,
      customers: members.length,
      customerShare: scored.length > 0 ? members.length / scored.length : null,
      revenue,
      revenueShare: totalRevenue !== 0 ? revenue / totalRevenue : null,
    };
  });
}
