import { describe, expect, it } from 'vitest';
import type { Db } from '../../src/adapters/store/db.js';
import { enqueuePost } from '../../src/adapters/store/queries/outbox.js';
import { HOUR_MS } from '../../src/analytics/time.js';
import { reply } from '../../src/bot/reply.js';
import { createDeliveryWorker } from '../../src/jobs/delivery-worker.js';
import type { JobDefinition } from '../../src/jobs/job.js';
import { minuteSlotKey } from '../../src/jobs/period-key.js';
import { createScheduler } from '../../src/jobs/scheduler.js';
import { recordingLogger } from '../support/bot.js';
import { ownTestDb, reopenTestDb, testDbKind } from '../support/db.js';
import { testJobContext } from './job-context.js';
import { standInPoster } from './stand-in-poster.js';

const t0 = new Date('2026-11-30T07:30:00Z').getTime();

/**
 * Two bot processes on one PostgreSQL, as two containers of compose.yaml: each has its own pool,
 * scheduler and delivery worker, and they restart together (a rolling deploy, a node reboot), so
 * every catch-up is raced by both. What one of them runs and queues, the pair runs and delivers once.
 */
describe(`two replicas on one ${testDbKind} database`, () => {
  it('run every job period once and deliver every post it queued exactly once, in each channel in order', async () => {
    const db = await ownTestDb('two replicas, each with its own connections, race for the same leases and outbox rows');
    const other = await reopenTestDb(db);
    const runs: { job: string; asOf: string; replica: string }[] = [];
    // Two jobs queueing a post per period into their channel, as the monitors and digests do.
    const queueing = (name: string, schedule: string, channelId: string, replica: string): JobDefinition => ({
      name, description: '', schedule, periodKey: minuteSlotKey(60),
      run: async (context, asOf) => {
        runs.push({ job: name, asOf: asOf.toISOString(), replica });
        await context.db.transaction((tx) => enqueuePost(tx, { dedupeKey: `${name}:${asOf.toISOString()}`, platform: 'slack', channelId, reply: reply({ title: `${name} ${asOf.toISOString()}`, summary: '' }) }));
        return { summary: 'queued one post' };
      },
    });
    const poster = standInPoster('slack');
    const clock = { ms: t0 };
    const replicas = [{ name: 'replica-a', db }, { name: 'replica-b', db: other }].map(({ name, db: own }: { name: string; db: Db }) => ({
      name,
      context: testJobContext(own, { clock: () => new Date(clock.ms) }),
      jobs: [queueing('hourly-report', '0 * * * *', 'C0HOURLY', name), queueing('spend-check', '30 */2 * * *', 'C0SPEND', name)],
      worker: createDeliveryWorker({ db: own, posters: new Map([['slack', poster]]), clock: () => new Date(clock.ms), log: recordingLogger(), random: () => 0, holder: `${name}-delivery` }),
    }));
    try {
      // Twelve restarts an hour apart: each catches up the latest missed period of each job.
      for (let restart = 0; restart < 12; restart += 1) {
        clock.ms = t0 + restart * HOUR_MS;
        const schedulers = replicas.map((replica) => createScheduler({ jobs: replica.jobs, context: replica.context, holder: replica.name, clock: () => new Date(clock.ms) }));
        await Promise.all(schedulers.map((scheduler) => scheduler.start()));
        await Promise.all(schedulers.map((scheduler) => scheduler.stop()));
        // Both workers drain the queue together, twice each, a second apart (Slack's pacing per channel).
        for (let pass = 0; pass < 3; pass += 1) {
          await Promise.all(replicas.flatMap((replica) => [replica.worker.deliverDue(), replica.worker.deliverDue()]));
          clock.ms += 1_000;
        }
      }
    } finally {
      await other.close();
    }

    const periods = (job: string) => runs.filter((run) => run.job === job).map((run) => run.asOf);
    // Hourly from 07:00 to 18:00 (twelve periods); every other hour at :30 from 06:30 to 18:30 (seven).
    expect(periods('hourly-report')).toEqual(Array.from({ length: 12 }, (_, hour) => new Date(Date.UTC(2026, 10, 30, 7 + hour)).toISOString()));
    expect(periods('spend-check')).toEqual(Array.from({ length: 7 }, (_, step) => new Date(Date.UTC(2026, 10, 30, 6 + 2 * step, 30)).toISOString()));
    expect(await db.query<{ runs: number }>('SELECT count(*)::int AS runs FROM job_runs GROUP BY job, period_key HAVING count(*) > 1')).toEqual([]);
    expect(await db.query<{ outcome: string; n: number }>('SELECT outcome, count(*)::int AS n FROM job_runs GROUP BY outcome')).toEqual([{ outcome: 'ok', n: 19 }]);

    const titles = poster.calls.map((call) => call.title);
    expect(titles).toHaveLength(19);
    expect(new Set(titles).size).toBe(19);
    for (const channel of ['C0HOURLY', 'C0SPEND']) {
      const inChannel = poster.calls.filter((call) => call.target.channelId === channel).map((call) => call.title);
      expect(inChannel).toEqual([...inChannel].sort());
    }
    expect(await db.query(`SELECT id FROM outbox WHERE status <> 'delivered' OR claimed_by IS NOT NULL`)).toEqual([]);
  });
});
