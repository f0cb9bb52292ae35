import { describe, expect, it, onTestFinished } from 'vitest';
import type { Db } from '../../src/adapters/store/db.js';
import type { ChatPoster } from '../../src/bot/outbound.js';
import { createDeliveryWorker } from '../../src/jobs/delivery-worker.js';
import type { ComposeDigest } from '../../src/jobs/digest-job.js';
import { composeSubscriptionDigest, createDigestJob, digestJob } from '../../src/jobs/digest-job.js';
import type { JobContext } from '../../src/jobs/job.js';
import { claimRun } from '../../src/jobs/lease.js';
import { minuteSlotKey } from '../../src/jobs/period-key.js';
import { runJob } from '../../src/jobs/run-job.js';
import { ownTestDb, reopenTestDb, testDbKind, useTestDb } from '../support/db.js';
import { testJobContext } from './job-context.js';
import { standInPoster } from './stand-in-poster.js';
import { MINUTE_MS, HOUR_MS } from '../../src/analytics/time.js';

const QUARTER_MS = 15 * MINUTE_MS;

interface Subscriber { platform: 'slack' | 'teams'; channelId: string; weekday: number; localTime: string; timeZone: string }
// Slots in UTC: Mondays 08:00 (Rome, CET), Sundays 23:00 (New York, EST), Fridays 08:30 (Tokyo, no DST).
const SUBSCRIBERS: Subscriber[] = [
  { platform: 'slack', channelId: 'C0ROME', weekday: 1, localTime: '09:00', timeZone: 'Europe/Rome' },
  { platform: 'slack', channelId: 'C0NEWYORK', weekday: 0, localTime: '18:00', timeZone: 'America/New_York' },
  { platform: 'teams', channelId: '19:tokyo@thread.tacv2', weekday: 5, localTime: '17:30', timeZone: 'Asia/Tokyo' },
];

async function subscribe(db: Db, subscribers: readonly Subscriber[]): Promise<void> {
  for (const s of subscribers) {
    await db.query(
      `INSERT INTO subscriptions (platform, channel_id, owner, weekday, local_time, time_zone, locale, created_at)
       VALUES ($1, $2, 'U0OWNER', $3, $4, $5, 'en', '2026-11-01T00:00:00Z')`,
      [s.platform, s.channelId, s.weekday, s.localTime, s.timeZone],
    );
  }
}

/** One bot process: its own connection, its own delivery worker, posting to shared stand-in platforms. */
function worker(db: Db, name: string, posters: readonly ChatPoster[], clock: { now: Date }): JobContext {
  const base = testJobContext(db);
  const delivery = createDeliveryWorker({ db, posters: new Map(posters.map((poster) => [poster.platform, poster])), clock: () => clock.now, log: base.log, random: () => 0, holder: `${name}-delivery` });
  return { ...base, delivery };
}

const digestPosts = (db: Db) => db.query<{ channel_id: string; status: string; posts: number }>(
  `SELECT channel_id, status, count(*)::int AS posts FROM outbox WHERE dedupe_key LIKE 'digest:%' GROUP BY channel_id, status ORDER BY channel_id, status`);

