import { z } from 'zod';
import { fail, ok } from '../../bot/result.js';
import type { AccessTokens } from './google-service-account.js';
import { requestGoogleJson } from './google-http.js';
import type { RetryPolicy, SourceResult } from './source-failure.js';

/** GA4 Data API v1beta `runReport` response (developers.google.com/analytics/devguides/reporting/data/v1/rest/v1beta/RunReportResponse). */
const Cell = z.object({ value: z.string() });
export const Ga4Report = z.object({
  kind: z.literal('analyticsData#runReport').optional(),
  dimensionHeaders: z.array(z.object({ name: z.string() })).default([]),
  metricHeaders: z.array(z.object({ name: z.string(), type: z.string().optional() })).default([]),
  rows: z.array(z.object({ dimensionValues: z.array(Cell).default([]), metricValues: z.array(Cell).default([]) })).default([]),
  // Absent when the report has no rows.
  rowCount: z.number().int().min(0).default(0),
  metadata: z.object({
    currencyCode: z.string().nullish(),
    timeZone: z.string().nullish(),
    subjectToThresholding: z.boolean().nullish(),
    dataLossFromOtherRow: z.boolean().nullish(),
    samplingMetadatas: z.array(z.object({ samplesReadCount: z.coerce.number(), samplingSpaceSize: z.coerce.number() })).nullish(),
  }).default({}),
});
export type Ga4Report = z.infer<typeof Ga4Report>;

export interface Ga4ReportRequest {
  dateRanges: { startDate: string; endDate: string }[];
  dimensions: { name: string }[];
  metrics: { name: string }[];
}

/** What the caller should know about the numbers: GA4 may hide small counts or sample large ones. */
export interface Ga4DataQuality {
  isThresholded: boolean;
  isSampled: boolean;
  hasOtherRow: boolean;
  samplingMetadatas: { samplesReadCount: number; samplingSpaceSize: number }[];
}

export interface Ga4Connection {
  apiUrl: string;
  propertyId: string;
  tokens: AccessTokens;
  retry: RetryPolicy;
  /** Rows per page; the API allows up to 250,000. */
  pageSize: number;
}

export interface Ga4Table {
  rows: Record<string, string>[];
  timeZone: string;
  quality: Ga4DataQuality;
}

/** Runs a report page by page (limit/offset until rowCount) and returns its rows keyed by header name. */
export async function runGa4Report(connection: Ga4Connection, request: Ga4ReportRequest): Promise<SourceResult<Ga4Table>> {
  const url = `${connection.apiUrl.replace(/\/$/, '')}/v1beta/properties/${encodeURIComponent(connection.propertyId)}:runReport`;
  const rows: Record<string, string>[] = [];
  const quality: Ga4DataQuality = { isThresholded: false, isSampled: false, hasOtherRow: false, samplingMetadatas: [] };
  let timeZone = 'UTC';
  for (let offset = 0; ;) {
    const token = await connection.tokens();
    if (!token.ok) return token;
    const page = await requestGoogleJson({ source: 'ga4', url, headers: { authorization: `Bearer ${token.value}` }, body: { ...request, limit: connection.pageSize, offset } }, Ga4Report, connection.retry);
    if (!page.ok) return page;
    const report = page.value;
    const names = [...report.dimensionHeaders.map((header) => header.name), ...report.metricHeaders.map((header) => header.name)];
    for (const row of report.rows) {
      const cells = [...row.dimensionValues, ...row.metricValues];
      if (cells.length !== names.length) return fail({ source: 'ga4', reason: 'malformed', message: `a row has ${cells.length} cells for ${names.length} headers` });
      rows.push(Object.fromEntries(names.map((name, index) => [name, cells[index]?.value ?? ''])));
    }
    timeZone = report.metadata.timeZone ?? timeZone;
    quality.isThresholded ||= report.metadata.subjectToThresholding === true;
    quality.hasOtherRow ||= report.metadata.dataLossFromOtherRow === true;
    if (offset === 0) quality.samplingMetadatas = report.metadata.samplingMetadatas ?? [];
    quality.isSampled = quality.samplingMetadatas.length > 0;
    offset += report.rows.length;
    if (report.rows.length === 0 || offset >= report.rowCount) break;
  }
  return ok({ rows, timeZone, quality });
}
