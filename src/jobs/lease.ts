import type { Db } from '../adapters/store/db.js';
import type { RunOutcome } from '../adapters/store/queries/jobs.js';
import { selectJobRun, updateJobRunOutcome, upsertJobRun } from '../adapters/store/queries/jobs.js';

export type { RunOutcome } from '../adapters/store/queries/jobs.js';

export interface RunClaim {
  job: string;
  /** The period the run covers, e.g. '2026-W48': one run per job and period, across replicas. */
  periodKey: string;
  /** Who runs it (process id and host): shown in `mkt jobs list`, and guards finishRun. */
  holder: string;
  /** How long the holder may take before another replica may assume it died. */
  leaseMs: number;
  now: Date;
}

export type ClaimResult =
  | { kind: 'claimed'; runId: number }
  | { kind: 'already_done'; outcome: RunOutcome | null; finishedAt: Date }
  | { kind: 'held_by_other'; holder: string; leaseUntil: Date };

/** Claims the lease of one run of a job (DESIGN.md, "Jobs and delivery": PostgreSQL decides). */
export async function claimRun(db: Db, claim: RunClaim): Promise<ClaimResult> {
  const runId = await upsertJobRun(db, { ...claim, leaseUntil: new Date(claim.now.getTime() + claim.leaseMs) });
  if (runId !== undefined) return { kind: 'claimed', runId };
  const current = await selectJobRun(db, claim.job, claim.periodKey);
  if (!current) throw new Error(`job run ${claim.job} ${claim.periodKey} was neither claimed nor found`);
  if (current.finishedAt) return { kind: 'already_done', outcome: current.outcome, finishedAt: current.finishedAt };
  return { kind: 'held_by_other', holder: current.holder, leaseUntil: current.leaseUntil };
}

export interface RunFinish {
  runId: number;
  holder: string;
  outcome: RunOutcome;
  /** What went wrong, with the log reference, for a failed run. */
  error?: string;
  now: Date;
}

/** Records how a claimed run ended; false when its lease had passed and another holder took it over. */
export function finishRun(db: Db, finish: RunFinish): Promise<boolean> {
  return updateJobRunOutcome(db, finish);
}
