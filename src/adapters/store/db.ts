/**
 * The database port: the only way the rest of the program reaches SQL.
 * Two implementations run the same SQL: `pg` (a PostgreSQL server) and PGlite (embedded).
 * Both return int8 and numeric columns as JS numbers and timestamptz as Date.
 */
export type Row = Record<string, unknown>;

export interface Db {
  readonly kind: 'pg' | 'pglite';
  query<T extends object = Row>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** Runs a script of several statements without parameters (migrations, seeding DDL). */
  exec(sql: string): Promise<void>;
  /**
   * Loads CSV rows (no header; an unquoted empty field is NULL) into `table`'s `columns` with COPY.
   * Only the embedded database has it (its COPY reads from a blob); callers fall back to INSERT.
   */
  copyCsv?(table: string, columns: readonly string[], csv: string): Promise<void>;
  /** Runs `work` in one transaction; a thrown error rolls it back and propagates. */
  transaction<T>(work: (tx: Db) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** int8 (count, sum of ints) and numeric (money) as numbers; our magnitudes stay well inside 2^53. */
export const parseInt8 = (text: string): number => Number(text);
export const parseNumeric = (text: string): number => Number(text);
export const INT8_OID = 20;
export const NUMERIC_OID = 1700;
