import type { DeliveryProblem } from '../bot/outbound.js';
import { MINUTE_MS } from '../analytics/time.js';

export interface RetrySettings {
  /** Attempts in all, the failed one included, before a post is given up. */
  maxAttempts: number;
  /** The first transient retry waits between half of this and all of it. */
  baseDelayMs: number;
  maxDelayMs: number;
}

// Eight attempts wait seven times, at most 5, 10, 20 … 320 s and at least half of each: a post is
// given up (and its owner told) 5 min 18 s to 10 min 35 s after its first failure, plus the attempts'
// own time. The 10 min cap is never reached with these settings; it bounds a larger maxAttempts.
export const DEFAULT_RETRY_SETTINGS: RetrySettings = { maxAttempts: 8, baseDelayMs: 5_000, maxDelayMs: 10 * MINUTE_MS };

export type RetryDecision =
  | { kind: 'retry'; nextAttemptAt: Date }
  | { kind: 'give_up'; reason: string };

export interface FailedAttempt {
  problem: DeliveryProblem;
  /** Attempts made so far, counting the one that just failed. */
  attempts: number;
  now: Date;
  /** A number in [0, 1): Math.random in production, fixed in tests. */
  random: () => number;
}

/**
 * What to do after a failed delivery attempt. A rate limit waits exactly as long as the platform
 * asked (Retry-After); other transient problems back off exponentially with "equal jitter"
 * (half fixed, half random: https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/).
 */
export function decideRetry(failed: FailedAttempt, settings: RetrySettings = DEFAULT_RETRY_SETTINGS): RetryDecision {
  const { problem, attempts, now } = failed;
  // Too large after every reduction step: the same message would be refused again.
  if (problem.kind === 'permanent' || problem.kind === 'too_large') return { kind: 'give_up', reason: problem.message };
  // Paused posts wait for the credentials to be fixed: giving them up would lose every post of the outage.
  if (problem.kind === 'paused') return { kind: 'retry', nextAttemptAt: new Date(now.getTime() + problem.retryAfterS * 1000) };
  if (attempts >= settings.maxAttempts) return { kind: 'give_up', reason: `gave up after ${attempts} attempts: ${problem.message}` };
  if (problem.kind === 'rate_limited') return { kind: 'retry', nextAttemptAt: new Date(now.getTime() + problem.retryAfterS * 1000) };
  const ceilingMs = Math.min(settings.maxDelayMs, settings.baseDelayMs * 2 ** (attempts - 1));
  const delayMs = ceilingMs / 2 + failed.random() * (ceilingMs / 2);
  return { kind: 'retry', nextAttemptAt: new Date(now.getTime() + Math.round(delayMs)) };
}
