import { readFile } from 'node:fs/promises';
import pg from 'pg';
import { z } from 'zod';
import { fail, ok } from '../../bot/result.js';
import type { Config } from '../../config.js';
import type { Db } from '../store/db.js';
import { safeUrl } from '../store/open.js';
import { currencyOr, money } from './csv-fields.js';
import type { OrderRow } from './order-writer.js';
import { convertOrders, describeRefusals, removeOrders, writeOrders } from './order-writer.js';
import { readCursor, writeCursor } from './source-cursors.js';
import type { SourceFailure, SourceResult } from './source-failure.js';

export const ORDERS_SQL_SOURCE = 'orders_sql';
const PAGE_ROWS = 5_000;
/** The orders contract, and the update time the cursor pages by. */
const REQUIRED_COLUMNS = ['id', 'customer_id', 'ordered_at', 'revenue', 'updated_at'] as const;
/** Without `currency` rows are in CURRENCY; `cancelled` true removes an order stored before. */
const OPTIONAL_COLUMNS = ['currency', 'cancelled'] as const;
// A query that takes longer than this on the shop's own database is a query to fix, not to wait for.
const STATEMENT_TIMEOUT_MS = 120_000;

/** The last row stored: (updated_at as the server wrote it, to the microsecond, and id). */
const OrdersSqlCursor = z.object({ updatedAt: z.string(), id: z.string() });
type OrdersSqlCursor = z.infer<typeof OrdersSqlCursor>;

export interface OrdersSqlSummary {
  ordersRead: number;
  written: number;
  removed: number;
  customersCreated: number;
}

interface SourceRow {
  id: string | null;
  customer_id: string | null;
  ordered_at: Date | null;
  revenue: string | null;
  currency: string | null;
  cancelled: boolean | null;
  updated_at: string | null;
}

/** The shop's database, read through the user's query inside read-only transactions. */
export interface OrdersSource {
  /** The query's columns, or what is missing from the contract. */
  columns(): Promise<SourceResult<string[]>>;
  /** Rows after the cursor in (updated_at, id) order. */
  page(after: OrdersSqlCursor | undefined, rows: number, columns: readonly string[]): Promise<SourceResult<SourceRow[]>>;
  close(): Promise<void>;
}

/**
 * Scheduler job: orders from the shop's own PostgreSQL (ORDERS_SOURCE_URL), read with the user's
 * query (ORDERS_SOURCE_QUERY) page by page after the cursor, on a read-only connection. Each page is
 * written with its cursor in one transaction; a row that breaks the contract stops the run before
 * its page is stored, naming the order.
 */
export async function ingestOrdersSql(db: Db, config: Config, options: { pageRows?: number } = {}): Promise<SourceResult<OrdersSqlSummary>> {
  const opened = await openOrdersSource(config);
  if (!opened.ok) return opened;
  const source = opened.value;
  try {
    const columns = await source.columns();
    if (!columns.ok) return columns;
    const summary: OrdersSqlSummary = { ordersRead: 0, written: 0, removed: 0, customersCreated: 0 };
    const pageRows = options.pageRows ?? PAGE_ROWS;
    for (;;) {
      const cursor = await readCursor(db, ORDERS_SQL_SOURCE, OrdersSqlCursor);
      const page = await source.page(cursor, pageRows, columns.value);
      if (!page.ok) return page;
      if (page.value.length === 0) return ok(summary);
      const stored = await storePage(db, page.value, { currency: config.CURRENCY, timeZone: config.TIME_ZONE }, summary);
      if (!stored.ok) return stored;
      if (page.value.length < pageRows) return ok(summary);
    }
  } finally {
    await source.close();
  }
}

const Row = z.object({
  id: z.string({ error: 'is empty' }).trim().min(1, 'is empty').max(500),
  customer_id: z.string({ error: 'is empty' }).trim().min(1, 'is empty').max(500),
  ordered_at: z.date({ error: 'is empty' }),
  revenue: z.string({ error: 'is empty' }).pipe(money),
  currency: z.string().nullable(),
  cancelled: z.boolean().nullable(),
  updated_at: z.string({ error: 'is empty' }),
});

