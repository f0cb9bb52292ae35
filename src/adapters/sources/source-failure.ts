import type { Result } from '../../bot/result.js';

export type SourceName = 'ga4' | 'ga4-export' | 'psi' | 'crux' | 'gtm' | 'lighthouse' | 'shopify' | 'orders_sql';

/** Why a source could not deliver: something an operator can act on, never a bug. */
export interface SourceFailure {
  source: SourceName;
  reason: 'quota' | 'unavailable' | 'rejected' | 'not_found' | 'malformed' | 'network' | 'auth' | 'not_configured';
  message: string;
  status?: number;
  retryAfterS?: number;
}

export type SourceResult<T> = Result<T, SourceFailure>;

/** Retries of transient failures; `sleep` is injected so tests never wait. */
export interface RetryPolicy {
  sleep(ms: number): Promise<void>;
  maxAttempts: number;
  baseDelayMs: number;
}

export const defaultRetryPolicy: RetryPolicy = {
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  maxAttempts: 5,
  baseDelayMs: 1_000,
};
