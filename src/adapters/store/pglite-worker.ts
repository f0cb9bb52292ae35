/**
 * The embedded database's own thread (see pglite.ts): owns one PGlite and answers the messages of
 * the thread that started it, one at a time in arrival order, as PGlite's single connection does.
 * Rows come back by structured clone (numbers, strings, Dates, byte arrays and JSON survive it).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { INT8_OID, NUMERIC_OID, parseInt8, parseNumeric } from './db.js';
import type { PgliteRequest, PgliteResponse, PgliteWorkerData, WireError } from './pglite-wire.js';

const port = parentPort;
if (!port) throw new Error('pglite-worker.ts runs as a worker thread (started by openPglite)');
const { dataDir, loadDataDir } = workerData as PgliteWorkerData;

const parsers = { [INT8_OID]: parseInt8, [NUMERIC_OID]: parseNumeric };

function wireError(error: unknown): WireError {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error), fields: {} };
  // PostgreSQL's fields (code, detail, constraint, position...) are own properties of PGlite's error.
  const fields: Record<string, string | number> = {};
  for (const [key, value] of Object.entries(error)) {
    if (typeof value === 'string' || typeof value === 'number') fields[key] = value;
  }
  return { name: error.name, message: error.message, fields };
}

let pglite: PGlite;
try {
  pglite = await PGlite.create({ dataDir, parsers, ...(loadDataDir ? { loadDataDir: new Blob([loadDataDir]) } : {}) });
} catch (error) {
  port.postMessage({ id: 0, ok: false, error: wireError(error) } satisfies PgliteResponse);
  throw error;
}
port.postMessage({ id: 0, ok: true, rows: [] } satisfies PgliteResponse);

async function answer(request: PgliteRequest): Promise<PgliteResponse> {
  switch (request.op) {
    case 'query':
      return { id: request.id, ok: true, rows: (await pglite.query(request.sql, request.params as unknown[])).rows as object[] };
    case 'exec':
      await pglite.exec(request.sql);
      return { id: request.id, ok: true, rows: [] };
    case 'copy':
      await pglite.query(request.sql, [], { blob: new Blob([request.csv]) });
      return { id: request.id, ok: true, rows: [] };
    case 'dump': {
      const dump = await pglite.dumpDataDir('none');
      return { id: request.id, ok: true, rows: [], dump: await dump.arrayBuffer() };
    }
    case 'close':
      await pglite.close();
      return { id: request.id, ok: true, rows: [] };
  }
}

// One request at a time, in order: the calling thread already keeps a transaction's statements together.
let tail: Promise<void> = Promise.resolve();
port.on('message', (request: PgliteRequest) => {
  tail = tail.then(async () => {
    let response: PgliteResponse;
    try {
      response = await answer(request);
    } catch (error) {
      response = { id: request.id, ok: false, error: wireError(error) };
    }
    port.postMessage(response, response.ok && response.dump ? [response.dump] : []);
    if (request.op === 'close') port.close();
  });
});
