import { z } from 'zod';
import { fail, ok } from '../../bot/result.js';
import type { Config } from '../../config.js';
import type { Db } from '../store/db.js';
import type { ShopCurrency } from './exchange-rates.js';
import { convertOrders, describeRefusals, removeOrders, writeOrders } from './order-writer.js';
import { readBulkOperation, readBulkResult, startBulkQuery } from './shopify-bulk.js';
import type { ShopifyConnection } from './shopify-graphql.js';
import { QueryCostBudget, SHOPIFY_API_VERSION, shopifyGraphql } from './shopify-graphql.js';
import type { OrderChange } from './shopify-orders.js';
import { ORDER_FIELDS, ShopifyOrder, orderChange } from './shopify-orders.js';
import { clearCursor, readCursor, writeCursor } from './source-cursors.js';
import type { RetryPolicy, SourceResult } from './source-failure.js';
import { defaultRetryPolicy } from './source-failure.js';

export const SHOPIFY_SOURCE = 'shopify';
/** Orders per page of an incremental run; 250 is the Admin API's largest page. */
const PAGE_ORDERS = 100;
const BULK_BATCH_ROWS = 5_000;
const POLL_INTERVAL_MS = 5_000;
/** Polls per run: a backfill still running after them is picked up again by the next run. */
const MAX_POLLS = 60;

/**
 * Where the connector stands: waiting for the first backfill's bulk operation, or reading orders
 * updated since an instant (the bulk operation's start, then the last order read).
 */
const ShopifyCursor = z.union([
  z.object({ backfillOperationId: z.string() }),
  z.object({ updatedSince: z.iso.datetime({ offset: true }) }),
]);
type ShopifyCursor = z.infer<typeof ShopifyCursor>;

export interface ShopifyIngestOptions {
  retry?: RetryPolicy;
  /** The clock the query-cost budget refills by (tests pass one that their sleep advances). */
  now?: () => number;
  pageOrders?: number;
  pollIntervalMs?: number;
  maxPolls?: number;
  batchRows?: number;
}

export interface ShopifyIngestSummary {
  /** 'backfill_running': the bulk operation has not finished yet; the next run asks again. */
  mode: 'backfill' | 'backfill_running' | 'incremental';
  ordersRead: number;
  written: number;
  removed: number;
  customersCreated: number;
}

const ORDERS_PAGE = `query OrdersUpdatedSince($first: Int!, $after: String, $query: String!) {
  orders(first: $first, after: $after, sortKey: UPDATED_AT, query: $query) {
    pageInfo { hasNextPage endCursor }
    edges { node { ${ORDER_FIELDS} } }
  }
}`;
const OrdersPage = z.object({
  orders: z.object({
    pageInfo: z.object({ hasNextPage: z.boolean(), endCursor: z.string().nullable() }),
    edges: z.array(z.object({ node: z.unknown() })),
  }),
});
/** Every order: a bulk query runs over the whole connection, pages and all. */
const BULK_ORDERS = `{ orders { edges { node { ${ORDER_FIELDS} } } } }`;

/**
 * Scheduler job: the shop's orders into the data contract. The first run backfills every order
 * with a bulk operation; later runs page through the orders updated since the cursor (re-reading
 * the cursor's own instant, so an order updated in the same second is never missed, and writing
 * an order read twice changes nothing). Each batch is written with its cursor in one transaction.
 */
export async function ingestShopify(db: Db, config: Config, options: ShopifyIngestOptions = {}): Promise<SourceResult<ShopifyIngestSummary>> {
  const connection = connectShopify(config, options);
  if (!connection.ok) return connection;
  const shop = { currency: config.CURRENCY, timeZone: config.TIME_ZONE };
  const cursor = await readCursor(db, SHOPIFY_SOURCE, ShopifyCursor);
  if (cursor && 'updatedSince' in cursor) return readUpdatedOrders(db, connection.value, shop, cursor.updatedSince, options);
  return backfill(db, connection.value, shop, cursor?.backfillOperationId, options);
}

export function connectShopify(config: Config, options: Pick<ShopifyIngestOptions, 'retry' | 'now'> = {}): SourceResult<ShopifyConnection> {
  if (!config.SHOPIFY_SHOP || !config.SHOPIFY_ACCESS_TOKEN) return fail({ source: 'shopify', reason: 'not_configured', message: 'set SHOPIFY_SHOP and SHOPIFY_ACCESS_TOKEN' });
  const domain = config.SHOPIFY_SHOP.includes('.') ? config.SHOPIFY_SHOP : `${config.SHOPIFY_SHOP}.myshopify.com`;
  return ok({
    endpoint: `${config.SHOPIFY_API_URL ?? `https://${domain}`}/admin/api/${SHOPIFY_API_VERSION}/graphql.json`,
    accessToken: config.SHOPIFY_ACCESS_TOKEN,
    retry: options.retry ?? defaultRetryPolicy,
    now: options.now ?? (() => Date.now()),
    budget: new QueryCostBudget(),
  });
}

