// Named RFM segments: a replaceable map from (R, FM) scores to segment ids.
// Grid and names follow the common marketing convention (Putler, "RFM analysis for successful
// customer segmentation"); the cells are tiled here so each of the 25 (R, FM) pairs has one owner.

import { z } from 'zod';

const RFM_SCORES = [1, 2, 3, 4, 5] as const;

const Score = z.number().int().min(1).max(5);
const ScoreRange = z
  .tuple([Score, Score])
  .refine(([low, high]) => low <= high, { message: 'a range is [low, high] with low <= high' });

/**
 * A segment owns rectangles of the 5 × 5 grid of recency score R and FM score (the mean of F and M,
 * rounded half up). Every (R, FM) cell must belong to exactly one segment: no order dependence, so a
 * replacement map reads the same whichever way its segments are listed.
 */
export const RfmSegmentMap = z
  .object({
    segments: z
      .array(
        z.object({
          id: z.string().regex(/^[a-z][a-z0-9_]*$/, 'ids are lower snake_case, e.g. at_risk'),
          label: z.string().min(1),
          cells: z.array(z.object({ r: ScoreRange, fm: ScoreRange })).min(1),
        }),
      )
      .min(1),
  })
  .superRefine((map, ctx) => {
    const ids = map.segments.map((segment) => segment.id);
    const duplicate = ids.find((id, i) => ids.indexOf(id) !== i);
    if (duplicate !== undefined) ctx.addIssue({ code: 'custom', message: `segment id ${duplicate} appears twice` });
    const owners = cellOwners(map);
    for (const r of RFM_SCORES) {
      for (const fm of RFM_SCORES) {
        const found = owners[r - 1]?.[fm - 1] ?? [];
        if (found.length === 0) ctx.addIssue({ code: 'custom', message: `cell R=${r} FM=${fm} has no segment` });
        if (found.length > 1) {
          ctx.addIssue({ code: 'custom', message: `cell R=${r} FM=${fm} is claimed by ${found.join(' and ')}` });
        }
      }
    }
  });
export type RfmSegmentMap = z.infer<typeof RfmSegmentMap>;

/** Grid read as rows R = 5 (bought recently) down to R = 1, columns FM = 1 … 5. */
export const DEFAULT_RFM_SEGMENT_MAP = {
  segments: [
    { id: 'champions', label: 'Champions', cells: [{ r: [5, 5], fm: [4, 5] }, { r: [4, 4], fm: [5, 5] }] },
    { id: 'loyal', label: 'Loyal', cells: [{ r: [4, 4], fm: [4, 4] }, { r: [3, 3], fm: [4, 5] }] },
    {
      id: 'potential_loyalist',
      label: 'Potential Loyalist',
      cells: [{ r: [5, 5], fm: [2, 3] }, { r: [4, 4], fm: [2, 3] }],
    },
    { id: 'new', label: 'New', cells: [{ r: [5, 5], fm: [1, 1] }] },
    { id: 'promising', label: 'Promising', cells: [{ r: [4, 4], fm: [1, 1] }] },
    { id: 'need_attention', label: 'Need Attention', cells: [{ r: [3, 3], fm: [3, 3] }] },
    { id: 'about_to_sleep', label: 'About to Sleep', cells: [{ r: [3, 3], fm: [1, 2] }] },
    { id: 'at_risk', label: 'At Risk', cells: [{ r: [2, 2], fm: [3, 4] }, { r: [1, 1], fm: [3, 3] }] },
    { id: 'cant_lose', label: "Can't Lose Them", cells: [{ r: [2, 2], fm: [5, 5] }, { r: [1, 1], fm: [4, 5] }] },
    { id: 'hibernating', label: 'Hibernating', cells: [{ r: [2, 2], fm: [1, 2] }] },
    { id: 'lost', label: 'Lost', cells: [{ r: [1, 1], fm: [1, 2] }] },
  ],
} as const satisfies RfmSegmentMap;

