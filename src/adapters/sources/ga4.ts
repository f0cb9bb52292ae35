import type { Config } from '../../config.js';
import type { Db } from '../store/db.js';
import { insertBatch } from '../store/insert-batch.js';
import { fail, ok } from '../../bot/result.js';
import { addDays, calendarDay, isoDay, zonedTime } from '../../bot/time-zone.js';
import { channelOfGa4Group } from './ga4-channels.js';
import type { Ga4Connection, Ga4DataQuality } from './ga4-report.js';
import { runGa4Report } from './ga4-report.js';
import { readServiceAccountKey, serviceAccountTokens } from './google-service-account.js';
import type { RetryPolicy, SourceResult } from './source-failure.js';
import { defaultRetryPolicy } from './source-failure.js';

export const GA4_DEFAULT_API_URL = 'https://analyticsdata.googleapis.com';
export const GA4_SCOPE = 'https://www.googleapis.com/auth/analytics.readonly';
/** GA4 renamed "conversions" to "keyEvents" in March 2024; the old metric name is deprecated. */
export const GA4_CONVERSION_METRIC = 'keyEvents';
export const GA4_REVENUE_METRIC = 'purchaseRevenue';
/** GA4 keeps revising the last days (late hits, consent modelling), so each run re-reads them. */
export const GA4_LOOKBACK_DAYS = 3;
const GA4_PAGE_SIZE = 100_000;

export interface Ga4IngestOptions {
  now: Date;
  retry?: RetryPolicy;
  lookbackDays?: number;
  pageSize?: number;
}

export interface Ga4IngestSummary {
  trackingEvents: number;
  reportedConversions: number;
  /** Thresholding and sampling as GA4 flagged them, per report. */
  quality: { events: Ga4DataQuality; conversions: Ga4DataQuality };
}

/** Scheduler job: hourly event counts and daily conversions by channel for the last days. */
export async function ingestGa4(db: Db, config: Config, options: Ga4IngestOptions): Promise<SourceResult<Ga4IngestSummary>> {
  const connection = await connectGa4(config, options);
  if (!connection.ok) return connection;
  const lastDay = calendarDay(options.now, 'UTC');
  const dateRanges = [{ startDate: isoDay(addDays(lastDay, 1 - (options.lookbackDays ?? GA4_LOOKBACK_DAYS))), endDate: isoDay(lastDay) }];
  const events = await runGa4Report(connection.value, { dateRanges, dimensions: [{ name: 'dateHour' }, { name: 'eventName' }], metrics: [{ name: 'eventCount' }] });
  if (!events.ok) return events;
  const conversions = await runGa4Report(connection.value, { dateRanges, dimensions: [{ name: 'date' }, { name: 'sessionDefaultChannelGroup' }], metrics: [{ name: GA4_CONVERSION_METRIC }, { name: GA4_REVENUE_METRIC }] });
  if (!conversions.ok) return conversions;

  const eventRows = new Map<string, [Date, string, number]>();
  for (const row of events.value.rows) {
    const hour = parseDateHour(row.dateHour ?? '', events.value.timeZone);
    const name = row.eventName ?? '';
    const count = Number(row.eventCount);
    if (!hour || name === '' || !Number.isFinite(count)) return fail({ source: 'ga4', reason: 'malformed', message: `unexpected event row ${JSON.stringify(row)}` });
    const key = `${hour.toISOString()} ${name}`;
    eventRows.set(key, [hour, name, (eventRows.get(key)?.[2] ?? 0) + count]);
  }
  const conversionRows = new Map<string, [string, string, number, number]>();
  for (const row of conversions.value.rows) {
    const day = parseGa4Date(row.date ?? '');
    const channel = channelOfGa4Group(row.sessionDefaultChannelGroup ?? '');
    const count = Number(row[GA4_CONVERSION_METRIC]);
    const revenue = Number(row[GA4_REVENUE_METRIC]);
    if (!day || !Number.isFinite(count) || !Number.isFinite(revenue)) return fail({ source: 'ga4', reason: 'malformed', message: `unexpected conversion row ${JSON.stringify(row)}` });
    const key = `${day} ${channel}`;
    const seen = conversionRows.get(key);
    conversionRows.set(key, [day, channel, (seen?.[2] ?? 0) + count, (seen?.[3] ?? 0) + revenue]);
  }
  await db.transaction(async (tx) => {
    await insertBatch(tx, 'tracking_events', ['hour', 'event_name', 'count', 'source'], ['timestamptz', 'text', 'int8', 'text'],
      [...eventRows.values()].map((row) => [...row, 'ga4']), { onConflict: 'ON CONFLICT (hour, event_name, source) DO UPDATE SET count = excluded.count' });
    await insertBatch(tx, 'reported_conversions', ['day', 'channel', 'conversions', 'revenue', 'source'], ['date', 'text', 'numeric', 'numeric', 'text'],
      [...conversionRows.values()].map((row) => [...row, 'ga4']), { onConflict: 'ON CONFLICT (day, channel, source) DO UPDATE SET conversions = excluded.conversions, revenue = excluded.revenue' });
  });
  return ok({ trackingEvents: eventRows.size, reportedConversions: conversionRows.size, quality: { events: events.value.quality, conversions: conversions.value.quality } });
}

export async function connectGa4(config: Config, options: { retry?: RetryPolicy; pageSize?: number }): Promise<SourceResult<Ga4Connection>> {
  if (!config.GA4_PROPERTY_ID || !config.GOOGLE_APPLICATION_CREDENTIALS) return fail({ source: 'ga4', reason: 'not_configured', message: 'set GA4_PROPERTY_ID and GOOGLE_APPLICATION_CREDENTIALS' });
  const key = await readServiceAccountKey(config.GOOGLE_APPLICATION_CREDENTIALS, 'ga4');
  if (!key.ok) return key;
  return ok({
    apiUrl: config.GA4_API_URL ?? GA4_DEFAULT_API_URL,
    propertyId: config.GA4_PROPERTY_ID,
    tokens: serviceAccountTokens(key.value, GA4_SCOPE, 'ga4'),
    retry: options.retry ?? defaultRetryPolicy,
    pageSize: options.pageSize ?? GA4_PAGE_SIZE,
  });
}

/** "2026112514" in the property's time zone → the instant that hour starts. */
export function parseDateHour(text: string, timeZone: string): Date | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})(\d{2})$/.exec(text);
  if (!match) return undefined;
  const [year, month, day, hour] = match.slice(1).map(Number) as [number, number, number, number];
  return zonedTime({ year, month, day }, timeZone, hour);
}

/** "20261125" → "2026-11-25". */
export function parseGa4Date(text: string): string | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})$/.exec(text);
  return match ? `${match[1]}-${match[2]}-${match[3]}` : undefined;
}
