import { beforeAll, describe, expect, it } from 'vitest';
import { createChartRenderer } from '../../../src/adapters/charts/render-chart.js';
import { renderReplyText } from '../../../src/adapters/chat/console/render.js';
import { SLACK_MAX_MESSAGES_PER_REPLY, SLACK_TABLE_BLOCK_MAX_ROWS, SLACK_TABLE_MAX_ROWS } from '../../../src/adapters/chat/slack/limits.js';
import { renderReply } from '../../../src/adapters/chat/slack/render.js';
import type { SlackMessage } from '../../../src/adapters/chat/slack/render.js';
import { cardJsonBytes, TEAMS_CARD_BUDGET_BYTES } from '../../../src/adapters/chat/teams/card-size.js';
import type { CardElement } from '../../../src/adapters/chat/teams/card-types.js';
import { renderCard, TEAMS_INLINE_CHART_MAX_BYTES, TEAMS_MAX_CARD_ACTIONS, TEAMS_MAX_TABLE_ROWS } from '../../../src/adapters/chat/teams/render.js';
import { commands } from '../../../src/bot/commands/index.js';
import { translator } from '../../../src/bot/messages/index.js';
import type { ChartBlock, Reply, TableBlock } from '../../../src/bot/reply.js';
import { ask, createTestBot } from '../../support/bot.js';
import { clearData, testDbKind, useTestDb } from '../../support/db.js';
import { inkOf, pngSize } from '../../support/png.js';
import { readableTexts } from '../../support/reply-text.js';
import { SMALL_SHOP_NOW, seedSmallShop } from '../../support/small-shop.js';
import { blockKitViolations } from '../../support/slack-blocks.js';
import { cardSchemaErrors } from './teams/card-schema.js';

const t = translator('en');
const CONSOLE_WIDTH = 80;
// Text columns shrink to this many cells at the least; number columns are never cut (console/render.ts).
const MIN_TEXT_COLUMN = 6;
/** One question per command, keyed by the command it must reach. `churn top 50` has more rows than chat shows. */
const QUESTIONS: Record<string, string> = {
  help: 'help',
  kpi: 'kpi last 30d',
  rfm: 'rfm',
  churn: 'churn top 50',
  attribution: 'attribution compare last 30d',
  segment: 'segment revenue by channel',
  budget: 'budget',
  changes: 'changes last 30d',
  tracking: 'tracking',
  speed: 'speed',
  digest: 'digest preview',
  incidents: 'incidents all',
  incident: 'incident 1',
  mute: 'mute tracking purchase 1d',
};

const tablesOf = (reply: Reply) => reply.blocks.filter((block): block is TableBlock => block.type === 'table');
const chartsOf = (reply: Reply) => reply.blocks.filter((block): block is ChartBlock => block.type === 'chart');
const columns = (text: string) => [...new Intl.Segmenter('en', { granularity: 'grapheme' }).segment(text)].length;

function slackBlocks(messages: readonly SlackMessage[]) {
  return messages.flatMap((message) => message.blocks);
}
function slackContexts(messages: readonly SlackMessage[]): string[] {
  return slackBlocks(messages).flatMap((block) => (block.type === 'context' ? block.elements.map((element) => ('text' in element ? element.text : '')) : []));
}
function cardTexts(body: readonly CardElement[]): string[] {
  return body.flatMap((element) => (element.type === 'TextBlock' ? [element.text] : []));
}

