import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createConsolePoster } from '../../../../src/adapters/chat/console/poster.js';
import { reply } from '../../../../src/bot/reply.js';

describe('console poster', () => {
  it('prints each post as rendered text under a header naming the channel and thread', async () => {
    let printed = '';
    const output = new Writable({
      write(chunk: Buffer, _encoding, done) {
        printed += chunk.toString('utf8');
        done();
      },
    });
    const poster = createConsolePoster(output);
    const root = await poster.post({ channelId: 'console' }, reply({ title: 'Weekly digest', summary: 'Revenue €12,400, up 4%', blocks: [{ type: 'list', items: ['Orders 310'] }] }));
    const answer = await poster.post({ channelId: 'console', threadId: '1' }, reply({ title: 'Acknowledged', summary: 'by ana' }));
    expect(root).toEqual({ ok: true, value: { messageId: '1', threadId: '1' } });
    expect(answer).toEqual({ ok: true, value: { messageId: '2', threadId: '1' } });
    expect(printed).toContain('── message 1 to console ──\nWeekly digest\nRevenue €12,400, up 4%\n\n• Orders 310');
    expect(printed).toContain('── message 2 to console (thread 1) ──\nAcknowledged');
  });
});
