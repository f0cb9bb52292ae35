import type { ChannelSpend } from '../analytics/attribution/roas.js';
import type { AttributionPath } from '../analytics/attribution/types.js';

/**
 * What the bot asks of the data: compact aggregates computed in the database. The store adapter
 * implements it (src/adapters/store/queries); the bot never sees SQL.
 */
export interface TimeRange {
  start: Date;
  end: Date;
}

export interface KpiTotals {
  revenue: number;
  orders: number;
  /** Visits: touchpoints in the range. */
  sessions: number;
  customers: number;
  newCustomers: number;
  returningCustomers: number;
}

export interface DailyRevenue {
  /** ISO day in the configured time zone. */
  day: string;
  revenue: number;
  orders: number;
}

export interface KpiData {
  kpiTotals(range: TimeRange): Promise<KpiTotals>;
  dailyRevenue(range: TimeRange, timeZone: string): Promise<DailyRevenue[]>;
}

/** Which orders a customer question reads: all of them ("now", from the kept summaries) or those before `end`. */
export interface AsOf {
  /** Orders placed before this instant count; recency and age are measured to its UTC day (the day of end − 1 ms). */
  end: Date;
  /** Read customer_summaries (every order so far) instead of aggregating raw orders before `end`. */
  isNow: boolean;
}

/** The UTC day (YYYY-MM-DD) an AsOf measures to: the last day with orders counted. */
export function asOfDay(asOf: AsOf): string {
  return new Date(asOf.end.getTime() - 1).toISOString().slice(0, 10);
}

/** One customer's order history as of a day, in whole UTC days: what RFM and the churn models read. */
export interface CustomerHistory {
  customerId: string;
  lastOrderAt: Date;
  recencyDays: number;
  orders: number;
  revenue: number;
  /** Purchase days after the first one (BG/NBD x). */
  repeatPurchases: number;
  /** Days from the first to the last purchase day (BG/NBD tx, in days). */
  activeDays: number;
  /** Days from the first purchase day to the as-of day (BG/NBD T, in days). */
  ageDays: number;
  /** Mean revenue of the repeat purchase days; 0 without one. */
  repeatMeanValue: number;
}

/** Customers sharing one (x, tx, T) history, times in days. */
export interface HistoryGroup {
  repeatPurchases: number;
  activeDays: number;
  ageDays: number;
  customers: number;
}

export interface CustomerData {
  customerHistories(asOf: AsOf): Promise<CustomerHistory[]>;
  historyGroups(asOf: AsOf): Promise<HistoryGroup[]>;
  /** The order data version now, and the params cached for (model, as-of day) if fitted at that version. */
  cachedModel(model: string, asOfDay: string): Promise<{ dataVersion: number; params: unknown }>;
  storeModel(model: string, asOfDay: string, dataVersion: number, params: unknown): Promise<void>;
}

/** How an order is split: its last non-direct channel, last touch's device, customer's country, new or returning. */
export type OrderDimension = 'channel' | 'device' | 'country' | 'new_returning' | 'rfm_segment';
export type SessionDimension = 'channel' | 'device' | 'country';

export interface OrderSplit {
  key: string;
  orders: number;
  revenue: number;
  /** Σ revenue² over orders (AOV variance). */
  revenueSquares: number;
  /** Σ over days of (the day's revenue)², for revenue as a mean of daily revenue. */
  dailyRevenueSquares: number;
  customers: number;
  /** Customers whose first order was before the range. */
  returningCustomers: number;
}

export interface SessionSplit {
  key: string;
  sessions: number;
  /** Sessions (touchpoints) that led to an order. */
  convertedSessions: number;
}

export interface SegmentData {
  /** Orders in the range split by a dimension; rfm_segment reads `segmentOf` (customer id → segment id, else "none"). */
  ordersBy(range: TimeRange, dimension: OrderDimension, timeZone: string, segmentOf?: ReadonlyMap<string, string>): Promise<OrderSplit[]>;
  sessionsBy(range: TimeRange, dimension: SessionDimension): Promise<SessionSplit[]>;
}

/** Whether journeys are told apart by channel or by campaign (touches without a campaign count as "(channel)"). */
export type AttributionDimension = 'channel' | 'campaign';

export interface JourneyQuery {
  /** Orders placed in this range, and the non-converting touches in it. */
  range: TimeRange;
  /** Touches longer than this before their order are not part of its journey. */
  lookbackDays: number;
  dimension: AttributionDimension;
  /** Keep each touch's age at conversion (whole days); paths then collapse on (path, ages). Time decay only. */
  withAges: boolean;
  /** Also collapse touches without an order, one journey per visitor (Markov's null paths). */
  withNonConverting: boolean;
}

export interface Journeys {
  paths: AttributionPath[];
  /** Orders in the range, with or without touches. */
  orders: number;
  /** Orders without any touch inside the lookback window: nothing to attribute them to. */
  ordersWithoutTouches: number;
}

export interface AttributionData {
  journeys(query: JourneyQuery): Promise<Journeys>;
  /** Spend per channel (or campaign) over the days of the range in `timeZone`, largest first. */
  spendBy(range: TimeRange, dimension: AttributionDimension, timeZone: string): Promise<ChannelSpend[]>;
}

export type ChangeKind = 'deploy' | 'tag_manager' | 'campaign' | 'config';

export interface ChangeRecord {
  at: Date;
  kind: ChangeKind;
  ref: string;
  author: string | null;
  summary: string | null;
  url: string | null;
}

export interface ChangesData {
  /** Changes in the range of the given kinds, newest first. */
  changesBetween(range: TimeRange, kinds: readonly ChangeKind[]): Promise<ChangeRecord[]>;
}

export interface BudgetSpend {
  channel: string;
  /** Calendar days, YYYY-MM-DD, inclusive. */
  periodStart: string;
  periodEnd: string;
  cap: number;
  /** The channel's spend from periodStart through min(periodEnd, spendThrough). */
  spendToDate: number;
}

export interface BudgetData {
  /** Budgets whose period overlaps firstDay..lastDay (inclusive days), with their spend so far. */
  budgetsOverlapping(firstDay: string, lastDay: string, spendThrough: string): Promise<BudgetSpend[]>;
}

export type DataPort = KpiData & CustomerData & SegmentData & AttributionData & ChangesData & BudgetData;
