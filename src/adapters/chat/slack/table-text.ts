import type { Column, TableBlock } from '../../../bot/reply.js';
import { SLACK_TABLE_MAX_CELL_CHARS } from './limits.js';
import { escapeMrkdwn, truncate } from './mrkdwn.js';

const FENCE = '```';
const GAP = '  ';

export interface TableText {
  /** A mrkdwn code block of aligned columns, within `maxChars`. */
  text: string;
  rowsShown: number;
}

/**
 * Lays a table out as monospace columns (numbers right-aligned) and keeps as many top rows as fit
 * in `maxChars` and `maxRows`. The length limit is checked after escaping, since entities count towards it.
 */
export function tableAsCodeBlock(table: TableBlock, { maxChars, maxRows }: { maxChars: number; maxRows: number }): TableText {
  const cellText = (text: string) => truncate(text, SLACK_TABLE_MAX_CELL_CHARS);
  const header = table.columns.map((column) => cellText(column.label));
  const body = table.rows.map((row) => table.columns.map((_, i) => cellText(row[i]?.text ?? '')));
  let rowsShown = Math.min(body.length, maxRows);
  for (;;) {
    const shown = body.slice(0, rowsShown);
    const widths = table.columns.map((_, i) => Math.max(length(header[i] ?? ''), ...shown.map((row) => length(row[i] ?? ''))));
    const line = (cells: readonly string[]) => table.columns.map((column, i) => align(cells[i] ?? '', widths[i] ?? 0, column)).join(GAP).trimEnd();
    const lines = [line(header), widths.map((width) => '-'.repeat(width)).join(GAP), ...shown.map(line)];
    // Padding is computed on the text people see; entities are added after, so columns stay aligned.
    const text = `${FENCE}\n${escapeMrkdwn(lines.join('\n'))}\n${FENCE}`;
    if (text.length <= maxChars || rowsShown === 0) return { text: truncateCode(text, maxChars), rowsShown };
    rowsShown -= 1;
  }
}

/** A header too wide even without rows still has to fit the section. */
function truncateCode(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  return truncate(text.slice(0, -FENCE.length - 1), maxChars - FENCE.length - 1) + `\n${FENCE}`;
}

function align(text: string, width: number, column: Column): string {
  const isNumeric = column.kind === 'number' || column.kind === 'money' || column.kind === 'percent';
  const padding = ' '.repeat(Math.max(0, width - length(text)));
  return isNumeric ? padding + text : text + padding;
}

/** Characters as a monospace font shows them (code points, not UTF-16 units). */
function length(text: string): number {
  return [...text].length;
}
