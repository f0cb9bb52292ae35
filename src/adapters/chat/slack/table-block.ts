import type { types } from '@slack/bolt';
import type { Cell, Column, TableBlock } from '../../../bot/reply.js';
import { SLACK_MAX_MESSAGE_BLOCKS_JSON_CHARS, SLACK_TABLE_BLOCK_MAX_COLUMNS, SLACK_TABLE_BLOCK_MAX_ROWS } from './limits.js';

type TableCell = types.TableBlock['rows'][number][number];

/** Room left in a message for the table's title, notes and buttons (packMessages measures the rest). */
const TABLE_JSON_BUDGET = SLACK_MAX_MESSAGE_BLOCKS_JSON_CHARS - 2_500;

export interface TableAsBlock {
  block: types.TableBlock;
  rowsShown: number;
}

/**
 * A table as Slack's own `table` block (docs.slack.dev/reference/block-kit/blocks/table-block): a header
 * row of labels, then as many rows as fit in 100 rows and the message's size; numbers right-aligned, text
 * wrapped so nothing is cut; a cell holding a link is a clickable link. Undefined when the table has more
 * columns than the block allows: the caller lays it out as text instead.
 */
export function tableAsBlock(table: TableBlock): TableAsBlock | undefined {
  if (table.columns.length === 0 || table.columns.length > SLACK_TABLE_BLOCK_MAX_COLUMNS) return undefined;
  const header = table.columns.map((column) => rawText(column.label));
  const rows: TableCell[][] = [header];
  let size = JSON.stringify(header).length;
  for (const row of table.rows) {
    if (rows.length >= SLACK_TABLE_BLOCK_MAX_ROWS) break;
    const cells = table.columns.map((_, index) => cellOf(row[index]));
    const rowSize = JSON.stringify(cells).length + 1;
    if (size + rowSize > TABLE_JSON_BUDGET) break;
    rows.push(cells);
    size += rowSize;
  }
  return { block: { type: 'table', column_settings: table.columns.map(settingsOf), rows }, rowsShown: rows.length - 1 };
}

function settingsOf(column: Column): { align?: 'right'; is_wrapped?: boolean } {
  const isNumeric = column.kind === 'number' || column.kind === 'money' || column.kind === 'percent';
  return isNumeric ? { align: 'right' } : { is_wrapped: true };
}

const LINK = /^https?:\/\/\S+$/;

function cellOf(cell: Cell | undefined): TableCell {
  const text = cell?.text ?? '';
  if (LINK.test(text)) {
    return { type: 'rich_text', elements: [{ type: 'rich_text_section', elements: [{ type: 'link', url: text, text }] }] };
  }
  return rawText(text);
}

/** Slack shows raw text as it is (no mrkdwn, no entities); an empty cell still needs a character. */
function rawText(text: string): TableCell {
  return { type: 'raw_text', text: text === '' ? ' ' : text };
}
