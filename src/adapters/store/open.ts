import { mkdir } from 'node:fs/promises';
import type { Db } from './db.js';
import { openPg } from './pg.js';
import { openPglite } from './pglite.js';

export interface StoreSettings {
  DATABASE_URL?: string | undefined;
  DATA_DIR: string;
}

/** The PostgreSQL server when DATABASE_URL is set, the embedded database in DATA_DIR otherwise. */
export async function openDb(settings: StoreSettings): Promise<Db> {
  if (settings.DATABASE_URL) return openPg(settings.DATABASE_URL);
  await mkdir(settings.DATA_DIR, { recursive: true });
  return openPglite(settings.DATA_DIR);
}

/** One line for the user, naming what failed and what would work. */
export function describeOpenError(error: unknown, settings: StoreSettings): string {
  const reason = error instanceof Error ? error.message : String(error);
  if (settings.DATABASE_URL) {
    const where = safeUrl(settings.DATABASE_URL);
    return `DATABASE_URL: cannot connect to ${where} (${reason}); check that the server runs and the URL is right, or unset DATABASE_URL to use the embedded database`;
  }
  return `DATA_DIR: cannot open the embedded database in ${settings.DATA_DIR} (${reason}); check the folder is writable, or point DATA_DIR elsewhere`;
}

/** A database URL fit for a message: the password, if any, masked. */
export function safeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.password = parsed.password ? '***' : '';
    return parsed.toString();
  } catch {
    return 'the configured server';
  }
}
