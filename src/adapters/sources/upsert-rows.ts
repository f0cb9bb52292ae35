import type { Db } from '../store/db.js';
import type { PgType } from '../store/insert-batch.js';
import { sqlParams } from '../store/sql-params.js';

/**
 * Inserts rows, or updates the existing row with the same key when a value differs, and returns
 * how many rows were inserted or actually changed (re-importing the same file counts 0).
 * Rows travel as one array per column (unnest), so the statement size does not grow with the batch.
 */
export async function upsertRows(db: Db, table: string, columns: readonly { name: string; type: PgType }[], key: readonly string[], rows: readonly (readonly unknown[])[]): Promise<number> {
  if (rows.length === 0) return 0;
  const keyIndexes = key.map((name) => columns.findIndex((column) => column.name === name));
  // ON CONFLICT DO UPDATE may not touch one row twice in a statement: the last row per key wins.
  const unique = [...new Map(rows.map((row) => [JSON.stringify(keyIndexes.map((index) => row[index])), row])).values()];
  const names = columns.map((column) => column.name);
  const others = names.filter((name) => !key.includes(name));
  const p = sqlParams();
  const arrays = columns.map((column, index) => `${p.add(unique.map((row) => toParameter(row[index])))}::${column.type}[]`).join(', ');
  const update = others.length === 0 ? 'DO NOTHING'
    : `DO UPDATE SET ${others.map((name) => `${name} = excluded.${name}`).join(', ')} WHERE (${others.map((name) => `${table}.${name}`).join(', ')}) IS DISTINCT FROM (${others.map((name) => `excluded.${name}`).join(', ')})`;
  const [result] = await db.query<{ changed: number }>(
    `WITH written AS (INSERT INTO ${table} (${names.join(', ')}) SELECT * FROM unnest(${arrays}) ON CONFLICT (${key.join(', ')}) ${update} RETURNING 1)
     SELECT count(*)::int AS changed FROM written`,
    p.values,
  );
  return result?.changed ?? 0;
}

function toParameter(value: unknown): unknown {
  if (value === undefined) return null;
  return value instanceof Date ? value.toISOString() : value;
}
