import type { Db } from '../store/db.js';
import { ok } from '../../bot/result.js';
import type { Result } from '../../bot/result.js';
import { readGa4ExportFiles } from './ga4-export-files.js';
import type { ExportDay, ExportOrigin, ExportWrite } from './ga4-export-store.js';
import { replaceExportDays } from './ga4-export-store.js';
import type { ExportSessions } from './ga4-export-sessions.js';

export interface ExportImport extends ExportWrite {
  events: number;
  /** Events without a visitor or session id: nothing to join them to. */
  skippedEvents: number;
}

/** `mkt import ga4-export <file|folder>`: every day the files hold replaces that day. */
export async function importGa4ExportFiles(db: Db, path: string): Promise<Result<ExportImport, string>> {
  const read = await readGa4ExportFiles(path);
  if (!read.ok) return read;
  return ok(await writeExportSessions(db, read.value.sessions, 'file'));
}

/**
 * Writes what was read of some export days, replacing those days: the days the events belong to,
 * and the tables read (`tableModifiedAt`, from the API), even one that held no event.
 */
export async function writeExportSessions(db: Db, read: ExportSessions, origin: ExportOrigin, tableModifiedAt: ReadonlyMap<string, Date> = new Map()): Promise<ExportImport> {
  const sessions = read.sessions();
  const dayList = [...new Set([...read.days(), ...tableModifiedAt.keys()])].sort();
  const days: ExportDay[] = dayList.map((day) => {
    const modifiedAt = tableModifiedAt.get(day);
    return { day, events: read.eventsOn(day), ...(modifiedAt ? { tableModifiedAt: modifiedAt } : {}) };
  });
  const written = await replaceExportDays(db, days, sessions, origin);
  return { ...written, events: read.events, skippedEvents: read.skippedEvents };
}

