import type { Db } from '../../src/adapters/store/db.js';
import { insertBatch } from '../../src/adapters/store/insert-batch.js';
import { poisson, randomStream } from '../../src/adapters/store/seed/random.js';
import type { Random } from '../../src/adapters/store/seed/random.js';
import { HOUR_MS, WEEK_MS } from '../../src/analytics/time.js';

/**
 * A shop's tracking signals written hour by hour for the monitors, with faults written into them:
 * only what the monitors read (orders, hourly events), only for the hours they read, so a fault
 * scenario runs in seconds on both databases. Volumes follow the demo seeder's shop: about 2.2
 * orders per customer over two years, a funnel of 179 page views, 3.5 add_to_cart and 1.9
 * begin_checkout per order, and 87.5 % of orders reported as purchase events; demand swings over
 * the day between 0.4 and 1.6 of its mean.
 */
export interface MonitorShop {
  customers: number;
  seed: number;
  /** The last hour written ends here (on the hour). */
  endMs: number;
  /** Weeks of history before `endMs` (the event baseline reads six). */
  weeks?: number;
  /** What share of its usual count an event keeps in an hour (1 = no fault); `purchase` scales the reported share of orders. */
  fault?: (event: string, hourMs: number) => number;
}

const ORDERS_PER_CUSTOMER_HOUR = 2.2 / (104 * 168);
const PER_ORDER: Record<string, number> = { page_view: 179, add_to_cart: 3.54, begin_checkout: 1.875 };
const CAPTURE_RATE = 0.875;

/** Mean 1 over a day: lowest at 04:00, highest at 16:00. */
const demandAt = (hourMs: number): number => 1 + 0.6 * Math.sin((2 * Math.PI * (new Date(hourMs).getUTCHours() - 10)) / 24);

function binomial(random: Random, trials: number, p: number): number {
  let successes = 0;
  for (let trial = 0; trial < trials; trial += 1) if (random.next() < p) successes += 1;
  return successes;
}

/** Writes the shop; returns the mean orders per hour. */
export async function writeMonitorShop(db: Db, shop: MonitorShop): Promise<number> {
  const random = randomStream(shop.seed, 17);
  const meanOrders = shop.customers * ORDERS_PER_CUSTOMER_HOUR;
  const fault = shop.fault ?? (() => 1);
  const startMs = shop.endMs - (shop.weeks ?? 7) * WEEK_MS;
  const orders: unknown[][] = [];
  const events: unknown[][] = [];
  for (let hourMs = startMs; hourMs < shop.endMs; hourMs += HOUR_MS) {
    const expectedOrders = meanOrders * demandAt(hourMs);
    const count = poisson(random, expectedOrders);
    for (let index = 0; index < count; index += 1) {
      orders.push([`o${orders.length + 1}`, 'c1', new Date(hourMs + Math.floor(random.next() * HOUR_MS)), 50]);
    }
    const at = new Date(hourMs);
    for (const [event, perOrder] of Object.entries(PER_ORDER)) events.push([at, event, poisson(random, expectedOrders * perOrder * fault(event, hourMs))]);
    events.push([at, 'purchase', binomial(random, count, CAPTURE_RATE * Math.min(1, fault('purchase', hourMs)))]);
  }
  await db.query(`INSERT INTO customers (id, first_order_at) VALUES ('c1', $1)`, [new Date(startMs)]);
  await insertBatch(db, 'orders', ['id', 'customer_id', 'ordered_at', 'revenue'], ['text', 'text', 'timestamptz', 'numeric'], orders);
  await insertBatch(db, 'tracking_events', ['hour', 'event_name', 'count'], ['timestamptz', 'text', 'int8'], events);
  return meanOrders;
}

/** A change in the change log, as a CI hook or the tag manager's webhook writes it. */
export async function writeChange(db: Db, change: { atMs: number; kind: 'deploy' | 'tag_manager' | 'campaign' | 'config'; ref: string; author?: string }): Promise<void> {
  await db.query('INSERT INTO changes (at, kind, ref, author, summary) VALUES ($1, $2, $3, $4, $5)', [new Date(change.atMs), change.kind, change.ref, change.author ?? 'someone', `${change.kind} ${change.ref}`]);
}

/** Lab runs of one page on mobile at 03:00, 11:00 and 19:00 from `fromMs` to `toMs`, LCP from `lcpAt`, with ±8 % noise. */
export async function writeLabRuns(db: Db, options: { url: string; fromMs: number; toMs: number; seed: number; lcpAt: (atMs: number) => number }): Promise<number[]> {
  const random = randomStream(options.seed, 23);
  const rows: unknown[][] = [];
  const times: number[] = [];
  for (let hourMs = Math.ceil(options.fromMs / HOUR_MS) * HOUR_MS; hourMs < options.toMs; hourMs += HOUR_MS) {
    if (![3, 11, 19].includes(new Date(hourMs).getUTCHours())) continue;
    times.push(hourMs);
    rows.push([new Date(hourMs), options.url, 'mobile', 'lab', options.lcpAt(hourMs) * (0.92 + 0.16 * random.next()), 0.9]);
  }
  await insertBatch(db, 'pagespeed_runs', ['at', 'url', 'form_factor', 'kind', 'lcp_ms', 'performance_score'], ['timestamptz', 'text', 'text', 'text', 'real', 'real'], rows);
  return times;
}
