import { beforeEach, describe, expect, it } from 'vitest';
import { reply } from '../../src/bot/reply.js';
import { enqueuePost, failedDeliveries } from '../../src/jobs/outbox.js';
import { testDbKind, useTestDb } from '../support/db.js';

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

  it('lists failed deliveries newest first with their last error', async () => {
    const ids = await test.db.transaction(async (tx) => [await enqueuePost(tx, post('a')), await enqueuePost(tx, post('b')), await enqueuePost(tx, post('c'))]);
    await test.db.query(`UPDATE outbox SET status = 'failed', attempts = 8, last_error = 'channel_not_found' WHERE id = ANY($1::bigint[])`, [[ids[0], ids[2]]]);
    const failed = await failedDeliveries(test.db);
    expect(failed.map((row) => [row.id, row.lastError, row.attempts])).toEqual([[ids[2], 'channel_not_found', 8], [ids[0], 'channel_not_found', 8]]);
  });
});
