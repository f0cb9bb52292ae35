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

export type DataPort = KpiData & CustomerData & SegmentData;
