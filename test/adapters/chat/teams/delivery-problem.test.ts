import { describe, expect, it } from 'vitest';
import { retryAfterSeconds, toDeliveryProblem } from '../../../../src/adapters/chat/teams/delivery-problem.js';

const now = new Date('2026-11-20T10:00:00Z');

describe('Teams delivery problems', () => {
  it('reads Retry-After as seconds or as an HTTP date', () => {
    expect(retryAfterSeconds('30', now)).toBe(30);
    expect(retryAfterSeconds('Fri, 20 Nov 2026 10:01:30 GMT', now)).toBe(90);
    expect(retryAfterSeconds('Fri, 20 Nov 2026 09:00:00 GMT', now)).toBe(0);
    expect(retryAfterSeconds('soon', now)).toBeUndefined();
    expect(retryAfterSeconds(null, now)).toBeUndefined();
  });

  it('treats an error without an HTTP answer (refused connection, token fetch) as transient', () => {
    expect(toDeliveryProblem(new TypeError('fetch failed'), now)).toEqual({ kind: 'transient', message: 'fetch failed' });
  });
});
