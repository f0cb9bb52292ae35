import type { Db } from './adapters/store/db.js';
import { refreshSummaries } from './adapters/store/queries/customer-summaries.js';
import { refreshJourneys } from './adapters/store/queries/order-journeys.js';
import { hasOrders } from './adapters/store/queries/orders.js';
import type { SeedProgress } from './adapters/store/seed/seed-demo.js';
import { seedDemo } from './adapters/store/seed/seed-demo.js';
import type { Bot } from './bot/dispatch.js';
import { askDefaultQuestions } from './jobs/warm-answers-job.js';
import { HOUR_MS } from './analytics/time.js';

export const DEMO_CUSTOMERS = 20_000;
export const DEMO_SEED = 42;

/** The demo shop ends at the current hour, so "last 30d" always has data on a fresh start. */
export function demoEnd(now: Date): Date {
  return new Date(Math.floor(now.getTime() / HOUR_MS) * HOUR_MS);
}

/**
 * Seeds the embedded database with the demo shop when it holds no orders yet (the first `npm start`).
 * Given the bot, it also asks the default questions once, so the first `rfm` and `churn` are cached.
 */
export async function seedOnFirstStart(db: Db, write: (text: string) => void, now = new Date(), bot?: Pick<Bot, 'handle'>, currency = 'EUR'): Promise<void> {
  if (await hasOrders(db)) return;
  write(`Loading the demo shop (${DEMO_CUSTOMERS.toLocaleString('en')} customers, two years of orders, two scripted incidents)...\n`);
  const outcome = await seedDemo(db, { end: demoEnd(now), customers: DEMO_CUSTOMERS, seed: DEMO_SEED, currency, onProgress: progressPrinter(write) });
  write('\n');
  // Kept summaries and journeys built now, with the progress shown, rather than by the first question.
  write('Summarising customers and journeys...\n');
  await refreshSummaries(db);
  await refreshJourneys(db);
  await db.exec('ANALYZE');
  if (bot) {
    write('Preparing the rfm and churn answers...\n');
    await askDefaultQuestions(bot);
  }
  if (outcome.seeded) write(`Demo shop ready: ${outcome.rows.orders.toLocaleString('en')} orders, ${outcome.rows.touchpoints.toLocaleString('en')} touchpoints.\n`);
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
