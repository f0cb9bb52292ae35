import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import type { Answer, RecordedRequest } from './google-test-server.js';

/**
 * A stand-in for the BigQuery REST API (v2) serving GA4 export tables: tables.list (paged),
 * tables.get (schema and lastModifiedTime), jobs.query and jobs.getQueryResults (paged, the first
 * answer optionally "not complete yet"). It does not run SQL: it reads the table name and the
 * selected fields from the statement and answers with the table's rows in BigQuery's cell format
 * (`{ f: [{ v }] }`, every scalar a string) and the result schema, as the API does.
 */

export interface BigQueryField { name: string; type: string; mode?: string; fields?: BigQueryField[] }

const text = (name: string): BigQueryField => ({ name, type: 'STRING', mode: 'NULLABLE' });
const record = (name: string, fields: BigQueryField[], mode = 'NULLABLE'): BigQueryField => ({ name, type: 'RECORD', mode, fields });
const CAMPAIGN = [text('campaign_id'), text('campaign_name'), text('source'), text('medium')];

/** The export's columns (support.google.com/analytics/answer/7029846) that the importer reads, and a few it does not. */
export const EXPORT_TABLE_FIELDS: BigQueryField[] = [
  text('event_date'), { name: 'event_timestamp', type: 'INTEGER', mode: 'NULLABLE' }, text('event_name'),
  record('event_params', [text('key'), record('value', [text('string_value'), { name: 'int_value', type: 'INTEGER' }, { name: 'float_value', type: 'FLOAT' }, { name: 'double_value', type: 'FLOAT' }])], 'REPEATED'),
  text('user_id'), text('user_pseudo_id'),
  record('privacy_info', [text('analytics_storage'), text('ads_storage'), text('uses_transient_token')]),
  record('device', [text('category'), text('operating_system'), text('language')]),
  record('geo', [text('city'), text('country'), text('continent'), text('region')]),
  record('traffic_source', [text('name'), text('medium'), text('source')]),
  text('stream_id'), text('platform'),
  record('ecommerce', [{ name: 'purchase_revenue', type: 'FLOAT' }, text('transaction_id')]),
  record('collected_traffic_source', [text('manual_campaign_id'), text('manual_campaign_name'), text('manual_source'), text('manual_medium'), text('gclid')]),
  record('session_traffic_source_last_click', [
    record('manual_campaign', [...CAMPAIGN, text('source_platform')]),
    record('cross_channel_campaign', [...CAMPAIGN, text('source_platform'), text('default_channel_group'), text('primary_channel_group')]),
  ]),
];

/** A table's columns before GA4 added collected_traffic_source (2023) and session_traffic_source_last_click (2024). */
export const OLDER_TABLE_FIELDS = EXPORT_TABLE_FIELDS.filter((field) => field.name !== 'collected_traffic_source' && field.name !== 'session_traffic_source_last_click');

export interface StandInTable { tableId: string; fields: BigQueryField[]; rows: Record<string, unknown>[]; lastModifiedMs: number }

/** Rows of a newline-delimited JSON export file (gzipped or not). */
export function exportFileRows(path: string): Record<string, unknown>[] {
  const bytes = readFileSync(path);
  const content = bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes).toString('utf8') : bytes.toString('utf8');
  return content.split('\n').filter((line) => line.trim() !== '').map((line) => JSON.parse(line) as Record<string, unknown>);
}

export interface BigQueryStandIn {
  tables: Map<string, StandInTable>;
  /** Answer the first jobs.query "not complete" so the client has to ask jobs.getQueryResults. */
  slowJobs: boolean;
  /** Every statement received. */
  queries: string[];
  answer(request: RecordedRequest): Answer | undefined;
}

