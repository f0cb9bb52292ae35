import { randomBytes } from 'node:crypto';
import { isStoreUnavailable } from '../bot/store-unavailable.js';
import type { ClaimResult, RunOutcome } from './lease.js';
import { claimRun, finishRun } from './lease.js';
import type { JobContext, JobDefinition } from './job.js';
import { MINUTE_MS } from '../analytics/time.js';

export const DEFAULT_LEASE_MS = 10 * MINUTE_MS;

export type JobRunResult =
  | { kind: 'ran'; periodKey?: string; outcome: RunOutcome; summary: string; ref?: string }
  | { kind: 'not_claimed'; periodKey: string; claim: Exclude<ClaimResult, { kind: 'claimed' }> };

export interface RunJobOptions {
  asOf: Date;
  /** Who runs it, e.g. `${hostname}:${pid}`. */
  holder: string;
  /** Lease time (the real clock, whatever `asOf` says). */
  now: () => Date;
}

/**
 * The one path every run takes (cron trigger, start-up catch-up, `mkt jobs run`): claim the
 * lease for the period, run, record the outcome. A thrown error is a bug in the job: it is caught
 * here, logged with a short reference and recorded in job_runs (STYLE.md §7). A database that
 * cannot be reached is no bug and cannot record anything: that error propagates, and the lease stays
 * with this holder until the scheduler runs the period again once the database is back.
 */
export async function runJob(job: JobDefinition, context: JobContext, options: RunJobOptions): Promise<JobRunResult> {
  const timeZone = context.config.TIME_ZONE;
  const periodKey = job.periodKey?.(options.asOf, timeZone);
  let runId: number | undefined;
  if (periodKey !== undefined) {
    const claim = await claimRun(context.db, { job: job.name, periodKey, holder: options.holder, leaseMs: job.leaseMs ?? DEFAULT_LEASE_MS, now: options.now() });
    if (claim.kind !== 'claimed') return { kind: 'not_claimed', periodKey, claim };
    runId = claim.runId;
  }
  const period = periodKey === undefined ? {} : { periodKey };
  try {
    const report = await job.run(context, options.asOf);
    const outcome: RunOutcome = report.skipped ? 'skipped' : 'ok';
    if (runId !== undefined) await finishRun(context.db, { runId, holder: options.holder, outcome, now: options.now() });
    return { kind: 'ran', ...period, outcome, summary: report.summary };
  } catch (error) {
    if (isStoreUnavailable(error)) throw error;
    const ref = randomBytes(2).toString('hex');
    const message = error instanceof Error ? error.message : String(error);
    context.log.error('job failed', { job: job.name, ...period, ref, error: error instanceof Error ? error.stack : message });
    if (runId !== undefined) await finishRun(context.db, { runId, holder: options.holder, outcome: 'failed', error: `${message} (ref ${ref})`, now: options.now() });
    return { kind: 'ran', ...period, outcome: 'failed', summary: `something went wrong (ref ${ref})`, ref };
  }
}
