import type { Translate } from './messages/index.js';
import type { Block, FileAttachment, Reply, TableBlock } from './reply.js';
import { fileNameOf, tableToCsv } from './reply.js';

/**
 * How a reply is made smaller when a platform refuses its size (Teams 413 MessageSizeTooBig, Slack
 * msg_too_long), one step per refusal:
 * 1. charts become a line with their description; tables keep their top rows and travel whole as CSV;
 * 2. tables keep fewer rows, lists and long texts are cut;
 * 3. only the title, the summary and a note remain.
 * Every cut says what was cut and where the rest is.
 */
export const MAX_REDUCE_STEPS = 3;

const TABLE_ROWS_BY_STEP = [Infinity, 10, 5] as const;
const LIST_ITEMS_AT_STEP_2 = 10;
const TEXT_CHARS_AT_STEP_2 = 1000;

export function reduceReply(reply: Reply, steps: number, t: Translate): Reply {
  if (steps <= 0) return reply;
  if (steps >= MAX_REDUCE_STEPS) {
    return { ...reply, blocks: [{ type: 'text', text: t('chat.reduced.all') }], actions: [], attachments: [] };
  }
  const attachments: FileAttachment[] = [...reply.attachments];
  const blocks = reply.blocks.flatMap((block) => reduceBlock(block, steps, t, attachments, reply.title));
  return { ...reply, blocks, attachments };
}

function reduceBlock(block: Block, steps: number, t: Translate, attachments: FileAttachment[], replyTitle: string): Block[] {
  switch (block.type) {
    case 'chart':
      return [{ type: 'text', text: t('chat.reduced.chart', { title: block.title, alt: block.alt }) }];
    case 'table':
      return trimTable(block, TABLE_ROWS_BY_STEP[Math.min(steps, 2)] ?? 5, t, attachments, replyTitle);
    case 'list':
      return steps >= 2 && block.items.length > LIST_ITEMS_AT_STEP_2
        ? [{ type: 'list', items: block.items.slice(0, LIST_ITEMS_AT_STEP_2) }, { type: 'text', text: t('chat.reduced.items', { cut: block.items.length - LIST_ITEMS_AT_STEP_2 }) }]
        : [block];
    case 'text':
      return steps >= 2 && block.text.length > TEXT_CHARS_AT_STEP_2 ? [{ type: 'text', text: `${block.text.slice(0, TEXT_CHARS_AT_STEP_2 - 1)}…` }] : [block];
    case 'fields':
    case 'divider':
      return [block];
  }
}

/** The top rows stay; all of them go along as a CSV file named after the table, and a note says so. */
function trimTable(table: TableBlock, maxRows: number, t: Translate, attachments: FileAttachment[], replyTitle: string): Block[] {
  if (table.rows.length <= maxRows) return [table];
  const filename = fileNameOf(table.caption ?? replyTitle, 'csv');
  if (!attachments.some((file) => file.filename === filename)) {
    attachments.push({ filename, mimeType: 'text/csv', content: tableToCsv(table), encoding: 'utf8', title: table.caption ?? replyTitle });
  }
  const { totalRows, ...rest } = table;
  const trimmed: TableBlock = { ...rest, rows: table.rows.slice(0, maxRows), ...(totalRows !== undefined ? { totalRows } : {}) };
  return [trimmed, { type: 'text', text: t('chat.reduced.rows', { cut: table.rows.length - maxRows, shown: maxRows, filename }) }];
}
