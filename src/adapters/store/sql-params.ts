/**
 * Positional parameters for SQL assembled from pieces: each value is added where the piece that
 * reads it is written, and `add` returns its placeholder, so no piece counts `$n` by hand or
 * assumes which number another piece took.
 *
 *   const p = sqlParams();
 *   const sql = `SELECT * FROM orders WHERE ordered_at >= ${p.add(start)} AND ordered_at < ${p.add(end)}`;
 *   await db.query(sql, p.values);
 */
export interface SqlParams {
  /** Appends `value` and returns its placeholder, "$1" for the first. */
  add(value: unknown): string;
  /** The values in placeholder order, for db.query. */
  readonly values: readonly unknown[];
}

export function sqlParams(): SqlParams {
  const values: unknown[] = [];
  return {
    add(value) {
      values.push(value);
      return `$${values.length}`;
    },
    values,
  };
}
