import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCrux } from '../../../src/adapters/sources/crux.js';
import { runPsi } from '../../../src/adapters/sources/psi.js';
import type { RetryPolicy } from '../../../src/adapters/sources/source-failure.js';
import type { Config } from '../../../src/config.js';
import { testDbKind, useTestDb } from '../../support/db.js';
import type { Answer, RecordedRequest, TestServer } from './support/google-test-server.js';
import { configFrom, fixturePath, resetSourceTest, startTestServer } from './support/google-test-server.js';

const readJson = (...parts: string[]) => JSON.parse(readFileSync(fixturePath(...parts), 'utf8')) as Record<string, unknown>;
const lhr = readJson('lighthouse', 'sample_v2.lhr.json') as { audits: Record<string, { numericValue?: number }>; categories: { performance: { score: number } }; fetchTime: string };
const bbcField = readJson('psi', 'psi_v5_field_data_only_bbc_news_2019.json');
const notInCrux = readJson('psi', 'psi_v5_field_data_only_not_in_crux.json');
const history = readJson('crux', 'queryHistoryRecord_200_url_github_DESKTOP.json') as { record: { metrics: Record<string, { percentilesTimeseries: { p75s: (number | string | null)[] } }>; collectionPeriods: { lastDate: { year: number; month: number; day: number } }[] } };
const marketplace = readJson('crux', 'queryRecord_200_url_github_marketplace_DESKTOP_4G.json') as { record: { metrics: Record<string, { percentiles: { p75: number | string } }> } };

/**
 * No real, complete PSI v5 response is available (the fixtures were trimmed to field data), so the
 * full answer is assembled here: Google's envelope around the field-data fixture and Lighthouse's own sample LHR.
 */
const assembledPsiAnswer = { captchaResult: 'CAPTCHA_NOT_NEEDED', kind: 'pagespeedonline#result', id: 'https://www.example.com/', ...bbcField, lighthouseResult: lhr, analysisUTCTimestamp: lhr.fetchTime, version: { major: 1, minor: 0 } };