/** Segment ids claiming each cell, indexed [r − 1][fm − 1]. */
function cellOwners(map: RfmSegmentMap): string[][][] {
  const owners = RFM_SCORES.map(() => RFM_SCORES.map((): string[] => []));
  for (const segment of map.segments) {
    for (const { r, fm } of segment.cells) {
      for (let ri = r[0]; ri <= r[1]; ri++) {
        for (let fi = fm[0]; fi <= fm[1]; fi++) owners[ri - 1]?.[fi - 1]?.push(segment.id);
      }
    }
  }
  return owners;
}

/** A lookup from (R, FM) to segment id for a map that passed `RfmSegmentMap`. */
export function segmentLookup(map: RfmSegmentMap): (r: number, fm: number) => string {
  const owners = cellOwners(map);
  return (r, fm) => {
    const id = owners[r - 1]?.[fm - 1]?.[0];
    if (id === undefined) throw new Error(`segment map has no segment for R=${r} FM=${fm}`);
    return id;
  };
}

/** A customer's segment at one date; `monetary` as of that date. */
export type SegmentAssignment = { customerId: string; segmentId: string; monetary: number };

/**
 * One cell of the transition matrix. `from` null: not a customer at the earlier date; `to` null: gone
 * from the later one. `monetary` is the value at stake: the customers' monetary at the later date
 * (the earlier one for those who are gone).
 */
export type SegmentTransition = { from: string | null; to: string | null; customers: number; monetary: number };

export type SegmentMove = { customerId: string; from: string | null; to: string | null; monetary: number };

function pairAssignments(before: readonly SegmentAssignment[], after: readonly SegmentAssignment[]): SegmentMove[] {
  const earlier = new Map(before.map((a) => [a.customerId, a]));
  const later = new Map(after.map((a) => [a.customerId, a]));
  const moves: SegmentMove[] = after.map((a) => ({
    customerId: a.customerId,
    from: earlier.get(a.customerId)?.segmentId ?? null,
    to: a.segmentId,
    monetary: a.monetary,
  }));
  for (const a of before) {
    if (later.has(a.customerId)) continue;
    moves.push({ customerId: a.customerId, from: a.segmentId, to: null, monetary: a.monetary });
  }
  return moves;
}

/** Non-empty cells of the before → after matrix, largest first (customers, then id order for ties). */
export function segmentMovement(
  before: readonly SegmentAssignment[],
  after: readonly SegmentAssignment[],
): SegmentTransition[] {
  const cells = new Map<string, SegmentTransition>();
  for (const move of pairAssignments(before, after)) {
    const key = JSON.stringify([move.from, move.to]);
    const cell = cells.get(key) ?? { from: move.from, to: move.to, customers: 0, monetary: 0 };
    cell.customers += 1;
    cell.monetary += move.monetary;
    cells.set(key, cell);
  }
  return [...cells.values()].sort(
    (a, b) => b.customers - a.customers || compareIds(a.from, b.from) || compareIds(a.to, b.to),
  );
}

/** Customers who moved from one of `from` (default champions, loyal) to one of `to`, most valuable first. */
export function customersWhoSlid(
  before: readonly SegmentAssignment[],
  after: readonly SegmentAssignment[],
  segments: { from?: readonly string[]; to?: readonly string[] } = {},
): SegmentMove[] {
  const from = new Set(segments.from ?? ['champions', 'loyal']);
  const to = new Set(segments.to ?? ['at_risk', 'cant_lose']);
  return pairAssignments(before, after)
    .filter((move) => move.from !== null && move.to !== null && from.has(move.from) && to.has(move.to))
    .sort((a, b) => b.monetary - a.monetary || compareIds(a.customerId, b.customerId));
}

/** Plain code-unit order, nulls first, so results never depend on the runtime's locale. */
function compareIds(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  return a < b ? -1 : 1;
}
