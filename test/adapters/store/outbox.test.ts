import { beforeEach, describe, expect, it } from 'vitest';
import { enqueuePost, failedDeliveries } from '../../../src/adapters/store/queries/outbox.js';
import { reply } from '../../../src/bot/reply.js';
import { testDbKind, useTestDb } from '../../support/db.js';

const post = (dedupeKey: string) => ({ dedupeKey, platform: 'slack' as const, channelId: 'C1', reply: reply({ title: dedupeKey, summary: 's' }) });

describe(`outbox on ${testDbKind}`, () => {
  const test = useTestDb();
  beforeEach(async () => {
    await test.db.exec('TRUNCATE outbox RESTART IDENTITY CASCADE');
  });

  it('leaves nothing behind when the transaction that enqueued the post rolls back', async () => {
    await expect(test.db.transaction(async (tx) => {
      await enqueuePost(tx, post('digest:2026-W48'));
      throw new Error('the state change failed');
    })).rejects.toThrow('the state change failed');
    expect(await test.db.query('SELECT id FROM outbox')).toEqual([]);
  });

  it('writes one post for the same dedupe key enqueued twice and returns its id both times', async () => {
    const first = await test.db.transaction((tx) => enqueuePost(tx, post('digest:2026-W48')));
    const second = await test.db.transaction((tx) => enqueuePost(tx, { ...post('digest:2026-W48'), channelId: 'C2' }));
    expect(second).toBe(first);
    const rows = await test.db.query<{ channel_id: string; status: string; payload: { title: string } }>('SELECT channel_id, status, payload FROM outbox');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ channel_id: 'C1', status: 'pending', payload: { title: 'digest:2026-W48' } });
  });

  it('queues a thread reply and an edit where the post they follow went, whatever channel the caller is in', async () => {
    const ids = await test.db.transaction(async (tx) => {
      const root = await enqueuePost(tx, { dedupeKey: 'teams-root', platform: 'teams', channelId: '19:dev', reply: reply({ title: 'root', summary: '' }) });
      return [root, await enqueuePost(tx, { dedupeKey: 'note', threadOf: root, reply: reply({ title: 'note', summary: '' }) }),
        await enqueuePost(tx, { dedupeKey: 'edit', replaces: root, reply: reply({ title: 'edit', summary: '' }) })];
    });
    const rows = await test.db.query<{ id: number; platform: string; channel_id: string; thread_of: number | null; replaces: number | null }>(
      'SELECT id, platform, channel_id, thread_of, replaces FROM outbox ORDER BY id');
    expect(rows).toEqual([
      { id: ids[0], platform: 'teams', channel_id: '19:dev', thread_of: null, replaces: null },
      { id: ids[1], platform: 'teams', channel_id: '19:dev', thread_of: ids[0], replaces: null },
      { id: ids[2], platform: 'teams', channel_id: '19:dev', thread_of: null, replaces: ids[0] },
    ]);
  });

  it('refuses a thread reply to a post that was never queued, as the bug it is', async () => {
    await expect(test.db.transaction((tx) => enqueuePost(tx, { dedupeKey: 'orphan', threadOf: 4242, reply: reply({ title: 'orphan', summary: '' }) })))
      .rejects.toThrow('row 4242');
    expect(await test.db.query('SELECT id FROM outbox')).toEqual([]);
  });

  it('lists failed deliveries newest first with their last error', async () => {
    const ids = await test.db.transaction(async (tx) => [await enqueuePost(tx, post('a')), await enqueuePost(tx, post('b')), await enqueuePost(tx, post('c'))]);
    await test.db.query(`UPDATE outbox SET status = 'failed', attempts = 8, last_error = 'channel_not_found' WHERE id = ANY($1::bigint[])`, [[ids[0], ids[2]]]);
    const failed = await failedDeliveries(test.db);
    expect(failed.map((row) => [row.id, row.lastError, row.attempts])).toEqual([[ids[2], 'channel_not_found', 8], [ids[0], 'channel_not_found', 8]]);
  });
});