export function bigQueryStandIn(projectId: string, datasetId: string, options: { listPageSize?: number } = {}): BigQueryStandIn {
  const base = `/bigquery/v2/projects/${projectId}`;
  const jobs = new Map<string, { fields: BigQueryField[]; rows: unknown[] }>();
  const standIn: BigQueryStandIn = {
    tables: new Map(),
    slowJobs: false,
    queries: [],
    answer(request) {
      if (request.method === 'GET' && request.path === `${base}/datasets/${datasetId}/tables`) {
        // Tables come back in name order, a page at a time; other tables share the dataset.
        const names = [...standIn.tables.keys(), 'events_intraday_20261126', 'pseudonymous_users_20261125'].sort();
        const start = Number(request.query.get('pageToken') ?? '0');
        const size = options.listPageSize ?? 1000;
        const page = names.slice(start, start + size);
        return { body: {
          kind: 'bigquery#tableList', totalItems: names.length,
          tables: page.map((tableId) => ({ kind: 'bigquery#table', id: `${projectId}:${datasetId}.${tableId}`, tableReference: { projectId, datasetId, tableId }, type: 'TABLE' })),
          ...(start + size < names.length ? { nextPageToken: String(start + size) } : {}),
        } };
      }
      const tableMatch = new RegExp(`^${base}/datasets/${datasetId}/tables/([^/]+)$`).exec(request.path);
      if (request.method === 'GET' && tableMatch) {
        const table = standIn.tables.get(decodeURIComponent(tableMatch[1] ?? ''));
        if (!table) return notFound(`Not found: Table ${projectId}:${datasetId}.${tableMatch[1]}`);
        return { body: { kind: 'bigquery#table', tableReference: { projectId, datasetId, tableId: table.tableId }, schema: { fields: table.fields },
          numRows: String(table.rows.length), lastModifiedTime: String(table.lastModifiedMs), creationTime: String(table.lastModifiedMs - 3_600_000), type: 'TABLE' } };
      }
      if (request.method === 'POST' && request.path === `${base}/queries`) {
        const body = JSON.parse(request.body) as { query: string; useLegacySql: boolean; maxResults: number };
        standIn.queries.push(body.query);
        const from = /FROM `([^`]+)`/.exec(body.query)?.[1] ?? '';
        const table = standIn.tables.get(from.split('.').at(-1) ?? '');
        if (body.useLegacySql !== false || !table || !from.startsWith(`${projectId}.${datasetId}.`)) return notFound(`Not found: Table ${from}`);
        const result = runSelect(table, body.query);
        const jobId = `job_${jobs.size + 1}`;
        jobs.set(jobId, result);
        if (standIn.slowJobs) return { body: { kind: 'bigquery#queryResponse', jobReference: { projectId, jobId, location: 'EU' }, jobComplete: false } };
        return { body: page(projectId, jobId, result, 0, body.maxResults) };
      }
      const resultsMatch = new RegExp(`^${base}/queries/([^/]+)$`).exec(request.path);
      if (request.method === 'GET' && resultsMatch) {
        const jobId = decodeURIComponent(resultsMatch[1] ?? '');
        const result = jobs.get(jobId);
        if (!result || request.query.get('location') !== 'EU') return notFound(`Not found: Job ${projectId}:EU.${jobId}`);
        return { body: page(projectId, jobId, result, Number(request.query.get('pageToken') ?? '0'), Number(request.query.get('maxResults') ?? '1000')) };
      }
      return undefined;
    },
  };
  return standIn;
}

const notFound = (message: string): Answer => ({ status: 404, body: { error: { code: 404, message, errors: [{ message, domain: 'global', reason: 'notFound' }], status: 'NOT_FOUND' } } });

function page(projectId: string, jobId: string, result: { fields: BigQueryField[]; rows: unknown[] }, start: number, size: number) {
  const next = start + size;
  return {
    kind: 'bigquery#getQueryResultsResponse', schema: { fields: result.fields }, jobReference: { projectId, jobId, location: 'EU' },
    totalRows: String(result.rows.length), rows: result.rows.slice(start, next), jobComplete: true, cacheHit: false,
    ...(next < result.rows.length ? { pageToken: String(next) } : {}),
  };
}

/**
 * The statement's select list as the importer writes it: `expression AS name`, where the
 * expression is the column itself, a STRUCT of some of its fields, the event_params filtered to
 * some keys, or NULL (a column the table lacks).
 */
function runSelect(table: StandInTable, sql: string): { fields: BigQueryField[]; rows: unknown[] } {
  const list = /^SELECT (.*) FROM `/s.exec(sql)?.[1] ?? '';
  const items = [...list.matchAll(/(NULL|STRUCT\(([a-z_]+)\.([a-z_]+) AS [a-z_]+\)|ARRAY\(SELECT AS STRUCT key, value FROM UNNEST\(event_params\) WHERE key IN \(([^)]*)\)\)|[a-z_]+) AS ([a-z_]+)/g)];
  const columns = items.map((match) => {
    const [, expression, structOf, structField, keys, name = ''] = match;
    const field = table.fields.find((candidate) => candidate.name === (structOf ?? name));
    if (expression === 'NULL' || !field) return { field: { name, type: 'INTEGER', mode: 'NULLABLE' }, value: () => null };
    if (structOf && structField) {
      const inner = field.fields?.find((candidate) => candidate.name === structField);
      if (!inner) throw new Error(`stand-in: ${structOf} has no field ${structField}`);
      return { field: record(name, [inner]), value: (row: Record<string, unknown>) => ({ [structField]: (row[structOf] as Record<string, unknown> | null)?.[structField] ?? null }) };
    }
    if (keys !== undefined) {
      const wanted = new Set([...keys.matchAll(/'([^']+)'/g)].map((key) => key[1]));
      return { field, value: (row: Record<string, unknown>) => ((row.event_params as { key: string }[] | null) ?? []).filter((param) => wanted.has(param.key)) };
    }
    return { field, value: (row: Record<string, unknown>) => row[name] ?? null };
  });
  const fields = columns.map((column) => column.field);
  return { fields, rows: table.rows.map((row) => encodeRow(fields, columns.map((column) => column.value(row)))) };
}

function encodeRow(fields: readonly BigQueryField[], values: readonly unknown[]): { f: { v: unknown }[] } {
  return { f: fields.map((field, index) => ({ v: encodeField(field, values[index]) })) };
}

function encodeField(field: BigQueryField, value: unknown): unknown {
  if (field.mode === 'REPEATED') return ((value as unknown[] | null) ?? []).map((item) => ({ v: encodeValue(field, item) }));
  return encodeValue(field, value);
}

function encodeValue(field: BigQueryField, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (field.type === 'RECORD') {
    const object = value as Record<string, unknown>;
    return encodeRow(field.fields ?? [], (field.fields ?? []).map((inner) => object[inner.name]));
  }
  return String(value);
}
