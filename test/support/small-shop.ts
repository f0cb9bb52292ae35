import type { Db } from '../../src/adapters/store/db.js';
import { insertBatch } from '../../src/adapters/store/insert-batch.js';
import { beta, exponential, randomStream } from '../../src/adapters/store/seed/random.js';
import type { OrderFixture, TouchFixture } from './fixtures.js';
import { insertOrders, insertTouchpoints } from './fixtures.js';
import { HOUR_MS, DAY_MS } from '../../src/analytics/time.js';

/** The instant the small shop's history ends: its "now". */
export const SMALL_SHOP_NOW = new Date('2026-11-26T09:00:00Z');

const CUSTOMERS = 80;
const SEED = 2026;
const HISTORY_START = Date.parse('2026-06-01T00:00:00Z');
const CHANNELS = ['email', 'paid_search', 'organic_search', 'paid_social', 'direct'] as const;
const PAGES = ['https://shop.example/', 'https://shop.example/checkout'];

/**
 * A small deterministic shop with something for every command: 80 customers buying as BG/NBD assumes
 * (enough repeat buyers for the fit) from June to November 2026, the touchpoints that led to each order, sessions that did not convert, analytics-reported conversions, seven weeks of hourly
 * purchase events, daily page-speed runs, 29 changes, and November's spend and budgets. Not a story
 * with known answers: tests that check numbers build their own fixtures.
 */
export async function seedSmallShop(db: Db): Promise<void> {
  const orders: OrderFixture[] = [];
  const touches: TouchFixture[] = [];
  const reported = new Map<string, number>();
  const random = randomStream(SEED, 1);
  for (let customer = 1; customer <= CUSTOMERS; customer += 1) {
    const id = `c${customer}`;
    const device = customer % 3 === 0 ? 'mobile' : 'desktop';
    // Buy-till-you-die, as BG/NBD assumes: exponential gaps and, after each order, a chance to drop out
    // that differs between customers (beta-distributed, mean 1/3, some nearly certain to stay or to leave).
    const dropout = beta(random, 0.4, 0.8);
    const meanGapDays = 10 + random.next() * 30;
    let at = HISTORY_START + Math.floor(random.next() * 150) * DAY_MS + (8 + Math.floor(random.next() * 12)) * HOUR_MS;
    for (let index = 0; at < SMALL_SHOP_NOW.getTime() - DAY_MS; index += 1) {
      const orderId = `${id}-o${index}`;
      orders.push({ id: orderId, customer: id, at: new Date(at).toISOString(), revenue: Math.round(15 + exponential(random, 45)) });
      const first = CHANNELS[Math.floor(random.next() * CHANNELS.length)]!;
      const last = CHANNELS[Math.floor(random.next() * CHANNELS.length)]!;
      touches.push({ id: `${orderId}-t0`, customer: id, at: new Date(at - 30 * HOUR_MS).toISOString(), channel: first, order: orderId, device, campaign: `${first}-autumn` });
      touches.push({ id: `${orderId}-t1`, customer: id, at: new Date(at - HOUR_MS).toISOString(), channel: last, order: orderId, device, campaign: `${last}-autumn` });
      // Analytics misses about one order in five; it credits the last non-direct touch.
      if (random.next() >= 0.2) {
        const channel = last !== 'direct' ? last : first;
        const key = `${new Date(at).toISOString().slice(0, 10)}|${channel}`;
        reported.set(key, (reported.get(key) ?? 0) + 1);
      }
      if (random.next() < dropout) break;
      at += Math.max(1, Math.round(exponential(random, meanGapDays))) * DAY_MS;
    }
  }
  // Sessions that did not convert, two a day, for conversion rates.
  for (let day = HISTORY_START; day < SMALL_SHOP_NOW.getTime(); day += DAY_MS) {
    for (const slot of [0, 1]) {
      const n = Math.round((day - HISTORY_START) / DAY_MS) * 2 + slot;
      touches.push({ id: `s${n}`, anonymous: `v${n}`, at: new Date(day + (10 + 5 * slot) * HOUR_MS).toISOString(), channel: CHANNELS[n % CHANNELS.length]!, device: slot ? 'mobile' : 'desktop' });
    }
  }
  await insertOrders(db, orders, { c1: 'DE', c2: 'FR', c3: 'DE' });
  await insertTouchpoints(db, touches);
  await insertBatch(db, 'reported_conversions', ['day', 'channel', 'conversions'], ['date', 'text', 'numeric'],
    [...reported].map(([key, conversions]) => [...key.split('|'), conversions]));
  await insertBatch(db, 'tracking_events', ['hour', 'event_name', 'count'], ['timestamptz', 'text', 'int8'], trackingRows());
  await insertBatch(db, 'pagespeed_runs',
    ['at', 'url', 'form_factor', 'kind', 'performance_score', 'lcp_ms', 'inp_ms', 'cls', 'tbt_ms', 'third_party_ms'],
    ['timestamptz', 'text', 'text', 'text', 'real', 'real', 'real', 'real', 'real', 'real'], pagespeedRows());
  await db.query(
    `INSERT INTO changes (at, kind, ref, author, summary) VALUES
       ('2026-11-12T09:30:00Z', 'tag_manager', 'GTM-12', 'marketing', 'Chat widget'),
       ('2026-11-20T14:00:00Z', 'deploy', 'v3.1.0', 'dev', 'Checkout redesign'),
       ('2026-11-02T08:00:00Z', 'campaign', 'winter-sale', 'marketing', 'Winter sale emails')`,
  );
  // Nightly deploys for four weeks: more changes than one chat message lists.
  const nightly = Array.from({ length: 26 }, (_, n) => [new Date(Date.parse('2026-10-24T02:00:00Z') + n * DAY_MS).toISOString(), 'deploy', `nightly-${n + 1}`]);
  await insertBatch(db, 'changes', ['at', 'kind', 'ref'], ['timestamptz', 'text', 'text'], nightly);
  const spend: [string, string, number][] = [];
  for (let day = Date.parse('2026-11-01T00:00:00Z'); day < Date.parse('2026-11-26T00:00:00Z'); day += DAY_MS) {
    spend.push([new Date(day).toISOString().slice(0, 10), 'paid_search', 40], [new Date(day).toISOString().slice(0, 10), 'paid_social', 60]);
  }
  await insertBatch(db, 'spend', ['day', 'channel', 'cost'], ['date', 'text', 'numeric'], spend);
  await db.query(
    `INSERT INTO budgets (channel, period_start, period_end, cap) VALUES
       ('paid_search', '2026-11-01', '2026-11-30', 1500), ('paid_social', '2026-11-01', '2026-11-30', 1200)`,
  );
}

