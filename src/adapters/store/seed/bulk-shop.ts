import type { Db } from '../db.js';
import { ShopCalendar } from './calendar.js';
import { CHANNEL_WEIGHTS, CHANNELS, seasonalCampaigns } from './channels.js';
import type { JourneyPosition } from './channels.js';
import { BROWSING_LENGTH_WEIGHTS, COUNTRIES, COUNTRY_WEIGHTS, DEVICE_WEIGHTS, DEVICES, OTHER_DEVICE_VISIT_SHARE, SIGNED_IN_VISIT_SHARE } from './journeys.js';
import { dropSecondaryIndexes } from './bulk-load.js';
import { planShop, RECENT_WEEKS, writeShopSignals } from './seed-demo.js';
import { DATA_TABLES, SeedWriter } from './seed-writer.js';
import type { DataTable } from './seed-writer.js';
import { ShopTally } from './shop-tally.js';
import { HOUR_MS, DAY_S } from '../../../analytics/time.js';

/**
 * A shop at the size the benchmark targets name (N customers, about 10 N orders and 20 N touchpoints),
 * generated inside the database by set-returning SQL. The demo seeder builds every row in Node and
 * sends it over the wire, which takes about half an hour per 4M orders; here the rows never leave the
 * server. The story is the demo's, simplified where only the volume matters to a benchmark:
 *
 * - Purchases follow BG/NBD (Fader, Hardie and Lee 2005): a customer buys at a Poisson rate (exponential
 *   across customers, a gamma of shape 1) and after each purchase drops out with a probability drawn from
 *   a Kumaraswamy distribution, a beta look-alike whose inverse CDF SQL can evaluate. First purchases
 *   fall uniformly over the window (no seasonality).
 * - A converting journey has 1-6 touches in the 30 days before its order, channels drawn by position with
 *   the demo's weights; only the converting session names the order, the visits before it carry the
 *   customer's browser id (signed in now and then) or another device's. Journeys that never convert
 *   belong to anonymous visitors, three in four of them in the last nine weeks, as the demo keeps its
 *   dense sessions there.
 * - GA4's reported conversions, events, page speed, changes, spend and budgets come from the demo's own
 *   writers (writeShopSignals), fed by a tally counted in SQL.
 *
 * Deterministic for a seed: one connection, setseed, no parallel workers, statements in a fixed order.
 */
export interface BulkShopOptions {
  end: Date;
  customers: number;
  seed?: number;
  onProgress?: (step: string) => void;
  /** The shop's CURRENCY, the label of every amount. EUR by default. */
  currency?: string;
}

export interface BulkShopRows {
  customers: number;
  orders: number;
  touchpoints: number;
  rows: Record<DataTable, number>;
}

const WEEKS = 104;
// Tuned by simulation to about 10 orders per customer over two years (the issue's 1M customers, 10M orders).
const RATE_MEAN_PER_DAY = 0.15;
const DROPOUT_KUMARASWAMY_A = 1.5;
const DROPOUT_KUMARASWAMY_B = 21;
// Repeat purchases simulated per customer: enough for three times the expected count in the time left.
const MAX_REPEATS = 500;
// Touches per converting journey, 1..6, mean 1.8: 10 orders per customer make about 18 touches.
const CONVERTING_LENGTH_WEIGHTS = [0.55, 0.25, 0.1, 0.05, 0.03, 0.02];
// Journeys that never convert, per customer (about 1.8 touches per customer with BROWSING_LENGTH_WEIGHTS).
const BROWSING_JOURNEYS_PER_CUSTOMER = 1.2;
const DENSE_BROWSING_SHARE = 0.75;
const DENSE_BROWSING_DAYS = 63;
const BASKET_MEDIAN_EUR = 48;
const BASKET_LOG_SD = 0.45;
const ORDER_LOG_SD = 0.5;
const MIN_ORDER_EUR = 4.9;
const CAPTURE_RATE = 0.875;
const LOOKBACK_S = 30 * DAY_S;

/** Where each channel's touches come from, as touchSource (channels.ts) names them; campaigns split by share. */
const TOUCH_SOURCES = `(VALUES
  ('organic_search', 'google', 'organic', NULL, NULL, 0.0),
  ('paid_search', 'google', 'cpc', 'generic_search', 'brand_search', 0.4),
  ('paid_social', 'instagram', 'paid_social', 'retargeting_social', 'prospecting_social', 0.6),
  ('email', 'newsletter', 'email', 'newsletter_weekly', NULL, 0.0),
  ('direct', '(direct)', '(none)', NULL, NULL, 0.0),
  ('referral', 'blog.example.org', 'referral', NULL, NULL, 0.0),
  ('affiliate', 'partnernet', 'affiliate', 'partner_program', NULL, 0.0),
  ('display', 'google', 'display', 'retargeting_display', NULL, 0.0)
) AS src(channel, source, medium, campaign, other_campaign, other_share)`;

