import { z } from 'zod';

/**
 * One row of a GA4 BigQuery export table (events_YYYYMMDD), as an export to files writes it
 * (newline-delimited JSON) and as tabledata.list rows decode to: only the fields we read, every
 * other field allowed. BigQuery writes INT64 as strings; numbers are accepted too.
 * Schema: support.google.com/analytics/answer/7029846 (GA4 BigQuery Export schema).
 */

const text = z.string().nullish();
/** INT64: a string of digits (BigQuery's JSON) or a number. */
const INT64_EXPECTED = 'expected an integer (BigQuery writes INT64 as a string of digits)';
const Int64 = z.union([z.string().regex(/^-?\d+$/, INT64_EXPECTED), z.number().int()], {
  error: (issue) => (issue.input === undefined ? 'missing' : INT64_EXPECTED),
})
  .transform((value) => Number(value));

const EventParam = z.object({
  key: z.string(),
  value: z.object({ string_value: text, int_value: Int64.nullish(), float_value: z.number().nullish(), double_value: z.number().nullish() }).nullish(),
});

const Campaign = z.object({ source: text, medium: text, campaign_name: text });

export const Ga4ExportEvent = z.object({
  event_date: z.string().regex(/^\d{8}$/, 'expected YYYYMMDD'),
  /** Microseconds since the epoch. */
  event_timestamp: Int64,
  event_name: z.string(),
  event_params: z.array(EventParam).nullish(),
  user_id: text,
  user_pseudo_id: text,
  device: z.object({ category: text }).nullish(),
  geo: z.object({ country: text }).nullish(),
  /** The user's first-visit source: the last resort for a session's. */
  traffic_source: z.object({ name: text, medium: text, source: text }).nullish(),
  /** The campaign parameters collected with this event (from June 2023). */
  collected_traffic_source: z.object({ manual_source: text, manual_medium: text, manual_campaign_name: text }).nullish(),
  /** The session's last-click source, on every event (from July 2024; the channel group from October 2024). */
  session_traffic_source_last_click: z.object({
    cross_channel_campaign: Campaign.extend({ default_channel_group: text }).nullish(),
    manual_campaign: Campaign.nullish(),
  }).nullish(),
  ecommerce: z.object({ transaction_id: text }).nullish(),
});
export type Ga4ExportEvent = z.infer<typeof Ga4ExportEvent>;

/** An event parameter's value as text (string, or integer written as text), if the event has it. */
export function eventParam(event: Ga4ExportEvent, key: string): string | undefined {
  const value = event.event_params?.find((param) => param.key === key)?.value;
  if (!value) return undefined;
  if (value.string_value !== undefined && value.string_value !== null) return value.string_value;
  if (value.int_value !== undefined && value.int_value !== null) return String(value.int_value);
  return undefined;
}
