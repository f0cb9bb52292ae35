import type { ScheduledTask } from 'node-cron';
import { createTask } from 'node-cron';
import { releaseUnfinishedRuns } from '../adapters/store/queries/jobs.js';
import { isStoreUnavailable } from '../bot/store-unavailable.js';
import type { JobContext, JobDefinition } from './job.js';
import { previousTrigger } from './previous-trigger.js';
import type { JobRunResult } from './run-job.js';
import { runJob } from './run-job.js';

/** How often a period missed while the database was unreachable is tried again. */
export const DEFAULT_RETRY_MS = 30_000;

export interface SchedulerOptions {
  jobs: readonly JobDefinition[];
  context: JobContext;
  /** Names this process in job_runs, e.g. `${hostname}:${pid}`. */
  holder: string;
  clock: () => Date;
  retryMs?: number;
  /** Told how each run ended (metrics): ok, skipped, failed, not_claimed or postponed. */
  onRun?(run: { job: string; outcome: string }): void;
}

export interface Scheduler {
  /** Catches up on each job's latest missed period, then arms the cron triggers; resolves after the catch-up. */
  start(): Promise<JobRunResult[]>;
  /**
   * Disarms the triggers and waits for runs in progress, at most `graceMs`; then gives up this
   * process's unfinished leases so another replica can take those periods over at once.
   */
  stop(graceMs?: number): Promise<void>;
  /** Resolves when no run is in progress. */
  settled(): Promise<void>;
}

/**
 * node-cron triggers; PostgreSQL decides (DESIGN.md): every run goes through the lease in runJob.
 * A trigger that finds the database unreachable is kept (the latest period per job) and tried again
 * every `retryMs` until the database answers, so an outage delays a period but never skips it.
 */
export function createScheduler(options: SchedulerOptions): Scheduler {
  const timeZone = options.context.config.TIME_ZONE;
  const log = options.context.log;
  const inFlight = new Set<Promise<unknown>>();
  /** Runs of one job never overlap in this process: a retry and a cron trigger queue behind each other. */
  const chains = new Map<string, Promise<unknown>>();
  const postponed = new Map<string, { job: JobDefinition; asOf: Date }>();
  let retryTimer: NodeJS.Timeout | undefined;
  let tasks: { job: JobDefinition; task: ScheduledTask }[] = [];
  let isStopped = false;

  function track<T>(run: Promise<T>): Promise<T> {
    inFlight.add(run);
    void run.finally(() => inFlight.delete(run)).catch(() => undefined);
    return run;
  }

  function trigger(job: JobDefinition, asOf: Date): Promise<JobRunResult | undefined> {
    const run = (chains.get(job.name) ?? Promise.resolve()).then(() => attempt(job, asOf));
    chains.set(job.name, run.catch(() => undefined));
    return track(run);
  }

  async function attempt(job: JobDefinition, asOf: Date): Promise<JobRunResult | undefined> {
    try {
      const result = await runJob(job, options.context, { asOf, holder: options.holder, now: options.clock });
      if (postponed.get(job.name)?.asOf.getTime() === asOf.getTime()) postponed.delete(job.name);
      options.onRun?.({ job: job.name, outcome: result.kind === 'ran' ? result.outcome : 'not_claimed' });
      if (result.kind === 'ran' && result.outcome !== 'skipped') log.info('job ran', { job: job.name, asOf: asOf.toISOString(), ...result });
      return result;
    } catch (error) {
      if (isStoreUnavailable(error)) {
        // One line per missed period, not one per retry: a long outage would repeat it every retryMs.
        const isNew = postponed.get(job.name)?.asOf.getTime() !== asOf.getTime();
        postpone(job, asOf);
        options.onRun?.({ job: job.name, outcome: 'postponed' });
        if (isNew) log.warn('job postponed: the database is unreachable', { job: job.name, asOf: asOf.toISOString(), retryMs: options.retryMs ?? DEFAULT_RETRY_MS });
        return undefined;
      }
      // runJob catches the job's own errors; this is the store failing to record the lease.
      log.error('job could not be run', { job: job.name, asOf: asOf.toISOString(), error: error instanceof Error ? error.stack : String(error) });
      return undefined;
    }
  }

  /** Keeps the latest missed period of each job; an older one is superseded, as at start-up. */
  function postpone(job: JobDefinition, asOf: Date): void {
    const kept = postponed.get(job.name);
    if (!kept || kept.asOf.getTime() <= asOf.getTime()) postponed.set(job.name, { job, asOf });
    if (retryTimer !== undefined || isStopped) return;
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      for (const { job: waiting, asOf: missed } of [...postponed.values()]) void trigger(waiting, missed);
    }, options.retryMs ?? DEFAULT_RETRY_MS);
  }

  return {
    async start() {
      if (tasks.length > 0) return [];
      isStopped = false;
      tasks = options.jobs.map((job) => ({
        job,
        task: createTask(job.schedule, (cron) => trigger(job, cron.date), { name: job.name, timezone: timeZone, noOverlap: true }),
      }));
      const caughtUp: JobRunResult[] = [];
      for (const { job, task } of tasks) {
        if (job.periodKey === undefined) continue;
        const missed = previousTrigger(task, options.clock(), timeZone);
        const result = missed ? await trigger(job, missed) : undefined;
        if (result) caughtUp.push(result);
      }
      for (const { task } of tasks) await task.start();
      return caughtUp;
    },
    async stop(graceMs = Number.POSITIVE_INFINITY) {
      isStopped = true;
      clearTimeout(retryTimer);
      retryTimer = undefined;
      for (const { task } of tasks) await task.destroy();
      tasks = [];
      let graceTimer: NodeJS.Timeout | undefined;
      const grace = Number.isFinite(graceMs) ? new Promise<void>((resolve) => { graceTimer = setTimeout(resolve, graceMs); }) : new Promise<void>(() => undefined);
      await Promise.race([Promise.allSettled([...inFlight]), grace]);
      clearTimeout(graceTimer);
      const released = await releaseUnfinishedRuns(options.context.db, options.holder, options.clock()).catch(() => 0);
      if (released > 0) log.warn('job leases released at shutdown', { holder: options.holder, released });
    },
    async settled() {
      await Promise.allSettled([...inFlight]);
    },
  };
}
