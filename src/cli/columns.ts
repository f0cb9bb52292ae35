/** Rows as aligned text columns for the terminal; the last column is left unpadded. */
export function columns(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]?.map((_, index) => rows.reduce((widest, row) => Math.max(widest, row[index]?.length ?? 0), 0)) ?? [];
  return rows.map((row) => row.map((cell, index) => (index === row.length - 1 ? cell : cell.padEnd(widths[index] ?? 0))).join('  ')).join('\n');
}