async function storePage(db: Db, rows: readonly SourceRow[], shop: { currency: string; timeZone: string }, summary: OrdersSqlSummary): Promise<SourceResult<void>> {
  const kept: OrderRow[] = [];
  const cancelled: string[] = [];
  const currencyField = currencyOr(shop.currency);
  for (const raw of rows) {
    const parsed = Row.safeParse(raw);
    const currency = parsed.success ? currencyField.safeParse(parsed.data.currency ?? '') : undefined;
    if (!parsed.success || !currency?.success) {
      const issue = (parsed.success ? currency?.error : parsed.error)?.issues[0];
      const column = parsed.success ? 'currency' : issue?.path.join('.');
      return fail({ source: 'orders_sql', reason: 'malformed', message: `order ${raw.id ?? '(no id)'}: ${column}: ${issue?.message ?? 'invalid'}` });
    }
    const row = parsed.data;
    if (row.cancelled === true) cancelled.push(row.id);
    else kept.push({ id: row.id, customerId: row.customer_id, orderedAt: row.ordered_at, revenue: row.revenue, currency: currency.data });
  }
  const { accepted, refused } = await convertOrders(db, kept, shop);
  if (refused.length > 0) return fail({ source: 'orders_sql', reason: 'rejected', message: describeRefusals(refused) });
  const last = rows.at(-1)!;
  await db.transaction(async (tx) => {
    const written = await writeOrders(tx, accepted);
    summary.removed += await removeOrders(tx, cancelled);
    summary.written += written.written;
    summary.customersCreated += written.customersCreated;
    await writeCursor<OrdersSqlCursor>(tx, ORDERS_SQL_SOURCE, { updatedAt: last.updated_at!, id: last.id! });
  });
  summary.ordersRead += rows.length;
  return ok(undefined);
}

export async function openOrdersSource(config: Config): Promise<SourceResult<OrdersSource>> {
  if (!config.ORDERS_SOURCE_URL || !config.ORDERS_SOURCE_QUERY) return fail({ source: 'orders_sql', reason: 'not_configured', message: 'set ORDERS_SOURCE_URL and ORDERS_SOURCE_QUERY' });
  const query = (await readFile(config.ORDERS_SOURCE_QUERY, 'utf8')).trim().replace(/;+\s*$/, '');
  if (query === '') return fail({ source: 'orders_sql', reason: 'rejected', message: `${config.ORDERS_SOURCE_QUERY} is empty; it should hold one SELECT` });
  const client = new pg.Client({
    connectionString: config.ORDERS_SOURCE_URL,
    connectionTimeoutMillis: 10_000,
    application_name: 'mkt orders source',
    // Read-only for every transaction of the session, whatever the query tries; times in UTC.
    options: `-c default_transaction_read_only=on -c statement_timeout=${STATEMENT_TIMEOUT_MS} -c TimeZone=UTC`,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => undefined);
    return fail({ source: 'orders_sql', reason: 'network', message: `cannot connect to ${safeUrl(config.ORDERS_SOURCE_URL)}: ${error instanceof Error ? error.message : String(error)}` });
  }
  const readOnly = async <T extends object>(sql: string, params: unknown[]): Promise<SourceResult<pg.QueryResult<T>>> => {
    try {
      await client.query('BEGIN READ ONLY');
      const result = await client.query<T>(sql, params);
      await client.query('COMMIT');
      return ok(result);
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      return fail(queryFailure(config.ORDERS_SOURCE_QUERY!, error));
    }
  };
  return ok({
    async columns() {
      const result = await readOnly(`SELECT * FROM (${query}) AS source LIMIT 0`, []);
      if (!result.ok) return result;
      const names = result.value.fields.map((field) => field.name);
      const missing = REQUIRED_COLUMNS.filter((name) => !names.includes(name));
      if (missing.length > 0) {
        return fail({ source: 'orders_sql', reason: 'rejected', message: `the query has no column ${missing.join(', ')} (it has ${names.join(', ')}); name its columns ${REQUIRED_COLUMNS.join(', ')} (optional: ${OPTIONAL_COLUMNS.join(', ')}) with AS` });
      }
      return ok(names);
    },
    async page(after, rows, columns) {
      const optional = (name: string, type: string, otherwise: string) => (columns.includes(name) ? `source.${name}::${type}` : otherwise);
      const result = await readOnly<SourceRow>(
        `SELECT source.id::text AS id, source.customer_id::text AS customer_id, source.ordered_at::timestamptz AS ordered_at,
                source.revenue::numeric::text AS revenue, ${optional('currency', 'text', 'NULL::text')} AS currency,
                ${optional('cancelled', 'boolean', 'NULL::boolean')} AS cancelled, source.updated_at::timestamptz::text AS updated_at
           FROM (${query}) AS source
          WHERE $1::timestamptz IS NULL
             OR (source.updated_at::timestamptz, source.id::text COLLATE "C") > ($1::timestamptz, $2::text COLLATE "C")
          ORDER BY source.updated_at::timestamptz, source.id::text COLLATE "C"
          LIMIT $3`,
        [after?.updatedAt ?? null, after?.id ?? null, rows],
      );
      return result.ok ? ok(result.value.rows) : result;
    },
    close: () => client.end().catch(() => undefined),
  });
}

function queryFailure(queryFile: string, error: unknown): SourceFailure {
  const message = error instanceof Error ? error.message : String(error);
  return { source: 'orders_sql', reason: 'rejected', message: `the query in ${queryFile} failed on the shop's database: ${message}` };
}
