import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { checkSources } from '../../../src/adapters/sources/check.js';
import { ingestGa4BigQuery } from '../../../src/adapters/sources/ga4-bigquery.js';
import { importGa4ExportFiles } from '../../../src/adapters/sources/ga4-export-import.js';
import type { RetryPolicy } from '../../../src/adapters/sources/source-failure.js';
import type { Config } from '../../../src/config.js';
import { ga4ExportJob } from '../../../src/jobs/ingest-jobs.js';
import { testDbKind, useTestDb } from '../../support/db.js';
import { testJobContext } from '../../jobs/job-context.js';
import type { BigQueryStandIn } from './support/bigquery-stand-in.js';
import { bigQueryStandIn, EXPORT_TABLE_FIELDS, exportFileRows, OLDER_TABLE_FIELDS } from './support/bigquery-stand-in.js';
import type { Answer, ServiceAccount, TestServer } from './support/google-test-server.js';
import { configFrom, createServiceAccount, resetSourceTest, startTestServer } from './support/google-test-server.js';

const EXPORT_FOLDER = new URL('../../fixtures/ga4-export/', import.meta.url).pathname;
const DAY_1_ROWS = exportFileRows(join(EXPORT_FOLDER, 'events_20261124.json'));
const DAY_2_ROWS = exportFileRows(join(EXPORT_FOLDER, 'events_20261125-000000000000.json.gz'));
const MODIFIED_MS = Date.parse('2026-11-26T14:10:00Z');
const NOW = new Date('2026-11-26T15:25:00Z');

