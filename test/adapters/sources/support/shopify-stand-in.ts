import { readFileSync } from 'node:fs';
import type { Answer, RecordedRequest, TestServer } from './google-test-server.js';
import { startTestServer } from './google-test-server.js';

/**
 * A local stand-in for the Shopify Admin GraphQL API, answering in the shapes shopify.dev documents
 * (see test/fixtures/SOURCES.md): orders pages sorted by update time with cursors, bulk operations
 * (bulkOperationRunQuery, then node(id) polls, then a JSONL file), and the query-cost leaky bucket
 * with its THROTTLED answer. Its clock is virtual: it moves only when a test advances it (the
 * connector's injected sleep), so the bucket refills exactly as the waits say.
 */
export interface ShopifyStandIn {
  url: string;
  token: string;
  requests: RecordedRequest[];
  /** Requests that were answered THROTTLED. */
  throttled: number;
  nowMs: number;
  advance(ms: number): void;
  /** Order nodes replacing those with the same id (or added): an update in the shop. */
  update(nodes: readonly OrderNode[]): void;
  /** The statuses the next bulk operation reports, one per poll (the last repeats). */
  bulkStatuses: { status: string; errorCode?: string }[];
  bucket: { maximumAvailable: number; currentlyAvailable: number; restoreRate: number };
  close(): Promise<void>;
}

export type OrderNode = Record<string, unknown> & { legacyResourceId: string; updatedAt: string };

const API_PATH = '/admin/api/2026-04/graphql.json';

export function readOrderNodes(file: string): OrderNode[] {
  return readFileSync(new URL(`../../../fixtures/shopify/${file}`, import.meta.url), 'utf8')
    .split('\n').filter((line) => line.trim() !== '').map((line) => JSON.parse(line) as OrderNode);
}