async function backfill(db: Db, connection: ShopifyConnection, shop: ShopCurrency, runningId: string | undefined, options: ShopifyIngestOptions): Promise<SourceResult<ShopifyIngestSummary>> {
  let operationId = runningId;
  if (operationId === undefined) {
    const started = await startBulkQuery(connection, BULK_ORDERS);
    if (!started.ok) return started;
    operationId = started.value;
    await writeCursor<ShopifyCursor>(db, SHOPIFY_SOURCE, { backfillOperationId: operationId });
  }
  const summary: ShopifyIngestSummary = { mode: 'backfill_running', ordersRead: 0, written: 0, removed: 0, customersCreated: 0 };
  for (let poll = 1; poll <= (options.maxPolls ?? MAX_POLLS); poll += 1) {
    const operation = await readBulkOperation(connection, operationId);
    if (!operation.ok) return operation;
    const status = operation.value?.status;
    if (status === 'CREATED' || status === 'RUNNING') {
      if (poll < (options.maxPolls ?? MAX_POLLS)) await connection.retry.sleep(options.pollIntervalMs ?? POLL_INTERVAL_MS);
      continue;
    }
    if (status !== 'COMPLETED' || !operation.value) {
      // The next run starts a new backfill rather than wait on one that will never finish.
      await clearCursor(db, SHOPIFY_SOURCE);
      const why = operation.value ? `ended ${operation.value.status}${operation.value.errorCode ? ` (${operation.value.errorCode})` : ''}` : 'is unknown to the shop';
      return fail({ source: 'shopify', reason: 'unavailable', message: `the backfill's bulk operation ${operationId} ${why}; the next run starts a new one` });
    }
    const { url, createdAt } = operation.value;
    if (url !== null) {
      const read = await readBulkResult(url, options.batchRows ?? BULK_BATCH_ROWS, async (nodes) => applyOrders(db, nodes, shop, summary));
      if (!read.ok) return read;
    }
    // Orders updated while the operation ran may be missing from its file: the next run reads from its start.
    await writeCursor<ShopifyCursor>(db, SHOPIFY_SOURCE, { updatedSince: createdAt });
    return ok({ ...summary, mode: 'backfill' });
  }
  return ok(summary);
}

async function readUpdatedOrders(db: Db, connection: ShopifyConnection, shop: ShopCurrency, since: string, options: ShopifyIngestOptions): Promise<SourceResult<ShopifyIngestSummary>> {
  const summary: ShopifyIngestSummary = { mode: 'incremental', ordersRead: 0, written: 0, removed: 0, customersCreated: 0 };
  let after: string | null = null;
  for (;;) {
    const page: SourceResult<z.infer<typeof OrdersPage>> = await shopifyGraphql(connection, {
      label: 'ordersUpdatedSince',
      query: ORDERS_PAGE,
      variables: { first: options.pageOrders ?? PAGE_ORDERS, after, query: `updated_at:>='${since}'` },
    }, OrdersPage);
    if (!page.ok) return page;
    const nodes = page.value.orders.edges.map((edge) => edge.node);
    const applied = await applyOrders(db, nodes, shop, summary, (orders) => orders.at(-1)?.updatedAt);
    if (!applied.ok) return applied;
    const { hasNextPage, endCursor }: { hasNextPage: boolean; endCursor: string | null } = page.value.orders.pageInfo;
    if (!hasNextPage || endCursor === null) return ok(summary);
    after = endCursor;
  }
}

/**
 * Validates a batch of order nodes and stores it in one transaction: kept orders written in the
 * shop's currency, cancelled and test orders removed, and the cursor moved to `nextCursor` of
 * the batch. An order that cannot be read or converted stops the run before its batch is stored.
 */
async function applyOrders(db: Db, nodes: readonly unknown[], shop: ShopCurrency, summary: ShopifyIngestSummary, nextCursor?: (orders: ShopifyOrder[]) => string | undefined): Promise<SourceResult<void>> {
  const orders: ShopifyOrder[] = [];
  for (const node of nodes) {
    const parsed = ShopifyOrder.safeParse(node);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return fail({ source: 'shopify', reason: 'malformed', message: `order ${describeNode(node)}: ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}` });
    }
    orders.push(parsed.data);
  }
  const changes = orders.map(orderChange);
  const kept = changes.flatMap((change: OrderChange) => (change.kind === 'keep' ? [change.row] : []));
  const { accepted, refused } = await convertOrders(db, kept, shop);
  if (refused.length > 0) return fail({ source: 'shopify', reason: 'rejected', message: describeRefusals(refused) });
  const cursor = nextCursor?.(orders);
  await db.transaction(async (tx) => {
    const written = await writeOrders(tx, accepted);
    summary.removed += await removeOrders(tx, changes.flatMap((change) => (change.kind === 'remove' ? [change.id] : [])));
    summary.written += written.written;
    summary.customersCreated += written.customersCreated;
    if (cursor) await writeCursor<ShopifyCursor>(tx, SHOPIFY_SOURCE, { updatedSince: cursor });
  });
  summary.ordersRead += orders.length;
  return ok(undefined);
}

function describeNode(node: unknown): string {
  const id = typeof node === 'object' && node !== null && 'id' in node ? node.id : undefined;
  return typeof id === 'string' ? id : JSON.stringify(node).slice(0, 60);
}
