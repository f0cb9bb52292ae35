import type { Random } from './random.js';
import { HOUR_MS, DAY_MS } from '../../../analytics/time.js';

export const startOfUtcDay = (ms: number): number => Math.floor(ms / DAY_MS) * DAY_MS;
export const isoDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

// Relative demand by calendar month (Jan..Dec): a quiet February, a November/December peak.
const MONTH_FACTOR = [0.92, 0.84, 0.93, 0.95, 0.96, 0.9, 0.88, 0.9, 0.96, 1.02, 1.3, 1.38];
// Sunday..Saturday: Saturday is the quiet day, Sunday evening the busy one.
const WEEKDAY_FACTOR = [1.12, 1.0, 0.97, 0.96, 0.97, 0.93, 0.8];
const WEEKDAY_HOURS = [0.25, 0.14, 0.09, 0.07, 0.08, 0.13, 0.3, 0.55, 0.8, 0.95, 1.0, 1.05, 1.15, 1.1, 1.05, 1.05, 1.1, 1.2, 1.35, 1.5, 1.6, 1.45, 1.05, 0.6];
const WEEKEND_HOURS = [0.35, 0.22, 0.13, 0.09, 0.08, 0.09, 0.15, 0.3, 0.55, 0.85, 1.1, 1.25, 1.3, 1.25, 1.2, 1.2, 1.2, 1.25, 1.3, 1.4, 1.45, 1.35, 1.0, 0.65];
// Demand grows about a quarter a year, so year-over-year comparisons show growth.
const GROWTH_PER_YEAR = 0.25;

const sum = (values: readonly number[]): number => values.reduce((total, value) => total + value, 0);
const WEEKDAY_HOUR_SHARES = WEEKDAY_HOURS.map((weight) => weight / sum(WEEKDAY_HOURS));
const WEEKEND_HOUR_SHARES = WEEKEND_HOURS.map((weight) => weight / sum(WEEKEND_HOURS));
const MAX_HOUR_SHARE = Math.max(...WEEKDAY_HOUR_SHARES, ...WEEKEND_HOUR_SHARES);

/** Black Friday week and the run-up to Christmas sell more; the days around Christmas sell less. */
function holidayFactor(date: Date): number {
  const month = date.getUTCMonth();
  const day = date.getUTCDate();
  if (month === 11) return day <= 20 ? 1.15 : day >= 24 && day <= 26 ? 0.6 : 0.9;
  if (month !== 10) return 1;
  const firstWeekday = new Date(Date.UTC(date.getUTCFullYear(), 10, 1)).getUTCDay();
  const blackFriday = 1 + ((5 - firstWeekday + 7) % 7) + 21;
  return day >= blackFriday - 3 && day <= blackFriday + 3 ? 1.6 : 1;
}

const isWeekend = (weekday: number): boolean => weekday === 0 || weekday === 6;
const hourSharesOf = (ms: number): readonly number[] => (isWeekend(new Date(ms).getUTCDay()) ? WEEKEND_HOUR_SHARES : WEEKDAY_HOUR_SHARES);

/** Shopping demand over the history window: where in time orders, sessions and events fall. */
export class ShopCalendar {
  readonly startMs: number;
  readonly endMs: number;
  readonly days: number;
  private readonly dayWeights: Float64Array;
  private readonly dayCdf: Float64Array;
  private readonly maxDayWeight: number;

  constructor(endMs: number, historyDays: number) {
    this.endMs = endMs;
    this.startMs = startOfUtcDay(endMs) - historyDays * DAY_MS;
    this.days = Math.ceil((endMs - this.startMs) / DAY_MS);
    this.dayWeights = new Float64Array(this.days);
    this.dayCdf = new Float64Array(this.days);
    let total = 0;
    for (let index = 0; index < this.days; index += 1) {
      const date = new Date(this.startMs + index * DAY_MS);
      const years = (index - this.days) / 365;
      const weight = (1 + GROWTH_PER_YEAR * years) * (MONTH_FACTOR[date.getUTCMonth()] ?? 1)
        * (WEEKDAY_FACTOR[date.getUTCDay()] ?? 1) * holidayFactor(date);
      this.dayWeights[index] = weight;
      total += weight * this.openShare(this.startMs + index * DAY_MS);
      this.dayCdf[index] = total;
    }
    this.maxDayWeight = Math.max(...this.dayWeights);
  }

  /** The share of all demand in the window that falls on `day`. */
  dayShare(day: number): number {
    const total = this.dayCdf[this.days - 1] ?? 1;
    return ((this.dayCdf[day] ?? 0) - (day > 0 ? this.dayCdf[day - 1] ?? 0 : 0)) / total;
  }

  /** Hours of the day starting at `dayMs` that lie before the end: 24 except on the last, partial day. */
  private openHours(dayMs: number): number {
    return Math.max(0, Math.min(24, Math.ceil((this.endMs - dayMs) / HOUR_MS)));
  }

  private openShare(dayMs: number): number {
    const shares = hourSharesOf(dayMs);
    let open = 0;
    for (let hour = 0; hour < this.openHours(dayMs); hour += 1) open += shares[hour] ?? 0;
    return open;
  }

  dayIndex(ms: number): number {
    return Math.floor((ms - this.startMs) / DAY_MS);
  }

  /** Relative demand in the hour around `ms`; summed over a day it gives the day's weight. */
  demandAt(ms: number): number {
    const date = new Date(ms);
    return (this.dayWeights[this.dayIndex(ms)] ?? 0) * (hourSharesOf(ms)[date.getUTCHours()] ?? 0);
  }

  /** A moment drawn in proportion to demand over the whole window (a first order, a visit). */
  sampleMoment(random: Random): number {
    const total = this.dayCdf[this.days - 1] ?? 0;
    const target = random.next() * total;
    let low = 0;
    let high = this.days - 1;
    while (low < high) {
      const middle = (low + high) >> 1;
      if ((this.dayCdf[middle] ?? 0) > target) high = middle;
      else low = middle + 1;
    }
    return this.sampleMomentInDay(random, this.startMs + low * DAY_MS);
  }

  /** A moment within the day starting at `dayMs`, following that day's hour profile; never at or after the end. */
  sampleMomentInDay(random: Random, dayMs: number): number {
    const shares = hourSharesOf(dayMs);
    const lastHour = this.openHours(dayMs) - 1;
    let target = random.next() * this.openShare(dayMs);
    let hour = 0;
    while (hour < lastHour && target >= (shares[hour] ?? 0)) {
      target -= shares[hour] ?? 0;
      hour += 1;
    }
    const moment = dayMs + hour * HOUR_MS + Math.floor(random.next() * HOUR_MS);
    return Math.min(moment, this.endMs - 1);
  }

  /**
   * Whether a candidate moment proposed at the peak rate survives thinning (Lewis and Shedler 1979):
   * accepting with probability demand/peak turns a constant-rate process into a seasonal one.
   */
  keepsAtPeakRate(random: Random, ms: number): boolean {
    return random.next() * this.maxDayWeight * MAX_HOUR_SHARE < this.demandAt(ms);
  }

  /** Mean demand per day relative to the peak, to turn a mean rate into the peak rate thinning needs. */
  get peakToMeanRatio(): number {
    return (this.maxDayWeight * MAX_HOUR_SHARE * 24) / ((this.dayCdf[this.days - 1] ?? 1) / this.days);
  }
}