export async function startShopifyStandIn(options: { orders: OrderNode[]; currencyCode?: string; startMs?: number }): Promise<ShopifyStandIn> {
  const orders = new Map(options.orders.map((node) => [node.legacyResourceId, node]));
  const operations = new Map<string, { createdAt: string; polls: number; statuses: { status: string; errorCode?: string }[]; jsonl: string }>();
  let bucketAtMs = options.startMs ?? Date.parse('2026-11-20T10:00:00Z');
  let server: TestServer | undefined;

  const stand: ShopifyStandIn = {
    url: '',
    token: 'shpat_stand_in_token',
    requests: [],
    throttled: 0,
    nowMs: bucketAtMs,
    advance(ms) {
      stand.nowMs += ms;
    },
    update(nodes) {
      for (const node of nodes) orders.set(node.legacyResourceId, node);
    },
    bulkStatuses: [{ status: 'RUNNING' }, { status: 'COMPLETED' }],
    bucket: { maximumAvailable: 1000, currentlyAvailable: 1000, restoreRate: 50 },
    close: async () => server?.close(),
  };

  /** The bucket refilled to now; a query is charged its requested cost (the docs' worst case). */
  const charge = (requested: number): { ok: boolean; cost: unknown } => {
    const { bucket } = stand;
    bucket.currentlyAvailable = Math.min(bucket.maximumAvailable, bucket.currentlyAvailable + ((stand.nowMs - bucketAtMs) / 1000) * bucket.restoreRate);
    bucketAtMs = stand.nowMs;
    const isAllowed = bucket.currentlyAvailable >= requested;
    if (isAllowed) bucket.currentlyAvailable -= requested;
    return { ok: isAllowed, cost: { requestedQueryCost: requested, actualQueryCost: isAllowed ? requested : null, throttleStatus: { ...bucket } } };
  };

  const answerGraphql = (request: RecordedRequest): Answer => {
    if (request.headers['x-shopify-access-token'] !== stand.token) {
      return { status: 401, body: { errors: '[API] Invalid API key or access token (unrecognized login or wrong password)' } };
    }
    const { query, variables = {} } = JSON.parse(request.body) as { query: string; variables?: Record<string, unknown> };
    const withoutPresentment = (node: OrderNode) => (query.includes('presentmentMoney') ? node : stripPresentment(node));
    if (query.includes('bulkOperationRunQuery')) {
      const running = [...operations.entries()].find(([, operation]) => operation.statuses[Math.min(operation.polls, operation.statuses.length - 1)]?.status === 'RUNNING');
      const { cost } = charge(10);
      if (running) {
        return { body: { data: { bulkOperationRunQuery: { bulkOperation: null, userErrors: [{ field: null, message: `A bulk query operation for this app and shop is already in progress: ${running[0]}.` }] } }, extensions: { cost } } };
      }
      const id = `gid://shopify/BulkOperation/${4046733967549 + operations.size}`;
      const jsonl = [...orders.values()].map((node) => JSON.stringify(withoutPresentment(node)).replaceAll('/', '\\/') + '\n').join('');
      operations.set(id, { createdAt: new Date(stand.nowMs).toISOString().replace('.000Z', 'Z'), polls: 0, statuses: [...stand.bulkStatuses], jsonl });
      return { body: { data: { bulkOperationRunQuery: { bulkOperation: { id, status: 'CREATED' }, userErrors: [] } }, extensions: { cost } } };
    }
    if (query.includes('node(id:')) {
      const { cost } = charge(1);
      const operation = operations.get(String(variables.id));
      if (!operation) return { body: { data: { node: null }, extensions: { cost } } };
      const { status, errorCode = null } = operation.statuses[Math.min(operation.polls, operation.statuses.length - 1)]!;
      operation.polls += 1;
      const isDone = status === 'COMPLETED';
      const objectCount = isDone ? String(operation.jsonl.split('\n').length - 1) : '0';
      const url = isDone && objectCount !== '0' ? `${stand.url}/bulk/${encodeURIComponent(String(variables.id))}.jsonl` : null;
      return { body: { data: { node: { id: variables.id, status, errorCode, createdAt: operation.createdAt, objectCount, url } }, extensions: { cost } } };
    }
    if (query.includes('orders(first:')) {
      const first = Number(variables.first);
      const allowed = charge(2 + first * 5);
      if (!allowed.ok) {
        stand.throttled += 1;
        return { body: { errors: [{ message: 'Throttled', extensions: { code: 'THROTTLED', documentation: 'https://shopify.dev/api/usage/rate-limits' } }], extensions: { cost: allowed.cost } } };
      }
      const since = /^updated_at:>='(.+)'$/.exec(String(variables.query))?.[1] ?? '';
      const matching = [...orders.values()]
        .filter((node) => Date.parse(node.updatedAt) >= Date.parse(since))
        .sort((a, b) => Date.parse(a.updatedAt) - Date.parse(b.updatedAt) || Number(a.legacyResourceId) - Number(b.legacyResourceId));
      const start = variables.after ? Number(Buffer.from(String(variables.after), 'base64').toString()) : 0;
      const page = matching.slice(start, start + first);
      const endIndex = start + page.length;
      return {
        body: {
          data: {
            orders: {
              pageInfo: { hasNextPage: endIndex < matching.length, endCursor: page.length > 0 ? Buffer.from(String(endIndex)).toString('base64') : null },
              edges: page.map((node) => ({ node: withoutPresentment(node) })),
            },
          },
          extensions: { cost: allowed.cost },
        },
      };
    }
    if (query.includes('shop {')) {
      return { body: { data: { shop: { name: 'Stand-in Shop', currencyCode: options.currencyCode ?? 'EUR' } }, extensions: { cost: charge(1).cost } } };
    }
    return { body: { errors: [{ message: `Field is not handled by the stand-in: ${query.slice(0, 60)}` }] } };
  };

  server = await startTestServer((request) => {
    stand.requests.push(request);
    if (request.method === 'POST' && request.path === API_PATH) return answerGraphql(request);
    const bulk = /^\/bulk\/(.+)\.jsonl$/.exec(request.path);
    const operation = bulk ? operations.get(decodeURIComponent(bulk[1]!)) : undefined;
    if (operation) return { headers: { 'content-type': 'application/jsonl' }, body: operation.jsonl };
    return { status: 404, body: { errors: 'Not Found' } };
  });
  stand.url = server.url;
  return stand;
}

function stripPresentment(node: OrderNode): OrderNode {
  const bag = (value: unknown) => {
    if (typeof value !== 'object' || value === null) return value;
    const { presentmentMoney: _presentment, ...rest } = value as Record<string, unknown>;
    return rest;
  };
  return { ...node, totalPriceSet: bag(node.totalPriceSet), totalRefundedSet: bag(node.totalRefundedSet) };
}
