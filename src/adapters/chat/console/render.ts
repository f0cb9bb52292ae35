import type { Block, Button, ChartBlock, Column, FieldsBlock, FileAttachment, Reply, TableBlock } from '../../../bot/reply.js';

export interface RenderTextOptions {
  /** Where each chart's PNG was written; a chart without a path is shown by its alt text. */
  chartPaths?: Map<ChartBlock, string>;
  /** Terminal columns available. */
  width?: number;
  /** When the output is a terminal, the title is printed in bold. */
  isTty?: boolean;
}

const DEFAULT_WIDTH = 80;
const COLUMN_GAP = '  ';
// Text columns shrink to fit the terminal but keep enough characters to be recognisable.
const MIN_TEXT_COLUMN_WIDTH = 6;
const BOLD = '\u001b[1m';
const RESET = '\u001b[0m';

/** Lays a Reply out as plain terminal text; every value in it was formatted before it got here. */
export function renderReplyText(reply: Reply, options: RenderTextOptions = {}): string {
  const width = options.width ?? DEFAULT_WIDTH;
  const sections: string[][] = [
    [options.isTty ? `${BOLD}${reply.title}${RESET}` : reply.title, reply.summary],
    ...reply.blocks.map((block) => renderBlock(block, width, options.chartPaths)),
  ];
  if (reply.actions.length > 0) sections.push(reply.actions.map(renderAction));
  if (reply.attachments.length > 0) sections.push(reply.attachments.map(renderAttachment));
  return sections.map((lines) => lines.join('\n')).join('\n\n') + '\n';
}

function renderBlock(block: Block, width: number, chartPaths: Map<ChartBlock, string> | undefined): string[] {
  switch (block.type) {
    case 'text': return [block.text];
    case 'fields': return renderFields(block);
    case 'table': return renderTable(block, width);
    case 'list': return block.items.map((item) => `• ${item}`);
    case 'divider': return ['─'.repeat(width)];
    case 'chart': return [`[chart] ${block.title}: ${chartPaths?.get(block) ?? block.alt}`];
  }
}

function renderFields(block: FieldsBlock): string[] {
  const labelWidth = Math.max(0, ...block.fields.map((field) => displayWidth(field.label)));
  return block.fields.map((field) => `${padEnd(`${field.label}:`, labelWidth + 1)} ${field.value}`);
}

function renderTable(table: TableBlock, width: number): string[] {
  const { columns, rows } = table;
  const texts = [columns.map((column) => column.label), ...rows.map((row) => row.map((cell) => cell.text))];
  const widths = fitColumnWidths(columns, texts, width - COLUMN_GAP.length * Math.max(0, columns.length - 1));
  // A cell wider than its column continues on the next lines instead of being cut: "paid_search" and
  // "paid_social" must not both become "paid_…".
  const rowLines = (cells: readonly string[]): string[] => {
    const wrapped = columns.map((_, i) => wrap(cells[i] ?? '', widths[i] ?? 0));
    const height = Math.max(1, ...wrapped.map((parts) => parts.length));
    return Array.from({ length: height }, (_, k) => columns.map((column, i) => align(wrapped[i]?.[k] ?? '', widths[i] ?? 0, column)).join(COLUMN_GAP).trimEnd());
  };
  const lines = [...rowLines(texts[0] ?? []), widths.map((w) => '─'.repeat(w)).join(COLUMN_GAP)];
  if (rows.length === 0) lines.push('(no rows)');
  // One push per line: spreading every row of a long table into push() overflows the stack.
  else for (const row of texts.slice(1)) for (const line of rowLines(row)) lines.push(line);
  if (table.totalRows !== undefined && table.totalRows > rows.length) lines.push(`showing ${rows.length} of ${table.totalRows} rows`);
  if (table.caption) lines.push(table.caption);
  return lines;
}

/** Widths from content; when too wide, the widest text columns give way first and wrap (numbers never do). */
function fitColumnWidths(columns: readonly Column[], texts: readonly (readonly string[])[], available: number): number[] {
  const widths = columns.map((_, i) => texts.reduce((widest, row) => Math.max(widest, displayWidth(row[i] ?? '')), 0));
  let excess = widths.reduce((sum, w) => sum + w, 0) - available;
  while (excess > 0) {
    let widest = -1;
    columns.forEach((column, i) => {
      const w = widths[i] ?? 0;
      if (column.kind === 'text' && w > MIN_TEXT_COLUMN_WIDTH && (widest < 0 || w > (widths[widest] ?? 0))) widest = i;
    });
    if (widest < 0) break;
    widths[widest] = (widths[widest] ?? 0) - 1;
    excess -= 1;
  }
  return widths;
}

function align(text: string, width: number, column: Column): string {
  const isNumeric = column.kind === 'number' || column.kind === 'money' || column.kind === 'percent';
  const padding = ' '.repeat(Math.max(0, width - displayWidth(text)));
  return isNumeric ? padding + text : text + padding;
}

function padEnd(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - displayWidth(text)));
}

function renderAction(button: Button): string {
  return `[${button.label}] → ${button.command}`;
}

function renderAttachment(file: FileAttachment): string {
  return `[file] ${file.filename}${file.title ? ` (${file.title})` : ''}`;
}

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
// East Asian wide and fullwidth characters and emoji take two terminal cells.
const WIDE_CHARACTER = /[\u1100-\u115F\u2E80-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6]|\p{Extended_Pictographic}/u;

/** Terminal cells a string takes: "è" written as e + combining accent is one cell, not two code points. */
function displayWidth(text: string): number {
  let width = 0;
  for (const { segment } of graphemes.segment(text)) width += cellsOf(segment);
  return width;
}

function cellsOf(grapheme: string): number {
  return WIDE_CHARACTER.test(grapheme) ? 2 : 1;
}

/** Characters after which a long cell may continue on the next line. */
const BREAK_AFTER = new Set([' ', '_', '-', '/', '.', ',', '?', '&', '=']);

/** Splits text into lines of at most `width` cells, after a space or punctuation when one is near the end. */
function wrap(text: string, width: number): string[] {
  if (width <= 0 || displayWidth(text) <= width) return [text];
  const parts: string[] = [];
  let line: string[] = [];
  let used = 0;
  for (const { segment } of graphemes.segment(text)) {
    if (used + cellsOf(segment) > width && line.length > 0) {
      const breakAt = line.findLastIndex((grapheme) => BREAK_AFTER.has(grapheme));
      const cut = breakAt >= line.length / 2 ? breakAt + 1 : line.length;
      parts.push(line.slice(0, cut).join('').trimEnd());
      line = line.slice(cut);
      used = line.reduce((sum, grapheme) => sum + cellsOf(grapheme), 0);
    }
    line.push(segment);
    used += cellsOf(segment);
  }
  if (line.length > 0) parts.push(line.join(''));
  return parts;
}
