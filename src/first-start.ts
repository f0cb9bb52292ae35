import type { Db } from './adapters/store/db.js';
import { rebuildSummaries } from './adapters/store/queries/customer-summaries.js';
import { rebuildJourneys } from './adapters/store/queries/order-journeys.js';
import { hasOrders } from './adapters/store/queries/orders.js';
import type { SeedProgress } from './adapters/store/seed/seed-demo.js';
import { seedDemo } from './adapters/store/seed/seed-demo.js';
import type { Bot } from './bot/dispatch.js';
import { demoStories } from './adapters/store/seed/stories.js';
import type { MonitorConfig } from './jobs/monitors/monitor-job.js';
import { MONITOR_EVERY_MINUTES, monitorPass } from './jobs/monitors/monitor-job.js';
import { replayMonitors } from './jobs/monitors/replay.js';
import { askDefaultQuestions } from './jobs/warm-answers-job.js';
import type { Logger } from './log.js';
import { HOUR_MS, MINUTE_MS } from './analytics/time.js';

export const DEMO_CUSTOMERS = 20_000;
export const DEMO_SEED = 42;

/** The demo shop ends at the current hour, so "last 30d" always has data on a fresh start. */
export function demoEnd(now: Date): Date {
  return new Date(Math.floor(now.getTime() / HOUR_MS) * HOUR_MS);
}

/**
 * Seeds the embedded database with the demo shop when it holds no orders yet (the first `npm start`).
 * Given the bot, it also asks the default questions once, so the first `rfm` and `churn` are cached.
 * True when it seeded (the caller then replays the demo's monitors: replayDemoIncidents).
 */
export async function seedOnFirstStart(db: Db, write: (text: string) => void, now = new Date(), bot?: Pick<Bot, 'handle'>, currency = 'EUR'): Promise<boolean> {
  if (await hasOrders(db)) return false;
  write(`Loading the demo shop (${DEMO_CUSTOMERS.toLocaleString('en')} customers, two years of orders, two scripted incidents)...\n`);
  const outcome = await seedDemo(db, { end: demoEnd(now), customers: DEMO_CUSTOMERS, seed: DEMO_SEED, currency, bulkLoad: true, onProgress: progressPrinter(write) });
  write('\n');
  // Kept summaries and journeys built now, with the progress shown, rather than by the first question.
  write('Summarising customers and journeys...\n');
  // Built in full: the bulk load marked nothing for a refresh to find.
  await rebuildSummaries(db);
  await rebuildJourneys(db);
  await db.exec('ANALYZE');
  if (bot) {
    write('Preparing the rfm and churn answers...\n');
    await askDefaultQuestions(bot);
  }
  if (outcome.seeded) write(`Demo shop ready: ${outcome.rows.orders.toLocaleString('en')} orders, ${outcome.rows.touchpoints.toLocaleString('en')} touchpoints.\n`);
  return outcome.seeded;
}

/** The stretch of the demo's history its incident stories play in: from an hour before the LCP story's publish to its end. */
export function demoReplayPeriod(end: Date): { from: Date; to: Date } {
  return { from: new Date(demoStories(end).lcpRegression.publishAt.getTime() - HOUR_MS), to: end };
}

export interface DemoReplay {
  /** Settles when the replay has finished, stopped or failed (never rejects). */
  done: Promise<void>;
  /** Stops it between two steps and waits for it. */
  stop(): Promise<void>;
}

/**
 * Runs the monitors over the demo's recent history as the scheduler would have (`mkt monitors replay`),
 * in the background after the prompt appears, so `incidents all` shows its two incident stories with
 * their threads. The scheduler must start after it (startChannels' schedulerAfter): its first pass
 * would mark every monitor as judged up to now, and the replay's earlier steps would be skipped.
 */
export function replayDemoIncidents(db: Db, config: MonitorConfig, end: Date, log: Logger, everyMs = MONITOR_EVERY_MINUTES * MINUTE_MS): DemoReplay {
  let isStopped = false;
  const done = replayMonitors(db, (tx, asOf) => monitorPass(tx, config, asOf), { ...demoReplayPeriod(end), everyMs, dryRun: false, shouldStop: () => isStopped })
    .then((result) => {
      if (result.ok) log.info('demo monitors replayed', { steps: result.report.steps, incidentChanges: result.report.timeline.length, stopped: result.report.stopped });
      else log.warn('demo monitors not replayed: they have already judged a later moment', { lastEvaluatedAt: result.lastEvaluatedAt.toISOString() });
    }, (error: unknown) => log.warn('demo monitors replay failed', { error: error instanceof Error ? error.message : String(error) }));
  return {
    done,
    async stop() {
      isStopped = true;
      await done;
    },
  };
}

/** Prints "customers 45%" style progress, at most once per percent. */
export function progressPrinter(write: (text: string) => void): (progress: SeedProgress) => void {
  let last = '';
  return ({ stage, done, total }) => {
    const percent = total > 0 ? Math.floor((100 * done) / total) : 100;
    const line = `  ${stage} ${percent}%`;
    if (line === last) return;
    last = line;
    write(`\r${line.padEnd(30)}`);
  };
}
