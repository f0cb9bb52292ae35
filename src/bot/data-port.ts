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

export type DataPort = KpiData;
