import type { Db } from '../../src/adapters/store/db.js';
import { churnQueries } from '../../src/adapters/store/queries/churn.js';
import { rfmAggregateQueries } from '../../src/adapters/store/queries/rfm-aggregates.js';
import { expectedPurchasesIfAlive } from '../../src/analytics/bg-nbd-predict.js';
import { fitBgNbd } from '../../src/analytics/bg-nbd.js';
import { fitGammaGamma } from '../../src/analytics/gamma-gamma.js';
import { DEFAULT_RFM_SEGMENT_MAP } from '../../src/analytics/rfm-segments.js';
import type { AsOf } from '../../src/bot/data-port.js';
import type { WorkloadFigures } from './figures.js';
import { measure } from './measure.js';
import { storeStage } from './store-stage.js';
import type { RecordedQuery } from './recording-db.js';
import { DAY_MS } from '../../src/analytics/time.js';

// What `rfm` and `churn` do by default: movement over 90 days, weeks as the time unit, top 10 over 90 days.
const RFM_MOVEMENT_DAYS = 90;
const WEEK_DAYS = 7;
const CHURN_HORIZON_DAYS = 90;
const CHURN_TOP = 10;
const CHURN_FIT = 'churn fit (cold: BG/NBD + Gamma-Gamma)';
const CHURN_RANKING = 'churn ranking (warm: value at stake in SQL, top 10)';

export interface CustomerWorkloads {
  workloads: WorkloadFigures[];
  /** Reads of each workload, for EXPLAIN when one is slow. */
  queries: Map<string, RecordedQuery[]>;
}

/**
 * The reads and computations of `rfm` and `churn` as the commands run them, by stage: RFM scored in
 * the database at two points; the churn fit (grouped histories and spend columns read, then BG/NBD
 * and Gamma-Gamma); the churn ranking (E[purchases | alive] per (x, T) in Node, value at stake in
 * SQL). A fresh scan of raw orders is measured by the DuckDB reference instead: pulling a million
 * histories into Node here would set the process's peak memory, which no command reaches.
 */
export async function benchCustomerWorkloads(db: Db, end: Date): Promise<CustomerWorkloads> {
  const now: AsOf = { end, isNow: true };
  const queries = new Map<string, RecordedQuery[]>();
  // The stages compute: an answer cached by an earlier run (or the warm-answers job) would skip them.
  await db.exec('DELETE FROM answer_cache');

  const rfmRead = await storeStage(db, (recording) => rfmAggregateQueries(recording).rfmAggregates({
    start: { end: new Date(end.getTime() - RFM_MOVEMENT_DAYS * DAY_MS), isNow: false }, end: now,
    segmentMap: DEFAULT_RFM_SEGMENT_MAP, valuable: ['champions', 'loyal', 'potential_loyalist'], slipping: ['at_risk', 'cant_lose'], topSlid: 0,
  }));
  const rfm: WorkloadFigures = { name: 'rfm (now and 90 days ago, scored in SQL)', rows: rfmRead.value.transitions.length, stages: { sql: rfmRead.sql, transfer: rfmRead.transfer } };
  // Keyed by the workload's name: slowReadPlans looks its reads up by it.
  queries.set(rfm.name, rfmRead.queries);

  const fit = await benchChurnFit(db, now, queries);
  const ranking = await benchChurnRanking(db, now, fit.models, queries);
  return { workloads: [rfm, fit.workload, ranking], queries };
}

async function benchChurnFit(db: Db, now: AsOf, queries: Map<string, RecordedQuery[]>) {
  const read = await storeStage(db, (recording) => Promise.all([churnQueries(recording).historyGroups(now), churnQueries(recording).repeatSpends(now)]));
  queries.set(CHURN_FIT, read.queries);
  const [groups, spends] = read.value;
  let bgNbdMs = 0;
  let gammaGammaMs = 0;
  let bgNbdIterations = 0;
  const fit = await measure(() => {
    const started = performance.now();
    const bgNbd = fitBgNbd(groups.map((g) => ({ x: g.repeatPurchases, tx: g.activeDays / WEEK_DAYS, T: g.ageDays / WEEK_DAYS, count: g.customers })));
    bgNbdMs = performance.now() - started;
    const gammaGamma = fitGammaGamma(spends.repeatPurchases.map((x, i) => ({ x, mbar: spends.repeatMeanValue[i] ?? 0 })));
    gammaGammaMs = performance.now() - started - bgNbdMs;
    if (!bgNbd.ok || !gammaGamma.ok) throw new Error('churn models did not fit the bench data');
    bgNbdIterations = bgNbd.value.iterations;
    return { bgNbd: bgNbd.value, gammaGamma: gammaGamma.value };
  });
  const workload: WorkloadFigures = {
    name: CHURN_FIT,
    rows: groups.length + spends.repeatPurchases.length,
    stages: { sql: read.sql, transfer: read.transfer, fit },
    extra: { bgNbdFitMs: bgNbdMs, bgNbdIterations, bgNbdGroups: groups.length, gammaGammaFitMs: gammaGammaMs, gammaGammaCustomers: spends.repeatPurchases.length },
  };
  return { workload, models: fit.value };
}

async function benchChurnRanking(db: Db, now: AsOf, models: Awaited<ReturnType<typeof benchChurnFit>>['models'], queries: Map<string, RecordedQuery[]>): Promise<WorkloadFigures> {
  const population = await storeStage(db, (recording) => churnQueries(recording).churnPopulation(now));
  const { repeatPurchases, ageDays } = population.value;
  const score = await measure(() => repeatPurchases.map((x, i) => expectedPurchasesIfAlive(models.bgNbd, { x, tx: 0, T: (ageDays[i] ?? 0) / WEEK_DAYS }, CHURN_HORIZON_DAYS / WEEK_DAYS)));
  const ranking = await storeStage(db, (recording) => churnQueries(recording).churnRanking({
    asOf: now, unitDays: WEEK_DAYS, models, top: CHURN_TOP, minPAlive: 0.1, scope: { segmentMap: DEFAULT_RFM_SEGMENT_MAP },
    purchasesIfAlive: { repeatPurchases, ageDays, purchases: score.value },
  }));
  queries.set(CHURN_RANKING, [...population.queries, ...ranking.queries]);
  const sum = (a: typeof population.sql, b: typeof ranking.sql) => ({ ...a, ms: a.ms + b.ms, peakRssMb: Math.max(a.peakRssMb, b.peakRssMb), peakHeapMb: Math.max(a.peakHeapMb, b.peakHeapMb), maxRssMb: Math.max(a.maxRssMb, b.maxRssMb) });
  return {
    name: CHURN_RANKING,
    rows: repeatPurchases.length + ranking.value.top.length,
    stages: { sql: sum(population.sql, ranking.sql), transfer: sum(population.transfer, ranking.transfer), score },
    extra: { distinctXTPairs: repeatPurchases.length, customersRanked: ranking.value.repeatBuyers },
  };
}
