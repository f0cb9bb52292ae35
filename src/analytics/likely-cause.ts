import { MINUTE_MS } from './time.js';

/**
 * Ranks the changes that most likely caused a regression that began at `breachStartMs`: changes in
 * the lookback window before it, nearest first, deploys and tag-manager publishes ahead of campaign
 * and config changes at similar distance. A change after the breach began cannot have caused it.
 */
export interface ChangeCandidate {
  kind: 'deploy' | 'tag_manager' | 'campaign' | 'config';
  atMs: number;
  ref: string;
}

export interface RankedCause<C extends ChangeCandidate> {
  change: C;
  /** Minutes from the change to the start of the breach. */
  leadMinutes: number;
  score: number;
}

const KIND_WEIGHT: Record<ChangeCandidate['kind'], number> = { deploy: 1, tag_manager: 1, campaign: 0.5, config: 0.6 };
/** A change this long before the breach counts half as likely as one right before it. */
const HALF_LIFE_MINUTES = 120;

/**
 * `resolutionMinutes` is how precisely the breach start is known: with hourly counts the breach
 * began somewhere in its first hour, so a change inside that hour is a candidate too (lead 0).
 */
export function rankLikelyCauses<C extends ChangeCandidate>(changes: readonly C[], breachStartMs: number, lookbackMinutes = 24 * 60, resolutionMinutes = 0): RankedCause<C>[] {
  return changes
    .map((change) => ({ change, leadMinutes: (breachStartMs - change.atMs) / MINUTE_MS }))
    .filter(({ leadMinutes }) => leadMinutes >= -resolutionMinutes && leadMinutes <= lookbackMinutes)
    .map(({ change, leadMinutes }) => ({ change, leadMinutes: Math.max(0, leadMinutes), score: KIND_WEIGHT[change.kind] * 2 ** (-Math.max(0, leadMinutes) / HALF_LIFE_MINUTES) }))
    .sort((a, b) => b.score - a.score || a.leadMinutes - b.leadMinutes);
}

/** Which team owns a regression, by its likely cause: deploys are the developers', publishes marketing's. */
export function ownerOfCause(kind: ChangeCandidate['kind'] | undefined): 'dev' | 'marketing' | 'both' {
  if (kind === 'deploy' || kind === 'config') return 'dev';
  if (kind === 'tag_manager' || kind === 'campaign') return 'marketing';
  return 'both';
}

/**
 * Where a change must land to be named the cause: after the last moment the signal was still fine
 * (`fromMs`) and no later than the breach's start as precisely as the data dates it (`toMs`). A change
 * earlier than that left the signal fine for a while, so the signal did not step at it.
 */
/** Tracking's cause window: minutes to a couple of hours (a deploy rolling out, a cache expiring). */
export const DEFAULT_CAUSE_WINDOW_MINUTES = 120;

export interface CauseWindow {
  fromMs: number;
  toMs: number;
  /** Changes between this and `fromMs` are listed as context, never as the cause. */
  contextFromMs: number;
}

export interface JudgedCauses<C extends ChangeCandidate> {
  /** Changes inside the window, most likely first; empty when no change explains the breach. */
  likely: RankedCause<C>[];
  /** Earlier changes, nearest first. */
  context: RankedCause<C>[];
}

/** Splits the changes into likely causes (inside the window) and context (before it); later changes are neither. */
export function judgeCauses<C extends ChangeCandidate>(changes: readonly C[], breachStartMs: number, window: CauseWindow): JudgedCauses<C> {
  const ranked = (change: C): RankedCause<C> => {
    const leadMinutes = Math.max(0, (breachStartMs - change.atMs) / MINUTE_MS);
    return { change, leadMinutes, score: KIND_WEIGHT[change.kind] * 2 ** (-leadMinutes / HALF_LIFE_MINUTES) };
  };
  const likely = changes.filter((change) => change.atMs >= window.fromMs && change.atMs <= window.toMs).map(ranked)
    .sort((a, b) => b.score - a.score || a.leadMinutes - b.leadMinutes);
  const context = changes.filter((change) => change.atMs >= window.contextFromMs && change.atMs < window.fromMs).map(ranked)
    .sort((a, b) => a.leadMinutes - b.leadMinutes);
  return { likely, context };
}