describe(`the digest job on ${testDbKind}`, () => {
  const test = useTestDb();

  it('posts exactly one digest per subscription and week through twelve weeks of two processes racing, one of them failing for two weeks', async () => {
    const db = await ownTestDb('two processes run the job at once, each on its own connection');
    const other = await reopenTestDb(db);
    onTestFinished(() => other.close());
    await subscribe(db, SUBSCRIBERS);
    const slack = standInPoster('slack');
    const teams = standInPoster('teams');
    const clock = { now: new Date(0) };
    const a = worker(db, 'a', [slack, teams], clock);
    const b = worker(other, 'b', [slack, teams], clock);
    let crashes = 0;
    const crashing = createDigestJob(async () => {
      crashes += 1;
      throw new Error('process killed mid-run');
    });
    // Monday 30 Nov 2026 06:00 UTC: every zone is in ISO week 49; twelve weeks later no slot is left half-way.
    const start = Date.parse('2026-11-30T06:00:00Z');
    const crashFrom = start + 4 * 7 * 24 * HOUR_MS;
    const crashUntil = start + 6 * 7 * 24 * HOUR_MS;
    for (let at = start; at < start + 12 * 7 * 24 * HOUR_MS; at += HOUR_MS) {
      clock.now = new Date(at);
      const aJob = at >= crashFrom && at < crashUntil ? crashing : digestJob;
      // Both run at once on different quarter-hour slots, so both can find the same digest due.
      await Promise.all([
        runJob(aJob, a, { asOf: new Date(at), holder: 'a', now: () => new Date(at) }),
        runJob(digestJob, b, { asOf: new Date(at + QUARTER_MS), holder: 'b', now: () => new Date(at + QUARTER_MS) }),
      ]);
      await Promise.all([a.delivery.deliverDue(), b.delivery.deliverDue()]);
    }
    expect(crashes).toBeGreaterThan(0);
    expect(await digestPosts(db)).toEqual([
      { channel_id: '19:tokyo@thread.tacv2', status: 'delivered', posts: 12 },
      { channel_id: 'C0NEWYORK', status: 'delivered', posts: 12 },
      { channel_id: 'C0ROME', status: 'delivered', posts: 12 },
    ]);
    const posted = [...slack.delivered(), ...teams.delivered()];
    expect(posted).toHaveLength(36);
    for (const subscriber of SUBSCRIBERS) {
      const titles = posted.filter((call) => call.target.channelId === subscriber.channelId).map((call) => call.title);
      expect(new Set(titles).size, subscriber.channelId).toBe(12);
    }
    // Each digest is recorded once, for the week its slot fell in: weeks 49 to 52 of 2026 and 1 to 8 of 2027.
    const weeks = await db.query<{ week_key: string }>(`SELECT DISTINCT week_key FROM digests ORDER BY week_key`);
    expect(weeks.map((row) => row.week_key)).toEqual([
      '2026-W49', '2026-W50', '2026-W51', '2026-W52', '2026-W53', '2027-W01', '2027-W02', '2027-W03', '2027-W04', '2027-W05', '2027-W06', '2027-W07',
    ]);
  }, 300_000);

  it('leaves the digest to a run that claims the slot after the first holder failed inside the job', async () => {
    await subscribe(test.db, SUBSCRIBERS.slice(0, 1));
    const monday = new Date('2026-11-30T08:00:00Z');
    // The two processes take turns, so they can share the test's connection; what tells them apart is the holder.
    const a = testJobContext(test.db);
    const b = testJobContext(test.db);
    const failing = await runJob(createDigestJob(async () => {
      throw new Error('process killed after claiming the lease');
    }), a, { asOf: monday, holder: 'a', now: () => monday });
    expect(failing).toMatchObject({ kind: 'ran', outcome: 'failed' });
    expect(await digestPosts(test.db)).toEqual([]);

    const minuteLater = new Date(monday.getTime() + 60_000);
    // Same slot: the failed run is taken over.
    expect(await runJob(digestJob, b, { asOf: minuteLater, holder: 'b', now: () => minuteLater })).toMatchObject({ kind: 'ran', periodKey: '2026-11-30T08:00Z', outcome: 'ok', summary: '1 of 1 due digests queued' });
    expect(await runJob(digestJob, a, { asOf: minuteLater, holder: 'a', now: () => minuteLater })).toMatchObject({ kind: 'not_claimed', claim: { kind: 'already_done' } });
    const nextSlot = new Date(monday.getTime() + QUARTER_MS);
    expect(await runJob(digestJob, a, { asOf: nextSlot, holder: 'a', now: () => nextSlot })).toMatchObject({ kind: 'ran', outcome: 'skipped' });
    expect(await digestPosts(test.db)).toEqual([{ channel_id: 'C0ROME', status: 'pending', posts: 1 }]);
  });

  it('takes over the lease of a process that died holding it, once the lease has passed', async () => {
    await subscribe(test.db, SUBSCRIBERS.slice(0, 1));
    const monday = new Date('2026-11-30T08:00:00Z');
    const periodKey = minuteSlotKey(15)(monday);
    // The dead process claimed the slot and never finished it.
    await claimRun(test.db, { job: 'digest', periodKey, holder: 'dead', leaseMs: 10 * MINUTE_MS, now: monday });
    const survivor = testJobContext(test.db);
    const early = new Date(monday.getTime() + 9 * MINUTE_MS);
    expect(await runJob(digestJob, survivor, { asOf: monday, holder: 'b', now: () => early })).toMatchObject({ kind: 'not_claimed', claim: { kind: 'held_by_other', holder: 'dead' } });
    const late = new Date(monday.getTime() + 10 * MINUTE_MS);
    expect(await runJob(digestJob, survivor, { asOf: monday, holder: 'b', now: () => late })).toMatchObject({ kind: 'ran', outcome: 'ok' });
    expect(await digestPosts(test.db)).toEqual([{ channel_id: 'C0ROME', status: 'pending', posts: 1 }]);
  });

  it('keeps what was queued before a crash and queues the rest on the next run, without repeating any', async () => {
    await subscribe(test.db, SUBSCRIBERS);
    // Saturday 5 Dec 2026: Rome's Monday slot and Tokyo's Friday slot of week 49 are due, New York's Sunday is not yet.
    const saturday = new Date('2026-12-05T12:00:00Z');
    let composed = 0;
    const crashOnSecond: ComposeDigest = async (subscription, slot, context) => {
      composed += 1;
      if (composed === 2) throw new Error('process killed between two digests');
      return composeSubscriptionDigest(subscription, slot, context);
    };
    const context = testJobContext(test.db);
    expect(await runJob(createDigestJob(crashOnSecond), context, { asOf: saturday, holder: 'a', now: () => saturday })).toMatchObject({ outcome: 'failed' });
    expect(await digestPosts(test.db)).toEqual([{ channel_id: 'C0ROME', status: 'pending', posts: 1 }]);
    const next = new Date(saturday.getTime() + QUARTER_MS);
    expect(await runJob(digestJob, context, { asOf: next, holder: 'a', now: () => next })).toMatchObject({ outcome: 'ok', summary: '1 of 1 due digests queued' });
    expect(await digestPosts(test.db)).toEqual([
      { channel_id: '19:tokyo@thread.tacv2', status: 'pending', posts: 1 },
      { channel_id: 'C0ROME', status: 'pending', posts: 1 },
    ]);
  });
});
