// Turns an order log into the per-customer (x, tx, T, mbar) summaries the BG/NBD and Gamma-Gamma
// models read, with the conventions of Fader, Hardie & Lee (2005) for the CDNOW data.
import type { PurchaseHistory, PurchaseHistoryGroup } from './bg-nbd.js';
import { DAY_MS } from './time.js';

/** One order; day is the calendar day (YYYY-MM-DD) in the reporting time zone, chosen by the caller. */
export interface Transaction {
  customerId: string;
  day: string;
  value: number;
}

/**
 * x repeat purchase days, the last tx units after the first purchase, first purchase T units before
 * the end of calibration, and mbar the mean value of the repeat purchase days (0 when x = 0).
 */
export interface CustomerSummary extends PurchaseHistory {
  customerId: string;
  mbar: number;
}

export interface SummaryOptions {
  /** Last day (YYYY-MM-DD, inclusive) of the calibration period. */
  calibrationEnd: string;
  /** Length of the model's time unit in days: 7 for weeks. */
  unitDays: number;
}

/**
 * Summarises orders up to and including calibrationEnd. Orders on the same day count as one purchase
 * whose value is their sum, as in the CDNOW summaries; the first purchase day is not a repeat purchase
 * and does not enter mbar. Customers whose first order is after calibrationEnd are left out.
 */
export function summariseTransactions(transactions: readonly Transaction[], options: SummaryOptions): CustomerSummary[] {
  const endDay = dayNumber(options.calibrationEnd);
  const valueByDayByCustomer = new Map<string, Map<number, number>>();
  for (const { customerId, day, value } of transactions) {
    const dayIndex = dayNumber(day);
    if (dayIndex > endDay) continue;
    const byDay = valueByDayByCustomer.get(customerId) ?? new Map<number, number>();
    byDay.set(dayIndex, (byDay.get(dayIndex) ?? 0) + value);
    valueByDayByCustomer.set(customerId, byDay);
  }
  return [...valueByDayByCustomer].map(([customerId, byDay]) => {
    const days = [...byDay.keys()].sort((left, right) => left - right);
    const firstDay = days[0] ?? endDay;
    const lastDay = days[days.length - 1] ?? endDay;
    const repeatValues = days.slice(1).map((day) => byDay.get(day) ?? 0);
    const x = repeatValues.length;
    return {
      customerId,
      x,
      tx: (lastDay - firstDay) / options.unitDays,
      T: (endDay - firstDay) / options.unitDays,
      mbar: x === 0 ? 0 : repeatValues.reduce((sum, value) => sum + value, 0) / x,
    };
  });
}

/** Collapses customers with identical (x, tx, T) into one group with a count: the BG/NBD fit's input. */
export function groupPurchaseHistories(histories: readonly PurchaseHistory[]): PurchaseHistoryGroup[] {
  const groups = new Map<string, PurchaseHistoryGroup>();
  for (const { x, tx, T } of histories) {
    const key = `${x}|${tx}|${T}`;
    const group = groups.get(key);
    if (group) group.count += 1;
    else groups.set(key, { x, tx, T, count: 1 });
  }
  return [...groups.values()];
}

function dayNumber(day: string): number {
  return Date.parse(`${day}T00:00:00Z`) / DAY_MS;
}
