import { describe, expect, it } from 'vitest';
import type { Db } from '../../src/adapters/store/db.js';
import type { ChatPoster } from '../../src/bot/outbound.js';
import { reply } from '../../src/bot/reply.js';
import { createDeliveryWorker } from '../../src/jobs/delivery-worker.js';
import type { OutboundPost } from '../../src/adapters/store/queries/outbox.js';
import { enqueuePost } from '../../src/adapters/store/queries/outbox.js';
import { recordingLogger } from '../support/bot.js';
import { ownTestDb, reopenTestDb, testDbKind, useTestDb } from '../support/db.js';
import { standInPoster } from './stand-in-poster.js';

const t0 = new Date('2026-11-26T10:00:00Z').getTime();
const RETRY = { maxAttempts: 8, baseDelayMs: 5_000, maxDelayMs: 600_000 };

function workerAt(db: Db, poster: ChatPoster, clock: { ms: number }, holder = 'w1') {
  return createDeliveryWorker({ db, posters: new Map([[poster.platform, poster]]), clock: () => new Date(clock.ms), log: recordingLogger(), retry: RETRY, random: () => 0, holder });
}

const post = (key: string, channelId: string, extra: { owner?: string } = {}): OutboundPost =>
  ({ dedupeKey: key, platform: 'slack', channelId, reply: reply({ title: key, summary: '' }), ...extra });
const follow = (key: string, on: { threadOf: number } | { replaces: number }, extra: { owner?: string } = {}): OutboundPost =>
  ({ dedupeKey: key, reply: reply({ title: key, summary: '' }), ...on, ...extra });

const enqueueInto = (db: Db, posts: readonly OutboundPost[]) => db.transaction(async (tx) => {
  const ids: number[] = [];
  for (const one of posts) ids.push(await enqueuePost(tx, one));
  return ids;
});

