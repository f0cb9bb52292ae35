import type { types } from '@slack/bolt';
import type { Translate } from '../../../bot/messages/index.js';
import type { Block, Button, ChartBlock, FieldsBlock, Reply, TableBlock } from '../../../bot/reply.js';
import { tableToCsv } from '../../../bot/reply.js';
import {
  SLACK_MAX_ACTION_ID_CHARS, SLACK_MAX_ACTIONS_PER_BLOCK, SLACK_MAX_BUTTON_TEXT_CHARS, SLACK_MAX_BUTTON_VALUE_CHARS,
  SLACK_MAX_CONTEXT_TEXT_CHARS, SLACK_MAX_FALLBACK_TEXT_CHARS, SLACK_MAX_FIELD_CHARS, SLACK_MAX_FIELDS_PER_SECTION,
  SLACK_MAX_HEADER_CHARS, SLACK_MAX_SECTION_TEXT_CHARS, SLACK_TABLE_MAX_ROWS,
} from './limits.js';
import { escapeMrkdwn, splitMrkdwn, truncate } from './mrkdwn.js';
import { packMessages } from './pack-messages.js';
import { tableAsBlock } from './table-block.js';
import { tableAsCodeBlock } from './table-text.js';

export type SlackBlock = types.KnownBlock;

export interface SlackMessage {
  /** Notification and screen-reader fallback (escaped mrkdwn). */
  text: string;
  blocks: SlackBlock[];
}

export interface SlackFile {
  filename: string;
  title: string;
  content: Buffer;
}

export interface RenderedReply {
  /** Posted in order; more than one only when the reply is longer than one Slack message allows. */
  messages: SlackMessage[];
  /** Reply attachments and CSVs of tables cut short, uploaded after the messages. */
  files: SlackFile[];
  /** Drawn to PNG and uploaded by the poster; rendering them is I/O, so it is not done here. */
  charts: ChartBlock[];
}

/** Every action id we render starts with this; one Bolt listener handles them all. */
export const ACTION_ID_PREFIX = 'mkt:';

/** Lays a Reply out as Block Kit, within every Slack limit (split into messages or shortened with a note). */
export function renderReply(reply: Reply, t: Translate): RenderedReply {
  const files: SlackFile[] = reply.attachments.map((file) => ({
    filename: file.filename,
    title: file.title ?? file.filename,
    content: Buffer.from(file.content, file.encoding),
  }));
  const charts: ChartBlock[] = [];
  const content: SlackBlock[] = [];
  if (reply.title.trim() !== '') content.push(header(reply.title));
  if (reply.askedBy) content.push(askedBy(reply.askedBy, t));
  content.push(...textSections(escapeMrkdwn(reply.summary)));
  for (const block of reply.blocks) {
    if (block.type === 'chart') charts.push(block);
    else content.push(...renderBlock(block, t, files));
  }
  const { blockGroups, droppedButtons } = actionBlocks(reply.actions);
  const notes = droppedButtons > 0 ? [t('chat.buttonsDropped', { count: droppedButtons })] : [];
  const packed = packMessages(content, blockGroups, notes.map(contextNote), contextNote(t('chat.textShortened')));
  const fallback = escapeMrkdwn([reply.title, reply.summary].filter(Boolean).join('\n'));
  const messages = packed.map((blocks, index) => index === 0
    ? { text: truncate(fallback, SLACK_MAX_FALLBACK_TEXT_CHARS), blocks }
    : {
      text: truncate(`${escapeMrkdwn(reply.title)} ${t('chat.continued', { part: index + 1, total: packed.length })}`, SLACK_MAX_FALLBACK_TEXT_CHARS),
      blocks: [contextNote(t('chat.continued', { part: index + 1, total: packed.length })), ...blocks],
    });
  return { messages, files, charts };
}

function renderBlock(block: Exclude<Block, ChartBlock>, t: Translate, files: SlackFile[]): SlackBlock[] {
  switch (block.type) {
    case 'text': return textSections(escapeMrkdwn(block.text));
    case 'list': return textSections(block.items.map((item) => `• ${escapeMrkdwn(item)}`).join('\n'));
    case 'fields': return fieldSections(block);
    case 'divider': return [{ type: 'divider' }];
    case 'table': return tableBlocks(block, t, files);
  }
}

function header(title: string): SlackBlock {
  return { type: 'header', text: { type: 'plain_text', text: truncate(title, SLACK_MAX_HEADER_CHARS), emoji: true } };
}

/** How long the question may be in "Asked by @someone: …" before it is cut. */
const ASKED_TEXT_MAX_CHARS = 200;