describe(`GA4 export read through the BigQuery API on ${testDbKind}`, () => {
  const test = useTestDb();
  let server: TestServer;
  let account: ServiceAccount;
  let bigQuery: BigQueryStandIn;
  let override: ((path: string) => Answer | undefined) | undefined;
  const sleeps: number[] = [];
  const retry: RetryPolicy = { sleep: async (ms) => void sleeps.push(ms), maxAttempts: 2, baseDelayMs: 1_000 };
  let config: Config;
  const touches = () => test.db.query('SELECT id, customer_id, anonymous_id, at, channel, source, medium, campaign, device, country, order_id FROM touchpoints ORDER BY id');

  beforeAll(async () => {
    server = await startTestServer((request) => {
      if (request.path === '/token') return account.answerTokenRequest(request);
      if (!account.isAuthorized(request)) return { status: 401, body: { error: { code: 401, message: 'Request had invalid authentication credentials.', status: 'UNAUTHENTICATED' } } };
      return override?.(request.path) ?? bigQuery.answer(request) ?? { status: 404, body: { error: { code: 404, message: `no route ${request.path}`, status: 'NOT_FOUND' } } };
    });
    account = await createServiceAccount(`${server.url}/token`, 'https://www.googleapis.com/auth/bigquery');
    config = configFrom({ GA4_BIGQUERY_DATASET: 'shop-project.analytics_123456789', GOOGLE_APPLICATION_CREDENTIALS: account.keyFile, GA4_BIGQUERY_API_URL: server.url });
  });
  afterAll(async () => server.close());
  beforeEach(async () => {
    await resetSourceTest(test.db, server, sleeps);
    await test.db.exec('TRUNCATE ga4_export_sessions, ga4_export_days');
    override = undefined;
    bigQuery = bigQueryStandIn('shop-project', 'analytics_123456789', { listPageSize: 2 });
    bigQuery.tables.set('events_20261124', { tableId: 'events_20261124', fields: EXPORT_TABLE_FIELDS, rows: DAY_1_ROWS, lastModifiedMs: MODIFIED_MS });
    bigQuery.tables.set('events_20261125', { tableId: 'events_20261125', fields: EXPORT_TABLE_FIELDS, rows: DAY_2_ROWS, lastModifiedMs: MODIFIED_MS });
  });

  it('writes the same touches as importing the same tables exported to files, paging through each query', async () => {
    const files = await importGa4ExportFiles(test.db, EXPORT_FOLDER);
    expect(files.ok).toBe(true);
    const fromFiles = await touches();
    await resetSourceTest(test.db, server, sleeps);
    await test.db.exec('TRUNCATE ga4_export_sessions, ga4_export_days');

    bigQuery.slowJobs = true;
    const outcome = await ingestGa4BigQuery(test.db, config, { now: NOW, retry, pageRows: 4 });
    expect(outcome).toMatchObject({ ok: true, value: { tables: ['events_20261124', 'events_20261125'], unchanged: 0, sessions: 8, events: 22, skippedEvents: 1 } });
    expect(await touches()).toEqual(fromFiles);
    expect(await test.db.query(`SELECT to_char(day, 'YYYY-MM-DD') AS day, origin, events, table_modified_at FROM ga4_export_days ORDER BY day`)).toEqual([
      { day: '2026-11-24', origin: 'bigquery', events: 15, table_modified_at: new Date(MODIFIED_MS) },
      { day: '2026-11-25', origin: 'bigquery', events: 7, table_modified_at: new Date(MODIFIED_MS) },
    ]);
    // Tables listed over pages; each query asked for only the fields read, and its pages read through the job.
    const paths = server.requests.map((request) => `${request.method} ${request.path}${request.query.get('pageToken') ? ` page ${request.query.get('pageToken')}` : ''}`);
    expect(paths.filter((path) => path.endsWith('/tables') || path.includes('/tables page'))).toHaveLength(2);
    expect(paths.filter((path) => path.includes('/queries/job_1'))).toEqual([
      'GET /bigquery/v2/projects/shop-project/queries/job_1', ...[4, 8, 12].map((row) => `GET /bigquery/v2/projects/shop-project/queries/job_1 page ${row}`),
    ]);
    expect(bigQuery.queries[0]).toBe("SELECT event_date AS event_date, event_timestamp AS event_timestamp, event_name AS event_name, "
      + "ARRAY(SELECT AS STRUCT key, value FROM UNNEST(event_params) WHERE key IN ('ga_session_id', 'source', 'medium', 'campaign')) AS event_params, "
      + 'user_id AS user_id, user_pseudo_id AS user_pseudo_id, STRUCT(device.category AS category) AS device, STRUCT(geo.country AS country) AS geo, '
      + 'traffic_source AS traffic_source, collected_traffic_source AS collected_traffic_source, session_traffic_source_last_click AS session_traffic_source_last_click, '
      + 'STRUCT(ecommerce.transaction_id AS transaction_id) AS ecommerce FROM `shop-project.analytics_123456789.events_20261124`');
  });

  it('reads a table again only when GA4 has rewritten it since', async () => {
    await ingestGa4BigQuery(test.db, config, { now: NOW, retry });
    bigQuery.queries.length = 0;
    expect(await ingestGa4BigQuery(test.db, config, { now: NOW, retry })).toMatchObject({ ok: true, value: { tables: [], unchanged: 2 } });
    expect(bigQuery.queries).toEqual([]);
    // GA4 adds a late session to the 25th: only that table is read, and its day replaced.
    const late = { ...DAY_2_ROWS[0], user_pseudo_id: '771002.1732561000', event_timestamp: '1795650000000000', user_id: null };
    bigQuery.tables.set('events_20261125', { tableId: 'events_20261125', fields: EXPORT_TABLE_FIELDS, rows: [...DAY_2_ROWS, late], lastModifiedMs: MODIFIED_MS + 60_000 });
    expect(await ingestGa4BigQuery(test.db, config, { now: NOW, retry })).toMatchObject({ ok: true, value: { tables: ['events_20261125'], unchanged: 1, touchesWritten: 1 } });
    expect(await test.db.query(`SELECT count(*)::int AS touches FROM touchpoints WHERE anonymous_id = '771002.1732561000'`)).toEqual([{ touches: 1 }]);
  });

  it('reads a table older than the last-click and collected-source columns with NULL in their place', async () => {
    bigQuery.tables.clear();
    const older = DAY_1_ROWS.map((row) => ({ ...row, collected_traffic_source: undefined, session_traffic_source_last_click: undefined }));
    bigQuery.tables.set('events_20261124', { tableId: 'events_20261124', fields: OLDER_TABLE_FIELDS, rows: older, lastModifiedMs: MODIFIED_MS });
    const outcome = await ingestGa4BigQuery(test.db, config, { now: NOW, retry });
    expect(outcome).toMatchObject({ ok: true, value: { tables: ['events_20261124'], sessions: 6 } });
    expect(bigQuery.queries[0]).toContain('NULL AS collected_traffic_source, NULL AS session_traffic_source_last_click');
    // Without a last click, the signed-in visitor's source is the user's first-visit one.
    expect(await test.db.query(`SELECT channel, source FROM touchpoints WHERE customer_id = 'c00000042'`)).toEqual([{ channel: 'paid_social', source: 'instagram' }]);
  });

  it('fails the run with what BigQuery said, and imports nothing of a table it could not read whole', async () => {
    override = (path) => (path.endsWith('/queries') ? { status: 403, body: { error: { code: 403, message: 'Access Denied: User does not have bigquery.jobs.create permission in project shop-project.', status: 'PERMISSION_DENIED' } } } : undefined);
    expect(await ingestGa4BigQuery(test.db, config, { now: NOW, retry })).toEqual({ ok: false, error: {
      source: 'ga4-export', reason: 'auth', status: 403, message: 'Access Denied: User does not have bigquery.jobs.create permission in project shop-project.',
    } });
    override = undefined;
    bigQuery.tables.set('events_20261124', { tableId: 'events_20261124', fields: EXPORT_TABLE_FIELDS, rows: [DAY_1_ROWS[0] ?? {}, { ...DAY_1_ROWS[1], event_timestamp: 'yesterday' }], lastModifiedMs: MODIFIED_MS });
    expect(await ingestGa4BigQuery(test.db, config, { now: NOW, retry })).toEqual({ ok: false, error: {
      source: 'ga4-export', reason: 'malformed', message: 'events_20261124 row 2: event_timestamp: expected an integer (BigQuery writes INT64 as a string of digits)',
    } });
    expect(await touches()).toEqual([]);
  });

  it('is a scheduled job that skips quietly until GA4_BIGQUERY_DATASET is set', async () => {
    const context = testJobContext(test.db);
    const skipped = await ga4ExportJob.run(context, NOW);
    expect(skipped).toEqual({ summary: 'set GA4_BIGQUERY_DATASET (project.dataset of the GA4 export) and GOOGLE_APPLICATION_CREDENTIALS', skipped: true });
    // Session F crosses midnight: written with the first day's table, and again with the second's.
    const ran = await ga4ExportJob.run({ ...context, config }, NOW);
    expect(ran.summary).toBe('read events_20261124, events_20261125: 8 sessions, 8 touches written, 0 removed');
    expect(await test.db.query('SELECT count(*)::int AS touches FROM touchpoints')).toEqual([{ touches: 7 }]);
  });

  it('tells in `mkt sources check` whether the dataset answers and which daily table is the last', async () => {
    const line = async (env: Record<string, string>) => (await checkSources(configFrom(env))).find((check) => check.source === 'ga4 export');
    expect(await line({})).toEqual({ source: 'ga4 export', status: 'not_configured', detail: 'set GA4_BIGQUERY_DATASET (project.dataset of the GA4 export) and GOOGLE_APPLICATION_CREDENTIALS' });
    expect(await line({ GA4_BIGQUERY_DATASET: 'shop-project.analytics_123456789', GOOGLE_APPLICATION_CREDENTIALS: account.keyFile, GA4_BIGQUERY_API_URL: server.url }))
      .toEqual({ source: 'ga4 export', status: 'ok', detail: 'dataset shop-project.analytics_123456789 answers: 2 daily tables, the last events_20261125' });
    expect(await line({ GA4_BIGQUERY_DATASET: 'shop-project.analytics_999', GOOGLE_APPLICATION_CREDENTIALS: account.keyFile, GA4_BIGQUERY_API_URL: server.url }))
      .toMatchObject({ source: 'ga4 export', status: 'failing', detail: expect.stringMatching(/^not_found \(HTTP 404\)/) });
  });
});
