import type { AdminCommand } from './admin-command.js';
import { dbMigrate } from './db-migrate.js';
import { demoSeed } from './demo-seed.js';
import { jobsList, jobsRun } from './jobs.js';
import { importData } from './import.js';
import { changesAdd } from './changes.js';
import { sourcesCheck } from './sources.js';
import { auditLog } from './audit.js';
import { monitorsReplay } from './monitors.js';

/** Every operator command of `mkt`; a new one is one file and one line here. */
export const adminCommands: readonly AdminCommand[] = [
  dbMigrate,
  demoSeed,
  jobsList,
  jobsRun,
  importData,
  changesAdd,
  sourcesCheck,
  auditLog,
  monitorsReplay,
];
