import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ingestGa4 } from '../../../src/adapters/sources/ga4.js';
import { connectGa4 } from '../../../src/adapters/sources/ga4.js';
import { runGa4Report } from '../../../src/adapters/sources/ga4-report.js';
import type { RetryPolicy } from '../../../src/adapters/sources/source-failure.js';
import type { Config } from '../../../src/config.js';
import { testDbKind, useTestDb } from '../../support/db.js';
import type { Answer, RecordedRequest, ServiceAccount, TestServer } from './support/google-test-server.js';
import { configFrom, createServiceAccount, fixturePath, resetSourceTest, startTestServer } from './support/google-test-server.js';

/** Site Kit's recorded runReport answer: our replies keep its shape and metadata and swap in our dimensions. */
const siteKitReport = JSON.parse(readFileSync(fixturePath('ga4', 'runReport_sitekit_fixture_report.json'), 'utf8')) as Record<string, unknown> & { metadata: Record<string, unknown> };

function report(dimensions: string[], metrics: string[], rows: string[][], extra: { rowCount?: number; metadata?: Record<string, unknown> } = {}): Record<string, unknown> {
  return {
    ...siteKitReport,
    dimensionHeaders: dimensions.map((name) => ({ name })),
    metricHeaders: metrics.map((name) => ({ name, type: name === 'purchaseRevenue' ? 'TYPE_CURRENCY' : 'TYPE_INTEGER' })),
    rows: rows.map((cells) => ({ dimensionValues: cells.slice(0, dimensions.length).map((value) => ({ value })), metricValues: cells.slice(dimensions.length).map((value) => ({ value })) })),
    rowCount: extra.rowCount ?? rows.length,
    metadata: { ...siteKitReport.metadata, ...extra.metadata },
  };
}

interface RunReportBody { dimensions: { name: string }[]; limit: number; offset: number }

