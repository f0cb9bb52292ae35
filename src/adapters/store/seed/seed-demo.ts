import type { Db } from '../db.js';
import { dailyCaptureRates, writeReportedConversions, writeTrackingEvents } from './analytics-signals.js';
import { HOUR_MS } from '../../../analytics/time.js';
import { ShopCalendar } from './calendar.js';
import { seasonalCampaigns } from './channels.js';
import { writeChanges } from './changes.js';
import { writeCustomer } from './customers.js';
import type { CustomerContext } from './customers.js';
import { writePagespeedRuns } from './pagespeed.js';
import { randomStream } from './random.js';
import type { Random } from './random.js';
import { dropSecondaryIndexes } from './bulk-load.js';
import { DATA_TABLES, SeedWriter } from './seed-writer.js';
import { ShopTally } from './shop-tally.js';
import type { DataTable } from './seed-writer.js';
import type { SeasonalCampaign } from './channels.js';
import { writeBudgets, writeSpend } from './spend.js';
import { demoStories } from './stories.js';
import type { DemoStories } from './stories.js';
import { visitorJourneysOnDay, writeVisitorJourney } from './visitors.js';

export interface SeedDemoOptions {
  /** The shop's "now"; history ends here. Pass the current time truncated to the hour (it is truncated anyway). */
  end: Date;
  customers?: number;
  seed?: number;
  /** Length of the order history; two years by default so year-over-year comparisons work. */
  weeks?: number;
  /** Inject the tracking-outage, LCP-regression and overpacing stories (see demoStories). */
  stories?: boolean;
  /**
   * Scales how often customers come back, aiming at this many orders per customer (default 2.2, which it
   * hits). Dropout caps the effect: 1.5 gives about 1.7 and 4 about 2.9.
   */
  meanOrders?: number;
  /** Empty the data tables first instead of refusing a database that already holds orders. */
  replace?: boolean;
  /** The shop's CURRENCY: every amount written (orders, spend, budgets) is in it. EUR by default. */
  currency?: string;
  /**
   * Loads with triggers and secondary indexes off, indexing once at the end (first start): the derived
   * tables (customer summaries, journeys) are then not marked, and the caller rebuilds them in full.
   */
  bulkLoad?: boolean;
  onProgress?: (progress: SeedProgress) => void;
}

export type SeedStage = 'customers' | 'visitors' | 'analytics' | 'pagespeed' | 'changes' | 'spend';
export interface SeedProgress {
  stage: SeedStage;
  done: number;
  total: number;
}

export type SeedDemoOutcome =
  | { seeded: true; rows: Record<DataTable, number>; stories: DemoStories | null }
  | { seeded: false; reason: 'already_seeded'; existingOrders: number };

const DEFAULT_WEEKS = 104;
// Tracking events and PSI/CrUX history are kept for the recent weeks monitors and `speed` look at.
export const RECENT_WEEKS = 16;
const DEFAULT_MEAN_ORDERS = 2.2;
// Mean repeat-purchase rate per day that yields DEFAULT_MEAN_ORDERS over a two-year history.
const DEFAULT_REPEAT_RATE_PER_DAY = 1 / 80;
// Any constant works; two seeders on one database (first start and the CLI) take turns on it.
const SEED_LOCK_KEY = 7_202_612;
const STREAMS = { customers: 1, visitors: 2, captureRates: 3, trackingEvents: 4, pagespeed: 5, changes: 6, spend: 7, identities: 8 };

/**
 * Fills the data tables with a deterministic demo shop: the same options give the same rows.
 * Everything is written in one transaction on both databases, so a crash leaves no half-seeded shop
 * (PostgreSQL keeps a large transaction's rows in the table files, not in memory).
 */
export async function seedDemo(db: Db, options: SeedDemoOptions): Promise<SeedDemoOutcome> {
  return db.transaction(async (tx) => {
    // Keyed by schema too: seeders of different schemas in one database (parallel test files) need not wait.
    await tx.query('SELECT pg_advisory_xact_lock($1, hashtext(current_schema()))', [SEED_LOCK_KEY]);
    const [existing] = await tx.query<{ orders: number }>('SELECT count(*)::int8 AS orders FROM (SELECT 1 FROM orders LIMIT 1) AS any_order');
    if ((existing?.orders ?? 0) > 0 && !options.replace) {
      const [total] = await tx.query<{ orders: number }>('SELECT count(*)::int8 AS orders FROM orders');
      return { seeded: false, reason: 'already_seeded', existingOrders: total?.orders ?? 0 };
    }
    if (options.replace) await tx.exec(`TRUNCATE ${DATA_TABLES.join(', ')} RESTART IDENTITY`);
    return writeShop(tx, options);
  });
}

function idSequence(prefix: string): () => string {
  let next = 0;
  return () => `${prefix}${(next += 1).toString().padStart(8, '0')}`;
}

export interface ShopPlan {
  customers: number;
  endMs: number;
  weeks: number;
  stories: DemoStories | undefined;
  storyTimeline: DemoStories;
  stream: (name: keyof typeof STREAMS) => Random;
  progress: (progress: SeedProgress) => void;
  currency: string;
}

