import { describe, expect, it } from 'vitest';
import { ACTION_ID_PREFIX, renderReply } from '../../../../src/adapters/chat/slack/render.js';
import type { SlackBlock, SlackMessage } from '../../../../src/adapters/chat/slack/render.js';
import { translator } from '../../../../src/bot/messages/index.js';
import type { Button, Reply, TableBlock } from '../../../../src/bot/reply.js';
import { reply } from '../../../../src/bot/reply.js';
import { blockKitViolations } from '../../../support/slack-blocks.js';

const t = translator('en');

function allValid(messages: readonly SlackMessage[]): void {
  for (const message of messages) expect(blockKitViolations(message)).toEqual([]);
}

function sectionTexts(messages: readonly SlackMessage[]): string[] {
  return messages.flatMap((message) => message.blocks).flatMap((block) => (block.type === 'section' && block.text ? [block.text.text] : []));
}

function tableBlocksOf(messages: readonly SlackMessage[]): { type: 'table'; rows: unknown[][] }[] {
  return messages.flatMap((message) => message.blocks).flatMap((block) => (block.type === 'table' ? [block as unknown as { type: 'table'; rows: unknown[][] }] : []));
}

function contextTexts(messages: readonly SlackMessage[]): string[] {
  return messages.flatMap((message) => message.blocks).flatMap((block) => (block.type === 'context' ? block.elements.map((element) => ('text' in element ? element.text : '')) : []));
}

function table(rowCount: number, caption?: string): TableBlock {
  return {
    type: 'table',
    columns: [{ key: 'channel', label: 'Channel', kind: 'text' }, { key: 'revenue', label: 'Revenue', kind: 'money' }],
    rows: Array.from({ length: rowCount }, (_, i) => [{ text: `channel ${i + 1}`, raw: `channel ${i + 1}` }, { text: `€${(i + 1) * 10}.00`, raw: (i + 1) * 10 }]),
    ...(caption ? { caption } : {}),
  };
}

