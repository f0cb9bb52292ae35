import { HttpError } from '@microsoft/agents-hosting';
import type { DeliveryProblem } from '../../../bot/outbound.js';

/** Used when a 429 carries no Retry-After; the queue's own backoff grows from here. */
const DEFAULT_RETRY_AFTER_S = 1;
/** Statuses worth another try (Teams rate-limit guidance names 412, 502 and 504 besides 429). */
const TRANSIENT_STATUSES: ReadonlySet<number> = new Set([408, 412, 500, 502, 503, 504]);

/**
 * The 1.8.1 connector client does not retry; it throws HttpError with the status and headers.
 * Anything that is not an HTTP answer (refused connection, DNS, token fetch) may pass, so it is transient.
 */
export function toDeliveryProblem(error: unknown, now: Date): DeliveryProblem {
  const message = error instanceof Error ? error.message : String(error);
  if (!(error instanceof HttpError)) return { kind: 'transient', message };
  const detail = `${message}: ${describeBody(error.response.data)}`;
  const { status } = error;
  if (status === 429) {
    return { kind: 'rate_limited', retryAfterS: retryAfterSeconds(error.response.headers.get('retry-after'), now) ?? DEFAULT_RETRY_AFTER_S, message: detail, status };
  }
  // 413 MessageSizeTooBig: the queue sends the reply again in a smaller form.
  if (status === 413) return { kind: 'too_large', message: detail, status };
  if (TRANSIENT_STATUSES.has(status)) return { kind: 'transient', message: detail, status };
  return { kind: 'permanent', message: detail, status };
}

/** Retry-After is either seconds or an HTTP date (RFC 9110, 10.2.3). */
export function retryAfterSeconds(header: string | null, now: Date): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim());
  const at = Date.parse(header);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, Math.ceil((at - now.getTime()) / 1000));
}

function describeBody(data: unknown): string {
  const text = typeof data === 'string' ? data : JSON.stringify(data);
  return (text ?? '').slice(0, 300);
}
