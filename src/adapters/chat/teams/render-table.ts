import type { Cell, Column } from '../../../bot/reply.js';
import type { TableElement } from './card-types.js';
import { textBlock } from './text-block.js';

const NUMERIC_KINDS: ReadonlySet<Column['kind']> = new Set(['number', 'money', 'percent']);

/** An Adaptive Card Table (1.5): a header row, then the given rows; numbers right-aligned. */
export function renderTable(columns: readonly Column[], rows: readonly (readonly Cell[])[]): TableElement {
  const cell = (text: string, isHeader = false) => ({
    type: 'TableCell' as const,
    items: [textBlock(text, isHeader ? { weight: 'Bolder' } : {})],
  });
  return {
    type: 'Table',
    columns: columns.map((column) => ({ width: 1, horizontalCellContentAlignment: NUMERIC_KINDS.has(column.kind) ? 'Right' : 'Left' })),
    rows: [
      { type: 'TableRow', cells: columns.map((column) => cell(column.label, true)) },
      ...rows.map((row) => ({ type: 'TableRow' as const, cells: columns.map((_, i) => cell(row[i]?.text ?? '')) })),
    ],
    firstRowAsHeader: true,
  };
}
