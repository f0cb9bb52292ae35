import type { CommandContext } from './command.js';

/**
 * Segment ids of the default map (src/analytics/rfm-segments.ts) that the rfm answer and the digest
 * watch: a customer slides when they move from a valuable segment at the start into a slipping one.
 */
export const VALUABLE_SEGMENTS: readonly string[] = ['champions', 'loyal', 'potential_loyalist'];
export const SLIPPING_SEGMENTS = ['at_risk', 'cant_lose'] as const;

export function isSlipping(segmentId: string): boolean {
  return (SLIPPING_SEGMENTS as readonly string[]).includes(segmentId);
}

/** A segment's name for people: translated for the default map's ids, the map's own label otherwise. */
export function segmentName(id: string, { t, settings }: Pick<CommandContext, 't' | 'settings'>): string {
  const label = settings.rfmSegmentMap.segments.find((segment) => segment.id === id)?.label ?? id;
  return t('rfm.segmentName', { id, label });
}
