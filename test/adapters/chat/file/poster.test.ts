import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFilePoster } from '../../../../src/adapters/chat/file/poster.js';
import { reply } from '../../../../src/bot/reply.js';

describe('file sink poster', () => {
  let dir = '';
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mkt-sink-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  const lines = async (path: string) => (await readFile(path, 'utf8')).trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);

  it('appends each post as a JSON line with sequential message ids, replies carrying their thread', async () => {
    const path = join(dir, 'posts.jsonl');
    const poster = createFilePoster(path);
    const root = await poster.post({ channelId: 'dev' }, reply({ title: 'Incident 1', summary: 'open' }));
    expect(root).toEqual({ ok: true, value: { messageId: '1', threadId: '1' } });
    expect(await poster.post({ channelId: 'dev', threadId: '1' }, reply({ title: 'Acknowledged', summary: '' })))
      .toEqual({ ok: true, value: { messageId: '2', threadId: '1' } });
    expect(await poster.update({ channelId: 'dev', messageId: '1' }, reply({ title: 'Incident 1', summary: 'resolved' }))).toEqual({ ok: true, value: undefined });
    const written = await lines(path);
    expect(written.map((line) => [line.kind, line.messageId, line.threadId])).toEqual([['post', '1', undefined], ['post', '2', '1'], ['update', '1', undefined]]);
    expect(written[2]).toMatchObject({ reply: { summary: 'resolved' } });
  });

  it('keeps counting after a restart instead of reusing ids', async () => {
    const path = join(dir, 'posts.jsonl');
    await createFilePoster(path).post({ channelId: 'x' }, reply({ title: 'a', summary: '' }));
    const again = await createFilePoster(path).post({ channelId: 'x' }, reply({ title: 'b', summary: '' }));
    expect(again).toEqual({ ok: true, value: { messageId: '2', threadId: '2' } });
  });

  it('reports an unwritable file as a transient problem, not an exception', async () => {
    const result = await createFilePoster(join(dir, 'missing-folder', 'posts.jsonl')).post({ channelId: 'x' }, reply({ title: 'a', summary: '' }));
    expect(result).toMatchObject({ ok: false, problem: { kind: 'transient' } });
  });
});
