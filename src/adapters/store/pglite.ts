import { PGlite } from '@electric-sql/pglite';
import type { Db, Row } from './db.js';
import { INT8_OID, NUMERIC_OID, parseInt8, parseNumeric } from './db.js';

const parsers = { [INT8_OID]: parseInt8, [NUMERIC_OID]: parseNumeric };

/** Opens (or creates) an embedded database in `dataDir`; `memory://` keeps it in memory. */
export async function openPglite(dataDir: string, options: { loadDataDir?: Blob } = {}): Promise<Db> {
  const pglite = await PGlite.create({ dataDir, parsers, ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}) });
  return wrapPglite(pglite);
}

/** Dumps the whole data directory, so tests can start many databases from one migrated template. */
export async function dumpPglite(db: Db): Promise<Blob> {
  const pglite = pgliteOf.get(db);
  if (!pglite) throw new Error('dumpPglite needs a database opened by openPglite');
  return pglite.dumpDataDir('none');
}

const pgliteOf = new WeakMap<Db, PGlite>();

function wrapPglite(pglite: PGlite): Db {
  // PGlite has one connection: a transaction must run to the end before the next query starts,
  // so outside callers queue behind it (PGlite serialises queries, but not our BEGIN..COMMIT).
  let tail: Promise<unknown> = Promise.resolve();
  const serialised = <T>(work: () => Promise<T>): Promise<T> => {
    const next = tail.then(work, work);
    tail = next.catch(() => undefined);
    return next;
  };
  const runQuery = async <T extends object>(sql: string, params: readonly unknown[] = []): Promise<T[]> => {
    const result = await pglite.query<T>(sql, params as unknown[]);
    return result.rows;
  };
  const runExec = async (sql: string): Promise<void> => {
    await pglite.exec(sql);
  };
  const inside: Db = {
    kind: 'pglite',
    query: runQuery,
    exec: runExec,
    transaction: (work) => work(inside),
    close: async () => undefined,
  };
  const db: Db = {
    kind: 'pglite',
    query: (sql, params) => serialised(() => runQuery(sql, params)),
    exec: (sql) => serialised(() => runExec(sql)),
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
  pgliteOf.set(db, pglite);
  return db;
}
