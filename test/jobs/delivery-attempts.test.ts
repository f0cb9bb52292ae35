import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../src/adapters/store/db.js';
import type { OutboundPost } from '../../src/adapters/store/queries/outbox.js';
import { enqueuePost } from '../../src/adapters/store/queries/outbox.js';
import type { ChatPoster } from '../../src/bot/outbound.js';
import type { ChartBlock, Reply, TableBlock } from '../../src/bot/reply.js';
import { reply } from '../../src/bot/reply.js';
import { createDeliveryWorker } from '../../src/jobs/delivery-worker.js';
import { recordingLogger } from '../support/bot.js';
import { cuttableDb } from '../support/cut-db.js';
import { testDbKind, useTestDb } from '../support/db.js';
import type { LookupBehaviour } from './stand-in-poster.js';
import { standInPoster } from './stand-in-poster.js';

const t0 = new Date('2026-11-26T10:00:00Z').getTime();
/** A claim lasts a minute: a worker that died mid-send leaves its row to others after that. */
const AFTER_CLAIM_MS = 61_000;

function workerOn(db: Db, poster: ChatPoster, clock: { ms: number }, log = recordingLogger(), holder = 'w1') {
  return createDeliveryWorker({ db, posters: new Map([[poster.platform, poster]]), clock: () => new Date(clock.ms), log, random: () => 0, holder, pacingMs: {} });
}

const post = (key: string, channelId: string, body: Partial<Reply> = {}): OutboundPost =>
  ({ dedupeKey: key, platform: 'teams', channelId, reply: reply({ title: key, summary: '', ...body }) });

