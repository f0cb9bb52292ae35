import type { DataPort } from '../../bot/data-port.js';
import type { Db } from './db.js';
import { kpiQueries } from './queries/kpi.js';

/** The bot's view of the database: every topic's queries over one connection. */
export function createDataPort(db: Db): DataPort {
  return {
    ...kpiQueries(db),
  };
}
