// Headline KPIs for a period and their change against the comparison period.
// A ratio with a zero base is null, never NaN or Infinity, so no renderer has to guess.

/** A value now and before, with its change; relative change is a fraction (0.1 = +10 %). */
export type Change = {
  current: number | null;
  previous: number | null;
  absoluteChange: number | null;
  relativeChange: number | null;
};

/** What the store sums for one period. Customers are distinct customers who ordered in it. */
export type PeriodTotals = {
  revenue: number;
  orders: number;
  sessions: number;
  newCustomers: number;
  returningCustomers: number;
};

export type Kpis = {
  revenue: number;
  orders: number;
  aov: number | null;
  conversionRate: number | null;
  newCustomers: number;
  returningCustomers: number;
  returningShare: number | null;
};

export type KpiComparison = { [K in keyof Kpis]: Change };

/** numerator / denominator, or null when the result would not be a finite number. */
export function ratio(numerator: number, denominator: number): number | null {
  if (denominator === 0) return null;
  const value = numerator / denominator;
  return Number.isFinite(value) ? value : null;
}

/**
 * Change from previous to current. Relative change divides by |previous| so a negative base
 * (net revenue after refunds) still gives the direction of the move; it is null when the base is 0.
 */
export function change(current: number | null, previous: number | null): Change {
  if (current === null || previous === null) {
    return { current, previous, absoluteChange: null, relativeChange: null };
  }
  const absoluteChange = current - previous;
  return { current, previous, absoluteChange, relativeChange: ratio(absoluteChange, Math.abs(previous)) };
}

/** AOV = revenue / orders; conversion rate = orders / sessions; returning share of ordering customers. */
export function computeKpis(totals: PeriodTotals): Kpis {
  return {
    revenue: totals.revenue,
    orders: totals.orders,
    aov: ratio(totals.revenue, totals.orders),
    conversionRate: ratio(totals.orders, totals.sessions),
    newCustomers: totals.newCustomers,
    returningCustomers: totals.returningCustomers,
    returningShare: ratio(totals.returningCustomers, totals.newCustomers + totals.returningCustomers),
  };
}

export function compareKpis(current: PeriodTotals, previous: PeriodTotals): KpiComparison {
  const now = computeKpis(current);
  const before = computeKpis(previous);
  return {
    revenue: change(now.revenue, before.revenue),
    orders: change(now.orders, before.orders),
    aov: change(now.aov, before.aov),
    conversionRate: change(now.conversionRate, before.conversionRate),
    newCustomers: change(now.newCustomers, before.newCustomers),
    returningCustomers: change(now.returningCustomers, before.returningCustomers),
    returningShare: change(now.returningShare, before.returningShare),
  };
}
