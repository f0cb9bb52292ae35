/** The messages between openPglite (pglite.ts) and the thread that owns the database (pglite-worker.ts). */
export interface PgliteWorkerData {
  dataDir: string;
  /** A data directory dump (dumpDataDir's tar) to start from. */
  loadDataDir?: ArrayBuffer;
}

export type PgliteAsk =
  | { op: 'query'; sql: string; params: readonly unknown[] }
  | { op: 'exec'; sql: string }
  | { op: 'copy'; sql: string; csv: string }
  | { op: 'dump' }
  | { op: 'close' };

export type PgliteRequest = PgliteAsk & { id: number };

/** An error's name, message and PostgreSQL fields (code, detail, constraint...), rebuilt on the other side. */
export interface WireError {
  name: string;
  message: string;
  fields: Record<string, string | number>;
}

/** id 0 is the worker saying the database is open (or why it is not). */
export type PgliteResponse =
  | { id: number; ok: true; rows: object[]; dump?: ArrayBuffer }
  | { id: number; ok: false; error: WireError };
