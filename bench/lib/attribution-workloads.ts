import type { Db } from '../../src/adapters/store/db.js';
import { attributionQueries } from '../../src/adapters/store/queries/attribution.js';
import { ATTRIBUTION_MODELS, attribute } from '../../src/analytics/attribution/attribute.js';
import { DEFAULT_HALF_LIFE_DAYS } from '../../src/analytics/attribution/time-decay.js';
import type { TimeRange } from '../../src/bot/data-port.js';
import type { WorkloadFigures } from './figures.js';
import { measure } from './measure.js';
import type { RecordedQuery } from './recording-db.js';
import type { StoreStage } from './store-stage.js';
import { storeStage } from './store-stage.js';

// The command's lookback and time zone; see src/bot/commands/attribution.ts.
const LOOKBACK_DAYS = 30;
const TIME_ZONE = 'UTC';

export interface AttributionWindow {
  label: string;
  range: TimeRange;
}

/**
 * Every model over each window, reading journeys as the command does for that model (non-converting
 * journeys only for Markov; time decay's credit summed in the database, so it has no fit stage).
 * Models that need the same read share it: its SQL and transfer figures then repeat on each of their rows.
 */
export async function benchAttribution(db: Db, windows: readonly AttributionWindow[]): Promise<{ workloads: WorkloadFigures[]; queries: Map<string, RecordedQuery[]> }> {
  const workloads: WorkloadFigures[] = [];
  const queries = new Map<string, RecordedQuery[]>();
  for (const window of windows) {
    const reads = new Map<string, StoreStage<Awaited<ReturnType<typeof readJourneys>>>>();
    for (const model of ATTRIBUTION_MODELS) {
      const name = `attribution ${model} ${window.label}`;
      if (model === 'time_decay') {
        workloads.push(await benchTimeDecay(db, window.range, name, queries));
        continue;
      }
      const withNonConverting = model === 'markov';
      const key = `${withNonConverting}`;
      const read = reads.get(key) ?? await storeStage(db, (recording) => readJourneys(recording, window.range, withNonConverting));
      reads.set(key, read);
      queries.set(name, read.queries);
      const fit = await measure(() => attribute(model, read.value.journeys.paths));
      workloads.push({
        name,
        rows: read.value.journeys.paths.length,
        stages: { sql: read.sql, transfer: read.transfer, fit },
        extra: { orders: read.value.journeys.orders, distinctPaths: read.value.journeys.paths.length },
      });
    }
  }
  return { workloads, queries };
}

/** Time decay as the command runs it: credit per channel summed in SQL (timeDecayCredits), spend beside it. */
async function benchTimeDecay(db: Db, range: TimeRange, name: string, queries: Map<string, RecordedQuery[]>): Promise<WorkloadFigures> {
  const read = await storeStage(db, (recording) => {
    const store = attributionQueries(recording);
    return Promise.all([
      store.timeDecayCredits({ range, lookbackDays: LOOKBACK_DAYS, dimension: 'channel', halfLifeDays: DEFAULT_HALF_LIFE_DAYS }),
      store.spendBy(range, 'channel', TIME_ZONE),
    ]);
  });
  queries.set(name, read.queries);
  const [credits] = read.value;
  return { name, rows: credits.credits.length, stages: { sql: read.sql, transfer: read.transfer }, extra: { orders: credits.orders } };
}

async function readJourneys(db: Db, range: TimeRange, withNonConverting: boolean) {
  const store = attributionQueries(db);
  const [journeys, spend] = await Promise.all([
    store.journeys({ range, lookbackDays: LOOKBACK_DAYS, dimension: 'channel', withNonConverting }),
    store.spendBy(range, 'channel', TIME_ZONE),
  ]);
  return { journeys, spend };
}
