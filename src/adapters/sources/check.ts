import { z } from 'zod';
import type { Config } from '../../config.js';
import { connectGa4 } from './ga4.js';
import { connectGa4BigQuery, listDailyTables } from './ga4-bigquery.js';
import { runGa4Report } from './ga4-report.js';
import { CRUX_DEFAULT_API_URL } from './crux.js';
import { GtmContainerVersion } from './gtm-version.js';
import { GTM_DEFAULT_API_URL, gtmTokens } from './gtm.js';
import { requestGoogleJson } from './google-http.js';
import { fetchPsiRun } from './psi.js';
import { openOrdersSource } from './orders-sql.js';
import { shopifyGraphql } from './shopify-graphql.js';
import { connectShopify } from './shopify.js';
import type { RetryPolicy, SourceFailure } from './source-failure.js';

export interface SourceCheck {
  source: string;
  status: 'ok' | 'not_configured' | 'failing';
  detail: string;
}

/** A check answers at once: one attempt, no backoff. */
const ONE_ATTEMPT: RetryPolicy = { sleep: async () => undefined, maxAttempts: 1, baseDelayMs: 0 };

/** Tries each configured source's credentials and reachability with one cheap request. */
export async function checkSources(config: Config): Promise<SourceCheck[]> {
  return [await checkGa4(config), await checkGa4Export(config), await checkPsi(config), await checkCrux(config), await checkGtm(config), checkDeployHooks(config), await checkShopify(config), await checkOrdersSql(config)];
}

const failing = (source: string, failure: SourceFailure): SourceCheck => (failure.reason === 'not_configured'
  ? { source, status: 'not_configured', detail: failure.message }
  : { source, status: 'failing', detail: `${failure.reason}${failure.status ? ` (HTTP ${failure.status})` : ''}: ${failure.message}` });

async function checkGa4(config: Config): Promise<SourceCheck> {
  const connection = await connectGa4(config, { retry: ONE_ATTEMPT, pageSize: 1 });
  if (!connection.ok) return failing('ga4', connection.error);
  const report = await runGa4Report(connection.value, { dateRanges: [{ startDate: 'yesterday', endDate: 'today' }], dimensions: [], metrics: [{ name: 'eventCount' }] });
  return report.ok ? { source: 'ga4', status: 'ok', detail: `property ${config.GA4_PROPERTY_ID} answers (time zone ${report.value.timeZone})` } : failing('ga4', report.error);
}

async function checkGa4Export(config: Config): Promise<SourceCheck> {
  const connection = await connectGa4BigQuery(config, { retry: ONE_ATTEMPT });
  if (!connection.ok) return failing('ga4 export', connection.error);
  const tables = await listDailyTables(connection.value);
  if (!tables.ok) return failing('ga4 export', tables.error);
  const last = tables.value.at(-1);
  return { source: 'ga4 export', status: 'ok', detail: last
    ? `dataset ${config.GA4_BIGQUERY_DATASET} answers: ${tables.value.length} daily tables, the last ${last.tableId}`
    : `dataset ${config.GA4_BIGQUERY_DATASET} answers but holds no events_YYYYMMDD table yet (is the GA4 link's daily export on?)` };
}

async function checkPsi(config: Config): Promise<SourceCheck> {
  const url = config.PSI_URLS[0];
  if (!url) return { source: 'psi', status: 'not_configured', detail: 'set PSI_URLS to the pages to measure' };
  const run = await fetchPsiRun(config, url, 'mobile', ONE_ATTEMPT);
  return run.ok ? { source: 'psi', status: 'ok', detail: `${url} measured (performance ${run.value.performanceScore ?? 'n/a'}); ${config.PSI_URLS.length} URL(s) configured` } : failing('psi', run.error);
}

async function checkCrux(config: Config): Promise<SourceCheck> {
  const url = config.PSI_URLS[0];
  if (!url || !config.PSI_API_KEY) return { source: 'crux', status: 'not_configured', detail: 'set PSI_URLS and PSI_API_KEY' };
  const answer = await requestGoogleJson({ source: 'crux', url: `${config.CRUX_API_URL ?? CRUX_DEFAULT_API_URL}/records:queryRecord?key=${encodeURIComponent(config.PSI_API_KEY)}`, body: { url } }, z.unknown(), ONE_ATTEMPT);
  if (answer.ok) return { source: 'crux', status: 'ok', detail: `field data found for ${url}` };
  if (answer.error.reason === 'not_found') return { source: 'crux', status: 'ok', detail: `the key works; CrUX has no field data for ${url}` };
  return failing('crux', answer.error);
}

async function checkGtm(config: Config): Promise<SourceCheck> {
  if (!config.GTM_ACCOUNT_ID || !config.GTM_CONTAINER_ID) return { source: 'gtm', status: 'not_configured', detail: 'set GTM_ACCOUNT_ID and GTM_CONTAINER_ID' };
  const tokens = await gtmTokens(config);
  if (typeof tokens !== 'function') return failing('gtm', tokens.error);
  const token = await tokens();
  if (!token.ok) return failing('gtm', token.error);
  const url = `${config.GTM_API_URL ?? GTM_DEFAULT_API_URL}/accounts/${encodeURIComponent(config.GTM_ACCOUNT_ID)}/containers/${encodeURIComponent(config.GTM_CONTAINER_ID)}/versions:live`;
  const live = await requestGoogleJson({ source: 'gtm', url, headers: { authorization: `Bearer ${token.value}` } }, GtmContainerVersion, ONE_ATTEMPT);
  return live.ok ? { source: 'gtm', status: 'ok', detail: `live version ${live.value.containerVersionId}` } : failing('gtm', live.error);
}

function checkDeployHooks(config: Config): SourceCheck {
  return config.DEPLOY_WEBHOOK_SECRET
    ? { source: 'deploy hooks', status: 'ok', detail: 'POST /hooks/deploy and /hooks/lighthouse accept bodies signed with DEPLOY_WEBHOOK_SECRET' }
    : { source: 'deploy hooks', status: 'not_configured', detail: 'set DEPLOY_WEBHOOK_SECRET to accept deploy and Lighthouse hooks' };
}

const ShopData = z.object({ shop: z.object({ name: z.string(), currencyCode: z.string() }) });

async function checkShopify(config: Config): Promise<SourceCheck> {
  const connection = connectShopify(config, { retry: ONE_ATTEMPT });
  if (!connection.ok) return failing('shopify', connection.error);
  const answer = await shopifyGraphql(connection.value, { label: 'shop', query: '{ shop { name currencyCode } }' }, ShopData);
  if (!answer.ok) return failing('shopify', answer.error);
  const { name, currencyCode } = answer.value.shop;
  const money = currencyCode === config.CURRENCY ? `shop money in ${currencyCode}, the CURRENCY` : `shop money in ${currencyCode}, converted to ${config.CURRENCY} with imported rates`;
  return { source: 'shopify', status: 'ok', detail: `${name} answers; ${money}` };
}

async function checkOrdersSql(config: Config): Promise<SourceCheck> {
  const source = await openOrdersSource(config);
  if (!source.ok) return failing('orders sql', source.error);
  try {
    const columns = await source.value.columns();
    return columns.ok
      ? { source: 'orders sql', status: 'ok', detail: `the query returns ${columns.value.join(', ')} on a read-only connection` }
      : failing('orders sql', columns.error);
  } finally {
    await source.value.close();
  }
}
