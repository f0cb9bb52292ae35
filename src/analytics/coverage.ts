/**
 * Whether an earlier period's data is complete enough to compare with a current one. A change
 * against a period the data only partly covers (history that starts mid-week, sessions tracked for
 * a fraction of visits) is an artefact, not news: "Sessions +2,455.8%" against a year when few
 * sessions were recorded. Two tests, each against the current period rather than a fixed level, so a
 * small shop with quiet days is judged against its own quiet days:
 * - days: the earlier period has no data on a day the current one has data on, while its busy days
 *   are busy enough (MIN_PER_ACTIVE_DAY) that an empty day is not chance (Poisson: e^-5 < 1 %), so
 *   history that starts mid-week or a day-long outage counts, a small shop's quiet Tuesday does not;
 * - density: sessions per order fell below MIN_SESSIONS_PER_ORDER_SHARE of the current one's, which
 *   a real change in conversion rate does not do (it would mean the rate tripled) but a sessions
 *   source recording a sample of visits does. Orders are the shop's own record and the reference.
 */

/** One day of a period: the shop's orders and the sessions (touchpoints) recorded. */
export interface DayActivity {
  orders: number;
  sessions: number;
}

export type Coverage =
  | { isComparable: true }
  /** The earlier period holds none of it: there is nothing to compare with. */
  | { isComparable: false; reason: 'no_data' }
  | { isComparable: false; reason: 'days'; earlierDays: number; currentDays: number; days: number }
  | { isComparable: false; reason: 'density'; earlierPerOrder: number; currentPerOrder: number };

/** Coverage of what orders measure (revenue, orders, AOV, customers) and of what sessions measure (sessions, conversion rate). */
export interface Comparability {
  orders: Coverage;
  sessions: Coverage;
}

/** Orders (or sessions) per day with data above which an empty day in the earlier period means missing data. */
export const MIN_PER_ACTIVE_DAY = 5;
/** The earlier period's sessions per order must be at least this share of the current one's. */
export const MIN_SESSIONS_PER_ORDER_SHARE = 1 / 3;

const COMPARABLE: Coverage = { isComparable: true };

const daysWith = (days: readonly DayActivity[], key: keyof DayActivity): number => days.filter((day) => day[key] > 0).length;
const sumOf = (days: readonly DayActivity[], key: keyof DayActivity): number => days.reduce((sum, day) => sum + day[key], 0);

function dayCoverage(current: readonly DayActivity[], earlier: readonly DayActivity[], key: keyof DayActivity): Coverage {
  const earlierDays = daysWith(earlier, key);
  if (earlierDays === 0) return { isComparable: false, reason: 'no_data' };
  const currentDays = daysWith(current, key);
  const isBusy = sumOf(earlier, key) / earlierDays >= MIN_PER_ACTIVE_DAY;
  return isBusy && earlierDays < currentDays
    ? { isComparable: false, reason: 'days', earlierDays, currentDays, days: earlier.length }
    : COMPARABLE;
}

/** Judges an earlier period (week before, year ago) against the current one, day rows of each. */
export function comparability(current: readonly DayActivity[], earlier: readonly DayActivity[]): Comparability {
  const orders = dayCoverage(current, earlier, 'orders');
  const sessionDays = dayCoverage(current, earlier, 'sessions');
  if (!sessionDays.isComparable) return { orders, sessions: sessionDays };
  const [currentOrders, earlierOrders] = [sumOf(current, 'orders'), sumOf(earlier, 'orders')];
  if (currentOrders === 0 || earlierOrders === 0) return { orders, sessions: COMPARABLE };
  const currentPerOrder = sumOf(current, 'sessions') / currentOrders;
  const earlierPerOrder = sumOf(earlier, 'sessions') / earlierOrders;
  const sessions: Coverage = earlierPerOrder < MIN_SESSIONS_PER_ORDER_SHARE * currentPerOrder
    ? { isComparable: false, reason: 'density', earlierPerOrder, currentPerOrder }
    : COMPARABLE;
  return { orders, sessions };
}
