import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Db } from '../store/db.js';
import { monitorVerdicts, queueStats } from '../store/queries/ops-stats.js';

/** Seconds: a cached answer takes milliseconds, a computed one at a million customers several seconds. */
const ANSWER_BUCKETS_S = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5, 10, 30];

export interface Metrics {
  readonly registry: Registry;
  /** One answered request: the command (or '(none)' when none was recognised) and its outcome. */
  observeAnswer(answer: { command: string; outcome: string; durationMs: number }): void;
  observeJobRun(run: { job: string; outcome: string }): void;
  /** Adds the process's own figures (CPU, memory, event-loop lag): for the serving bot, not one CLI call. */
  includeProcessMetrics(): void;
}

/**
 * The bot's Prometheus metrics, served at /metrics. Counters and histograms count what this process
 * did; the queue and monitor gauges read the shared database at each scrape, so every replica
 * reports the same figures for them (take max, not sum, across replicas).
 */
export function createMetrics(db: Db, clock: () => Date = () => new Date()): Metrics {
  const registry = new Registry();
  let hasProcessMetrics = false;
  const answers = new Counter({ name: 'mkt_answers_total', help: 'Requests answered, by command and outcome (ok or the problem kind)', labelNames: ['command', 'outcome'], registers: [registry] });
  const latency = new Histogram({ name: 'mkt_answer_duration_seconds', help: 'Time from request to reply, by command and outcome', labelNames: ['command', 'outcome'], buckets: ANSWER_BUCKETS_S, registers: [registry] });
  const jobRuns = new Counter({ name: 'mkt_job_runs_total', help: 'Job runs by job and outcome (ok, skipped, failed, not_claimed, postponed)', labelNames: ['job', 'outcome'], registers: [registry] });
  // The shared gauges are filled by one database read per scrape: prom-client calls every metric's
  // collect() at once, so they all await the same read.
  let reading: Promise<void> | undefined;
  const readShared = (): Promise<void> => {
    reading ??= readDatabase().finally(() => {
      reading = undefined;
    });
    return reading;
  };
  const databaseUp = new Gauge({ name: 'mkt_database_up', help: '1 when the database answered the last scrape, else 0', registers: [registry], collect: readShared });
  const queuePending = new Gauge({ name: 'mkt_delivery_queue_pending', help: 'Posts waiting in the delivery queue', registers: [registry], collect: readShared });
  const queueOldest = new Gauge({ name: 'mkt_delivery_queue_oldest_seconds', help: 'Age of the oldest post waiting in the delivery queue', registers: [registry], collect: readShared });
  const deliveriesFailed = new Gauge({ name: 'mkt_deliveries_failed', help: 'Posts the delivery queue gave up on', registers: [registry], collect: readShared });
  const verdicts = new Gauge({ name: 'mkt_monitor_targets', help: 'Targets per signal by the latest verdict of their monitor (breach or ok)', labelNames: ['signal', 'verdict'], registers: [registry], collect: readShared });

  async function readDatabase(): Promise<void> {
    try {
      const [queue, monitors] = await Promise.all([queueStats(db, clock()), monitorVerdicts(db)]);
      queuePending.set(queue.pending);
      queueOldest.set(queue.oldestPendingS);
      deliveriesFailed.set(queue.failed);
      verdicts.reset();
      for (const row of monitors) verdicts.set({ signal: row.signal, verdict: row.verdict }, row.targets);
      databaseUp.set(1);
    } catch {
      databaseUp.set(0);
    }
  }

  return {
    registry,
    observeAnswer({ command, outcome, durationMs }) {
      answers.inc({ command, outcome });
      latency.observe({ command, outcome }, durationMs / 1000);
    },
    observeJobRun({ job, outcome }) {
      jobRuns.inc({ job, outcome });
    },
    includeProcessMetrics() {
      if (hasProcessMetrics) return;
      hasProcessMetrics = true;
      collectDefaultMetrics({ register: registry, prefix: 'mkt_process_' });
    },
  };
}