describe(`every command's reply through every renderer on ${testDbKind}`, () => {
  const test = useTestDb();
  const replies = new Map<string, Reply>();

  beforeAll(async () => {
    await clearData(test.db);
    await seedSmallShop(test.db);
    const bot = createTestBot(test.db, { now: SMALL_SHOP_NOW });
    for (const [command, question] of Object.entries(QUESTIONS)) replies.set(command, await ask(bot, question));
  });

  it('has a question for every registered command, and each answer is real', () => {
    expect(Object.keys(QUESTIONS).sort()).toEqual(commands.map((command) => command.name).sort());
    for (const [command, reply] of replies) {
      // Only `incident 1` may be a refusal: the small shop has no incidents.
      if (command === 'incident') expect(reply.problem).toBe('no_data');
      else expect(reply.problem, `${command}: ${reply.summary}`).toBeUndefined();
      for (const text of readableTexts(reply)) expect(text, command).not.toMatch(/\bNaN\b|Infinity|∞|\bundefined\b/);
    }
    // The fixture is meant to exercise charts, long tables, attachments and buttons.
    expect([...replies.values()].flatMap(chartsOf).length).toBeGreaterThanOrEqual(6);
    expect(tablesOf(replies.get('churn')!)[0]?.totalRows).toBeGreaterThan(10);
    expect(tablesOf(replies.get('changes')!)[0]?.rows.length).toBeGreaterThan(SLACK_TABLE_MAX_ROWS);
  });

  it('lays every reply out as terminal text within 80 columns, charts as their alt text', () => {
    for (const [command, reply] of replies) {
      const text = renderReplyText(reply, { width: CONSOLE_WIDTH });
      expect(text.startsWith(`${reply.title}\n${reply.summary}\n`), command).toBe(true);
      for (const chart of chartsOf(reply)) expect(text, command).toContain(`[chart] ${chart.title}: ${chart.alt}`);
      for (const table of tablesOf(reply)) {
        // The narrowest the table can get: numbers whole, text columns at their minimum, two-space gaps.
        const texts = [table.columns.map((column) => column.label), ...table.rows.map((row) => row.map((cell) => cell.text))];
        const floor = table.columns.reduce((sum, column, i) => {
          const widest = Math.max(...texts.map((row) => columns(row[i] ?? '')));
          return sum + (column.kind === 'text' ? Math.min(widest, MIN_TEXT_COLUMN) : widest);
        }, 2 * (table.columns.length - 1));
        const tableLines = renderReplyText({ ...reply, title: '', summary: '', blocks: [table], actions: [], attachments: [] }, { width: CONSOLE_WIDTH })
          .split('\n').slice(3, 3 + 2 + Math.max(1, table.rows.length));
        for (const line of tableLines) expect(columns(line), `${command}: ${line}`).toBeLessThanOrEqual(Math.max(CONSOLE_WIDTH, floor));
        if (table.totalRows !== undefined && table.totalRows > table.rows.length) expect(text).toContain(`showing ${table.rows.length} of ${table.totalRows} rows`);
      }
      for (const file of reply.attachments) expect(text, command).toContain(`[file] ${file.filename}`);
    }
  });

  it('lays every reply out as Block Kit within Slack\'s limits, long tables cut to the top rows plus a CSV', () => {
    for (const [command, reply] of replies) {
      const rendered = renderReply(reply, t);
      for (const message of rendered.messages) expect(blockKitViolations(message), command).toEqual([]);
      expect(rendered.messages.length, command).toBeLessThanOrEqual(SLACK_MAX_MESSAGES_PER_REPLY);
      expect(rendered.messages[0]!.text.startsWith(reply.title.replaceAll('&', '&amp;')), command).toBe(true);
      // Charts leave the blocks and go to the poster to be drawn and uploaded.
      expect(rendered.charts, command).toEqual(chartsOf(reply));
      // Every table is Slack's table block (a code block only past 20 columns); one that holds more than
      // Slack shows is noted and attached in full.
      const layouts = slackBlocks(rendered.messages).filter((block) => block.type === 'table' || (block.type === 'section' && block.text?.text.startsWith('```')));
      expect(layouts.length, command).toBe(tablesOf(reply).length);
      const shownAtMost = SLACK_TABLE_BLOCK_MAX_ROWS - 1;
      for (const table of tablesOf(reply)) {
        const total = Math.max(table.totalRows ?? 0, table.rows.length);
        if (table.rows.length > shownAtMost) {
          const csv = rendered.files.find((file) => file.content.toString('utf8').split('\r\n').length === table.rows.length + 2);
          expect(csv, `${command}: CSV of ${table.rows.length} rows`).toBeDefined();
        }
        if (total > Math.min(table.rows.length, shownAtMost)) {
          expect(slackContexts(rendered.messages).some((note) => note.includes(`of ${total} rows.`)), command).toBe(true);
        }
      }
      // The reply's own attachments are uploaded too.
      for (const file of reply.attachments) expect(rendered.files.map((upload) => upload.filename), command).toContain(file.filename);
    }
  });

  it('shows churn\'s top 10 in Slack, notes how many were ranked and uploads them all as CSV', () => {
    const churn = replies.get('churn')!;
    // `churn top 50` ranks the repeat buyers, up to 50 (the small shop has fewer than 50).
    const total = tablesOf(churn)[0]!.totalRows!;
    expect(total).toBeGreaterThan(10);
    const rendered = renderReply(churn, t);
    expect(slackContexts(rendered.messages).join(' ')).toContain(`Showing the top 10 of ${total} rows.`);
    const csv = rendered.files.find((file) => file.filename.endsWith('.csv'));
    // Header, every ranked row, and the empty string after the last CRLF.
    expect(csv?.content.toString('utf8').split('\r\n')).toHaveLength(total + 2);
  });

  it('draws every chart as a PNG of the requested size that is not blank, for Slack and for Teams', async () => {
    const render = createChartRenderer({ cacheEntries: 4, maxConcurrentRenders: 2 });
    for (const [command, reply] of replies) {
      for (const chart of chartsOf(reply)) {
        const slack = await render(chart, { scale: 2 });
        expect(pngSize(slack), `${command}: ${chart.title}`).toEqual({ width: chart.width * 2, height: chart.height * 2 });
        const teams = await render(chart, { scale: 1, maxWidthPx: 1024 });
        expect(pngSize(teams).width).toBeLessThanOrEqual(1024);
        const { inkShare, colours } = await inkOf(teams);
        // Axes, a title, lines or bars: between a few percent and most of the picture, in several colours.
        expect(inkShare, `${command}: ${chart.title}`).toBeGreaterThan(0.02);
        expect(inkShare, `${command}: ${chart.title}`).toBeLessThan(0.9);
        expect(colours, `${command}: ${chart.title}`).toBeGreaterThanOrEqual(4);
      }
    }
  });

  it('lays every reply out as an Adaptive Card 1.5 that validates, within Teams\' size budget, charts inline or beside it', async () => {
    const render = createChartRenderer({ cacheEntries: 4, maxConcurrentRenders: 2 });
    for (const [command, reply] of replies) {
      const chartPngs = new Map<ChartBlock, Buffer>();
      for (const chart of chartsOf(reply)) chartPngs.set(chart, await render(chart, { scale: 1, maxWidthPx: 1024 }));
      const { card, attachments } = renderCard(reply, { t, chartPngs });
      expect(cardSchemaErrors(card), command).toEqual([]);
      expect(cardJsonBytes(card), command).toBeLessThanOrEqual(TEAMS_CARD_BUDGET_BYTES);
      expect(card.actions?.length ?? 0).toBeLessThanOrEqual(TEAMS_MAX_CARD_ACTIONS);
      const images = card.body.filter((element) => element.type === 'Image');
      for (const chart of chartsOf(reply)) {
        const png = chartPngs.get(chart)!;
        if (png.length <= TEAMS_INLINE_CHART_MAX_BYTES) {
          expect(images.some((image) => image.type === 'Image' && image.altText === chart.alt), `${command}: ${chart.title} inline`).toBe(true);
        } else {
          expect(attachments.some((file) => file.contentType === 'image/png'), `${command}: ${chart.title} beside`).toBe(true);
          expect(cardTexts(card.body)).toContain(`The chart "${chart.title}" is attached below this card.`);
        }
      }
      for (const table of tablesOf(reply)) {
        if (table.rows.length > TEAMS_MAX_TABLE_ROWS) expect(attachments.some((file) => file.contentType === 'text/csv'), command).toBe(true);
      }
      expect(card.fallbackText).toBe(`${reply.title}: ${reply.summary}`);
    }
  });

  it('replaces a chart with its alt text when there is no picture or it is too big for a card-only answer, and attaches a big one beside a message', () => {
    const withCharts = [...replies.values()].filter((reply) => chartsOf(reply).length > 0);
    for (const reply of withCharts) {
      const { card, attachments } = renderCard(reply, { t });
      expect(cardSchemaErrors(card)).toEqual([]);
      expect(card.body.some((element) => element.type === 'Image')).toBe(false);
      expect(attachments.some((file) => file.contentType === 'image/png')).toBe(false);
      for (const chart of chartsOf(reply)) expect(cardTexts(card.body)).toContain(`The chart "${chart.title}" could not be drawn. ${chart.alt}`);
      // A picture over the inline limit cannot ride in an invoke answer: alt text again.
      const big = new Map(chartsOf(reply).map((chart) => [chart, Buffer.alloc(TEAMS_INLINE_CHART_MAX_BYTES + 1, 1)] as const));
      const cardOnly = renderCard(reply, { t, chartPngs: big, isCardOnly: true });
      expect(cardOnly.attachments.some((file) => file.contentType === 'image/png')).toBe(false);
      expect(cardTexts(cardOnly.card.body).filter((text) => text.startsWith('The chart "'))).toHaveLength(chartsOf(reply).length);
      // In a normal message the same picture goes beside the card, and the card says so.
      const beside = renderCard(reply, { t, chartPngs: big });
      expect(beside.attachments.filter((file) => file.contentType === 'image/png')).toHaveLength(chartsOf(reply).length);
      for (const chart of chartsOf(reply)) expect(cardTexts(beside.card.body)).toContain(`The chart "${chart.title}" is attached below this card.`);
    }
  });
});
