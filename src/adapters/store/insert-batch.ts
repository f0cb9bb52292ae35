import type { Db } from './db.js';
import { sqlParams } from './sql-params.js';

/** A PostgreSQL array type for one column, e.g. 'text', 'timestamptz', 'numeric', 'jsonb'. */
export type PgType = 'text' | 'timestamptz' | 'date' | 'numeric' | 'int8' | 'int4' | 'real' | 'jsonb' | 'bool';

export interface InsertBatchOptions {
  /** Appended verbatim after the SELECT, e.g. 'ON CONFLICT DO NOTHING'. */
  onConflict?: string;
}

/** Rows per statement: big enough to amortise a round trip, small enough to keep parameters a few MB. */
export const INSERT_BATCH_ROWS = 10_000;

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

/**
 * Inserts many rows with one array parameter per column:
 * `INSERT INTO t (a, b) SELECT * FROM unnest($1::text[], $2::timestamptz[])`.
 * The statement has a fixed number of parameters whatever the row count, so it runs the same on pg
 * and PGlite (no 65535-parameter limit, no per-row SQL text). Rows longer than INSERT_BATCH_ROWS are
 * split into several statements; wrap the call in a transaction when they must land together.
 */
export async function insertBatch(
  db: Db,
  table: string,
  columns: readonly string[],
  pgTypes: readonly PgType[],
  rows: readonly (readonly unknown[])[],
  options: InsertBatchOptions = {},
): Promise<number> {
  if (columns.length !== pgTypes.length) throw new Error(`insertBatch ${table}: ${columns.length} columns but ${pgTypes.length} types`);
  for (const name of [table, ...columns]) {
    if (!IDENTIFIER.test(name)) throw new Error(`insertBatch: "${name}" is not a plain identifier`);
  }
  for (let start = 0; start < rows.length; start += INSERT_BATCH_ROWS) {
    const slice = rows.slice(start, start + INSERT_BATCH_ROWS);
    const p = sqlParams();
    const arrays = pgTypes.map((type, column) => `${p.add(slice.map((row) => toParameter(row[column], type)))}::${type}[]`).join(', ');
    await db.query(`INSERT INTO ${table} (${columns.join(', ')}) SELECT * FROM unnest(${arrays})${options.onConflict ? ` ${options.onConflict}` : ''}`, p.values);
  }
  return rows.length;
}

// jsonb travels as text inside a text array; pg and PGlite would otherwise serialise objects differently.
function toParameter(value: unknown, type: PgType): unknown {
  if (value === undefined || value === null) return null;
  if (type === 'jsonb') return JSON.stringify(value);
  if (value instanceof Date) return value.toISOString();
  return value;
}

/**
 * The same rows as one CSV text for COPY (Db.copyCsv): NULL as an unquoted empty field, every other
 * value quoted, so an empty string stays an empty string and commas, quotes and newlines survive.
 */
export function csvOf(pgTypes: readonly PgType[], rows: readonly (readonly unknown[])[]): string {
  const lines: string[] = [];
  for (const row of rows) {
    lines.push(pgTypes.map((type, column) => {
      const value = toParameter(row[column], type);
      return value === null ? '' : `"${String(value).replaceAll('"', '""')}"`;
    }).join(','));
  }
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}