describe(`PageSpeed Insights and CrUX on ${testDbKind}`, () => {
  const test = useTestDb();
  let server: TestServer;
  let route: (request: RecordedRequest) => Answer;
  const sleeps: number[] = [];
  const retry: RetryPolicy = { sleep: async (ms) => void sleeps.push(ms), maxAttempts: 3, baseDelayMs: 500 };
  let config: Config;

  beforeAll(async () => {
    server = await startTestServer((request) => route(request));
    config = configFrom({ PSI_URLS: 'https://www.example.com/', PSI_API_KEY: 'test-key', PSI_API_URL: `${server.url}/psi`, CRUX_API_URL: `${server.url}/crux` });
  });
  afterAll(async () => server.close());
  beforeEach(async () => resetSourceTest(test.db, server, sleeps));

  it('writes one lab row per form factor with the LHR metrics and asks PSI with strategy and key', async () => {
    route = () => ({ body: assembledPsiAnswer });
    const result = await runPsi(test.db, config, { retry });
    expect(result).toEqual({ ok: true, value: { written: 2, failures: [] } });
    expect(server.requests.map((request) => [request.path, request.query.get('url'), request.query.get('strategy'), request.query.get('key')])).toEqual([
      ['/psi/runPagespeed', 'https://www.example.com/', 'mobile', 'test-key'], ['/psi/runPagespeed', 'https://www.example.com/', 'desktop', 'test-key'],
    ]);
    const rows = await test.db.query<Record<string, unknown>>('SELECT at, url, form_factor, kind, source, performance_score, lcp_ms, inp_ms, cls, ttfb_ms, tbt_ms, third_party_ms, third_party_bytes FROM pagespeed_runs ORDER BY form_factor');
    expect(rows).toHaveLength(2);
    for (const [index, formFactor] of ['desktop', 'mobile'].entries()) {
      const row = rows[index] ?? {};
      expect(row).toMatchObject({ url: 'https://www.example.com/', form_factor: formFactor, kind: 'lab', source: 'psi', inp_ms: null, third_party_ms: 0, third_party_bytes: 0 });
      expect((row.at as Date).toISOString()).toBe(lhr.fetchTime);
      // `real` columns hold 24-bit mantissas, hence toBeCloseTo on the larger values.
      expect(row.performance_score).toBeCloseTo(lhr.categories.performance.score, 6);
      expect(row.lcp_ms).toBeCloseTo(lhr.audits['largest-contentful-paint']?.numericValue ?? Number.NaN, 2);
      expect(row.cls).toBeCloseTo(lhr.audits['cumulative-layout-shift']?.numericValue ?? Number.NaN, 6);
      expect(row.tbt_ms).toBeCloseTo(lhr.audits['total-blocking-time']?.numericValue ?? Number.NaN, 2);
      expect(row.ttfb_ms).toBe(lhr.audits['server-response-time']?.numericValue);
    }
  });

  it('refuses a PSI answer with field data only (the not-in-CrUX fixture) and writes nothing', async () => {
    route = () => ({ body: notInCrux });
    const result = await runPsi(test.db, config, { retry });
    expect(result.ok && result.value.written).toBe(0);
    expect(result.ok && result.value.failures.map((failure) => failure.reason)).toEqual(['malformed', 'malformed']);
    expect(await test.db.query('SELECT 1 FROM pagespeed_runs')).toEqual([]);
  });

  it('retries a PSI 500 and reports a truncated body as malformed', async () => {
    let calls = 0;
    const whole = JSON.stringify(assembledPsiAnswer);
    route = () => {
      calls += 1;
      if (calls === 1) return { status: 500, body: { error: { code: 500, message: 'Lighthouse returned error: Something went wrong.', status: 'INTERNAL' } } };
      return calls === 2 ? { body: assembledPsiAnswer } : { body: whole.slice(0, 1000) };
    };
    const result = await runPsi(test.db, config, { retry });
    if (!result.ok) throw new Error(result.error.message);
    expect(result.value.written).toBe(1);
    expect(result.value.failures.map((failure) => failure.reason)).toEqual(['malformed']);
    expect(sleeps).toEqual([500]);
  });

  function cruxRoute(request: RecordedRequest): Answer {
    const body = JSON.parse(request.body) as { formFactor: string };
    if (body.formFactor === 'PHONE') return { status: 404, body: readJson('crux', 'error_404_not_found.json') };
    return { body: request.path.endsWith('queryHistoryRecord') ? history : marketplace };
  }

  it('writes the CrUX history and the current record as field rows with p75 LCP, INP, CLS, TTFB and FCP', async () => {
    route = cruxRoute;
    const result = await runCrux(test.db, config, { retry });
    expect(result).toEqual({ ok: true, value: { written: 26, notInCrux: ['https://www.example.com/ mobile'], failures: [] } });
    expect(server.requests.map((request) => [request.path, request.query.get('key')])).toContainEqual(['/crux/records:queryHistoryRecord', 'test-key']);

    const rows = await test.db.query<{ at: Date; form_factor: string; kind: string; source: string; lcp_ms: number; inp_ms: number; cls: number; ttfb_ms: number; fcp_ms: number; performance_score: null }>(
      `SELECT at, form_factor, kind, source, lcp_ms, inp_ms, cls, ttfb_ms, fcp_ms, performance_score FROM pagespeed_runs WHERE url = 'https://www.example.com/' ORDER BY at`);
    const periods = history.record.collectionPeriods;
    const series = (name: string) => history.record.metrics[name]?.percentilesTimeseries.p75s ?? [];
    // CLS is stored as `real`, so it is compared at the fixture's two decimals.
    const actual = rows.slice(0, periods.length).map((row) => [row.at.toISOString(), row.lcp_ms, row.inp_ms, Number(row.cls.toFixed(2)), row.ttfb_ms, row.fcp_ms, row.kind, row.source, row.form_factor, row.performance_score]);
    const expected = periods.map(({ lastDate }, index) => [
      new Date(Date.UTC(lastDate.year, lastDate.month - 1, lastDate.day + 1)).toISOString(),
      series('largest_contentful_paint')[index], series('interaction_to_next_paint')[index], Number(series('cumulative_layout_shift')[index]), series('experimental_time_to_first_byte')[index], series('first_contentful_paint')[index],
      'field', 'crux', 'desktop', null,
    ]);
    expect(periods).toHaveLength(25);
    expect(actual).toEqual(expected);

    // The current record's period (2023-09-15..2023-10-12) follows the history's last one (..2023-10-07).
    const current = rows.at(-1);
    const p75 = (name: string) => Number(marketplace.record.metrics[name]?.percentiles.p75);
    expect(current?.at.toISOString()).toBe('2023-10-13T00:00:00.000Z');
    expect([current?.lcp_ms, current?.inp_ms, current?.ttfb_ms, current?.fcp_ms]).toEqual([p75('largest_contentful_paint'), p75('interaction_to_next_paint'), p75('experimental_time_to_first_byte'), p75('first_contentful_paint')]);
    expect(current?.cls).toBeCloseTo(p75('cumulative_layout_shift'), 6);
  });

  it('retries the recorded CrUX 429 (no error wrapper) and reports the invalid-key 400 with its message', async () => {
    let quota = 1;
    route = (request) => (quota-- > 0 ? { status: 429, body: readJson('crux', 'error_429_quota_exceeded.json') } : cruxRoute(request));
    const retried = await runCrux(test.db, config, { retry });
    expect(retried.ok && retried.value.written).toBe(26);
    expect(sleeps).toEqual([500]);

    route = () => ({ status: 400, body: readJson('crux', 'error_400_invalid_api_key.json') });
    const rejected = await runCrux(test.db, config, { retry });
    expect(rejected.ok && rejected.value.failures[0]).toEqual({ source: 'crux', reason: 'rejected', status: 400, message: 'API key not valid. Please pass a valid API key.' });
  });
});