/** Seven weeks of hourly purchases up to "now": 6 an hour by day, 1 at night, every week alike. */
function trackingRows(): [string, string, number][] {
  const rows: [string, string, number][] = [];
  for (let hour = SMALL_SHOP_NOW.getTime() - 7 * 7 * 24 * HOUR_MS; hour < SMALL_SHOP_NOW.getTime(); hour += HOUR_MS) {
    const isDaytime = new Date(hour).getUTCHours() >= 8 && new Date(hour).getUTCHours() < 22;
    rows.push([new Date(hour).toISOString(), 'purchase', isDaytime ? 6 : 1], [new Date(hour).toISOString(), 'add_to_cart', isDaytime ? 20 : 3]);
  }
  return rows;
}

/** One lab run and one field record a day per page over the last five weeks; checkout slows after the publish. */
function pagespeedRows(): unknown[][] {
  const rows: unknown[][] = [];
  const publish = Date.parse('2026-11-12T09:30:00Z');
  for (let day = SMALL_SHOP_NOW.getTime() - 35 * DAY_MS; day < SMALL_SHOP_NOW.getTime(); day += DAY_MS) {
    const start = Math.floor(day / DAY_MS) * DAY_MS;
    PAGES.forEach((url, page) => {
      const isSlow = page === 1 && start + DAY_MS > publish;
      rows.push([new Date(start + 6 * HOUR_MS).toISOString(), url, 'mobile', 'lab', isSlow ? 0.62 : 0.88, isSlow ? 3900 : 2300, null, 0.03, 250, isSlow ? 1100 : 300]);
      rows.push([new Date(start + 4 * HOUR_MS).toISOString(), url, 'mobile', 'field', null, isSlow ? 2900 : 2200, 180, 0.05, null, null]);
    });
  }
  return rows;
}
