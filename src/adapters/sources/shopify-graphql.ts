import { z } from 'zod';
import { fail, ok } from '../../bot/result.js';
import type { RetryPolicy, SourceFailure, SourceResult } from './source-failure.js';

/** The Admin API version the queries are written against (Shopify supports each for a year). */
export const SHOPIFY_API_VERSION = '2026-04';

const ThrottleStatus = z.object({ maximumAvailable: z.number(), currentlyAvailable: z.number(), restoreRate: z.number().positive() });
type ThrottleStatus = z.infer<typeof ThrottleStatus>;
const QueryCost = z.object({ requestedQueryCost: z.number(), actualQueryCost: z.number().nullable(), throttleStatus: ThrottleStatus });
const GraphqlError = z.object({ message: z.string(), extensions: z.object({ code: z.string().optional() }).optional() });
/** Every answer: `data` and/or `errors`, and the query's cost (shopify.dev, "GraphQL Admin API rate limits"). */
const Envelope = z.object({
  data: z.unknown().optional(),
  errors: z.union([z.array(GraphqlError), z.string()]).optional(),
  extensions: z.object({ cost: QueryCost.optional() }).optional(),
});

export interface ShopifyConnection {
  /** https://{shop}.myshopify.com/admin/api/{version}/graphql.json */
  endpoint: string;
  accessToken: string;
  retry: RetryPolicy;
  /** Milliseconds since the epoch; with retry.sleep, the clock the cost budget refills by. */
  now(): number;
  budget: QueryCostBudget;
}

export interface GraphqlRequest {
  /** Names the query for its cost estimate: the same query asks for about the same points. */
  label: string;
  query: string;
  variables?: Record<string, unknown>;
}

/**
 * Shopify's leaky bucket of query points as the last answer reported it, refilled at restoreRate
 * per second since. Before a query whose cost was seen before, the client waits until the bucket
 * holds that many points, instead of spending a request on a THROTTLED answer.
 */
export class QueryCostBudget {
  private status?: ThrottleStatus & { atMs: number };
  private readonly requestedCosts = new Map<string, number>();

  record(label: string, cost: z.infer<typeof QueryCost>, atMs: number): void {
    this.status = { ...cost.throttleStatus, atMs };
    this.requestedCosts.set(label, cost.requestedQueryCost);
  }

  /** Milliseconds to wait before a query with this label may run without being throttled. */
  waitMs(label: string, nowMs: number): number {
    const cost = this.requestedCosts.get(label);
    if (!this.status || cost === undefined) return 0;
    const { currentlyAvailable, maximumAvailable, restoreRate, atMs } = this.status;
    const available = Math.min(maximumAvailable, currentlyAvailable + ((nowMs - atMs) / 1000) * restoreRate);
    return available >= cost ? 0 : Math.ceil(((cost - available) / restoreRate) * 1000);
  }
}

/**
 * Runs one query against the Admin API and validates `data`. A THROTTLED answer waits until the
 * bucket has refilled to the requested cost and asks again; 429 and 5xx back off (honouring
 * Retry-After); anything else is a SourceFailure an operator can act on.
 */
export async function shopifyGraphql<T>(connection: ShopifyConnection, request: GraphqlRequest, data: z.ZodType<T>): Promise<SourceResult<T>> {
  const { retry } = connection;
  let failure: SourceFailure = { source: 'shopify', reason: 'unavailable', message: 'no attempt made' };
  for (let attempt = 1; attempt <= retry.maxAttempts; attempt += 1) {
    const waitMs = connection.budget.waitMs(request.label, connection.now());
    if (waitMs > 0) await retry.sleep(waitMs);
    const answer = await attemptOnce(connection, request, data);
    if (answer.ok) return ok(answer.value);
    failure = answer.error.failure;
    if (attempt === retry.maxAttempts) break;
    if (answer.error.throttledWaitMs !== undefined) await retry.sleep(answer.error.throttledWaitMs);
    else if (isTransient(failure)) await retry.sleep(Math.max(retry.baseDelayMs * 2 ** (attempt - 1), (failure.retryAfterS ?? 0) * 1000));
    else break;
  }
  return fail(failure);
}