const textArray = (values: readonly string[]) => `ARRAY[${values.map((value) => `'${value}'`).join(', ')}]`;
/** Upper bounds of all buckets but the last: width_bucket(random(), these) + 1 picks an index by weight. */
function cumulative(weights: readonly number[]): string {
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  let running = 0;
  const bounds = weights.slice(0, -1).map((weight) => (running += weight / total));
  return `ARRAY[${bounds.map((bound) => bound.toFixed(6)).join(', ')}]::float8[]`;
}
const pickByWeight = (values: readonly string[], weights: readonly number[]) => `(${textArray(values)})[width_bucket(random(), ${cumulative(weights)}) + 1]`;
const pickChannel = (position: JourneyPosition) => pickByWeight(CHANNELS, CHANNEL_WEIGHTS[position]);
const standardNormal = 'sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random())';

export async function seedBulkShop(db: Db, options: BulkShopOptions): Promise<BulkShopRows> {
  const progress = options.onProgress ?? (() => undefined);
  const plan = planShop({ end: options.end, customers: options.customers, weeks: WEEKS, ...(options.seed === undefined ? {} : { seed: options.seed }), ...(options.currency ? { currency: options.currency } : {}) });
  const calendar = new ShopCalendar(plan.endMs, WEEKS * 7);
  const spanDays = (calendar.endMs - calendar.startMs) / (DAY_S * 1000);
  const start = new Date(calendar.startMs);
  return db.transaction(async (tx) => {
    // One backend, no parallel workers: random() after setseed then yields the same rows every run.
    await tx.exec(`SET LOCAL max_parallel_workers_per_gather = 0; SET LOCAL work_mem = '256MB'`);
    await tx.query('SELECT setseed($1)', [((options.seed ?? 42) % 1000) / 1000]);
    await tx.exec(`TRUNCATE ${DATA_TABLES.join(', ')} RESTART IDENTITY`);
    // Triggers off (and the foreign-key checks they run): the derived tables are rebuilt afterwards in
    // one pass each (the caller's job), cheaper than marking 10M orders dirty one statement at a time.
    await tx.exec('SET LOCAL session_replication_role = replica');
    const secondaryIndexes = await dropSecondaryIndexes(tx);

    progress('customers');
    await tx.query(
      `CREATE TEMP TABLE bulk_people ON COMMIT DROP AS
       SELECT *, least(${MAX_REPEATS}, floor(ln(1 - random()) / ln(1 - dropout)), ceil(3 * rate * ($2::float8 - first_day)) + 10)::int AS repeats
         FROM (SELECT 'c' || lpad(i::text, 8, '0') AS id,
                      random() * $2::float8 AS first_day,
                      greatest(1e-9, -ln(1 - random()) * ${RATE_MEAN_PER_DAY}) AS rate,
                      least(0.999999, greatest(1e-6, (1 - (1 - random()) ^ (1.0 / ${DROPOUT_KUMARASWAMY_B})) ^ (1.0 / ${DROPOUT_KUMARASWAMY_A}))) AS dropout,
                      ${BASKET_MEDIAN_EUR} * exp(${BASKET_LOG_SD} * ${standardNormal}) AS basket,
                      ${pickByWeight(COUNTRIES, COUNTRY_WEIGHTS)} AS country,
                      ${pickByWeight(DEVICES, DEVICE_WEIGHTS)} AS device
                 FROM generate_series(1, $1::int) AS i) AS drawn`,
      [options.customers, spanDays],
    );
    await tx.query(`INSERT INTO customers (id, first_order_at, country)
      SELECT id, $1::timestamptz + first_day * interval '1 day', country FROM bulk_people`, [start]);

    progress('orders');
    await tx.exec('CREATE TEMP SEQUENCE bulk_order_ids; CREATE TEMP SEQUENCE bulk_touch_ids');
    // Gaps between purchases are exponential at the customer's rate; purchases past the end are cut.
    await tx.query(
      `CREATE TEMP TABLE bulk_orders ON COMMIT DROP AS
       SELECT *,
              ARRAY(SELECT CASE WHEN j = touches THEN ${pickChannel('closing')} WHEN j = 1 THEN ${pickChannel('opening')} ELSE ${pickChannel('middle')} END
                      FROM generate_series(1, touches) AS j ORDER BY j) AS channels,
              -- Seconds before the order, oldest first; the closing touch lands 2-90 minutes before it.
              ARRAY(SELECT CASE WHEN j = touches THEN (2 + random() * 88) * 60
                                ELSE greatest(7200, ${LOOKBACK_S} * ((touches - 1 - j) + random()) / (touches - 1)) END
                      FROM generate_series(1, touches) AS j ORDER BY j) AS ages
         FROM (SELECT 'o' || lpad(nextval('bulk_order_ids')::text, 8, '0') AS id, customer_id, country, device,
                      $1::timestamptz + day * interval '1 day' AS ordered_at,
                      greatest(${MIN_ORDER_EUR}, round((basket * exp(${ORDER_LOG_SD} * ${standardNormal}))::numeric, 2)) AS revenue,
                      width_bucket(random(), ${cumulative(CONVERTING_LENGTH_WEIGHTS)}) + 1 AS touches
                 FROM (SELECT p.id AS customer_id, p.country, p.device, p.basket,
                              p.first_day + sum(CASE WHEN k = 0 THEN 0 ELSE -ln(1 - random()) / p.rate END) OVER (PARTITION BY p.id ORDER BY k) AS day
                         FROM bulk_people p, generate_series(0, p.repeats) AS k) AS purchases
                WHERE day < $2::float8
                -- In time order, as a shop's orders arrive: ids rise with time and the table's pages hold
                -- neighbouring days together, which every date-range read (rfm's start point, kpi) relies on.
                ORDER BY day, customer_id) AS orders`,
      [start, spanDays],
    );
    await tx.query(`INSERT INTO orders (id, customer_id, ordered_at, revenue, currency)
      SELECT id, customer_id, ordered_at, revenue, $1 FROM bulk_orders ORDER BY id`, [plan.currency]);

    progress('touchpoints');
    const touchColumns = 'id, customer_id, anonymous_id, at, channel, source, medium, campaign, device, country, order_id';
    const touchValues = (customer: string, anonymous: string, orderId: string) =>
      `'t' || lpad(nextval('bulk_touch_ids')::text, 8, '0'), ${customer}, ${anonymous}, at, t.channel, src.source, src.medium,
       CASE WHEN src.other_campaign IS NOT NULL AND random() < src.other_share THEN src.other_campaign ELSE src.campaign END,
       CASE WHEN random() < 0.78 THEN t.device ELSE ${pickByWeight(DEVICES, DEVICE_WEIGHTS)} END, t.country, ${orderId}`;
    // As the demo seeder tags them (journeys.ts): the converting session signed in and naming its
    // order; earlier visits signed in now and then, mostly the browser's client id alone, sometimes
    // another device never signed in. A customer's browser id is 'd' and their number.
    await tx.exec(
      `INSERT INTO touchpoints (${touchColumns})
       SELECT ${touchValues(
         `CASE WHEN t.is_converting OR t.draw >= ${OTHER_DEVICE_VISIT_SHARE} AND t.draw < ${OTHER_DEVICE_VISIT_SHARE} + ${SIGNED_IN_VISIT_SHARE} THEN t.customer_id END`,
         `CASE WHEN NOT t.is_converting AND t.draw < ${OTHER_DEVICE_VISIT_SHARE} THEN 'x' || substr(t.order_id, 2) || '-' || t.n ELSE 'd' || substr(t.customer_id, 2) END`,
         'CASE WHEN t.is_converting THEN t.order_id END')}
         FROM (SELECT o.id AS order_id, o.customer_id, o.country, o.device, o.ordered_at - u.age * interval '1 second' AS at, u.channel,
                      u.n, u.n = o.touches AS is_converting, random() AS draw
                 FROM bulk_orders o, unnest(o.channels, o.ages) WITH ORDINALITY AS u(channel, age, n)
                ORDER BY at, o.id, u.n) AS t
         JOIN ${TOUCH_SOURCES} ON src.channel = t.channel`,
    );

    progress('visitors');
    const visitors = Math.round(options.customers * BROWSING_JOURNEYS_PER_CUSTOMER);
    await tx.query(
      `INSERT INTO touchpoints (${touchColumns})
       SELECT ${touchValues('NULL', 't.anonymous_id', 'NULL')}
         FROM (SELECT v.anonymous_id, v.country, v.device, u.channel,
                      v.last_at - u.age * interval '1 second' AS at
                 FROM (SELECT *,
                              ARRAY(SELECT CASE WHEN j = 1 THEN ${pickChannel('opening')} ELSE ${pickChannel('browsing')} END
                                      FROM generate_series(1, touches) AS j ORDER BY j) AS channels,
                              ARRAY(SELECT CASE WHEN j = touches THEN 0 ELSE 7 * ${DAY_S} * ((touches - 1 - j) + random()) / (touches - 1) END
                                      FROM generate_series(1, touches) AS j ORDER BY j) AS ages
                         FROM (SELECT 'a' || lpad(i::text, 8, '0') AS anonymous_id,
                                      CASE WHEN random() < ${DENSE_BROWSING_SHARE} THEN $2::timestamptz - random() * ${DENSE_BROWSING_DAYS} * interval '1 day'
                                           ELSE $3::timestamptz + random() * $4::float8 * interval '1 day' END AS last_at,
                                      ${pickByWeight(COUNTRIES, COUNTRY_WEIGHTS)} AS country,
                                      ${pickByWeight(DEVICES, DEVICE_WEIGHTS)} AS device,
                                      width_bucket(random(), ${cumulative(BROWSING_LENGTH_WEIGHTS)}) + 1 AS touches
                                 FROM generate_series(1, $1::int) AS i) AS drawn) AS v,
                      unnest(v.channels, v.ages) WITH ORDINALITY AS u(channel, age, n)
                ORDER BY v.anonymous_id, u.n) AS t
         JOIN ${TOUCH_SOURCES} ON src.channel = t.channel`,
      [visitors, new Date(calendar.endMs), start, spanDays],
    );

    progress('analytics');
    const tally = new ShopTally(calendar, RECENT_WEEKS * 7 * 24);
    await tallyOrders(tx, tally, start);
    const writer = new SeedWriter(tx);
    await writeShopSignals(writer, { plan: { ...plan, stories: undefined, progress: () => undefined }, calendar, seasonal: seasonalCampaigns(calendar.startMs, calendar.endMs), tally, recentWeeks: RECENT_WEEKS });

    progress('indexes');
    for (const definition of secondaryIndexes) await tx.exec(definition);
    // Temporary sequences live as long as the connection: gone here, a later run on it starts again.
    await tx.exec('DROP SEQUENCE bulk_order_ids, bulk_touch_ids');
    // The statement-level triggers that would have raised it were off.
    await tx.exec('UPDATE order_data_version SET version = version + 1');
    const [counted] = await tx.query<{ customers: number; orders: number; touchpoints: number }>(
      `SELECT (SELECT count(*) FROM customers)::int8 AS customers, (SELECT count(*) FROM orders)::int8 AS orders,
              (SELECT count(*) FROM touchpoints)::int8 AS touchpoints`);
    const { customers = 0, orders = 0, touchpoints = 0 } = counted ?? {};
    return { customers, orders, touchpoints, rows: { ...writer.counts, customers, orders, touchpoints } };
  });
}



