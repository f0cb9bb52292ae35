import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { JobDefinition } from '../../src/jobs/job.js';
import { isoWeekKey } from '../../src/jobs/period-key.js';
import { createScheduler } from '../../src/jobs/scheduler.js';
import { testDbKind, useTestDb } from '../support/db.js';
import { testJobContext } from './job-context.js';
import { HOUR_MS } from '../../src/analytics/time.js';

/** A weekly digest stand-in at Monday 10:00 in Rome (09:00 UTC in winter) that records its runs. */
function weeklyJob(runs: string[]): JobDefinition {
  return {
    name: 'weekly', description: '', schedule: '0 10 * * 1', periodKey: isoWeekKey,
    run: async (_context, asOf) => {
      runs.push(asOf.toISOString());
      return { summary: 'ok' };
    },
  };
}

describe(`scheduler on ${testDbKind}`, () => {
  const test = useTestDb();
  beforeEach(async () => {
    await test.db.exec('TRUNCATE job_runs RESTART IDENTITY');
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('catches up on start-up with the latest missed period only, and only once across restarts', async () => {
    const runs: string[] = [];
    // Down since before Monday 23 Nov; started again on Wednesday 2 Dec.
    const clock = () => new Date('2026-12-02T12:00:00Z');
    const context = testJobContext(test.db, { timeZone: 'Europe/Rome', clock });
    for (const holder of ['first-start', 'restart']) {
      const scheduler = createScheduler({ jobs: [weeklyJob(runs)], context, holder, clock });
      await scheduler.start();
      await scheduler.stop();
    }
    expect(runs).toEqual(['2026-11-30T09:00:00.000Z']);
    expect(await test.db.query('SELECT period_key, holder, outcome FROM job_runs')).toEqual([{ period_key: '2026-W49', holder: 'first-start', outcome: 'ok' }]);
  });

  it('fires on the cron schedule in the configured time zone, once per period', async () => {
    vi.useFakeTimers({ now: new Date('2026-11-30T08:59:50Z'), toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    const runs: string[] = [];
    const clock = () => new Date();
    const context = testJobContext(test.db, { timeZone: 'Europe/Rome', clock });
    // Last week's run is on record: nothing to catch up on.
    await test.db.query(`INSERT INTO job_runs (job, period_key, holder, started_at, lease_until, finished_at, outcome)
                         VALUES ('weekly', '2026-W48', 'earlier', now(), now(), now(), 'ok')`);
    const scheduler = createScheduler({ jobs: [weeklyJob(runs)], context, holder: 'replica', clock });
    expect(await scheduler.start()).toEqual([{ kind: 'not_claimed', periodKey: '2026-W48', claim: expect.objectContaining({ kind: 'already_done' }) }]);
    await vi.advanceTimersByTimeAsync(9_000);
    await scheduler.settled();
    expect(runs).toEqual([]);
    await vi.advanceTimersByTimeAsync(2_000);
    await scheduler.settled();
    expect(runs).toEqual(['2026-11-30T09:00:00.000Z']);
    await vi.advanceTimersByTimeAsync(HOUR_MS);
    await scheduler.settled();
    expect(runs).toEqual(['2026-11-30T09:00:00.000Z']);
    await scheduler.stop();
  });

  it('records a job that throws as failed, with the log reference', async () => {
    const clock = () => new Date('2026-12-02T12:00:00Z');
    const context = testJobContext(test.db, { clock });
    const failing: JobDefinition = { ...weeklyJob([]), run: async () => { throw new Error('no data source'); } };
    const scheduler = createScheduler({ jobs: [failing], context, holder: 'a', clock });
    const [result] = await scheduler.start();
    await scheduler.stop();
    expect(result).toMatchObject({ kind: 'ran', outcome: 'failed' });
    const [row] = await test.db.query<{ outcome: string; error: string }>('SELECT outcome, error FROM job_runs');
    expect(row?.outcome).toBe('failed');
    expect(row?.error).toMatch(/^no data source \(ref [0-9a-f]{4}\)$/);
  });
});
