import { ingestGa4 } from '../adapters/sources/ga4.js';
import { ingestGa4BigQuery } from '../adapters/sources/ga4-bigquery.js';
import { runCrux } from '../adapters/sources/crux.js';
import { pollGtm } from '../adapters/sources/gtm.js';
import { runPsi } from '../adapters/sources/psi.js';
import { ingestOrdersSql } from '../adapters/sources/orders-sql.js';
import { ingestShopify } from '../adapters/sources/shopify.js';
import type { SourceResult } from '../adapters/sources/source-failure.js';
import type { JobDefinition, JobReport } from './job.js';
import { minuteSlotKey } from './period-key.js';

/** An unconfigured source is skipped quietly; any other failure fails the run (recorded, retried next period). */
function report<T>(outcome: SourceResult<T>, describe: (value: T) => string): JobReport {
  if (outcome.ok) return { summary: describe(outcome.value) };
  if (outcome.error.reason === 'not_configured') return { summary: outcome.error.message, skipped: true };
  throw new Error(`${outcome.error.source}: ${outcome.error.message}`);
}

export const ga4Job: JobDefinition = {
  name: 'ingest-ga4',
  description: 'pull hourly events and daily reported conversions from the GA4 Data API',
  schedule: '7 * * * *',
  periodKey: minuteSlotKey(60),
  async run({ db, config }, asOf) {
    return report(await ingestGa4(db, config, { now: asOf }), (value) =>
      `${value.trackingEvents} hourly event rows, ${value.reportedConversions} conversion rows`);
  },
};

export const ga4ExportJob: JobDefinition = {
  name: 'ingest-ga4-export',
  description: "read GA4's BigQuery export (daily events_ tables) into touchpoints, one touch per session",
  schedule: '25 */3 * * *',
  periodKey: minuteSlotKey(180),
  async run({ db, config }, asOf) {
    return report(await ingestGa4BigQuery(db, config, { now: asOf }), (value) => (value.tables.length === 0
      ? `no new or changed tables (${value.unchanged} unchanged)`
      : `read ${value.tables.join(', ')}: ${value.sessions} sessions, ${value.touchesWritten} touches written, ${value.touchesRemoved} removed`));
  },
};

export const psiJob: JobDefinition = {
  name: 'ingest-psi',
  description: 'run PageSpeed Insights on PSI_URLS (lab metrics, third-party summary)',
  schedule: '15 */6 * * *',
  periodKey: minuteSlotKey(360),
  async run({ db, config }) {
    return report(await runPsi(db, config), (value) => `${value.written} lab runs`);
  },
};

export const cruxJob: JobDefinition = {
  name: 'ingest-crux',
  description: 'read field p75s (and their history) from the Chrome UX Report API',
  schedule: '30 5 * * *',
  periodKey: minuteSlotKey(24 * 60),
  async run({ db, config }) {
    return report(await runCrux(db, config), (value) => `${value.written} field records`);
  },
};

export const gtmJob: JobDefinition = {
  name: 'poll-gtm',
  description: 'record newly published Google Tag Manager versions as changes',
  schedule: '*/10 * * * *',
  periodKey: minuteSlotKey(10),
  async run({ db, config }, asOf) {
    return report(await pollGtm(db, config, { now: asOf }), (value) =>
      (value.recorded ? `recorded ${value.recorded}` : `live version ${value.liveVersion} already recorded`));
  },
};

export const shopifyJob: JobDefinition = {
  name: 'ingest-shopify',
  description: 'read orders updated in the Shopify shop (a bulk operation backfills the first run)',
  schedule: '*/15 * * * *',
  periodKey: minuteSlotKey(15),
  async run({ db, config }) {
    return report(await ingestShopify(db, config), (value) => (value.mode === 'backfill_running'
      ? 'the backfill\'s bulk operation is still running; the next run picks it up'
      : `${value.mode}: ${value.ordersRead} orders read, ${value.written} written, ${value.removed} removed (cancelled or test), ${value.customersCreated} new customers`));
  },
};

export const ordersSqlJob: JobDefinition = {
  name: 'ingest-orders-sql',
  description: "read orders updated in the shop's own database (ORDERS_SOURCE_URL with the ORDERS_SOURCE_QUERY file)",
  schedule: '*/15 * * * *',
  periodKey: minuteSlotKey(15),
  async run({ db, config }) {
    return report(await ingestOrdersSql(db, config), (value) =>
      `${value.ordersRead} orders read, ${value.written} written, ${value.removed} removed (cancelled), ${value.customersCreated} new customers`);
  },
};

/**
 * The embedded database has no autovacuum, so its planner statistics would never follow the data;
 * without them a join of orders and touchpoints can take minutes instead of milliseconds.
 */
export const analyzeJob: JobDefinition = {
  name: 'analyze',
  description: 'refresh the embedded database\'s planner statistics (PostgreSQL servers do this themselves)',
  schedule: '40 * * * *',
  periodKey: minuteSlotKey(60),
  async run({ db }) {
    if (db.kind !== 'pglite') return { summary: 'the server runs autovacuum', skipped: true };
    await db.exec('ANALYZE');
    return { summary: 'statistics refreshed' };
  },
};
