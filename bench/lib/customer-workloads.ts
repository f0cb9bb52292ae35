import type { Db } from '../../src/adapters/store/db.js';
import { churnQueries } from '../../src/adapters/store/queries/churn.js';
import { rfmQueries } from '../../src/adapters/store/queries/rfm.js';
import { fitBgNbd } from '../../src/analytics/bg-nbd.js';
import { fitGammaGamma } from '../../src/analytics/gamma-gamma.js';
import { DEFAULT_RFM_SEGMENT_MAP } from '../../src/analytics/rfm-segments.js';
import { summarizeSegments } from '../../src/analytics/rfm.js';
import { rankByValueAtStake } from '../../src/analytics/value-at-stake.js';
import { scoreHistories } from '../../src/bot/commands/rfm.js';
import type { AsOf } from '../../src/bot/data-port.js';
import type { WorkloadFigures } from './figures.js';
import { measure } from './measure.js';
import { storeStage } from './store-stage.js';
import type { RecordedQuery } from './recording-db.js';

const DAY_MS = 86_400_000;
// What `rfm` and `churn` do by default: movement over 90 days, weeks as the time unit, top 10 over 90 days.
const RFM_MOVEMENT_DAYS = 90;
const WEEK_DAYS = 7;
const CHURN_HORIZON_DAYS = 90;
const CHURN_TOP = 10;

export interface CustomerWorkloads {
  workloads: WorkloadFigures[];
  /** Reads of each workload, for EXPLAIN when one is slow. */
  queries: Map<string, RecordedQuery[]>;
}

/** RFM as the command runs it (now from summaries, 90 days ago from raw orders), RFM from raw orders alone, and churn. */
export async function benchCustomerWorkloads(db: Db, end: Date): Promise<CustomerWorkloads> {
  const now: AsOf = { end, isNow: true };
  const queries = new Map<string, RecordedQuery[]>();

  const rfmRead = await storeStage(db, (recording) => Promise.all([
    rfmQueries(recording).customerHistories(now),
    rfmQueries(recording).customerHistories({ end: new Date(end.getTime() - RFM_MOVEMENT_DAYS * DAY_MS), isNow: false }),
  ]));
  const [after, before] = rfmRead.value;
  const rfmScore = await measure(() => {
    const scored = scoreHistories(after);
    scoreHistories(before);
    return summarizeSegments(scored, DEFAULT_RFM_SEGMENT_MAP);
  });
  queries.set('rfm', rfmRead.queries);
  const rfm: WorkloadFigures = { name: 'rfm (now + 90 days ago)', rows: after.length + before.length, stages: { sql: rfmRead.sql, transfer: rfmRead.transfer, score: rfmScore } };

  const rawRead = await storeStage(db, (recording) => rfmQueries(recording).customerHistories({ end, isNow: false }));
  queries.set('rfm raw', rawRead.queries);
  const rawScore = await measure(() => scoreHistories(rawRead.value));
  const rfmRaw: WorkloadFigures = { name: 'rfm from raw orders', rows: rawRead.value.length, stages: { sql: rawRead.sql, transfer: rawRead.transfer, score: rawScore } };

  return { workloads: [rfm, rfmRaw, await benchChurn(db, now, queries)], queries };
}

async function benchChurn(db: Db, now: AsOf, queries: Map<string, RecordedQuery[]>): Promise<WorkloadFigures> {
  const read = await storeStage(db, async (recording) => {
    const histories = await rfmQueries(recording).customerHistories(now);
    const groups = await churnQueries(recording).historyGroups(now);
    return { histories, groups };
  });
  queries.set('churn', read.queries);
  const { histories, groups } = read.value;
  let bgNbdMs = 0;
  let gammaGammaMs = 0;
  const fit = await measure(() => {
    const started = performance.now();
    const bgNbd = fitBgNbd(groups.map((g) => ({ x: g.repeatPurchases, tx: g.activeDays / WEEK_DAYS, T: g.ageDays / WEEK_DAYS, count: g.customers })));
    bgNbdMs = performance.now() - started;
    const gammaGamma = fitGammaGamma(histories.map((h) => ({ x: h.repeatPurchases, mbar: h.repeatMeanValue })));
    gammaGammaMs = performance.now() - started - bgNbdMs;
    if (!bgNbd.ok || !gammaGamma.ok) throw new Error('churn models did not fit the bench data');
    return { bgNbd: bgNbd.value, gammaGamma: gammaGamma.value };
  });
  const score = await measure(() => {
    scoreHistories(histories);
    const candidates = histories.filter((h) => h.repeatPurchases > 0)
      .map((h) => ({ customerId: h.customerId, x: h.repeatPurchases, tx: h.activeDays / WEEK_DAYS, T: h.ageDays / WEEK_DAYS, mbar: h.repeatMeanValue }));
    return rankByValueAtStake(candidates, fit.value, { horizon: CHURN_HORIZON_DAYS / WEEK_DAYS, top: CHURN_TOP });
  });
  return {
    name: 'churn (BG/NBD + Gamma-Gamma, top 10)',
    rows: histories.length + groups.length,
    stages: { sql: read.sql, transfer: read.transfer, fit, score },
    extra: { bgNbdFitMs: bgNbdMs, gammaGammaFitMs: gammaGammaMs, bgNbdGroups: groups.length },
  };
}
