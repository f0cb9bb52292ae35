import { describe, expect, it } from 'vitest';
import {
  customersWhoSlid,
  DEFAULT_RFM_SEGMENT_MAP,
  RfmSegmentMap,
  segmentMovement,
} from '../../src/analytics/rfm-segments.js';
import type { SegmentAssignment } from '../../src/analytics/rfm-segments.js';

const messages = (input: unknown): string[] => {
  const result = RfmSegmentMap.safeParse(input);
  return result.success ? [] : result.error.issues.map((issue) => issue.message);
};

describe('RfmSegmentMap', () => {
  it('accepts the default map, which names all eleven segments', () => {
    expect(messages(DEFAULT_RFM_SEGMENT_MAP)).toEqual([]);
    expect(DEFAULT_RFM_SEGMENT_MAP.segments.map((s) => s.id)).toEqual([
      'champions', 'loyal', 'potential_loyalist', 'new', 'promising', 'need_attention',
      'about_to_sleep', 'at_risk', 'cant_lose', 'hibernating', 'lost',
    ]);
  });

  it('accepts a map read back from JSON', () => {
    expect(messages(JSON.parse(JSON.stringify(DEFAULT_RFM_SEGMENT_MAP)))).toEqual([]);
  });

  it('names every cell a replacement map leaves uncovered', () => {
    const gap = { segments: [{ id: 'top', label: 'Top', cells: [{ r: [2, 5], fm: [1, 5] }, { r: [1, 1], fm: [2, 5] }] }] };
    expect(messages(gap)).toEqual(['cell R=1 FM=1 has no segment']);
  });

  it('names cells two segments claim and duplicate ids', () => {
    const overlap = {
      segments: [
        { id: 'a', label: 'A', cells: [{ r: [1, 5], fm: [1, 5] }] },
        { id: 'a', label: 'A again', cells: [{ r: [5, 5], fm: [5, 5] }] },
      ],
    };
    expect(messages(overlap)).toEqual(['segment id a appears twice', 'cell R=5 FM=5 is claimed by a and a']);
  });

  it('rejects ids that are not snake_case and reversed or out-of-range score ranges', () => {
    const bad = { segments: [{ id: 'At Risk', label: 'x', cells: [{ r: [5, 1], fm: [0, 5] }] }] };
    const found = messages(bad);
    expect(found).toContain('ids are lower snake_case, e.g. at_risk');
    expect(found).toContain('a range is [low, high] with low <= high');
    expect(found.length).toBeGreaterThanOrEqual(3);
  });
});

describe('segment movement', () => {
  const before: SegmentAssignment[] = [
    { customerId: 'c1', segmentId: 'champions', monetary: 100 },
    { customerId: 'c2', segmentId: 'loyal', monetary: 50 },
    { customerId: 'c3', segmentId: 'at_risk', monetary: 20 },
    { customerId: 'c4', segmentId: 'lost', monetary: 5 },
    { customerId: 'c6', segmentId: 'champions', monetary: 300 },
  ];
  const after: SegmentAssignment[] = [
    { customerId: 'c1', segmentId: 'at_risk', monetary: 120 },
    { customerId: 'c2', segmentId: 'cant_lose', monetary: 70 },
    { customerId: 'c3', segmentId: 'at_risk', monetary: 25 },
    { customerId: 'c5', segmentId: 'new', monetary: 10 },
    { customerId: 'c6', segmentId: 'at_risk', monetary: 310 },
  ];

  it('counts customers and value at stake per transition, including arrivals and departures', () => {
    // champions → at_risk: c1 + c6 = 2 customers, 120 + 310 = 430 (later monetary).
    // Single-customer cells sort by from in code-unit order (null first, 'lost' < 'loyal'), then to.
    expect(segmentMovement(before, after)).toEqual([
      { from: 'champions', to: 'at_risk', customers: 2, monetary: 430 },
      { from: null, to: 'new', customers: 1, monetary: 10 },
      { from: 'at_risk', to: 'at_risk', customers: 1, monetary: 25 },
      { from: 'lost', to: null, customers: 1, monetary: 5 },
      { from: 'loyal', to: 'cant_lose', customers: 1, monetary: 70 },
    ]);
  });

  it('lists who slid from champions or loyal to at risk or cannot lose, most valuable first', () => {
    expect(customersWhoSlid(before, after).map((m) => [m.customerId, m.from, m.to, m.monetary])).toEqual([
      ['c6', 'champions', 'at_risk', 310],
      ['c1', 'champions', 'at_risk', 120],
      ['c2', 'loyal', 'cant_lose', 70],
    ]);
    expect(customersWhoSlid(before, after, { from: ['loyal'], to: ['cant_lose'] }).map((m) => m.customerId)).toEqual(['c2']);
  });

  it('returns nothing for empty inputs', () => {
    expect(segmentMovement([], [])).toEqual([]);
    expect(customersWhoSlid([], [])).toEqual([]);
  });
});
