import type { Db } from '../../src/adapters/store/db.js';

/**
 * A handle on a real test database that loses its connection on demand, as a process that dies
 * does: after `cut()` nothing it is asked to write reaches the database, so whatever the code
 * meant to record next is lost exactly as in a crash.
 */
export function cuttableDb(db: Db): Db & { cut(): void } {
  let isCut = false;
  const refuse = () => Promise.reject(new Error('connection terminated: the process died (test)'));
  const handle: Db & { cut(): void } = {
    kind: db.kind,
    cut: () => {
      isCut = true;
    },
    query: (sql, params) => (isCut ? refuse() : db.query(sql, params)),
    exec: (sql) => (isCut ? refuse() : db.exec(sql)),
    transaction: (work) => (isCut ? refuse() : db.transaction(work)),
    close: async () => undefined,
  };
  return handle;
}
