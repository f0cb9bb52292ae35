import type { AttributionDimension, JourneyQuery, Journeys } from '../../src/bot/data-port.js';

/**
 * The journey rules of migration 017 written out in plain TypeScript, touch by touch, from the raw
 * orders and touches: the reference the SQL (kept or raw) must equal. Deliberately naive.
 */

export interface ReferenceOrder { id: string; customerId: string; at: Date; revenue: number }
export interface ReferenceTouch {
  id: string; customerId: string | null; anonymousId: string | null; at: Date; channel: string; campaign: string | null; orderId: string | null;
}

const DAY_MS = 86_400_000;
/** PostgreSQL's order for our ids and labels (plain ASCII letters, digits and dashes, compared as the test ids are written). */
const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const byTime = (a: { at: Date; id: string }, b: { at: Date; id: string }): number => a.at.getTime() - b.at.getTime() || byText(a.id, b.id);

interface Link { customerId: string; firstAt: number; untilAt: number | null; isFirst: boolean }

function linksOf(orders: ReadonlyMap<string, ReferenceOrder>, touches: readonly ReferenceTouch[]): Map<string, Link[]> {
  const first = new Map<string, Map<string, number>>();
  for (const touch of touches) {
    if (touch.anonymousId === null) continue;
    const customerId = touch.customerId ?? (touch.orderId === null ? undefined : orders.get(touch.orderId)?.customerId);
    if (customerId === undefined) continue;
    const seen = first.get(touch.anonymousId) ?? new Map<string, number>();
    seen.set(customerId, Math.min(seen.get(customerId) ?? Infinity, touch.at.getTime()));
    first.set(touch.anonymousId, seen);
  }
  const links = new Map<string, Link[]>();
  for (const [visitor, customers] of first) {
    const sorted = [...customers].sort(([a, at], [b, bt]) => at - bt || byText(a, b));
    links.set(visitor, sorted.map(([customerId, firstAt], index) => ({
      customerId, firstAt, untilAt: sorted[index + 1]?.[1] ?? null, isFirst: index === 0,
    })));
  }
  return links;
}

/** The customer a touch without one belongs to through its visitor's links, if any. */
function linkedCustomer(links: Map<string, Link[]>, touch: ReferenceTouch, lookbackMs: number): string | undefined {
  const at = touch.at.getTime();
  return (links.get(touch.anonymousId ?? '') ?? []).find((link) =>
    at >= (link.isFirst ? link.firstAt - lookbackMs : link.firstAt) && (link.untilAt === null || at < link.untilAt))?.customerId;
}

interface Placed { touch: ReferenceTouch; orderId: string | null; identity: string; afterOrders: number }

function place(orders: readonly ReferenceOrder[], touches: readonly ReferenceTouch[], lookbackDays: number): Placed[] {
  const lookbackMs = lookbackDays * DAY_MS;
  const orderById = new Map(orders.map((order) => [order.id, order]));
  const links = linksOf(orderById, touches);
  const ordersOf = new Map<string, ReferenceOrder[]>();
  for (const order of [...orders].sort(byTime)) ordersOf.set(order.customerId, [...(ordersOf.get(order.customerId) ?? []), order]);
  return touches.map((touch) => {
    const pinned = touch.orderId === null ? undefined : orderById.get(touch.orderId);
    if (pinned) {
      const ageMs = pinned.at.getTime() - touch.at.getTime();
      return { touch, orderId: ageMs >= 0 && ageMs <= lookbackMs ? pinned.id : null, identity: pinned.id, afterOrders: -1 };
    }
    const customerId = touch.customerId ?? linkedCustomer(links, touch, lookbackMs);
    if (customerId === undefined) return { touch, orderId: null, identity: `a:${touch.anonymousId}`, afterOrders: 0 };
    const timeline = ordersOf.get(customerId) ?? [];
    const next = timeline.findIndex((order) => order.at.getTime() >= touch.at.getTime());
    const nextOrder = next === -1 ? undefined : timeline[next];
    const isInWindow = nextOrder !== undefined && nextOrder.at.getTime() - touch.at.getTime() <= lookbackMs;
    return { touch, orderId: isInWindow ? nextOrder.id : null, identity: `c:${customerId}`, afterOrders: next === -1 ? timeline.length : next };
  });
}

const labelOf = (touch: ReferenceTouch, dimension: AttributionDimension): string =>
  (dimension === 'channel' ? touch.channel : touch.campaign || `(${touch.channel})`);

export function referenceJourneys(orders: readonly ReferenceOrder[], touches: readonly ReferenceTouch[], query: JourneyQuery, options: { withAges?: boolean } = {}): Journeys {
  const placed = place(orders, touches, query.lookbackDays);
  const inRange = (at: Date) => at >= query.range.start && at < query.range.end;
  const byKey = new Map<string, { channels: string[]; ageDays?: number[]; conversions: number; revenue: number; nulls: number }>();
  const entry = (channels: string[], ageDays: number[] | undefined) => {
    const key = `${channels.join('\u001f')}|${ageDays?.join(',') ?? ''}`;
    const found = byKey.get(key) ?? { channels, ...(ageDays ? { ageDays } : {}), conversions: 0, revenue: 0, nulls: 0 };
    byKey.set(key, found);
    return found;
  };
  let ordersInRange = 0;
  let ordersWithoutTouches = 0;
  for (const order of orders.filter((candidate) => inRange(candidate.at))) {
    ordersInRange += 1;
    const journey = placed.filter((item) => item.orderId === order.id).map((item) => item.touch).sort(byTime);
    if (journey.length === 0) {
      ordersWithoutTouches += 1;
      continue;
    }
    const ages = journey.map((touch) => Math.round((order.at.getTime() - touch.at.getTime()) / DAY_MS));
    const found = entry(journey.map((touch) => labelOf(touch, query.dimension)), options.withAges ? ages : undefined);
    found.conversions += 1;
    found.revenue += order.revenue;
  }
  if (query.withNonConverting) {
    const browsing = new Map<string, ReferenceTouch[]>();
    for (const item of placed) {
      if (item.orderId !== null || item.afterOrders === -1 || !inRange(item.touch.at)) continue;
      const key = `${item.identity}#${item.afterOrders}`;
      browsing.set(key, [...(browsing.get(key) ?? []), item.touch]);
    }
    for (const journey of browsing.values()) entry(journey.sort(byTime).map((touch) => labelOf(touch, query.dimension)), undefined).nulls += 1;
  }
  return { paths: [...byKey.values()], orders: ordersInRange, ordersWithoutTouches };
}
