import { z } from 'zod';
import { fail, ok } from '../../bot/result.js';
import type { RetryPolicy, SourceFailure, SourceName, SourceResult } from './source-failure.js';

/** Google's error body; the CrUX API's 429 answer comes without the `error` wrapper. */
const GoogleErrorFields = z.object({ code: z.number().optional(), message: z.string().optional(), status: z.string().optional() });
const GoogleError = z.union([z.object({ error: GoogleErrorFields }).transform((body) => body.error), GoogleErrorFields]);

const TRANSIENT_STATUSES = new Set([429, 500, 502, 503, 504]);

export interface JsonRequest {
  source: SourceName;
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: unknown;
}

/**
 * Sends one request to a Google API and validates the answer; quota errors (429 or
 * RESOURCE_EXHAUSTED) and 5xx are retried with exponential backoff, honouring Retry-After.
 */
export async function requestGoogleJson<T>(request: JsonRequest, schema: z.ZodType<T>, retry: RetryPolicy): Promise<SourceResult<T>> {
  let failure: SourceFailure = { source: request.source, reason: 'unavailable', message: 'no attempt made' };
  for (let attempt = 1; attempt <= retry.maxAttempts; attempt += 1) {
    const answer = await attemptOnce(request, schema);
    if (answer.ok) return answer;
    failure = answer.error;
    if (!isTransient(failure) || attempt === retry.maxAttempts) break;
    const backoffMs = retry.baseDelayMs * 2 ** (attempt - 1);
    await retry.sleep(Math.max(backoffMs, (failure.retryAfterS ?? 0) * 1000));
  }
  return fail(failure);
}

function isTransient(failure: SourceFailure): boolean {
  return failure.reason === 'quota' || failure.reason === 'network' || (failure.reason === 'unavailable' && failure.status !== undefined && TRANSIENT_STATUSES.has(failure.status));
}

async function attemptOnce<T>(request: JsonRequest, schema: z.ZodType<T>): Promise<SourceResult<T>> {
  const { source } = request;
  let response: Response;
  let text: string;
  try {
    response = await fetch(request.url, {
      method: request.method ?? (request.body === undefined ? 'GET' : 'POST'),
      headers: { accept: 'application/json', ...(request.body === undefined ? {} : { 'content-type': 'application/json' }), ...request.headers },
      ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
    });
    text = await response.text();
  } catch (error) {
    return fail({ source, reason: 'network', message: error instanceof Error ? error.message : String(error) });
  }
  const body = parseJson(text);
  if (!response.ok) return fail(failureFromError(source, response, body));
  if (body === undefined) return fail({ source, reason: 'malformed', status: response.status, message: `response is not JSON: ${text.slice(0, 80)}` });
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return fail({ source, reason: 'malformed', status: response.status, message: `unexpected response at ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}` });
  }
  return ok(parsed.data);
}

function failureFromError(source: SourceName, response: Response, body: unknown): SourceFailure {
  const error = GoogleError.safeParse(body);
  const status = response.status;
  const message = (error.success ? error.data.message : undefined) ?? response.statusText ?? 'request failed';
  const retryAfter = Number(response.headers.get('retry-after'));
  const retryAfterS = Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined;
  const reason: SourceFailure['reason'] = status === 429 || (error.success && error.data.status === 'RESOURCE_EXHAUSTED') ? 'quota'
    : status === 401 || status === 403 ? 'auth'
    : status === 404 ? 'not_found'
    : status >= 500 ? 'unavailable'
    : 'rejected';
  return { source, reason, status, message, ...(retryAfterS === undefined ? {} : { retryAfterS }) };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
