import type { CsvTarget } from './csv-targets.js';

/** Other delimiters a one-column header may have been written with, and how to ask for them. */
const OTHER_DELIMITERS = [[';', "';'"], ['\t', 'tab'], ['|', "'|'"], [',', "','"]] as const;

/**
 * For each target column, the index of its field in the header (-1 when optional and absent), or
 * what is wrong: a mapping to a column the table lacks, a required column missing (with the
 * --delimiter to use when the header is one field that another delimiter would split).
 */
export function resolveColumns(target: CsvTarget, header: readonly string[], map: Readonly<Record<string, string>>): number[] | string {
  const names = header.map((name) => name.trim());
  const unknownTargets = Object.keys(map).filter((name) => !target.columns.some((column) => column.name === name));
  if (unknownTargets.length > 0) return `--map names ${unknownTargets.join(', ')}, which ${target.table} does not have (columns: ${target.columns.map((column) => column.name).join(', ')})`;
  const headerOf = (column: CsvTarget['columns'][number]) => map[column.name] ?? column.header;
  const indexes = target.columns.map((column) => names.indexOf(headerOf(column)));
  const missing = target.columns.filter((column, index) => column.required && indexes[index] === -1);
  if (missing.length === 0) return indexes;
  const delimiter = names.length === 1 ? OTHER_DELIMITERS.find(([character]) => (names[0] ?? '').split(character).length > 1) : undefined;
  if (delimiter) return `the header is one field, "${names[0]}"; its columns look separated by ${delimiter[1] === 'tab' ? 'tabs' : delimiter[1]}: run with --delimiter ${delimiter[1]}`;
  const first = missing[0]!;
  return `the header has no column ${missing.map(headerOf).join(', ')} (it has ${names.join(', ')}); use --map ${first.name}=<header>`;
}
