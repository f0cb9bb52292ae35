import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Db } from './db.js';
import type { PgliteAsk, PgliteResponse, PgliteWorkerData, WireError } from './pglite-wire.js';

/**
 * The embedded database, run on a thread of its own (pglite-worker.ts). PGlite is PostgreSQL compiled
 * to WebAssembly: a query runs on the thread that owns it, so on the main thread a 2-second query
 * stopped every acknowledgement, HTTP answer and timer for 2 seconds. Here the main thread only posts
 * the SQL and waits for rows, and stays free while the database works.
 */
export async function openPglite(dataDir: string, options: { loadDataDir?: Blob } = {}): Promise<Db> {
  const remote = await startWorker({ dataDir, ...(options.loadDataDir ? { loadDataDir: await options.loadDataDir.arrayBuffer() } : {}) });
  const db = wrapPglite(remote);
  remoteOf.set(db, remote);
  return db;
}

/** Dumps the whole data directory, so tests can start many databases from one migrated template. */
export async function dumpPglite(db: Db): Promise<Blob> {
  const remote = remoteOf.get(db);
  if (!remote) throw new Error('dumpPglite needs a database opened by openPglite');
  return remote.dump();
}

/** What the main thread can ask of the database thread. */
interface RemotePglite {
  query<T extends object>(sql: string, params: readonly unknown[]): Promise<T[]>;
  exec(sql: string): Promise<void>;
  copy(sql: string, csv: string): Promise<void>;
  dump(): Promise<Blob>;
  close(): Promise<void>;
}

const remoteOf = new WeakMap<Db, RemotePglite>();

/**
 * Built, the worker is plain JavaScript beside this file. From source (tsx, vitest) it is TypeScript:
 * a worker does not inherit tsx's loader, so a two-line bootstrap registers it first.
 */
function workerScript(): { script: URL | string; evaluated: boolean } {
  if (!import.meta.url.endsWith('.ts')) return { script: new URL('./pglite-worker.js', import.meta.url), evaluated: false };
  // tsx's ESM API (the package's "import" export of tsx/esm/api); its CommonJS twin cannot register hooks from a worker.
  const tsxApi = pathToFileURL(join(dirname(createRequire(import.meta.url).resolve('tsx/package.json')), 'dist/esm/api/index.mjs')).href;
  const worker = new URL('./pglite-worker.ts', import.meta.url).href;
  return { script: `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(worker)}); });`, evaluated: true };
}

function rebuiltError(wire: WireError): Error {
  const error = Object.assign(new Error(wire.message), wire.fields);
  error.name = wire.name;
  return error;
}

async function startWorker(data: PgliteWorkerData): Promise<RemotePglite> {
  const { script, evaluated } = workerScript();
  const worker = new Worker(script, { eval: evaluated, workerData: data, transferList: data.loadDataDir ? [data.loadDataDir] : [] });
  const pending = new Map<number, { resolve(response: PgliteResponse & { ok: true }): void; reject(error: Error): void }>();
  let nextId = 1;
  let stopped: Error | undefined;
  // The thread keeps the process alive only while it has work: a database left open does not hold up exit.
  const holdWhileBusy = () => (pending.size > 0 ? worker.ref() : worker.unref());

  const opened = new Promise<void>((resolve, reject) => {
    pending.set(0, { resolve: () => resolve(), reject });
  });
  worker.on('message', (response: PgliteResponse) => {
    const waiting = pending.get(response.id);
    if (!waiting) return;
    pending.delete(response.id);
    holdWhileBusy();
    if (response.ok) waiting.resolve(response);
    else waiting.reject(rebuiltError(response.error));
  });
  const failAll = (error: Error) => {
    stopped ??= error;
    for (const waiting of pending.values()) waiting.reject(error);
    pending.clear();
    holdWhileBusy();
  };
  worker.on('error', failAll);
  worker.on('exit', (code) => failAll(new Error(`the embedded database thread stopped (exit code ${code})`)));

  const ask = (request: PgliteAsk): Promise<PgliteResponse & { ok: true }> => {
    if (stopped) return Promise.reject(stopped);
    const id = nextId;
    nextId += 1;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      holdWhileBusy();
      worker.postMessage({ ...request, id });
    });
  };

  await opened;
  let closed = false;
  return {
    query: async <T extends object>(sql: string, params: readonly unknown[]) => (await ask({ op: 'query', sql, params })).rows as T[],
    exec: async (sql) => {
      await ask({ op: 'exec', sql });
    },
    copy: async (sql, csv) => {
      await ask({ op: 'copy', sql, csv });
    },
    dump: async () => {
      const response = await ask({ op: 'dump' });
      if (!response.dump) throw new Error('the embedded database thread sent no dump');
      return new Blob([response.dump]);
    },
    close: async () => {
      if (closed) return;
      closed = true;
      await ask({ op: 'close' });
      await worker.terminate();
    },
  };
}

function wrapPglite(pglite: RemotePglite): Db {
  // PGlite has one connection: a transaction must run to the end before the next query starts,
  // so outside callers queue behind it (the thread serialises queries, but not our BEGIN..COMMIT).
  let tail: Promise<unknown> = Promise.resolve();
  const serialised = <T>(work: () => Promise<T>): Promise<T> => {
    const next = tail.then(work, work);
    tail = next.catch(() => undefined);
    return next;
  };
  const runQuery = <T extends object>(sql: string, params: readonly unknown[] = []): Promise<T[]> => pglite.query<T>(sql, params);
  const runExec = (sql: string): Promise<void> => pglite.exec(sql);
  const runCopy = (table: string, columns: readonly string[], csv: string): Promise<void> => {
    for (const name of [table, ...columns]) {
      if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`copyCsv: "${name}" is not a plain identifier`);
    }
    return pglite.copy(`COPY ${table} (${columns.join(', ')}) FROM '/dev/blob' WITH (FORMAT csv)`, csv);
  };
  const inside: Db = {
    kind: 'pglite',
    query: runQuery,
    exec: runExec,
    copyCsv: runCopy,
    transaction: (work) => work(inside),
    close: async () => undefined,
  };
  return {
    kind: 'pglite',
    query: (sql, params) => serialised(() => runQuery(sql, params)),
    exec: (sql) => serialised(() => runExec(sql)),
    copyCsv: (table, columns, csv) => serialised(() => runCopy(table, columns, csv)),
    transaction: (work) => serialised(async () => {
      await pglite.exec('BEGIN');
      try {
        const value = await work(inside);
        await pglite.exec('COMMIT');
        return value;
      } catch (error) {
        await pglite.exec('ROLLBACK');
        throw error;
      }
    }),
    close: () => serialised(() => pglite.close()),
  };
}
