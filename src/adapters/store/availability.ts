import type { Logger } from '../../log.js';
import { isStoreUnavailable } from '../../bot/store-unavailable.js';
import type { Db } from './db.js';

/**
 * The database as the whole process uses it, watched for the server going away and coming back.
 * During an outage every answer, webhook, delivery pass and job retry fails the same way; one line
 * when the first of them meets it and one when a statement succeeds again tell the operator more
 * than one line per request would, and keep the log readable through a long outage.
 */
export function watchAvailability(db: Db, log: Logger, nowMs: () => number = Date.now): Db {
  let outage: { sinceMs: number; failures: number } | undefined;

  const observe = async <T>(work: () => Promise<T>): Promise<T> => {
    let value: T;
    try {
      value = await work();
    } catch (error) {
      if (isStoreUnavailable(error)) {
        if (outage) outage.failures += 1;
        else {
          outage = { sinceMs: nowMs(), failures: 1 };
          log.error('database unreachable: answers, webhooks and jobs fail with "retrying" until it is back', { error: error instanceof Error ? error.message : String(error) });
        }
      }
      throw error;
    }
    if (outage) {
      log.info('database reachable again', { downForS: Math.round((nowMs() - outage.sinceMs) / 1000), failedWhileDown: outage.failures });
      outage = undefined;
    }
    return value;
  };

  return {
    kind: db.kind,
    query: (sql, params) => observe(() => db.query(sql, params)),
    exec: (sql) => observe(() => db.exec(sql)),
    // The transaction's own statements reach `db` directly: one outcome per transaction is enough.
    transaction: (work) => observe(() => db.transaction(work)),
    close: () => db.close(),
  };
}
