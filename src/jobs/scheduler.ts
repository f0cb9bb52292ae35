import type { ScheduledTask } from 'node-cron';
import { createTask } from 'node-cron';
import type { JobContext, JobDefinition } from './job.js';
import { previousTrigger } from './previous-trigger.js';
import type { JobRunResult } from './run-job.js';
import { runJob } from './run-job.js';

export interface SchedulerOptions {
  jobs: readonly JobDefinition[];
  context: JobContext;
  /** Names this process in job_runs, e.g. `${hostname}:${pid}`. */
  holder: string;
  clock: () => Date;
}

export interface Scheduler {
  /** Catches up on each job's latest missed period, then arms the cron triggers; resolves after the catch-up. */
  start(): Promise<JobRunResult[]>;
  /** Disarms the triggers and waits for runs in progress. */
  stop(): Promise<void>;
  /** Resolves when no run is in progress. */
  settled(): Promise<void>;
}

/** node-cron triggers; PostgreSQL decides (DESIGN.md): every run goes through the lease in runJob. */
export function createScheduler(options: SchedulerOptions): Scheduler {
  const timeZone = options.context.config.TIME_ZONE;
  const inFlight = new Set<Promise<unknown>>();
  let tasks: { job: JobDefinition; task: ScheduledTask }[] = [];

  function track<T>(run: Promise<T>): Promise<T> {
    inFlight.add(run);
    void run.finally(() => inFlight.delete(run)).catch(() => undefined);
    return run;
  }

  async function trigger(job: JobDefinition, asOf: Date): Promise<JobRunResult | undefined> {
    try {
      const result = await runJob(job, options.context, { asOf, holder: options.holder, now: options.clock });
      if (result.kind === 'ran' && result.outcome !== 'skipped') options.context.log.info('job ran', { job: job.name, asOf: asOf.toISOString(), ...result });
      return result;
    } catch (error) {
      // runJob catches the job's own errors; this is the store failing to record the lease.
      options.context.log.error('job could not be run', { job: job.name, asOf: asOf.toISOString(), error: error instanceof Error ? error.stack : String(error) });
      return undefined;
    }
  }

  return {
    async start() {
      if (tasks.length > 0) return [];
      tasks = options.jobs.map((job) => ({
        job,
        task: createTask(job.schedule, (cron) => track(trigger(job, cron.date)), { name: job.name, timezone: timeZone, noOverlap: true }),
      }));
      const caughtUp: JobRunResult[] = [];
      for (const { job, task } of tasks) {
        if (job.periodKey === undefined) continue;
        const missed = previousTrigger(task, options.clock(), timeZone);
        const result = missed ? await track(trigger(job, missed)) : undefined;
        if (result) caughtUp.push(result);
      }
      for (const { task } of tasks) await task.start();
      return caughtUp;
    },
    async stop() {
      for (const { task } of tasks) await task.destroy();
      tasks = [];
      await Promise.allSettled([...inFlight]);
    },
    async settled() {
      await Promise.allSettled([...inFlight]);
    },
  };
}
