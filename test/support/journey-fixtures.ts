import type { Db } from '../../src/adapters/store/db.js';
import type { AttributionDimension, JourneyQuery, Journeys, TimeRange } from '../../src/bot/data-port.js';
import type { ReferenceOrder, ReferenceTouch } from './reference-journeys.js';
import { referenceJourneys } from './reference-journeys.js';

/** Test helpers over journeys: queries, comparable and readable forms, and the reference computed from a database's raw rows. */

export const range = (start: string, end: string): TimeRange => ({ start: new Date(start), end: new Date(end) });

export function queryOf(journeyRange: TimeRange, dimension: AttributionDimension, withNonConverting: boolean, lookbackDays = 30): JourneyQuery {
  return { range: journeyRange, lookbackDays, dimension, withNonConverting };
}

/** Code-point order: the same on every machine, whatever its locale. */
const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Paths in a fixed order with revenue rounded to cents, so equal journeys compare equal whatever the row order. */
export function comparable(journeys: Journeys) {
  const paths = journeys.paths
    .map((path) => ({ ...path, revenue: Math.round(path.revenue * 100) / 100 }))
    .sort((a, b) => byText(JSON.stringify(a), JSON.stringify(b)));
  return { orders: journeys.orders, ordersWithoutTouches: journeys.ordersWithoutTouches, paths };
}

export interface PathSummary { path: string; ages?: string; conversions: number; revenue: number; nulls: number }

/** A readable form for hand-built expectations: labels joined by '>', ages by ','. */
export function summarise(journeys: Journeys): { orders: number; ordersWithoutTouches: number; paths: PathSummary[] } {
  const paths = journeys.paths.map((entry) => ({
    path: entry.channels.join('>'),
    ...(entry.ageDays ? { ages: entry.ageDays.join(',') } : {}),
    conversions: entry.conversions, revenue: entry.revenue, nulls: entry.nulls,
  })).sort((a, b) => byText(`${a.path} ${a.ages ?? ''}`, `${b.path} ${b.ages ?? ''}`));
  return { orders: journeys.orders, ordersWithoutTouches: journeys.ordersWithoutTouches, paths };
}

/** The journeys the rules give for the rows in `db` now, computed in TypeScript (reference-journeys.ts); with each touch's age when asked. */
export async function referenceJourneysOf(db: Db, query: JourneyQuery, options: { withAges?: boolean } = {}): Promise<Journeys> {
  const orders = await db.query<{ id: string; customer_id: string; ordered_at: Date; revenue: number }>('SELECT id, customer_id, ordered_at, revenue FROM orders');
  const touches = await db.query<{ id: string; customer_id: string | null; anonymous_id: string | null; at: Date; channel: string; campaign: string | null; order_id: string | null }>(
    'SELECT id, customer_id, anonymous_id, at, channel, campaign, order_id FROM touchpoints');
  return referenceJourneys(
    orders.map((order): ReferenceOrder => ({ id: order.id, customerId: order.customer_id, at: order.ordered_at, revenue: Number(order.revenue) })),
    touches.map((touch): ReferenceTouch => ({
      id: touch.id, customerId: touch.customer_id, anonymousId: touch.anonymous_id, at: touch.at, channel: touch.channel, campaign: touch.campaign, orderId: touch.order_id,
    })),
    query,
    options,
  );
}
