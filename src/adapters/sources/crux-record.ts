import { z } from 'zod';

/** Chrome UX Report API records (developer.chrome.com/docs/crux/api); CLS percentiles arrive as strings. */
const CalendarDate = z.object({ year: z.number().int(), month: z.number().int(), day: z.number().int() });
const Period = z.object({ firstDate: CalendarDate, lastDate: CalendarDate });
const Key = z.object({ formFactor: z.enum(['PHONE', 'DESKTOP', 'TABLET']).optional(), url: z.string().optional(), origin: z.string().optional() });
const P75 = z.union([z.number(), z.string().regex(/^\d+(\.\d+)?$/).transform(Number)]);

export const CruxRecordResponse = z.object({
  record: z.object({
    key: Key,
    metrics: z.record(z.string(), z.object({ percentiles: z.object({ p75: P75 }).optional() }).passthrough()),
    collectionPeriod: Period,
  }),
  urlNormalizationDetails: z.object({ originalUrl: z.string(), normalizedUrl: z.string() }).optional(),
});
export type CruxRecordResponse = z.infer<typeof CruxRecordResponse>;

export const CruxHistoryResponse = z.object({
  record: z.object({
    key: Key,
    metrics: z.record(z.string(), z.object({ percentilesTimeseries: z.object({ p75s: z.array(P75.nullable()) }).optional() }).passthrough()),
    collectionPeriods: z.array(Period),
  }),
});
export type CruxHistoryResponse = z.infer<typeof CruxHistoryResponse>;

export type CruxPeriod = z.infer<typeof Period>;

/** Our columns and the CrUX metric names that feed them (TTFB was "experimental" when the fixtures were recorded). */
export const CRUX_METRICS = {
  lcpMs: ['largest_contentful_paint'],
  inpMs: ['interaction_to_next_paint'],
  cls: ['cumulative_layout_shift'],
  ttfbMs: ['experimental_time_to_first_byte', 'time_to_first_byte'],
  fcpMs: ['first_contentful_paint'],
} as const;
