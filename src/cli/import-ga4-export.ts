import { importGa4ExportFiles } from '../adapters/sources/ga4-export-import.js';
import type { Db } from '../adapters/store/db.js';
import type { CliIo } from './admin-command.js';

/** `mkt import ga4-export <file|folder>`: GA4's BigQuery export tables, as files, into touchpoints. */
export async function importGa4Export(db: Db, path: string, io: CliIo): Promise<number> {
  const outcome = await importGa4ExportFiles(db, path);
  if (!outcome.ok) {
    io.err(`Nothing imported: ${outcome.error}.`);
    return 1;
  }
  const { days, events, skippedEvents, sessions, touchesWritten, touchesRemoved } = outcome.value;
  const span = days.length === 1 ? days[0] : `${days[0]}..${days[days.length - 1]} (${days.length} days)`;
  const skipped = skippedEvents > 0 ? `; ${skippedEvents} events without a visitor or session id skipped` : '';
  io.out(`ga4-export ${span}: ${events} events in ${sessions} sessions; ${touchesWritten} touches written, ${touchesRemoved} removed${skipped}.`);
  // The embedded database has no autovacuum: refresh planner statistics after a bulk load.
  if (db.kind === 'pglite') await db.exec('ANALYZE');
  return 0;
}
