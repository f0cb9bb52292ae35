import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { z } from 'zod';
import { fail, ok } from '../../bot/result.js';
import type { ShopifyConnection } from './shopify-graphql.js';
import { shopifyGraphql } from './shopify-graphql.js';
import type { SourceResult } from './source-failure.js';

/**
 * A bulk query (shopify.dev, "Perform bulk operations with the GraphQL Admin API"): Shopify runs
 * the query in the background and, once COMPLETED, offers its result as a JSONL file, one object
 * per line. That costs one request instead of a page per 250 orders, so it serves the first backfill.
 */
export const BulkOperation = z.object({
  id: z.string(),
  status: z.enum(['CREATED', 'RUNNING', 'COMPLETED', 'CANCELING', 'CANCELED', 'FAILED', 'EXPIRED']),
  errorCode: z.string().nullable(),
  createdAt: z.iso.datetime({ offset: true }),
  objectCount: z.string(),
  url: z.string().nullable(),
});
export type BulkOperation = z.infer<typeof BulkOperation>;

const RUN_BULK_QUERY = `mutation RunBulkQuery($query: String!) {
  bulkOperationRunQuery(query: $query) { bulkOperation { id status } userErrors { field message } }
}`;
const RunBulkQueryData = z.object({
  bulkOperationRunQuery: z.object({
    bulkOperation: z.object({ id: z.string() }).nullable(),
    userErrors: z.array(z.object({ message: z.string() })),
  }),
});

const BULK_OPERATION = `query BulkOperationStatus($id: ID!) {
  node(id: $id) { ... on BulkOperation { id status errorCode createdAt objectCount url } }
}`;
const BulkOperationData = z.object({ node: BulkOperation.nullable() });

/** Starts a bulk query; Shopify answers at once with the operation's id, or says why not. */
export async function startBulkQuery(connection: ShopifyConnection, query: string): Promise<SourceResult<string>> {
  const answer = await shopifyGraphql(connection, { label: 'bulkOperationRunQuery', query: RUN_BULK_QUERY, variables: { query } }, RunBulkQueryData);
  if (!answer.ok) return answer;
  const { bulkOperation, userErrors } = answer.value.bulkOperationRunQuery;
  if (!bulkOperation) return fail({ source: 'shopify', reason: 'rejected', message: `bulk query refused: ${userErrors.map((error) => error.message).filter(Boolean).join('; ') || 'no reason given'}` });
  return ok(bulkOperation.id);
}

/** The operation as it stands now; null when Shopify no longer knows the id. */
export async function readBulkOperation(connection: ShopifyConnection, id: string): Promise<SourceResult<BulkOperation | null>> {
  const answer = await shopifyGraphql(connection, { label: 'bulkOperation', query: BULK_OPERATION, variables: { id } }, BulkOperationData);
  return answer.ok ? ok(answer.value.node) : answer;
}

/**
 * Streams the result file, handing `onBatch` the parsed objects `batchRows` at a time (stopping
 * at the first batch it refuses); returns how many lines it read. The URL is signed for the download alone: no access token goes with it.
 */
export async function readBulkResult(url: string, batchRows: number, onBatch: (objects: unknown[]) => Promise<SourceResult<unknown>>): Promise<SourceResult<number>> {
  let response: Response;
  try {
    response = await fetch(url);
  } catch (error) {
    return fail({ source: 'shopify', reason: 'network', message: `bulk result download failed: ${error instanceof Error ? error.message : String(error)}` });
  }
  if (!response.ok || !response.body) return fail({ source: 'shopify', reason: response.status === 403 || response.status === 404 ? 'not_found' : 'unavailable', status: response.status, message: 'the bulk result file could not be downloaded (its link lasts a week)' });
  let line = 0;
  let batch: unknown[] = [];
  const lines = createInterface({ input: Readable.fromWeb(response.body as WebReadableStream<Uint8Array>), crlfDelay: Infinity });
  for await (const text of lines) {
    line += 1;
    if (text.trim() === '') continue;
    try {
      batch.push(JSON.parse(text) as unknown);
    } catch {
      return fail({ source: 'shopify', reason: 'malformed', message: `bulk result line ${line} is not JSON: ${text.slice(0, 80)}` });
    }
    if (batch.length >= batchRows) {
      const written = await onBatch(batch);
      if (!written.ok) return written;
      batch = [];
    }
  }
  if (batch.length > 0) {
    const written = await onBatch(batch);
    if (!written.ok) return written;
  }
  return ok(line);
}
