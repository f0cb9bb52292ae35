import type { Db } from '../db.js';

export type RunOutcome = 'ok' | 'failed' | 'skipped';

export interface JobRunRow {
  id: number;
  job: string;
  periodKey: string;
  holder: string;
  startedAt: Date;
  leaseUntil: Date;
  finishedAt: Date | null;
  outcome: RunOutcome | null;
  error: string | null;
}

interface RawJobRun {
  id: number; job: string; period_key: string; holder: string; started_at: Date; lease_until: Date;
  finished_at: Date | null; outcome: RunOutcome | null; error: string | null;
}

const toJobRun = (row: RawJobRun): JobRunRow => ({
  id: row.id, job: row.job, periodKey: row.period_key, holder: row.holder, startedAt: row.started_at,
  leaseUntil: row.lease_until, finishedAt: row.finished_at, outcome: row.outcome, error: row.error,
});

/**
 * Takes the (job, period) row: inserts it, or takes it over when its holder died (lease passed
 * unfinished), its run failed, or the same holder left it unfinished (the database went away
 * mid-run, so it could record nothing). The unique key decides between racing replicas: the
 * loser's upsert waits for the winner's row and then finds the lease taken.
 */
export async function upsertJobRun(db: Db, claim: { job: string; periodKey: string; holder: string; now: Date; leaseUntil: Date }): Promise<number | undefined> {
  const [row] = await db.query<{ id: number }>(
    `INSERT INTO job_runs (job, period_key, holder, started_at, lease_until) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (job, period_key) DO UPDATE
        SET holder = EXCLUDED.holder, started_at = EXCLUDED.started_at, lease_until = EXCLUDED.lease_until,
            finished_at = NULL, outcome = NULL, error = NULL
      WHERE (job_runs.finished_at IS NULL AND (job_runs.lease_until <= EXCLUDED.started_at OR job_runs.holder = EXCLUDED.holder))
         OR job_runs.outcome = 'failed'
     RETURNING id`,
    [claim.job, claim.periodKey, claim.holder, claim.now.toISOString(), claim.leaseUntil.toISOString()],
  );
  return row?.id;
}

export async function selectJobRun(db: Db, job: string, periodKey: string): Promise<JobRunRow | undefined> {
  const [row] = await db.query<RawJobRun>('SELECT * FROM job_runs WHERE job = $1 AND period_key = $2', [job, periodKey]);
  return row ? toJobRun(row) : undefined;
}

/** Records the outcome only while the holder still owns the run; false when another took it over. */
export async function updateJobRunOutcome(db: Db, finish: { runId: number; holder: string; outcome: RunOutcome; error?: string; now: Date }): Promise<boolean> {
  const updated = await db.query(
    `UPDATE job_runs SET finished_at = $3, outcome = $4, error = $5 WHERE id = $1 AND holder = $2 AND finished_at IS NULL RETURNING id`,
    [finish.runId, finish.holder, finish.now.toISOString(), finish.outcome, finish.error ?? null],
  );
  return updated.length === 1;
}

/** The most recent run of each job, for `mkt jobs list`. */
export async function selectLatestRuns(db: Db): Promise<JobRunRow[]> {
  const rows = await db.query<RawJobRun>('SELECT DISTINCT ON (job) * FROM job_runs ORDER BY job, started_at DESC, id DESC');
  return rows.map(toJobRun);
}

/** Gives up this holder's unfinished leases (a shutdown): another replica may run those periods at once. */
export async function releaseUnfinishedRuns(db: Db, holder: string, now: Date): Promise<number> {
  const released = await db.query(
    'UPDATE job_runs SET lease_until = $2 WHERE holder = $1 AND finished_at IS NULL AND lease_until > $2 RETURNING id',
    [holder, now.toISOString()],
  );
  return released.length;
}