/** Who asked and what, with the person mentioned (Slack shows their name); their words escaped. */
function askedBy(asked: NonNullable<Reply['askedBy']>, t: Translate): SlackBlock {
  const user = /^[A-Z0-9]+$/.test(asked.person.id) ? `<@${asked.person.id}>` : escapeMrkdwn(asked.person.name);
  const text = t('chat.askedBy', { user, text: escapeMrkdwn(truncate(asked.text, ASKED_TEXT_MAX_CHARS)) });
  return { type: 'context', elements: [{ type: 'mrkdwn', text: truncate(text, SLACK_MAX_CONTEXT_TEXT_CHARS) }] };
}

function textSections(mrkdwn: string): SlackBlock[] {
  if (mrkdwn.trim() === '') return [];
  return splitMrkdwn(mrkdwn, SLACK_MAX_SECTION_TEXT_CHARS).map((text) => ({ type: 'section', text: { type: 'mrkdwn', text } }));
}

function contextNote(text: string): SlackBlock {
  return { type: 'context', elements: [{ type: 'mrkdwn', text: truncate(escapeMrkdwn(text), SLACK_MAX_CONTEXT_TEXT_CHARS) }] };
}

function fieldSections(block: FieldsBlock): SlackBlock[] {
  const sections: SlackBlock[] = [];
  for (let start = 0; start < block.fields.length; start += SLACK_MAX_FIELDS_PER_SECTION) {
    const fields = block.fields.slice(start, start + SLACK_MAX_FIELDS_PER_SECTION).map((field) => ({
      type: 'mrkdwn' as const,
      text: truncate(`*${escapeMrkdwn(field.label)}*\n${escapeMrkdwn(field.value)}`, SLACK_MAX_FIELD_CHARS),
    }));
    sections.push({ type: 'section', fields });
  }
  return sections;
}

/**
 * Slack's table block, or, for a table wider than it allows, top rows as an aligned code block; when
 * rows had to be left out, the whole table goes along as CSV.
 */
function tableBlocks(table: TableBlock, t: Translate, files: SlackFile[]): SlackBlock[] {
  const asBlock = tableAsBlock(table);
  const { blocks, rowsShown } = asBlock
    ? { blocks: [asBlock.block as SlackBlock], rowsShown: asBlock.rowsShown }
    : (() => {
      const { text, rowsShown: shown } = tableAsCodeBlock(table, { maxChars: SLACK_MAX_SECTION_TEXT_CHARS, maxRows: SLACK_TABLE_MAX_ROWS });
      return { blocks: [{ type: 'section', text: { type: 'mrkdwn', text } } as SlackBlock], rowsShown: shown };
    })();
  const notes: string[] = [];
  const totalRows = Math.max(table.totalRows ?? 0, table.rows.length);
  if (rowsShown < totalRows) notes.push(t('chat.tableTop', { shown: rowsShown, total: totalRows }));
  if (rowsShown < table.rows.length) {
    const filename = `${slug(table.caption ?? table.columns.map((column) => column.label).join('-'))}.csv`;
    files.push({ filename, title: table.caption ?? filename, content: Buffer.from(tableToCsv(table), 'utf8') });
    notes.push(t('chat.tableAsCsv', { filename }));
  }
  if (table.caption) notes.unshift(table.caption);
  if (notes.length > 0) blocks.push(contextNote(notes.join(' ')));
  return blocks;
}

/** Buttons in groups of 25; a command too long for a button value cannot run and is left out. */
function actionBlocks(buttons: readonly Button[]): { blockGroups: SlackBlock[]; droppedButtons: number } {
  const usable = buttons.filter((button) => button.command.length <= SLACK_MAX_BUTTON_VALUE_CHARS);
  const elements = usable.map((button, index): types.Button => ({
    type: 'button',
    // The index keeps action ids unique when several buttons share a Reply id (e.g. one per model).
    action_id: `${ACTION_ID_PREFIX}${index}:${button.id}`.slice(0, SLACK_MAX_ACTION_ID_CHARS),
    text: { type: 'plain_text', text: truncate(button.label, SLACK_MAX_BUTTON_TEXT_CHARS), emoji: true },
    value: button.command,
    ...(button.style ? { style: button.style } : {}),
  }));
  const blockGroups: SlackBlock[] = [];
  for (let start = 0; start < elements.length; start += SLACK_MAX_ACTIONS_PER_BLOCK) {
    blockGroups.push({ type: 'actions', elements: elements.slice(start, start + SLACK_MAX_ACTIONS_PER_BLOCK) });
  }
  return { blockGroups, droppedButtons: buttons.length - usable.length };
}

function slug(text: string): string {
  return text.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'table';
}