function isTransient(failure: SourceFailure): boolean {
  return failure.reason === 'quota' || failure.reason === 'network' || (failure.reason === 'unavailable' && (failure.status ?? 0) >= 500);
}

/** One request's outcome; a THROTTLED answer carries how long to wait before asking again. */
type Attempt<T> = { ok: true; value: T } | { ok: false; error: { failure: SourceFailure; throttledWaitMs?: number } };

async function attemptOnce<T>(connection: ShopifyConnection, request: GraphqlRequest, data: z.ZodType<T>): Promise<Attempt<T>> {
  const failWith = (failure: Omit<SourceFailure, 'source'>, throttledWaitMs?: number) =>
    ({ ok: false as const, error: { failure: { source: 'shopify' as const, ...failure }, ...(throttledWaitMs === undefined ? {} : { throttledWaitMs }) } });
  let response: Response;
  let text: string;
  try {
    response = await fetch(connection.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', 'x-shopify-access-token': connection.accessToken },
      body: JSON.stringify({ query: request.query, ...(request.variables ? { variables: request.variables } : {}) }),
    });
    text = await response.text();
  } catch (error) {
    return failWith({ reason: 'network', message: error instanceof Error ? error.message : String(error) });
  }
  const envelope = Envelope.safeParse(parseJson(text));
  const cost = envelope.success ? envelope.data.extensions?.cost : undefined;
  if (cost) connection.budget.record(request.label, cost, connection.now());
  const errors = envelope.success ? envelope.data.errors : undefined;
  const firstError = typeof errors === 'string' ? errors : errors?.[0]?.message;
  if (!response.ok) return failWith(httpFailure(response, firstError));
  if (!envelope.success) return failWith({ reason: 'malformed', status: response.status, message: `response is not a GraphQL answer: ${text.slice(0, 80)}` });
  if (Array.isArray(errors) && errors.length > 0) {
    const codes = errors.map((error) => error.extensions?.code);
    if (codes.includes('THROTTLED')) return failWith({ reason: 'quota', message: 'query cost throttled' }, throttledWaitMs(cost));
    const reason = codes.includes('ACCESS_DENIED') ? 'auth' : 'rejected';
    return failWith({ reason, message: errors.map((error) => error.message).join('; ') });
  }
  const parsed = data.safeParse(envelope.data.data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return failWith({ reason: 'malformed', status: response.status, message: `unexpected response at data.${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}` });
  }
  return { ok: true, value: parsed.data };
}

/** Until the bucket holds the requested points again; a second when the answer did not say. */
function throttledWaitMs(cost: z.infer<typeof QueryCost> | undefined): number {
  if (!cost) return 1000;
  const { currentlyAvailable, restoreRate } = cost.throttleStatus;
  return Math.max(0, Math.ceil(((cost.requestedQueryCost - currentlyAvailable) / restoreRate) * 1000));
}

function httpFailure(response: Response, message: string | undefined): Omit<SourceFailure, 'source'> {
  const status = response.status;
  const retryAfter = Number(response.headers.get('retry-after'));
  const retryAfterS = Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined;
  const text = message ?? response.statusText ?? 'request failed';
  if (status === 401) return { reason: 'auth', status, message: `the access token was refused: ${text}` };
  if (status === 403) return { reason: 'auth', status, message: `the app lacks a scope (read_orders, and read_all_orders for orders older than 60 days): ${text}` };
  if (status === 404) return { reason: 'not_found', status, message: `no shop answers at this address: ${text}` };
  if (status === 402 || status === 423) return { reason: 'unavailable', status, message: `the shop is ${status === 402 ? 'frozen (payment required)' : 'locked'}: ${text}` };
  if (status === 429) return { reason: 'quota', status, message: text, ...(retryAfterS === undefined ? {} : { retryAfterS }) };
  return { reason: status >= 500 ? 'unavailable' : 'rejected', status, message: text };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
