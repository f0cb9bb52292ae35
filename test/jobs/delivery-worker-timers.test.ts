import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { reply } from '../../src/bot/reply.js';
import { createDeliveryWorker } from '../../src/jobs/delivery-worker.js';
import { enqueuePost } from '../../src/adapters/store/queries/outbox.js';
import { recordingLogger } from '../support/bot.js';
import { testDbKind, useTestDb } from '../support/db.js';
import { standInPoster } from './stand-in-poster.js';

const post = (key: string, platform: 'slack' | 'teams', channelId: string) =>
  ({ dedupeKey: key, platform, channelId, reply: reply({ title: key, summary: '' }) });

describe(`delivery worker timing on ${testDbKind}`, () => {
  const test = useTestDb();
  beforeEach(async () => {
    await test.db.exec('TRUNCATE outbox RESTART IDENTITY CASCADE');
    vi.useFakeTimers({ now: new Date('2026-11-26T10:00:00Z'), toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });
  const worker = (poster: ReturnType<typeof standInPoster>, pollMs?: number) =>
    createDeliveryWorker({ db: test.db, posters: new Map([[poster.platform, poster]]), clock: () => new Date(), log: recordingLogger(), random: () => 0, ...(pollMs ? { pollMs } : {}) });
  /** Lets fake time pass, then waits for the passes it started (their database work is real I/O). */
  const advance = async (delivery: ReturnType<typeof worker>, ms: number) => {
    await vi.advanceTimersByTimeAsync(ms);
    await delivery.settled();
  };

  it('posts soon after a kick, and keeps posting a Slack backlog one message per second per channel', async () => {
    const poster = standInPoster('slack');
    const delivery = worker(poster);
    await test.db.transaction(async (tx) => {
      for (const key of ['a', 'b', 'c']) await enqueuePost(tx, post(key, 'slack', 'C1'));
    });
    delivery.kick();
    delivery.kick();
    await vi.advanceTimersByTimeAsync(100);
    await delivery.stop();
    expect(poster.calls.map((call) => call.title)).toEqual(['a']);
    const restarted = worker(poster);
    restarted.start();
    await vi.advanceTimersByTimeAsync(100);
    await restarted.settled();
    expect(poster.calls.map((call) => call.title)).toEqual(['a', 'b']);
    await vi.advanceTimersByTimeAsync(999);
    await restarted.settled();
    expect(poster.calls.map((call) => call.title)).toEqual(['a', 'b']);
    await vi.advanceTimersByTimeAsync(1);
    await restarted.settled();
    await restarted.stop();
    expect(poster.calls.map((call) => call.title)).toEqual(['a', 'b', 'c']);
  });

  it('sends a rate-limited post again at its Retry-After, to the second, not at the next poll', async () => {
    const poster = standInPoster('teams');
    poster.fail('19:a', { kind: 'rate_limited', retryAfterS: 7, message: '429 Throttled', status: 429 });
    const delivery = worker(poster, 60_000);
    await test.db.transaction((tx) => enqueuePost(tx, post('answer', 'teams', '19:a')));
    delivery.start();
    await advance(delivery, 100);
    expect(poster.calls.map((call) => call.outcome)).toEqual(['rate_limited']);
    // The first attempt ran 100 ms after the start; Retry-After 7 s makes the next one due at 7.1 s.
    await advance(delivery, 6_999);
    expect(poster.calls).toHaveLength(1);
    await advance(delivery, 1);
    await delivery.stop();
    expect(poster.calls.map((call) => call.outcome)).toEqual(['rate_limited', 'ok']);
  });

  it('sends a reply the platform found too large again right after, smaller', async () => {
    const poster = standInPoster('teams');
    poster.fail('19:a', { kind: 'too_large', message: '413 MessageSizeTooBig', status: 413 });
    const delivery = worker(poster, 60_000);
    await test.db.transaction((tx) => enqueuePost(tx, post('digest', 'teams', '19:a')));
    delivery.start();
    await advance(delivery, 100);
    expect(poster.calls.map((call) => call.outcome)).toEqual(['too_large']);
    await advance(delivery, 100);
    await delivery.stop();
    expect(poster.calls.map((call) => call.outcome)).toEqual(['too_large', 'ok']);
  });

  it('leaves posts of a platform it has no poster for to a process that has one', async () => {
    const poster = standInPoster('slack');
    const delivery = worker(poster);
    await test.db.transaction((tx) => enqueuePost(tx, post('for-teams', 'teams', '19:abc')));
    expect(await delivery.deliverDue()).toEqual({ delivered: 0, retried: 0, failed: 0 });
    expect(await test.db.query('SELECT status, attempts FROM outbox')).toEqual([{ status: 'pending', attempts: 0 }]);
  });
});
