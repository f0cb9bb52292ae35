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
