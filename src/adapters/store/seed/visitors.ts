import { DAY_MS } from '../../../analytics/time.js';
import type { ShopCalendar } from './calendar.js';
import { pickCountry, pickDevice, writeBrowsingJourney } from './journeys.js';
import type { JourneyContext } from './journeys.js';
import { poisson } from './random.js';
import type { Random } from './random.js';

/**
 * Sessions per order are what a 2-3 % conversion rate needs, but that many rows over two years would
 * make the default shop too slow to load. So the full rate covers the last nine weeks (enough for
 * "last 30d" against the 30 days before, and "last 4w" against the 4 weeks before); older history keeps
 * a few browsing journeys, enough for Markov's null paths. Year-over-year sessions are therefore not
 * comparable in the demo.
 */
export const DENSE_SESSION_DAYS = 63;
const DENSE_JOURNEYS_PER_ORDER = 25;
const SPARSE_JOURNEYS_PER_ORDER = 0.2;

export interface VisitorContext extends JourneyContext {
  calendar: ShopCalendar;
  dayOrders: Int32Array;
}

/** How many non-converting journeys (visitors who never bought) end on `day`. */
export function visitorJourneysOnDay(context: VisitorContext, random: Random, day: number): number {
  const isDense = context.calendar.endMs - (context.calendar.startMs + day * DAY_MS) <= DENSE_SESSION_DAYS * DAY_MS;
  return poisson(random, (context.dayOrders[day] ?? 0) * (isDense ? DENSE_JOURNEYS_PER_ORDER : SPARSE_JOURNEYS_PER_ORDER));
}

/** Writes one anonymous visitor's journey ending on `day`. */
export function writeVisitorJourney(context: VisitorContext, random: Random, day: number): void {
  const visitor = { customerId: null, anonymousId: context.nextAnonymousId(), country: pickCountry(random), device: pickDevice(random) };
  writeBrowsingJourney(context, random, visitor, context.calendar.sampleMomentInDay(random, context.calendar.startMs + day * DAY_MS));
}
