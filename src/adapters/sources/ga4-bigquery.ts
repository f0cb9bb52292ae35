import { z } from 'zod';
import type { Config } from '../../config.js';
import type { Db } from '../store/db.js';
import { fail, ok } from '../../bot/result.js';
import { BigQuerySchema, decodeRow } from './bigquery-rows.js';
import type { BigQueryField } from './bigquery-rows.js';
import { Ga4ExportEvent } from './ga4-export-event.js';
import type { ExportImport } from './ga4-export-import.js';
import { writeExportSessions } from './ga4-export-import.js';
import { ExportSessions } from './ga4-export-sessions.js';
import { requestGoogleJson } from './google-http.js';
import { readServiceAccountKey, serviceAccountTokens } from './google-service-account.js';
import type { AccessTokens } from './google-service-account.js';
import type { RetryPolicy, SourceResult } from './source-failure.js';
import { defaultRetryPolicy } from './source-failure.js';

/**
 * GA4's BigQuery export read through the BigQuery REST API (v2) with a service account: the daily
 * tables events_YYYYMMDD of GA4_BIGQUERY_DATASET, each read with one query job (jobs.query, then
 * jobs.getQueryResults for the further pages) that selects only the fields we read, and imported
 * as `mkt import ga4-export` imports the same tables exported to files.
 */
export const BIGQUERY_DEFAULT_API_URL = 'https://bigquery.googleapis.com';
/** Running a query job needs the BigQuery scope; read-only IAM roles still bound what it can do. */
export const BIGQUERY_SCOPE = 'https://www.googleapis.com/auth/bigquery';
const DAILY_TABLE = /^events_(\d{4})(\d{2})(\d{2})$/;
/** GA4 rewrites a day's table for up to 72 hours after the day; those are looked at again every run. */
const REWRITTEN_DAYS = 3;
/** Tables read per run at most: a first backfill proceeds a week at a time, oldest first. */
const MAX_TABLES_PER_RUN = 7;
const PAGE_ROWS = 50_000;
const QUERY_TIMEOUT_MS = 60_000;

export interface BigQueryConnection {
  apiUrl: string;
  projectId: string;
  datasetId: string;
  tokens: AccessTokens;
  retry: RetryPolicy;
  pageRows: number;
}

export interface DailyTable { tableId: string; day: string }

export async function connectGa4BigQuery(config: Config, options: { retry?: RetryPolicy; pageRows?: number } = {}): Promise<SourceResult<BigQueryConnection>> {
  if (!config.GA4_BIGQUERY_DATASET || !config.GOOGLE_APPLICATION_CREDENTIALS) {
    return fail({ source: 'ga4-export', reason: 'not_configured', message: 'set GA4_BIGQUERY_DATASET (project.dataset of the GA4 export) and GOOGLE_APPLICATION_CREDENTIALS' });
  }
  const key = await readServiceAccountKey(config.GOOGLE_APPLICATION_CREDENTIALS, 'ga4-export');
  if (!key.ok) return key;
  // Dataset ids have no dots; a legacy domain-scoped project id ("example.com:shop") may.
  const cut = config.GA4_BIGQUERY_DATASET.lastIndexOf('.');
  return ok({
    apiUrl: config.GA4_BIGQUERY_API_URL ?? BIGQUERY_DEFAULT_API_URL,
    projectId: config.GA4_BIGQUERY_DATASET.slice(0, cut),
    datasetId: config.GA4_BIGQUERY_DATASET.slice(cut + 1),
    tokens: serviceAccountTokens(key.value, BIGQUERY_SCOPE, 'ga4-export'),
    retry: options.retry ?? defaultRetryPolicy,
    pageRows: options.pageRows ?? PAGE_ROWS,
  });
}

const TableList = z.object({
  tables: z.array(z.object({ tableReference: z.object({ tableId: z.string() }) })).optional(),
  nextPageToken: z.string().optional(),
});
const Table = z.object({ lastModifiedTime: z.string().regex(/^\d+$/), schema: BigQuerySchema });
const QueryPage = z.object({
  jobComplete: z.boolean(),
  jobReference: z.object({ jobId: z.string(), location: z.string().optional() }),
  schema: BigQuerySchema.optional(),
  rows: z.array(z.unknown()).optional(),
  pageToken: z.string().optional(),
});
type QueryPage = z.infer<typeof QueryPage>;

async function call<T>(connection: BigQueryConnection, path: string, schema: z.ZodType<T>, body?: unknown): Promise<SourceResult<T>> {
  const token = await connection.tokens();
  if (!token.ok) return token;
  const url = `${connection.apiUrl}/bigquery/v2/projects/${encodeURIComponent(connection.projectId)}${path}`;
  return requestGoogleJson({ source: 'ga4-export', url, headers: { authorization: `Bearer ${token.value}` }, ...(body === undefined ? {} : { body }) }, schema, connection.retry);
}

/** The dataset's daily export tables, oldest first. */
export async function listDailyTables(connection: BigQueryConnection): Promise<SourceResult<DailyTable[]>> {
  const tables: DailyTable[] = [];
  let pageToken: string | undefined;
  do {
    const query = new URLSearchParams({ maxResults: '1000', ...(pageToken ? { pageToken } : {}) });
    const page = await call(connection, `/datasets/${encodeURIComponent(connection.datasetId)}/tables?${query}`, TableList);
    if (!page.ok) return page;
    for (const table of page.value.tables ?? []) {
      const match = DAILY_TABLE.exec(table.tableReference.tableId);
      if (match) tables.push({ tableId: table.tableReference.tableId, day: `${match[1]}-${match[2]}-${match[3]}` });
    }
    pageToken = page.value.nextPageToken;
  } while (pageToken);
  return ok(tables.sort((a, b) => (a.day < b.day ? -1 : 1)));
}

