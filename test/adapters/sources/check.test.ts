import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkSources } from '../../../src/adapters/sources/check.js';
import type { ServiceAccount, TestServer } from './support/google-test-server.js';
import { configFrom, createServiceAccount, fixturePath, startTestServer } from './support/google-test-server.js';

const readFixture = (...parts: string[]) => readFileSync(fixturePath(...parts), 'utf8');

describe('mkt sources check', () => {
  let server: TestServer;
  let account: ServiceAccount;

  beforeAll(async () => {
    server = await startTestServer((request) => {
      if (request.path === '/token') return account.answerTokenRequest(request);
      if (request.path.endsWith(':runReport')) {
        return account.isAuthorized(request) ? { body: readFixture('ga4', 'runReport_sitekit_fixture_report.json') } : { status: 401, body: { error: { code: 401, message: 'unauthenticated', status: 'UNAUTHENTICATED' } } };
      }
      if (request.path === '/psi/runPagespeed') return { status: 400, body: readFixture('crux', 'error_400_invalid_api_key.json') };
      if (request.path === '/crux/records:queryRecord') return { status: 404, body: readFixture('crux', 'error_404_not_found.json') };
      return { status: 404, body: {} };
    });
    account = await createServiceAccount(`${server.url}/token`, 'https://www.googleapis.com/auth/analytics.readonly');
  });
  afterAll(async () => server.close());

  it('says in one line per source what works, what is missing and what is wrong', async () => {
    const config = configFrom({
      GA4_PROPERTY_ID: '123456', GOOGLE_APPLICATION_CREDENTIALS: account.keyFile, GA4_API_URL: server.url,
      PSI_URLS: 'https://www.example.com/', PSI_API_KEY: 'bad-key', PSI_API_URL: `${server.url}/psi`, CRUX_API_URL: `${server.url}/crux`,
    });
    expect(await checkSources(config)).toEqual([
      { source: 'ga4', status: 'ok', detail: 'property 123456 answers (time zone America/Los_Angeles)' },
      { source: 'ga4 export', status: 'not_configured', detail: 'set GA4_BIGQUERY_DATASET (project.dataset of the GA4 export) and GOOGLE_APPLICATION_CREDENTIALS' },
      { source: 'psi', status: 'failing', detail: 'rejected (HTTP 400): API key not valid. Please pass a valid API key.' },
      { source: 'crux', status: 'ok', detail: 'the key works; CrUX has no field data for https://www.example.com/' },
      { source: 'gtm', status: 'not_configured', detail: 'set GTM_ACCOUNT_ID and GTM_CONTAINER_ID' },
      { source: 'deploy hooks', status: 'not_configured', detail: 'set DEPLOY_WEBHOOK_SECRET to accept deploy and Lighthouse hooks' },
      { source: 'shopify', status: 'not_configured', detail: 'set SHOPIFY_SHOP and SHOPIFY_ACCESS_TOKEN' },
      { source: 'orders sql', status: 'not_configured', detail: 'set ORDERS_SOURCE_URL and ORDERS_SOURCE_QUERY' },
    ]);
  });

  it('reports a key file signed by the wrong key as an auth failure', async () => {
    const stranger = await createServiceAccount(`${server.url}/token`, 'https://www.googleapis.com/auth/analytics.readonly');
    const config = configFrom({ GA4_PROPERTY_ID: '123456', GOOGLE_APPLICATION_CREDENTIALS: stranger.keyFile, GA4_API_URL: server.url });
    const [ga4] = await checkSources(config);
    expect(ga4).toMatchObject({ source: 'ga4', status: 'failing', detail: expect.stringMatching(/^auth: service-account sign-in failed: invalid_grant/) });
  });
});