describe(`delivery worker on ${testDbKind}`, () => {
  const test = useTestDb();
  const enqueue = (...posts: OutboundPost[]) => enqueueInto(test.db, posts);
  const row = async (id: number) => (await test.db.query<{ status: string; attempts: number; next_attempt_at: Date; message_id: string | null; thread_id: string | null }>(
    'SELECT status, attempts, next_attempt_at, message_id, thread_id FROM outbox WHERE id = $1', [id]))[0];

  it('delivers once through a rate limit and two transient failures, honouring Retry-After and channel order', async () => {
    const poster = standInPoster();
    poster.fail('C1', { kind: 'rate_limited', retryAfterS: 2, message: '429' }, { kind: 'transient', message: '502' }, { kind: 'transient', message: '503' });
    const clock = { ms: t0 };
    const worker = workerAt(test.db, poster, clock);
    const [a, b] = await enqueue(post('a', 'C1'), post('b', 'C1'), post('c', 'C2'));

    expect(await worker.deliverDue()).toEqual({ delivered: 1, retried: 1, failed: 0 });
    expect((await row(a!))?.next_attempt_at).toEqual(new Date(t0 + 2_000));
    clock.ms = t0 + 1_999;
    expect(await worker.deliverDue()).toEqual({ delivered: 0, retried: 0, failed: 0 });
    clock.ms = t0 + 2_000;
    expect(await worker.deliverDue()).toEqual({ delivered: 0, retried: 1, failed: 0 });
    // Second attempt failed: ceiling 5 s × 2 = 10 s, equal jitter with random 0 waits half of it.
    expect((await row(a!))?.next_attempt_at).toEqual(new Date(t0 + 7_000));
    clock.ms = t0 + 7_000;
    await worker.deliverDue();
    expect((await row(a!))?.next_attempt_at).toEqual(new Date(t0 + 17_000));
    clock.ms = t0 + 17_000;
    expect(await worker.deliverDue()).toEqual({ delivered: 1, retried: 0, failed: 0 });
    // Slack's one message per second per channel: b waits for the next second.
    expect(await worker.deliverDue()).toEqual({ delivered: 0, retried: 0, failed: 0 });
    clock.ms = t0 + 18_000;
    expect(await worker.deliverDue()).toEqual({ delivered: 1, retried: 0, failed: 0 });
    expect(await worker.deliverDue()).toEqual({ delivered: 0, retried: 0, failed: 0 });

    expect(poster.delivered().map((call) => call.title)).toEqual(['c', 'a', 'b']);
    expect(poster.calls.filter((call) => call.title === 'a').map((call) => call.outcome)).toEqual(['rate_limited', 'transient', 'transient', 'ok']);
    expect(await row(a!)).toMatchObject({ status: 'delivered', attempts: 4, message_id: 'm2', thread_id: 'm2' });
    expect(await row(b!)).toMatchObject({ status: 'delivered', attempts: 1, message_id: 'm3' });
  });

  it('gives up a permanent failure and tells its owner once, by DM', async () => {
    const poster = standInPoster();
    poster.fail('C9', { kind: 'permanent', message: 'channel_not_found', isNotMember: true });
    const clock = { ms: t0 };
    const worker = workerAt(test.db, poster, clock);
    const [id] = await enqueue(post('digest:W48', 'C9', { owner: 'U42' }));

    expect(await worker.deliverDue()).toEqual({ delivered: 0, retried: 0, failed: 1 });
    expect(await row(id!)).toMatchObject({ status: 'failed', attempts: 1 });
    clock.ms += 60_000;
    expect(await worker.deliverDue()).toEqual({ delivered: 1, retried: 0, failed: 0 });
    expect(await worker.deliverDue()).toEqual({ delivered: 0, retried: 0, failed: 0 });
    const notices = poster.delivered().filter((call) => call.target.channelId === 'U42');
    expect(notices).toHaveLength(1);
    expect(notices[0]?.title).toBe('I could not post my answer');
    // Plain words for the person: what failed and what to do; the row and the CLI are for operators.
    const text = JSON.stringify(notices[0]?.reply);
    expect(text).toContain('I am not a member of that conversation. Invite me there');
    expect(text).not.toMatch(/outbox|row \d|mkt jobs|channel_not_found/i);
    expect(await test.db.query('SELECT id FROM outbox WHERE channel_id = $1', ['U42'])).toHaveLength(1);
  });

  it('posts a thread reply only after its root is delivered, into the root thread; an edit updates the root message', async () => {
    const poster = standInPoster();
    poster.fail('C1', { kind: 'transient', message: 'timeout' });
    const clock = { ms: t0 };
    const worker = workerAt(test.db, poster, clock);
    const [root] = await enqueue(post('incident:1:root', 'C1'));
    const [threadReply, edit] = await enqueue(follow('incident:1:ack', { threadOf: root! }), follow('incident:1:edit', { replaces: root! }));

    await worker.deliverDue();
    clock.ms = t0 + 10_000;
    await worker.deliverDue();
    expect(poster.delivered().map((call) => call.title)).toEqual(['incident:1:root']);
    for (const step of [11_000, 12_000]) {
      clock.ms = t0 + step;
      await worker.deliverDue();
    }
    expect(poster.calls.filter((call) => call.outcome === 'ok').map((call) => [call.kind, call.title, call.target.threadId ?? call.target.messageId]))
      .toEqual([['post', 'incident:1:root', undefined], ['post', 'incident:1:ack', 'm1'], ['update', 'incident:1:edit', 'm1']]);
    expect(await row(threadReply!)).toMatchObject({ status: 'delivered', message_id: 'm2', thread_id: 'm1' });
    expect(await row(edit!)).toMatchObject({ status: 'delivered', message_id: 'm1' });
  });

  it('fails a thread reply whose root was given up instead of holding it forever', async () => {
    const poster = standInPoster();
    const clock = { ms: t0 };
    const worker = workerAt(test.db, poster, clock);
    const [root] = await enqueue(post('root', 'C1'));
    await test.db.query(`UPDATE outbox SET status = 'failed' WHERE id = $1`, [root]);
    const [threadReply] = await enqueue(follow('reply', { threadOf: root! }, { owner: 'U1' }));
    expect(await worker.deliverDue()).toEqual({ delivered: 0, retried: 0, failed: 1 });
    expect(await row(threadReply!)).toMatchObject({ status: 'failed' });
    expect(poster.calls).toEqual([]);
  });

  it('never delivers a row twice when two workers on two connections drain the queue together', async () => {
    const poster = standInPoster();
    const channels = ['C1', 'C2', 'C3', 'C4', 'C5'];
    const db = await ownTestDb('two workers claim rows on two connections (SKIP LOCKED)');
    await enqueueInto(db, Array.from({ length: 40 }, (_, index) => post(`p${String(index).padStart(2, '0')}`, channels[index % channels.length]!)));
    const other = await reopenTestDb(db);
    try {
      const clock = { ms: t0 };
      const workers = [workerAt(db, poster, clock, 'w1'), workerAt(other, poster, clock, 'w2')];
      for (let round = 0; round < 12; round += 1) {
        await Promise.all([...workers, ...workers].map((worker) => worker.deliverDue()));
        clock.ms += 1_000;
      }
    } finally {
      await other.close();
    }
    const titles = poster.calls.map((call) => call.title);
    expect(titles).toHaveLength(40);
    expect(new Set(titles).size).toBe(40);
    for (const channel of channels) {
      const inChannel = poster.calls.filter((call) => call.target.channelId === channel).map((call) => call.title);
      expect(inChannel).toEqual([...inChannel].sort());
    }
    expect(await db.query(`SELECT id FROM outbox WHERE status <> 'delivered'`)).toEqual([]);
  });
});
