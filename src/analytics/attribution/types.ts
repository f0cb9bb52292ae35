/**
 * One distinct journey shape and how many journeys followed it. The store collapses touchpoints into
 * these in SQL, so a model sees thousands of rows rather than millions of touchpoints.
 * Every path holds at least one channel.
 */
export interface AttributionPath {
  /** Channels in touch order, oldest first; a channel may repeat. */
  readonly channels: readonly string[];
  /** Age of each touch at conversion in days, parallel to `channels`; only time decay reads it. */
  readonly ageDays?: readonly number[];
  readonly conversions: number;
  readonly revenue: number;
  /** Journeys on this path that did not convert. */
  readonly nulls: number;
}

/** What one model gives a channel. Over all channels the sums equal the input's conversions and revenue. */
export interface ChannelCredit {
  readonly channel: string;
  readonly conversions: number;
  readonly revenue: number;
}