/** Fields of the export we read, each selected as the export names it; absent from older tables, NULL. */
function selectList(schema: readonly BigQueryField[]): string {
  const has = (name: string) => schema.some((field) => field.name === name);
  const columns: [string, string][] = [
    ['event_date', 'event_date'], ['event_timestamp', 'event_timestamp'], ['event_name', 'event_name'],
    ['event_params', "ARRAY(SELECT AS STRUCT key, value FROM UNNEST(event_params) WHERE key IN ('ga_session_id', 'source', 'medium', 'campaign'))"],
    ['user_id', 'user_id'], ['user_pseudo_id', 'user_pseudo_id'],
    ['device', 'STRUCT(device.category AS category)'], ['geo', 'STRUCT(geo.country AS country)'],
    ['traffic_source', 'traffic_source'], ['collected_traffic_source', 'collected_traffic_source'],
    ['session_traffic_source_last_click', 'session_traffic_source_last_click'],
    ['ecommerce', 'STRUCT(ecommerce.transaction_id AS transaction_id)'],
  ];
  return columns.map(([name, expression]) => `${has(name) ? expression : 'NULL'} AS ${name}`).join(', ');
}

/** Reads one daily table's events into sessions; a row that is not an export event stops it. */
async function readDailyTable(connection: BigQueryConnection, table: DailyTable, schema: readonly BigQueryField[], sessions: ExportSessions): Promise<SourceResult<void>> {
  const sql = `SELECT ${selectList(schema)} FROM \`${connection.projectId}.${connection.datasetId}.${table.tableId}\``;
  let page = await call(connection, '/queries', QueryPage, { query: sql, useLegacySql: false, maxResults: connection.pageRows, timeoutMs: QUERY_TIMEOUT_MS });
  let rowNumber = 0;
  for (;;) {
    if (!page.ok) return page;
    if (page.value.jobComplete) {
      const fields = page.value.schema?.fields ?? [];
      for (const row of page.value.rows ?? []) {
        rowNumber += 1;
        const event = Ga4ExportEvent.safeParse(decodeRow(fields, row));
        if (!event.success) {
          const issue = event.error.issues[0];
          return fail({ source: 'ga4-export', reason: 'malformed', message: `${table.tableId} row ${rowNumber}: ${issue?.path.join('.') || 'event'}: ${issue?.message ?? 'not a GA4 export event'}` });
        }
        sessions.add(event.data);
      }
      if (!page.value.pageToken) return ok(undefined);
    }
    page = await nextPage(connection, page.value);
  }
}

function nextPage(connection: BigQueryConnection, page: QueryPage): Promise<SourceResult<QueryPage>> {
  const query = new URLSearchParams({
    maxResults: String(connection.pageRows), timeoutMs: String(QUERY_TIMEOUT_MS),
    ...(page.jobComplete && page.pageToken ? { pageToken: page.pageToken } : {}),
    ...(page.jobReference.location ? { location: page.jobReference.location } : {}),
  });
  return call(connection, `/queries/${encodeURIComponent(page.jobReference.jobId)}?${query}`, QueryPage);
}

export interface BigQueryIngest extends ExportImport {
  /** Tables read this run. */
  tables: string[];
  /** Tables looked at whose last modification was already imported. */
  unchanged: number;
}

/**
 * Scheduler job: reads the daily tables not imported yet (oldest first, a week per run) and those
 * of the last days GA4 may still have rewritten since they were imported, and replaces those days.
 */
export async function ingestGa4BigQuery(db: Db, config: Config, options: { now: Date; retry?: RetryPolicy; pageRows?: number }): Promise<SourceResult<BigQueryIngest>> {
  const connection = await connectGa4BigQuery(config, options);
  if (!connection.ok) return connection;
  const listed = await listDailyTables(connection.value);
  if (!listed.ok) return listed;
  const imported = new Map((await db.query<{ day: string; table_modified_at: Date | null }>(
    `SELECT to_char(day, 'YYYY-MM-DD') AS day, table_modified_at FROM ga4_export_days`)).map((row) => [row.day, row.table_modified_at?.getTime() ?? null]));
  const recentFrom = new Date(options.now.getTime() - REWRITTEN_DAYS * 86_400_000).toISOString().slice(0, 10);
  const candidates = [
    ...listed.value.filter((table) => !imported.has(table.day)).slice(0, MAX_TABLES_PER_RUN),
    ...listed.value.filter((table) => imported.has(table.day) && table.day >= recentFrom),
  ];
  // One table at a time, written before the next is read: a day of a large shop is a million sessions.
  const total: ExportImport = { days: [], sessions: 0, touchesWritten: 0, touchesRemoved: 0, events: 0, skippedEvents: 0 };
  const read: string[] = [];
  for (const table of candidates) {
    const described = await call(connection.value, `/datasets/${encodeURIComponent(connection.value.datasetId)}/tables/${encodeURIComponent(table.tableId)}`, Table);
    if (!described.ok) return described;
    const lastModified = Number(described.value.lastModifiedTime);
    if (imported.get(table.day) === lastModified) continue;
    const sessions = new ExportSessions();
    const events = await readDailyTable(connection.value, table, described.value.schema.fields, sessions);
    if (!events.ok) return events;
    const written = await writeExportSessions(db, sessions, 'bigquery', new Map([[table.day, new Date(lastModified)]]));
    total.days.push(...written.days);
    for (const key of ['sessions', 'touchesWritten', 'touchesRemoved', 'events', 'skippedEvents'] as const) total[key] += written[key];
    read.push(table.tableId);
  }
  return ok({ ...total, tables: read, unchanged: candidates.length - read.length });
}
