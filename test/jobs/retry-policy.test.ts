import { describe, expect, it } from 'vitest';
import type { RetrySettings } from '../../src/jobs/retry-policy.js';
import { decideRetry, DEFAULT_RETRY_SETTINGS } from '../../src/jobs/retry-policy.js';

const now = new Date('2026-11-26T10:00:00Z');
const settings: RetrySettings = { maxAttempts: 5, baseDelayMs: 4_000, maxDelayMs: 30_000 };
const at = (ms: number) => new Date(now.getTime() + ms);
const transient = { kind: 'transient', message: 'HTTP 502' } as const;

describe('decideRetry', () => {
  it('waits exactly the Retry-After of a rate limit, never less', () => {
    const decision = decideRetry({ problem: { kind: 'rate_limited', retryAfterS: 2, message: '429' }, attempts: 1, now, random: () => 0 }, settings);
    expect(decision).toEqual({ kind: 'retry', nextAttemptAt: at(2_000) });
  });

  it('backs off a first transient problem between half the base delay and the base delay', () => {
    expect(decideRetry({ problem: transient, attempts: 1, now, random: () => 0 }, settings)).toEqual({ kind: 'retry', nextAttemptAt: at(2_000) });
    expect(decideRetry({ problem: transient, attempts: 1, now, random: () => 0.5 }, settings)).toEqual({ kind: 'retry', nextAttemptAt: at(3_000) });
  });

  it('doubles the ceiling with each attempt: the third waits 8 to 16 s with a 4 s base', () => {
    expect(decideRetry({ problem: transient, attempts: 3, now, random: () => 0 }, settings)).toEqual({ kind: 'retry', nextAttemptAt: at(8_000) });
    expect(decideRetry({ problem: transient, attempts: 3, now, random: () => 0.999 }, settings)).toEqual({ kind: 'retry', nextAttemptAt: at(15_992) });
  });

  it('caps the backoff at the maximum delay (4 s × 2^3 = 32 s is cut to 30 s)', () => {
    expect(decideRetry({ problem: transient, attempts: 4, now, random: () => 0.5 }, settings)).toEqual({ kind: 'retry', nextAttemptAt: at(22_500) });
  });

  it('gives up at once on a permanent problem', () => {
    expect(decideRetry({ problem: { kind: 'permanent', message: 'channel_not_found' }, attempts: 1, now, random: () => 0 }, settings))
      .toEqual({ kind: 'give_up', reason: 'channel_not_found' });
  });

  it('gives a post up 5 min 18 s to 10 min 35 s after its first failure with the default settings', () => {
    const spanMs = (random: number) => {
      let total = 0;
      for (let attempts = 1; ; attempts += 1) {
        const decision = decideRetry({ problem: transient, attempts, now: at(total), random: () => random }, DEFAULT_RETRY_SETTINGS);
        if (decision.kind === 'give_up') return { total, attempts };
        total = decision.nextAttemptAt.getTime() - now.getTime();
      }
    };
    // Seven waits of 5 s × 2^0 … 2^6: 635 s at the full ceiling, half of it at the shortest.
    expect(spanMs(0)).toEqual({ total: 317_500, attempts: 8 });
    expect(spanMs(0.999_999)).toEqual({ total: 635_000, attempts: 8 });
  });

  it('gives up when the attempts reach the maximum, rate limited or not', () => {
    expect(decideRetry({ problem: transient, attempts: 5, now, random: () => 0 }, settings)).toMatchObject({ kind: 'give_up' });
    expect(decideRetry({ problem: { kind: 'rate_limited', retryAfterS: 1, message: '429' }, attempts: 5, now, random: () => 0 }, settings)).toMatchObject({ kind: 'give_up' });
  });
});
