import { describe, expect, it } from 'vitest';
import { releaseUnfinishedRuns } from '../../src/adapters/store/queries/jobs.js';
import { claimRun, finishRun } from '../../src/jobs/lease.js';
import { ownTestDb, reopenTestDb, testDbKind, useTestDb } from '../support/db.js';
import { HOUR_MS } from '../../src/analytics/time.js';

const now = new Date('2026-11-30T08:00:00Z');
const later = (ms: number) => new Date(now.getTime() + ms);
const claim = { job: 'digest', periodKey: '2026-W49', leaseMs: 60_000, now };

describe(`job run leases on ${testDbKind}`, () => {
  const test = useTestDb();

  it('lets exactly one of two replicas claim the same job and period', async () => {
    const db = await ownTestDb('two replicas claim on two connections at once');
    const other = await reopenTestDb(db);
    try {
      const results = await Promise.all([claimRun(db, { ...claim, holder: 'replica-a' }), claimRun(other, { ...claim, holder: 'replica-b' })]);
      expect(results.filter((result) => result.kind === 'claimed')).toHaveLength(1);
      const loser = results.find((result) => result.kind !== 'claimed');
      expect(loser).toMatchObject({ kind: 'held_by_other', leaseUntil: later(60_000) });
    } finally {
      await other.close();
    }
    expect(await db.query('SELECT id FROM job_runs')).toHaveLength(1);
  });

  it('says a finished period is done and does not run it again', async () => {
    const first = await claimRun(test.db, { ...claim, holder: 'a' });
    if (first.kind !== 'claimed') throw new Error('expected the first claim to win');
    expect(await finishRun(test.db, { runId: first.runId, holder: 'a', outcome: 'ok', now: later(5_000) })).toBe(true);
    expect(await claimRun(test.db, { ...claim, holder: 'b', now: later(HOUR_MS) })).toEqual({ kind: 'already_done', outcome: 'ok', finishedAt: later(5_000) });
    expect(await claimRun(test.db, { ...claim, periodKey: '2026-W50', holder: 'b' })).toMatchObject({ kind: 'claimed' });
  });

  it('takes over a lease whose holder died, and the dead holder can no longer record an outcome', async () => {
    const dead = await claimRun(test.db, { ...claim, holder: 'crashed' });
    if (dead.kind !== 'claimed') throw new Error('expected the first claim to win');
    expect(await claimRun(test.db, { ...claim, holder: 'survivor', now: later(59_999) })).toMatchObject({ kind: 'held_by_other', holder: 'crashed' });
    const takeover = await claimRun(test.db, { ...claim, holder: 'survivor', now: later(60_000) });
    expect(takeover).toEqual({ kind: 'claimed', runId: dead.runId });
    expect(await finishRun(test.db, { runId: dead.runId, holder: 'crashed', outcome: 'ok', now: later(61_000) })).toBe(false);
    expect(await finishRun(test.db, { runId: dead.runId, holder: 'survivor', outcome: 'ok', now: later(62_000) })).toBe(true);
    const [row] = await test.db.query('SELECT holder, outcome FROM job_runs');
    expect(row).toEqual({ holder: 'survivor', outcome: 'ok' });
  });

  it('lets a failed run of the period be claimed again, keeping its error until then', async () => {
    const first = await claimRun(test.db, { ...claim, holder: 'a' });
    if (first.kind !== 'claimed') throw new Error('expected the first claim to win');
    await finishRun(test.db, { runId: first.runId, holder: 'a', outcome: 'failed', error: 'boom (ref 7f3a)', now: later(1_000) });
    expect(await test.db.query('SELECT error FROM job_runs')).toEqual([{ error: 'boom (ref 7f3a)' }]);
    expect(await claimRun(test.db, { ...claim, holder: 'b', now: later(2_000) })).toEqual({ kind: 'claimed', runId: first.runId });
  });

  it('lets the holder take back a run it could not finish (the database went away mid-run), but no one else before the lease passes', async () => {
    const first = await claimRun(test.db, { ...claim, holder: 'bot-1' });
    if (first.kind !== 'claimed') throw new Error('expected the first claim to win');
    expect(await claimRun(test.db, { ...claim, holder: 'bot-2', now: later(1_000) })).toMatchObject({ kind: 'held_by_other', holder: 'bot-1' });
    expect(await claimRun(test.db, { ...claim, holder: 'bot-1', now: later(2_000) })).toEqual({ kind: 'claimed', runId: first.runId });
  });

  it('gives up a holder\'s unfinished leases at shutdown, so another replica takes the period at once', async () => {
    const first = await claimRun(test.db, { ...claim, holder: 'stopping' });
    if (first.kind !== 'claimed') throw new Error('expected the first claim to win');
    expect(await releaseUnfinishedRuns(test.db, 'stopping', later(1_000))).toBe(1);
    expect(await claimRun(test.db, { ...claim, holder: 'replica', now: later(1_000) })).toEqual({ kind: 'claimed', runId: first.runId });
  });
});