export function planShop(options: SeedDemoOptions): ShopPlan {
  const customers = options.customers ?? 20_000;
  const weeks = options.weeks ?? DEFAULT_WEEKS;
  if (!Number.isInteger(customers) || customers < 1) throw new RangeError(`seedDemo: customers must be a positive integer, got ${customers}`);
  if (!Number.isInteger(weeks) || weeks < 4) throw new RangeError(`seedDemo: weeks must be an integer of at least 4, got ${weeks}`);
  const endMs = Math.floor(options.end.getTime() / HOUR_MS) * HOUR_MS;
  const storyTimeline = demoStories(new Date(endMs));
  const seed = options.seed ?? 42;
  return {
    customers, endMs, weeks, storyTimeline,
    stories: options.stories === false ? undefined : storyTimeline,
    stream: (name) => randomStream(seed, STREAMS[name]),
    progress: options.onProgress ?? (() => undefined),
    currency: options.currency ?? 'EUR',
  };
}

/** Customers with their orders and journeys, then the visitors who never bought; both streamed in batches. */
async function writePeople(plan: ShopPlan, context: CustomerContext): Promise<void> {
  const { writer, calendar, tally } = context;
  const customerRandom = plan.stream('customers');
  const nextCustomerId = idSequence('c');
  for (let index = 1; index <= plan.customers; index += 1) {
    writeCustomer(context, customerRandom, nextCustomerId());
    if (writer.isFull) {
      await writer.flush();
      plan.progress({ stage: 'customers', done: index, total: plan.customers });
    }
  }
  plan.progress({ stage: 'customers', done: plan.customers, total: plan.customers });
  const visitorRandom = plan.stream('visitors');
  const visitorContext = { ...context, dayOrders: tally.dayOrders };
  for (let day = 0; day < calendar.days; day += 1) {
    const journeys = visitorJourneysOnDay(visitorContext, visitorRandom, day);
    for (let journey = 0; journey < journeys; journey += 1) {
      writeVisitorJourney(visitorContext, visitorRandom, day);
      if (writer.isFull) {
        await writer.flush();
        plan.progress({ stage: 'visitors', done: day, total: calendar.days });
      }
    }
  }
  plan.progress({ stage: 'visitors', done: calendar.days, total: calendar.days });
}

export interface ShopSignalsPlan {
  plan: Pick<ShopPlan, 'stories' | 'storyTimeline' | 'stream' | 'progress' | 'endMs' | 'currency'>;
  calendar: ShopCalendar;
  seasonal: readonly SeasonalCampaign[];
  /** The orders already written, as analytics would have seen them. */
  tally: ShopTally;
  recentWeeks: number;
}

/**
 * Everything but people: GA4's reported conversions and events, page-speed runs, changes, spend and
 * budgets, all derived from the tally of orders. Shared by this seeder and the bench's bulk generator.
 */
export async function writeShopSignals(writer: SeedWriter, signals: ShopSignalsPlan): Promise<void> {
  const { plan, calendar, seasonal, tally, recentWeeks } = signals;
  const { stories, progress, endMs } = plan;
  writeReportedConversions(writer, calendar, tally);
  writeTrackingEvents(writer, calendar, tally, plan.stream('trackingEvents'));
  progress({ stage: 'analytics', done: 1, total: 1 });
  writePagespeedRuns(writer, plan.stream('pagespeed'), stories, endMs, recentWeeks * 7);
  progress({ stage: 'pagespeed', done: 1, total: 1 });
  writeChanges(writer, plan.stream('changes'), { startMs: calendar.startMs, endMs }, seasonal, plan.storyTimeline, stories);
  progress({ stage: 'changes', done: 1, total: 1 });
  const spendPlan = { calendar, seasonal, expectedOrders: (day: number) => tally.orders * calendar.dayShare(day), overpacing: stories?.overpacingChannels ?? [], currency: plan.currency };
  writeSpend(writer, plan.stream('spend'), spendPlan);
  writeBudgets(writer, spendPlan);
  await writer.finish();
  progress({ stage: 'spend', done: 1, total: 1 });
}

async function writeShop(tx: Db, options: SeedDemoOptions): Promise<SeedDemoOutcome> {
  const plan = planShop(options);
  const { stories, endMs } = plan;
  const calendar = new ShopCalendar(endMs, plan.weeks * 7);
  const recentWeeks = Math.min(RECENT_WEEKS, plan.weeks);
  const writer = new SeedWriter(tx);
  const seasonal = seasonalCampaigns(calendar.startMs, endMs);
  const tally = new ShopTally(calendar, recentWeeks * 7 * 24);
  const meanOrders = options.meanOrders ?? DEFAULT_MEAN_ORDERS;
  let secondaryIndexes: string[] = [];
  if (options.bulkLoad) {
    await tx.exec('SET LOCAL session_replication_role = replica');
    secondaryIndexes = await dropSecondaryIndexes(tx);
  }
  await writePeople(plan, {
    writer, seasonal, calendar, tally,
    nextTouchpointId: idSequence('t'),
    nextOrderId: idSequence('o'),
    currency: plan.currency,
    nextAnonymousId: idSequence('a'),
    identityRandom: plan.stream('identities'),
    captureRates: dailyCaptureRates(plan.stream('captureRates'), calendar.days),
    outage: stories ? { startMs: stories.trackingOutage.startsAt.getTime(), endMs: stories.trackingOutage.endsAt.getTime() } : null,
    repeatRatePerDay: DEFAULT_REPEAT_RATE_PER_DAY * Math.max(0, meanOrders - 1) / (DEFAULT_MEAN_ORDERS - 1),
  });
  await writeShopSignals(writer, { plan, calendar, seasonal, tally, recentWeeks });
  if (options.bulkLoad) {
    for (const definition of secondaryIndexes) await tx.exec(definition);
    // The statement-level triggers that would have raised it were off; cached answers must not survive.
    await tx.exec('UPDATE order_data_version SET version = version + 1; SET LOCAL session_replication_role = origin');
  }
  return { seeded: true, rows: { ...writer.counts }, stories: stories ?? null };
}