describe(`delivery attempts on ${testDbKind}`, () => {
  const test = useTestDb();
  const enqueue = (one: OutboundPost) => test.db.transaction((tx) => enqueuePost(tx, one));
  const row = async (id: number) => (await test.db.query<{ status: string; attempts: number; message_id: string | null; last_error: string | null; attempt_started_at: Date | null; reduced_steps: number }>(
    'SELECT status, attempts, message_id, last_error, attempt_started_at, reduced_steps FROM outbox WHERE id = $1', [id]))[0];
  beforeEach(async () => {
    await test.db.exec('TRUNCATE outbox RESTART IDENTITY CASCADE');
  });

  /** The first worker's process dies after the platform accepted the post and before the outcome was recorded. */
  async function crashMidSend(lookup: LookupBehaviour, one: OutboundPost = post('answer', '19:chan')) {
    const poster = standInPoster('teams', lookup);
    const clock = { ms: t0 };
    const dying = cuttableDb(test.db);
    poster.afterAccepting = () => dying.cut();
    const id = await enqueue(one);
    const log = recordingLogger();
    await workerOn(dying, poster, clock, log).deliverDue().catch(() => undefined);
    poster.afterAccepting = undefined;
    expect(await row(id)).toMatchObject({ status: 'pending', message_id: null, attempt_started_at: new Date(t0) });
    clock.ms = t0 + AFTER_CLAIM_MS;
    const counts = await workerOn(test.db, poster, clock, log, 'w2').deliverDue();
    return { poster, id, counts, log };
  }

  it('records a post the platform reports as arrived, without sending it twice, after a crash between send and record', async () => {
    const { poster, id, counts, log } = await crashMidSend('finds');
    expect(counts).toEqual({ delivered: 1, retried: 0, failed: 0 });
    expect(poster.calls.filter((call) => call.kind === 'post')).toHaveLength(1);
    expect(await row(id)).toMatchObject({ status: 'delivered', message_id: 'm1', attempt_started_at: null });
    expect(log.lines.find((line) => line.message.startsWith('delivery: an attempt was cut off'))?.details).toMatchObject({ outboxId: id, answer: 'delivered' });
  });

  it('sends again a cut-off post the platform reports as never arrived', async () => {
    const poster = standInPoster('teams', 'finds');
    const clock = { ms: t0 };
    const dying = cuttableDb(test.db);
    const id = await enqueue(post('answer', '19:chan'));
    // This time the process dies before the platform answers: nothing arrived.
    poster.fail('19:chan', { kind: 'transient', message: 'connection reset' });
    const original = poster.post.bind(poster);
    poster.post = async (target, body, delivery) => {
      dying.cut();
      return original(target, body, delivery);
    };
    await workerOn(dying, poster, clock).deliverDue().catch(() => undefined);
    poster.post = original;
    clock.ms = t0 + AFTER_CLAIM_MS;
    expect(await workerOn(test.db, poster, clock, recordingLogger(), 'w2').deliverDue()).toEqual({ delivered: 1, retried: 0, failed: 0 });
    expect(poster.delivered().map((call) => call.deliveryId)).toEqual([`outbox:${id}`]);
  });

  it('does not send again a cut-off post on a platform that cannot tell whether it arrived, and says why', async () => {
    const { poster, id, counts } = await crashMidSend('cannot_tell');
    expect(counts).toEqual({ delivered: 0, retried: 0, failed: 1 });
    expect(poster.calls.filter((call) => call.kind === 'post')).toHaveLength(1);
    const after = await row(id);
    expect(after?.status).toBe('failed');
    expect(after?.last_error).toContain('cannot be asked whether it arrived');
  });

  it('sends a cut-off edit again without asking: the same edit twice leaves the same message', async () => {
    const { poster, id, counts } = await crashMidSend('cannot_tell', { dedupeKey: 'edit', platform: 'teams', channelId: '19:chan', editsMessage: '1:card', reply: reply({ title: 'edit', summary: '' }) });
    expect(counts).toEqual({ delivered: 1, retried: 0, failed: 0 });
    expect(poster.calls.map((call) => [call.kind, call.target.messageId, call.outcome])).toEqual([['update', '1:card', 'ok'], ['update', '1:card', 'ok']]);
    expect(await row(id)).toMatchObject({ status: 'delivered', message_id: '1:card' });
  });

  it('posts into a thread and edits a message the outbox did not post itself, by the platform\'s own ids', async () => {
    const poster = standInPoster('teams');
    const clock = { ms: t0 };
    const inThread = await enqueue({ dedupeKey: 'in-thread', platform: 'teams', channelId: '19:chan', inThread: '1571539665896', reply: reply({ title: 'answer', summary: '' }) });
    await workerOn(test.db, poster, clock).deliverDue();
    expect(poster.calls.map((call) => [call.kind, call.target])).toEqual([['post', { channelId: '19:chan', threadId: '1571539665896' }]]);
    expect(await row(inThread)).toMatchObject({ status: 'delivered', message_id: 'm1' });
  });

  const chart: ChartBlock = { type: 'chart', title: 'Revenue by week', alt: 'Revenue rose from 10 to 14.', config: { type: 'bar', data: { labels: [], datasets: [] } }, width: 640, height: 320 };
  const table: TableBlock = {
    type: 'table', caption: 'Customers at risk',
    columns: [{ key: 'id', label: 'Customer', kind: 'text' }, { key: 'value', label: 'Value', kind: 'money' }],
    rows: Array.from({ length: 40 }, (_, i) => [{ text: `c${i + 1}`, raw: `c${i + 1}` }, { text: `€${i}`, raw: i }]),
  };

  it('sends a reply the platform found too large again at once, smaller, saying what was cut and where the rest is', async () => {
    const poster = standInPoster('teams');
    poster.fail('19:chan', { kind: 'too_large', message: '413 MessageSizeTooBig', status: 413 }, { kind: 'too_large', message: '413 MessageSizeTooBig', status: 413 });
    const clock = { ms: t0 };
    const log = recordingLogger();
    const id = await enqueue(post('digest', '19:chan', { blocks: [chart, table] }));
    const worker = workerOn(test.db, poster, clock, log);
    // Each smaller form is due at once (the worker wakes for it right after its pass).
    expect(await worker.deliverDue()).toEqual({ delivered: 0, retried: 1, failed: 0 });
    expect(await worker.deliverDue()).toEqual({ delivered: 0, retried: 1, failed: 0 });
    expect(await worker.deliverDue()).toEqual({ delivered: 1, retried: 0, failed: 0 });

    const [first, second, third] = poster.calls.map((call) => call.reply);
    expect(first?.blocks.map((block) => block.type)).toEqual(['chart', 'table']);
    // Step 1: the chart becomes a line with its description; the table keeps 10 rows and travels whole as CSV.
    expect(second?.blocks[0]).toEqual({ type: 'text', text: 'The chart "Revenue by week" was left out to fit this message. Revenue rose from 10 to 14.' });
    expect(second?.blocks[1]).toMatchObject({ type: 'table', rows: table.rows.slice(0, 10) });
    expect(second?.blocks[2]).toEqual({ type: 'text', text: '30 more rows were cut to fit this message (the top 10 are shown); every row is in customers-at-risk.csv.' });
    expect(second?.attachments.map((file) => [file.filename, file.content.split('\r\n').filter(Boolean).length])).toEqual([['customers-at-risk.csv', 41]]);
    // Step 2: five rows.
    expect(third?.blocks[1]).toMatchObject({ type: 'table', rows: table.rows.slice(0, 5) });
    expect(third?.blocks[2]).toEqual({ type: 'text', text: '35 more rows were cut to fit this message (the top 5 are shown); every row is in customers-at-risk.csv.' });
    expect(await row(id)).toMatchObject({ status: 'delivered', attempts: 3, reduced_steps: 2 });
    expect(log.lines.filter((line) => line.message.startsWith('delivery: the platform refused the size')).map((line) => line.details?.step)).toEqual([1, 2]);
  });

  it('writes the notes of a smaller reply in the reply\'s own language', async () => {
    const poster = standInPoster('teams');
    poster.fail('19:chan', { kind: 'too_large', message: '413', status: 413 });
    await enqueue(post('answer', '19:chan', { blocks: [chart], locale: 'it' }));
    const worker = workerOn(test.db, poster, { ms: t0 });
    for (let pass = 0; pass < 2; pass++) await worker.deliverDue();
    expect(poster.calls[1]?.reply.blocks[0]).toEqual({ type: 'text', text: 'Il grafico "Revenue by week" è stato tolto per far stare il messaggio. Revenue rose from 10 to 14.' });
  });

  it('gives up a reply still too large as title and summary alone', async () => {
    const poster = standInPoster('teams');
    const tooLarge = { kind: 'too_large' as const, message: '413', status: 413 };
    poster.fail('19:chan', tooLarge, tooLarge, tooLarge, tooLarge);
    const id = await enqueue(post('answer', '19:chan', { blocks: [chart, table] }));
    const worker = workerOn(test.db, poster, { ms: t0 });
    for (let pass = 0; pass < 3; pass++) expect(await worker.deliverDue()).toEqual({ delivered: 0, retried: 1, failed: 0 });
    expect(await worker.deliverDue()).toEqual({ delivered: 0, retried: 0, failed: 1 });
    expect(poster.calls[3]?.reply).toMatchObject({ blocks: [{ type: 'text', text: expect.stringContaining('too large for one message') }], attachments: [] });
    expect(await row(id)).toMatchObject({ status: 'failed', reduced_steps: 3 });
  });

  it('logs each 429 and 5xx with the platform, channel, status and Retry-After, and nothing for other refusals', async () => {
    const poster = standInPoster('teams');
    poster.fail('19:a', { kind: 'rate_limited', retryAfterS: 7, message: 'Throttled', status: 429 });
    poster.fail('19:b', { kind: 'transient', message: 'Bad Gateway', status: 502 });
    poster.fail('19:c', { kind: 'transient', message: 'connection reset' });
    const log = recordingLogger();
    const ids = [await enqueue(post('a', '19:a')), await enqueue(post('b', '19:b')), await enqueue(post('c', '19:c'))];
    await workerOn(test.db, poster, { ms: t0 }, log).deliverDue();
    expect(log.lines.filter((line) => line.message === 'delivery: the platform answered with an error').map((line) => line.details)).toEqual([
      { outboxId: ids[0], platform: 'teams', channelId: '19:a', status: 429, retryAfterS: 7, nextAttemptAt: new Date(t0 + 7_000).toISOString() },
      { outboxId: ids[1], platform: 'teams', channelId: '19:b', status: 502, retryAfterS: null, nextAttemptAt: new Date(t0 + 2_500).toISOString() },
    ]);
  });
});