describe(`GA4 Data API ingestion on ${testDbKind}`, () => {
  const test = useTestDb();
  let server: TestServer;
  let account: ServiceAccount;
  let answerReport: (request: RecordedRequest, body: RunReportBody) => Answer;
  const sleeps: number[] = [];
  const retry: RetryPolicy = { sleep: async (ms) => void sleeps.push(ms), maxAttempts: 3, baseDelayMs: 1_000 };
  let config: Config;

  beforeAll(async () => {
    server = await startTestServer((request) => {
      if (request.path === '/token') return account.answerTokenRequest(request);
      if (!account.isAuthorized(request)) return { status: 401, body: { error: { code: 401, message: 'Request had invalid authentication credentials.', status: 'UNAUTHENTICATED' } } };
      if (request.path !== '/v1beta/properties/123456:runReport') return { status: 404, body: { error: { code: 404, message: 'not found', status: 'NOT_FOUND' } } };
      return answerReport(request, JSON.parse(request.body) as RunReportBody);
    });
    account = await createServiceAccount(`${server.url}/token`, 'https://www.googleapis.com/auth/analytics.readonly');
    config = configFrom({ GA4_PROPERTY_ID: '123456', GOOGLE_APPLICATION_CREDENTIALS: account.keyFile, GA4_API_URL: server.url });
  });
  afterAll(async () => server.close());
  beforeEach(async () => resetSourceTest(test.db, server, sleeps));

  const eventRows = [['2026112500', 'page_view', '1520'], ['2026112500', 'purchase', '12'], ['2026112501', 'page_view', '988'], ['2026112501', 'purchase', '7'], ['2026112502', 'page_view', '640']];
  const conversionRows = [['20261125', 'Organic Search', '10', '812.40'], ['20261125', 'Paid Social', '3', '150.00'], ['20261125', 'Affiliates', '1', '49.90'], ['20261125', 'Organic Social', '2', '75.50'], ['20261125', 'Unassigned', '1', '20.25']];

  function pagedAnswers(pageRows: Record<string, string[][]>, metadata: Record<string, unknown> = {}) {
    return (_request: RecordedRequest, body: RunReportBody): Answer => {
      const dimensions = body.dimensions.map((dimension) => dimension.name);
      const rows = dimensions[0] === 'dateHour' ? pageRows.events ?? [] : pageRows.conversions ?? [];
      const metrics = dimensions[0] === 'dateHour' ? ['eventCount'] : ['keyEvents', 'purchaseRevenue'];
      return { body: report(dimensions, metrics, rows.slice(body.offset, body.offset + body.limit), { rowCount: rows.length, metadata }) };
    };
  }

  it('signs in with the service account, pages through both reports and writes every row field by field', async () => {
    answerReport = pagedAnswers({ events: eventRows, conversions: conversionRows });
    const result = await ingestGa4(test.db, config, { now: new Date('2026-11-25T12:00:00Z'), retry, pageSize: 2 });
    expect(result.ok).toBe(true);

    const reportCalls = server.requests.filter((request) => request.path.endsWith(':runReport')).map((request) => JSON.parse(request.body) as RunReportBody & { dateRanges: unknown });
    expect(reportCalls.map((call) => [call.dimensions[0]?.name, call.offset, call.limit])).toEqual([
      ['dateHour', 0, 2], ['dateHour', 2, 2], ['dateHour', 4, 2], ['date', 0, 2], ['date', 2, 2], ['date', 4, 2],
    ]);
    expect(reportCalls[0]?.dateRanges).toEqual([{ startDate: '2026-11-23', endDate: '2026-11-25' }]);
    expect(server.requests.filter((request) => request.path === '/token')).toHaveLength(1);

    // The fixture's property is in America/Los_Angeles (UTC-8 in November), so local 00:00 is 08:00 UTC.
    expect(siteKitReport.metadata.timeZone).toBe('America/Los_Angeles');
    const events = await test.db.query<{ hour: Date; event_name: string; count: number; source: string }>('SELECT hour, event_name, count, source FROM tracking_events ORDER BY hour, event_name');
    expect(events.map((row) => [row.hour.toISOString(), row.event_name, row.count, row.source])).toEqual([
      ['2026-11-25T08:00:00.000Z', 'page_view', 1520, 'ga4'], ['2026-11-25T08:00:00.000Z', 'purchase', 12, 'ga4'],
      ['2026-11-25T09:00:00.000Z', 'page_view', 988, 'ga4'], ['2026-11-25T09:00:00.000Z', 'purchase', 7, 'ga4'],
      ['2026-11-25T10:00:00.000Z', 'page_view', 640, 'ga4'],
    ]);
    const conversions = await test.db.query<{ day: string; channel: string; conversions: number; revenue: number }>(
      `SELECT to_char(day, 'YYYY-MM-DD') AS day, channel, conversions, revenue FROM reported_conversions WHERE source = 'ga4' ORDER BY channel`);
    // Organic Social and Unassigned are not among our channels: both land in 'other', summed (2 + 1, 75.50 + 20.25).
    expect(conversions).toEqual([
      { day: '2026-11-25', channel: 'affiliate', conversions: 1, revenue: 49.9 },
      { day: '2026-11-25', channel: 'organic_search', conversions: 10, revenue: 812.4 },
      { day: '2026-11-25', channel: 'other', conversions: 3, revenue: 95.75 },
      { day: '2026-11-25', channel: 'paid_social', conversions: 3, revenue: 150 },
    ]);
  });

  it('re-running over the same days replaces counts instead of adding to them', async () => {
    answerReport = pagedAnswers({ events: eventRows, conversions: conversionRows });
    await ingestGa4(test.db, config, { now: new Date('2026-11-25T12:00:00Z'), retry });
    answerReport = pagedAnswers({ events: [['2026112500', 'page_view', '1600']], conversions: [] });
    await ingestGa4(test.db, config, { now: new Date('2026-11-25T13:00:00Z'), retry });
    const [row] = await test.db.query<{ count: number }>(`SELECT count FROM tracking_events WHERE event_name = 'page_view' AND hour = '2026-11-25T08:00:00Z'`);
    expect(row?.count).toBe(1600);
  });

  it('surfaces thresholding and sampling flags from the report metadata', async () => {
    answerReport = pagedAnswers({ events: eventRows, conversions: conversionRows }, { subjectToThresholding: true, samplingMetadatas: [{ samplesReadCount: '1000', samplingSpaceSize: '20000' }] });
    const result = await ingestGa4(test.db, config, { now: new Date('2026-11-25T12:00:00Z'), retry });
    if (!result.ok) throw new Error(result.error.message);
    expect(result.value.quality.conversions).toEqual({ isThresholded: true, isSampled: true, hasOtherRow: false, samplingMetadatas: [{ samplesReadCount: 1000, samplingSpaceSize: 20000 }] });
  });

  it('reads the Site Kit fixture as recorded and stops paging at an empty page although rowCount says 364', async () => {
    answerReport = (_request, body) => ({ body: body.offset === 0 ? siteKitReport : { ...siteKitReport, rows: [] } });
    const connection = await connectGa4(config, { retry, pageSize: 1 });
    if (!connection.ok) throw new Error(connection.error.message);
    const table = await runGa4Report(connection.value, { dateRanges: [], dimensions: [{ name: 'date' }], metrics: [{ name: 'userEngagementDuration' }] });
    expect(table).toEqual({ ok: true, value: { rows: [{ date: '20230110', userEngagementDuration: '5568' }], timeZone: 'America/Los_Angeles', quality: { isThresholded: false, isSampled: false, hasOtherRow: false, samplingMetadatas: [] } } });
    expect(server.requests.filter((request) => request.path.endsWith(':runReport'))).toHaveLength(2);
  });

  it('retries quota errors (429 RESOURCE_EXHAUSTED) with doubling backoff and Retry-After, then succeeds', async () => {
    let quotaErrors = 2;
    const answers = pagedAnswers({ events: eventRows, conversions: conversionRows });
    answerReport = (request, body) => {
      if (quotaErrors-- > 0) return { status: 429, headers: { 'retry-after': quotaErrors === 0 ? '5' : '0' }, body: { error: { code: 429, message: 'Exhausted property tokens per hour.', status: 'RESOURCE_EXHAUSTED' } } };
      return answers(request, body);
    };
    const result = await ingestGa4(test.db, config, { now: new Date('2026-11-25T12:00:00Z'), retry });
    expect(result.ok).toBe(true);
    expect(sleeps).toEqual([1_000, 5_000]);
    expect(await test.db.query('SELECT 1 FROM tracking_events')).toHaveLength(5);
  });

  it('gives up after the last attempt on a lasting 500 and writes nothing', async () => {
    answerReport = () => ({ status: 500, body: { error: { code: 500, message: 'Internal error encountered.', status: 'INTERNAL' } } });
    const result = await ingestGa4(test.db, config, { now: new Date('2026-11-25T12:00:00Z'), retry });
    expect(result).toEqual({ ok: false, error: { source: 'ga4', reason: 'unavailable', status: 500, message: 'Internal error encountered.' } });
    expect(sleeps).toEqual([1_000, 2_000]);
    expect(await test.db.query('SELECT 1 FROM tracking_events')).toEqual([]);
  });

  it('reports a truncated body and a body of the wrong shape as malformed, writing nothing', async () => {
    const whole = JSON.stringify(report(['dateHour', 'eventName'], ['eventCount'], eventRows));
    answerReport = () => ({ body: whole.slice(0, whole.length / 2) });
    const truncated = await ingestGa4(test.db, config, { now: new Date('2026-11-25T12:00:00Z'), retry });
    expect(truncated.ok ? undefined : truncated.error.reason).toBe('malformed');
    answerReport = () => ({ body: { ...report(['dateHour', 'eventName'], ['eventCount'], []), rows: [{ dimensionValues: [{ value: 2026112500 }] }] } });
    const wrongShape = await ingestGa4(test.db, config, { now: new Date('2026-11-25T12:00:00Z'), retry });
    expect(wrongShape.ok ? undefined : wrongShape.error).toMatchObject({ reason: 'malformed', message: expect.stringContaining('rows.0.dimensionValues.0.value') });
    expect(await test.db.query('SELECT 1 FROM tracking_events')).toEqual([]);
  });

  it('says which variables are missing when GA4 is not configured', async () => {
    const result = await ingestGa4(test.db, configFrom({}), { now: new Date(), retry });
    expect(result.ok ? undefined : result.error.reason).toBe('not_configured');
  });
});
