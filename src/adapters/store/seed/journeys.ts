import { CHANNELS, DIRECT_INDEX, pickChannel, touchSource } from './channels.js';
import type { JourneyPosition, SeasonalCampaign } from './channels.js';
import { pickIndex, uniform } from './random.js';
import type { Random } from './random.js';
import type { SeedWriter } from './seed-writer.js';
import { MINUTE_MS, DAY_MS, WEEK_MS } from '../../../analytics/time.js';

export const COUNTRIES = ['DE', 'FR', 'NL', 'AT', 'ES', 'IT', 'US'];
export const COUNTRY_WEIGHTS = [0.32, 0.14, 0.1, 0.06, 0.09, 0.09, 0.2];
export const DEVICES = ['mobile', 'desktop', 'tablet'];
export const DEVICE_WEIGHTS = [0.58, 0.36, 0.06];
// Touches per converting journey, 1..6: most buyers arrive once or twice, few need six visits.
const CONVERTING_LENGTH_WEIGHTS = [0.45, 0.25, 0.13, 0.08, 0.05, 0.04];
// Touches per journey that never converts, 1..3.
export const BROWSING_LENGTH_WEIGHTS = [0.62, 0.27, 0.11];
const LOOKBACK_MS = 30 * DAY_MS;

export const pickCountry = (random: Random): string => COUNTRIES[pickIndex(random, COUNTRY_WEIGHTS)] ?? 'DE';
export const pickDevice = (random: Random): string => DEVICES[pickIndex(random, DEVICE_WEIGHTS)] ?? 'mobile';

export interface Visitor {
  customerId: string | null;
  /** The browser the visitor mostly uses: analytics' client id (GA4's user_pseudo_id). */
  anonymousId: string;
  country: string;
  /** Most of a visitor's sessions come from one device. */
  device: string;
}

export interface JourneyContext {
  writer: SeedWriter;
  seasonal: readonly SeasonalCampaign[];
  nextTouchpointId: () => string;
  /** Client ids of browsers: a visitor's own, and the other devices customers visit from now and then. */
  nextAnonymousId: () => string;
  /** Draws which ids an earlier visit carries; a stream of its own, so tagging leaves the orders and channels drawn as before. */
  identityRandom: Random;
}

// As analytics exports record a buyer's visits: the converting session is signed in and names the
// order; of the visits before it, some are signed in, most carry only the browser's client id, and
// some come from another device that is never signed in (a journey analytics cannot stitch).
export const SIGNED_IN_VISIT_SHARE = 0.2;
export const OTHER_DEVICE_VISIT_SHARE = 0.12;

/** Who a touch names: the converting session everything, an earlier visit what the analytics tool knew then. */
function touchIdentity(context: JourneyContext, visitor: Visitor, isConverting: boolean, orderId: string | null): [string | null, string, string | null] {
  if (isConverting) return [visitor.customerId, visitor.anonymousId, orderId];
  if (visitor.customerId === null) return [null, visitor.anonymousId, null];
  const draw = context.identityRandom.next();
  if (draw < OTHER_DEVICE_VISIT_SHARE) return [null, context.nextAnonymousId(), null];
  if (draw < OTHER_DEVICE_VISIT_SHARE + SIGNED_IN_VISIT_SHARE) return [visitor.customerId, visitor.anonymousId, null];
  return [null, visitor.anonymousId, null];
}

function positionOf(index: number, length: number, converts: boolean): JourneyPosition {
  if (!converts) return index === 0 ? 'opening' : 'browsing';
  if (index === length - 1) return 'closing';
  return index === 0 ? 'opening' : 'middle';
}

function writeTouches(context: JourneyContext, random: Random, visitor: Visitor, moments: number[], orderId: string | null): number {
  let lastNonDirect = DIRECT_INDEX;
  moments.sort((a, b) => a - b);
  moments.forEach((at, index) => {
    const channelIndex = pickChannel(random, positionOf(index, moments.length, orderId !== null));
    const channel = CHANNELS[channelIndex] ?? 'direct';
    if (channelIndex !== DIRECT_INDEX) lastNonDirect = channelIndex;
    const { source, medium, campaign } = touchSource(random, channel, at, context.seasonal);
    const device = random.next() < 0.78 ? visitor.device : pickDevice(random);
    const [customerId, anonymousId, touchOrderId] = touchIdentity(context, visitor, index === moments.length - 1 && orderId !== null, orderId);
    context.writer.add('touchpoints', [context.nextTouchpointId(), customerId, anonymousId, new Date(at).toISOString(),
      channel, source, medium, campaign, device, visitor.country, touchOrderId]);
  });
  return lastNonDirect;
}

/**
 * Writes the 1-6 touches in the 30 days before an order, the last one (the converting session, which
 * names the order) shortly before it, and returns the channel index analytics credits (last non-direct click, direct if every touch was direct).
 */
export function writeConvertingJourney(context: JourneyContext, random: Random, visitor: Visitor, orderedAtMs: number, orderId: string): number {
  const length = pickIndex(random, CONVERTING_LENGTH_WEIGHTS) + 1;
  const moments = [orderedAtMs - Math.floor(uniform(random, 2, 90) * MINUTE_MS)];
  for (let index = 1; index < length; index += 1) moments.push(orderedAtMs - Math.floor(random.next() * LOOKBACK_MS));
  return writeTouches(context, random, visitor, moments, orderId);
}

/** Writes a journey that ends without an order: sessions on the day at `ms` and up to a week before. */
export function writeBrowsingJourney(context: JourneyContext, random: Random, visitor: Visitor, ms: number): void {
  const length = pickIndex(random, BROWSING_LENGTH_WEIGHTS) + 1;
  const moments = [ms];
  for (let index = 1; index < length; index += 1) moments.push(ms - Math.floor(random.next() * WEEK_MS));
  writeTouches(context, random, visitor, moments, null);
}
