import { DAY_MS } from '../../../analytics/time.js';
import type { ShopCalendar } from './calendar.js';
import { pickCountry, pickDevice, writeConvertingJourney } from './journeys.js';
import type { JourneyContext, Visitor } from './journeys.js';
import { beta, exponential, gamma, logNormal } from './random.js';
import type { Random } from './random.js';
import type { ShopTally } from './shop-tally.js';

// Purchase behaviour as BG/NBD assumes it (Fader, Hardie and Lee 2005): while alive a customer buys
// at a Poisson rate drawn from a gamma across customers, and after each purchase drops out with a
// probability drawn from a beta. Shapes are in the range published for CDNOW (r 0.24, a 0.79, b 2.43).
const RATE_SHAPE = 0.6;
const DROPOUT_A = 1.2;
const DROPOUT_B = 2.0;
// Order value: a customer's typical basket (median EUR 48) and the spread around it (Gamma-Gamma-like).
const BASKET_MEDIAN_EUR = 48;
const BASKET_LOG_SD = 0.45;
const ORDER_LOG_SD = 0.5;
const MIN_ORDER_EUR = 4.9;
/** What analytics still records while the purchase tag is broken (a few consented retries). */
export const OUTAGE_CAPTURE_RATE = 0.02;

export interface CustomerContext extends JourneyContext {
  calendar: ShopCalendar;
  tally: ShopTally;
  /** Share of orders analytics records, per day of the window. */
  captureRates: Float64Array;
  outage: { startMs: number; endMs: number } | null;
  /** Mean repeat-purchase rate per day across customers while they are alive. */
  repeatRatePerDay: number;
  nextOrderId: () => string;
  /** The shop's currency, the label of every order's revenue. */
  currency: string;
}

/** Writes one customer with all their orders and the journeys that led to them. */
export function writeCustomer(context: CustomerContext, random: Random, customerId: string): void {
  const visitor: Visitor = { customerId, anonymousId: context.nextAnonymousId(), country: pickCountry(random), device: pickDevice(random) };
  const firstOrderMs = context.calendar.sampleMoment(random);
  context.writer.add('customers', [customerId, new Date(firstOrderMs).toISOString(), visitor.country]);
  const ratePerDay = gamma(random, RATE_SHAPE, context.repeatRatePerDay / RATE_SHAPE);
  const dropout = beta(random, DROPOUT_A, DROPOUT_B);
  const basketEur = logNormal(random, BASKET_MEDIAN_EUR, BASKET_LOG_SD);
  let orderedAtMs: number | null = firstOrderMs;
  while (orderedAtMs !== null) {
    writeOrder(context, random, visitor, orderedAtMs, basketEur);
    if (random.next() < dropout) break;
    orderedAtMs = nextPurchaseMs(context.calendar, random, orderedAtMs, ratePerDay);
  }
}

function writeOrder(context: CustomerContext, random: Random, visitor: Visitor, orderedAtMs: number, basketEur: number): void {
  const orderId = context.nextOrderId();
  const revenue = Math.max(MIN_ORDER_EUR, Math.round(logNormal(random, basketEur, ORDER_LOG_SD) * 100) / 100);
  context.writer.add('orders', [orderId, visitor.customerId, new Date(orderedAtMs).toISOString(), revenue, context.currency]);
  const channel = writeConvertingJourney(context, random, visitor, orderedAtMs, orderId);
  const inOutage = context.outage !== null && orderedAtMs >= context.outage.startMs && orderedAtMs < context.outage.endMs;
  const captureRate = inOutage ? OUTAGE_CAPTURE_RATE : context.captureRates[context.calendar.dayIndex(orderedAtMs)] ?? 1;
  context.tally.addOrder(orderedAtMs, channel, revenue, random.next() < captureRate);
}

/** The next purchase after `fromMs`, seasonal by thinning a peak-rate Poisson process; null past the end. */
function nextPurchaseMs(calendar: ShopCalendar, random: Random, fromMs: number, ratePerDay: number): number | null {
  const meanGapAtPeakMs = DAY_MS / (ratePerDay * calendar.peakToMeanRatio);
  let candidateMs = fromMs;
  for (;;) {
    candidateMs += exponential(random, meanGapAtPeakMs);
    if (candidateMs >= calendar.endMs) return null;
    if (calendar.keepsAtPeakRate(random, candidateMs)) return Math.floor(candidateMs);
  }
}