/**
 * What analytics saw of the orders: counted per hour and last non-direct channel, each order captured
 * with the demo's mean capture rate.
 */
async function tallyOrders(tx: Db, tally: ShopTally, start: Date): Promise<void> {
  const groups = await tx.query<{ hour: number; channel: string; orders: number; captured: number; captured_revenue: number }>(
    `SELECT hour, channel, count(*)::int AS orders, count(*) FILTER (WHERE captured)::int AS captured,
            coalesce(sum(revenue) FILTER (WHERE captured), 0)::float8 AS captured_revenue
       FROM (SELECT floor(extract(epoch FROM ordered_at - $1::timestamptz) / 3600)::int AS hour, revenue,
                    random() < ${CAPTURE_RATE} AS captured,
                    coalesce((SELECT c FROM unnest(channels) WITH ORDINALITY AS u(c, n) WHERE c <> 'direct' ORDER BY n DESC LIMIT 1), 'direct') AS channel
               FROM bulk_orders) AS seen
      GROUP BY hour, channel`,
    [start],
  );
  for (const group of groups) {
    tally.addOrders(start.getTime() + group.hour * HOUR_MS, CHANNELS.indexOf(group.channel as (typeof CHANNELS)[number]),
      { orders: group.orders, captured: group.captured, capturedRevenue: group.captured_revenue });
  }
}