describe('Slack Block Kit renderer', () => {
  it('escapes &, < and > in user data, so "<!channel>" cannot ping anyone', () => {
    const { messages } = renderReply(reply({ title: 'A & B', summary: 'Tom & Jerry <!channel> > 3', blocks: [{ type: 'list', items: ['<@U123>'] }] }), t);
    expect(sectionTexts(messages)).toEqual(['Tom &amp; Jerry &lt;!channel&gt; &gt; 3', '• &lt;@U123&gt;']);
    expect(messages[0]?.text).toBe('A &amp; B\nTom &amp; Jerry &lt;!channel&gt; &gt; 3');
    // Headers are plain_text, shown literally.
    expect(messages[0]?.blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: 'A & B', emoji: true } });
  });

  it('cuts a 200-character title to 150 characters ending in an ellipsis', () => {
    const { messages } = renderReply(reply({ title: 'x'.repeat(200), summary: 's' }), t);
    const header = messages[0]?.blocks[0];
    expect(header?.type === 'header' && header.text.text).toBe(`${'x'.repeat(149)}…`);
  });

  it('splits 7000 characters of text into sections of at most 3000 at word breaks, losing nothing', () => {
    const words = Array.from({ length: 1000 }, (_, i) => `w${String(i).padStart(5, '0')}`); // 1000 × 6 chars + spaces = 6999
    const { messages } = renderReply(reply({ title: 'T', summary: 'S', blocks: [{ type: 'text', text: words.join(' ') }] }), t);
    const pieces = sectionTexts(messages).slice(1);
    expect(pieces).toHaveLength(3);
    for (const piece of pieces) expect(piece.length).toBeLessThanOrEqual(3000);
    expect(pieces.join(' ')).toBe(words.join(' '));
    allValid(messages);
  });

  it('never splits an escaped entity across two sections', () => {
    const { messages } = renderReply(reply({ title: 'T', summary: 'S', blocks: [{ type: 'text', text: '&'.repeat(1000) }] }), t);
    const pieces = sectionTexts(messages).slice(1);
    // 1000 "&amp;" = 5000 chars; 600 entities fit in 3000, the other 400 follow.
    expect(pieces.map((piece) => piece.length)).toEqual([3000, 2000]);
    for (const piece of pieces) expect(piece).toMatch(/^(&amp;)+$/);
  });

  it('puts 23 fields into sections of 10, 10 and 3, each "*label*\\nvalue"', () => {
    const fields = Array.from({ length: 23 }, (_, i) => ({ label: `L${i}`, value: `v<${i}>` }));
    const { messages } = renderReply(reply({ title: 'T', summary: 'S', blocks: [{ type: 'fields', fields }] }), t);
    const sections = messages[0]?.blocks.filter((block): block is Extract<SlackBlock, { type: 'section' }> => block.type === 'section' && block.fields !== undefined) ?? [];
    expect(sections.map((section) => section.fields?.length)).toEqual([10, 10, 3]);
    expect(sections[0]?.fields?.[1]).toEqual({ type: 'mrkdwn', text: '*L1*\nv&lt;1&gt;' });
    allValid(messages);
  });

  it('shows a short table whole as Slack\'s table block: a header row, numbers right-aligned, text wrapped', () => {
    const { messages, files } = renderReply(reply({ title: 'T', summary: 'S', blocks: [table(3)] }), t);
    const [block] = tableBlocksOf(messages);
    expect(block).toEqual({
      type: 'table',
      column_settings: [{ is_wrapped: true }, { align: 'right' }],
      rows: [
        [{ type: 'raw_text', text: 'Channel' }, { type: 'raw_text', text: 'Revenue' }],
        [{ type: 'raw_text', text: 'channel 1' }, { type: 'raw_text', text: '€10.00' }],
        [{ type: 'raw_text', text: 'channel 2' }, { type: 'raw_text', text: '€20.00' }],
        [{ type: 'raw_text', text: 'channel 3' }, { type: 'raw_text', text: '€30.00' }],
      ],
    });
    expect(files).toEqual([]);
    allValid(messages);
  });

  it('turns a 120-row table into its top 99 rows (100 with the header) plus the whole table as CSV, and says so', () => {
    const { messages, files } = renderReply(reply({ title: 'T', summary: 'S', blocks: [table(120, 'Revenue by channel')] }), t);
    const [block] = tableBlocksOf(messages);
    expect(block?.rows).toHaveLength(100);
    expect(files).toHaveLength(1);
    expect(files[0]?.filename).toBe('revenue-by-channel.csv');
    const csv = files[0]?.content.toString('utf8') ?? '';
    expect(csv.split('\r\n')).toHaveLength(1 + 120 + 1); // header, 120 rows, trailing line break
    expect(csv.split('\r\n')[120]).toBe('channel 120,1200');
    expect(contextTexts(messages)).toEqual(['Revenue by channel Showing the top 99 of 120 rows. The full table is attached as revenue-by-channel.csv.']);
    allValid(messages);
  });

  it('keeps every character of long cells (help examples, links) and makes links clickable', () => {
    const example = 'attribution compare last 30d --models markov,shapley,linear,position_based';
    const link: TableBlock = {
      type: 'table',
      columns: [{ key: 'example', label: 'Example', kind: 'text' }, { key: 'link', label: 'Link', kind: 'text' }],
      rows: [[{ text: example, raw: example }, { text: 'https://github.com/acme/shop/pull/1234', raw: 'https://github.com/acme/shop/pull/1234' }]],
    };
    const { messages } = renderReply(reply({ title: 'T', summary: 'S', blocks: [link] }), t);
    const [block] = tableBlocksOf(messages);
    expect(block?.rows[1]).toEqual([
      { type: 'raw_text', text: example },
      { type: 'rich_text', elements: [{ type: 'rich_text_section', elements: [{ type: 'link', url: 'https://github.com/acme/shop/pull/1234', text: 'https://github.com/acme/shop/pull/1234' }] }] },
    ]);
    allValid(messages);
  });

  it('puts each table of a reply in a message of its own, since Slack takes one table block per message', () => {
    const { messages } = renderReply(reply({ title: 'T', summary: 'S', blocks: [table(3, 'First'), table(3, 'Second')] }), t);
    expect(messages).toHaveLength(2);
    expect(messages.map((message) => message.blocks.filter((block) => block.type === 'table').length)).toEqual([1, 1]);
    allValid(messages);
  });

  it('lays a table wider than 20 columns out as a code block within 3000 characters, showing fewer rows', () => {
    const wide: TableBlock = {
      type: 'table',
      columns: Array.from({ length: 21 }, (_, i) => ({ key: `c${i}`, label: `C${i}`, kind: 'text' as const })),
      rows: Array.from({ length: 20 }, () => Array.from({ length: 21 }, () => ({ text: 'y'.repeat(10), raw: 'y' }))),
    };
    const { messages, files } = renderReply(reply({ title: 'T', summary: 'S', blocks: [wide] }), t);
    expect(tableBlocksOf(messages)).toEqual([]);
    const code = sectionTexts(messages)[1] ?? '';
    expect(code.startsWith('```')).toBe(true);
    expect(code.length).toBeLessThanOrEqual(3000);
    // A row is 21 × 10 + 20 × 2 = 250 characters, the rule too, the header 20 × 12 + 3 = 243: 8 + 495 + 251 n ≤ 3000 → n = 9.
    expect(code.split('\n').filter((line) => line.startsWith('yyy'))).toHaveLength(9);
    expect(files).toHaveLength(1);
    allValid(messages);
  });

  it('splits a reply of 120 blocks into several valid messages, later ones marked as continued', () => {
    const blocks = Array.from({ length: 120 }, (_, i) => ({ type: 'text' as const, text: `paragraph ${i}` }));
    const { messages } = renderReply(reply({ title: 'Long', summary: 'S', blocks }), t);
    // 2 opening blocks + 120 = 122 blocks at 49 per message (one kept for the "continued" note): 3 messages.
    expect(messages).toHaveLength(3);
    allValid(messages);
    expect(contextTexts([messages[1] as SlackMessage])).toEqual(['(continued, part 2 of 3)']);
    expect(messages[2]?.text).toBe('Long (continued, part 3 of 3)');
    expect(sectionTexts(messages).filter((text) => text.startsWith('paragraph'))).toHaveLength(120);
  });

  it('shortens an enormous reply to 4 messages with a note, keeping its buttons at the end', () => {
    const blocks = Array.from({ length: 400 }, (_, i) => ({ type: 'text' as const, text: `paragraph ${i}` }));
    const actions: Button[] = [{ id: 'page.next', label: 'Next page', command: 'churn page 2' }];
    const { messages } = renderReply(reply({ title: 'Huge', summary: 'S', blocks, actions }), t);
    expect(messages).toHaveLength(4);
    allValid(messages);
    const lastBlocks = messages[3]?.blocks ?? [];
    expect(lastBlocks.at(-2)?.type).toBe('actions');
    expect(contextTexts([messages[3] as SlackMessage]).at(-1)).toBe('This answer was too long for one Slack message and was shortened.');
  });

  it('renders 30 buttons as two actions blocks (25 + 5) with unique action ids and the command as value', () => {
    const actions: Button[] = Array.from({ length: 30 }, (_, i) => ({ id: 'attribution.model', label: `Model ${i} ${'x'.repeat(100)}`, command: `attribution m${i}` }));
    const { messages } = renderReply(reply({ title: 'T', summary: 'S', actions }), t);
    const actionBlocks = messages[0]?.blocks.filter((block) => block.type === 'actions') ?? [];
    expect(actionBlocks.map((block) => (block.type === 'actions' ? block.elements.length : 0))).toEqual([25, 5]);
    const buttons = actionBlocks.flatMap((block) => (block.type === 'actions' ? block.elements : []));
    expect(new Set(buttons.map((button) => button.action_id)).size).toBe(30);
    expect(buttons.every((button) => button.action_id?.startsWith(ACTION_ID_PREFIX))).toBe(true);
    expect(buttons[7]).toMatchObject({ type: 'button', value: 'attribution m7' });
    allValid(messages);
  });

  it('leaves out a button whose command is longer than a button value may be, and says so', () => {
    const actions: Button[] = [{ id: 'ok', label: 'OK', command: 'help' }, { id: 'long', label: 'Long', command: `kpi ${'x'.repeat(2000)}` }];
    const { messages } = renderReply(reply({ title: 'T', summary: 'S', actions }), t);
    const buttons = messages[0]?.blocks.flatMap((block) => (block.type === 'actions' ? block.elements : [])) ?? [];
    expect(buttons).toHaveLength(1);
    expect(contextTexts(messages)).toEqual(['1 more options did not fit in this message.']);
  });

  it('hands charts and attachments to the poster instead of drawing them', () => {
    const chart = { type: 'chart' as const, title: 'Revenue', alt: 'Revenue per day', config: { type: 'bar' as const, data: { labels: [], datasets: [] } }, width: 800, height: 400 };
    const rendered = renderReply(reply({ title: 'T', summary: 'S', blocks: [chart], attachments: [{ filename: 'a.csv', mimeType: 'text/csv', content: 'a,b\r\n', encoding: 'utf8' }] }), t);
    expect(rendered.charts).toEqual([chart]);
    expect(rendered.files.map((file) => [file.filename, file.content.toString('utf8')])).toEqual([['a.csv', 'a,b\r\n']]);
    expect(rendered.messages[0]?.blocks.map((block) => block.type)).toEqual(['header', 'section']);
  });

  it('writes its own notes in Italian for an Italian channel', () => {
    const { messages } = renderReply(reply({ title: 'T', summary: 'S', blocks: [table(130)] }), translator('it'));
    expect(contextTexts(messages)[0]).toContain('Sono mostrate le prime 99 righe di 130.');
  });

  it('keeps a fallback text of at most 40000 characters for a giant summary', () => {
    const { messages } = renderReply(reply({ title: 'T', summary: 'z'.repeat(50_000) } satisfies Partial<Reply> as Reply), t);
    expect(messages[0]?.text.length).toBe(40_000);
    allValid(messages);
  });
});
