import { CHANNELS } from './channels.js';
import { DAY_MS, HOUR_MS } from '../../../analytics/time.js';
import { isoDay } from './calendar.js';
import type { ShopCalendar } from './calendar.js';
import { normal, poisson } from './random.js';
import type { Random } from './random.js';
import type { SeedWriter } from './seed-writer.js';
import type { ShopTally } from './shop-tally.js';

// Analytics misses 10-15 % of orders (consent refusals, blockers); the share wobbles a little by day.
const CAPTURE_RATE_MEAN = 0.875;
const CAPTURE_RATE_SD = 0.012;
const CAPTURE_RATE_MIN = 0.85;
const CAPTURE_RATE_MAX = 0.9;
// Funnel per session, as a typical shop converting 2-3 % of sessions would show.
const CONVERSION_RATE = 0.024;
const PAGE_VIEWS_PER_SESSION = 4.3;
const ADD_TO_CART_PER_SESSION = 0.085;
const BEGIN_CHECKOUT_PER_SESSION = 0.045;

export function dailyCaptureRates(random: Random, days: number): Float64Array {
  const rates = new Float64Array(days);
  for (let day = 0; day < days; day += 1) {
    rates[day] = Math.min(CAPTURE_RATE_MAX, Math.max(CAPTURE_RATE_MIN, normal(random, CAPTURE_RATE_MEAN, CAPTURE_RATE_SD)));
  }
  return rates;
}

/** GA4's daily conversions and revenue per channel: the orders it captured, credited to the last non-direct click. */
export function writeReportedConversions(writer: SeedWriter, calendar: ShopCalendar, tally: ShopTally): void {
  for (let day = 0; day < calendar.days; day += 1) {
    const date = isoDay(calendar.startMs + day * DAY_MS);
    CHANNELS.forEach((channel, channelIndex) => {
      const cell = day * CHANNELS.length + channelIndex;
      const revenue = Math.round((tally.dayChannelCapturedRevenue[cell] ?? 0) * 100) / 100;
      writer.add('reported_conversions', [date, channel, tally.dayChannelCaptured[cell] ?? 0, revenue, 'ga4']);
    });
  }
}

/**
 * Hourly GA4 event counts for the recent window. `purchase` is the captured backend orders of that
 * hour; the upper funnel follows demand with Poisson noise, scaled so sessions convert at about 2.4 %.
 */
export function writeTrackingEvents(writer: SeedWriter, calendar: ShopCalendar, tally: ShopTally, random: Random): void {
  const hours = tally.hourOrders.length;
  let orders = 0;
  let demand = 0;
  for (let hour = 0; hour < hours; hour += 1) {
    orders += tally.hourOrders[hour] ?? 0;
    demand += calendar.demandAt(tally.firstHourMs + hour * HOUR_MS);
  }
  const sessionsPerDemand = demand > 0 ? orders / demand / CONVERSION_RATE : 0;
  for (let hour = 0; hour < hours; hour += 1) {
    const hourMs = tally.firstHourMs + hour * HOUR_MS;
    const at = new Date(hourMs).toISOString();
    const sessions = calendar.demandAt(hourMs) * sessionsPerDemand;
    writer.add('tracking_events', [at, 'page_view', poisson(random, sessions * PAGE_VIEWS_PER_SESSION), 'ga4']);
    writer.add('tracking_events', [at, 'add_to_cart', poisson(random, sessions * ADD_TO_CART_PER_SESSION), 'ga4']);
    writer.add('tracking_events', [at, 'begin_checkout', poisson(random, sessions * BEGIN_CHECKOUT_PER_SESSION), 'ga4']);
    writer.add('tracking_events', [at, 'purchase', tally.hourCaptured[hour] ?? 0, 'ga4']);
  }
}
