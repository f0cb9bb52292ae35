import type { DataPort } from '../../bot/data-port.js';
import { auditQueries } from './queries/audit.js';
import type { Db } from './db.js';
import { attributionQueries } from './queries/attribution.js';
import { budgetQueries } from './queries/budget.js';
import { changesQueries } from './queries/changes.js';
import { churnQueries } from './queries/churn.js';
import { digestQueries } from './queries/digest.js';
import { incidentsQueries } from './queries/incidents.js';
import { kpiQueries } from './queries/kpi.js';
import { speedQueries } from './queries/speed.js';
import { trackingQueries } from './queries/tracking.js';
import { rfmAggregateQueries } from './queries/rfm-aggregates.js';
import { segmentQueries } from './queries/segment.js';

/** The bot's view of the database: every topic's queries over one connection. */
export function createDataPort(db: Db): DataPort {
  return {
    ...kpiQueries(db),
    ...incidentsQueries(db),
    ...trackingQueries(db),
    ...speedQueries(db),
    ...attributionQueries(db),
    ...changesQueries(db),
    ...budgetQueries(db),
    ...rfmAggregateQueries(db),
    ...churnQueries(db),
    ...segmentQueries(db),
    ...digestQueries(db),
    ...auditQueries(db),
  };
}
