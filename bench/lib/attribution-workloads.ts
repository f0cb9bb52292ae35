import type { Db } from '../../src/adapters/store/db.js';
import { attributionQueries } from '../../src/adapters/store/queries/attribution.js';
import { ATTRIBUTION_MODELS, attribute } from '../../src/analytics/attribution/attribute.js';
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
 * Every model over each window, reading journeys as the command does for that model (ages only for
 * time decay, non-converting journeys only for Markov). Models that need the same read share it:
 * its SQL and transfer figures then repeat on each of their rows.
 */
export async function benchAttribution(db: Db, windows: readonly AttributionWindow[]): Promise<{ workloads: WorkloadFigures[]; queries: Map<string, RecordedQuery[]> }> {
  const workloads: WorkloadFigures[] = [];
  const queries = new Map<string, RecordedQuery[]>();
  for (const window of windows) {
    const reads = new Map<string, StoreStage<Awaited<ReturnType<typeof readJourneys>>>>();
    for (const model of ATTRIBUTION_MODELS) {
      const withAges = model === 'time_decay';
      const withNonConverting = model === 'markov';
      const key = `${withAges}|${withNonConverting}`;
      const read = reads.get(key) ?? await storeStage(db, (recording) => readJourneys(recording, window.range, withAges, withNonConverting));
      reads.set(key, read);
      const name = `attribution ${model} ${window.label}`;
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

async function readJourneys(db: Db, range: TimeRange, withAges: boolean, withNonConverting: boolean) {
  const store = attributionQueries(db);
  const [journeys, spend] = await Promise.all([
    store.journeys({ range, lookbackDays: LOOKBACK_DAYS, dimension: 'channel', withAges, withNonConverting }),
    store.spendBy(range, 'channel', TIME_ZONE),
  ]);
  return { journeys, spend };
}
