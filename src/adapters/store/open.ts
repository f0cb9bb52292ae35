import { mkdir } from 'node:fs/promises';
import { hostname } from 'node:os';
import type { Db } from './db.js';
import { openPg } from './pg.js';
import { openPglite } from './pglite.js';
import { acquireWriterLock, WriterLockHeldError } from './writer-lock.js';

export interface StoreSettings {
  DATABASE_URL?: string | undefined;
  DATA_DIR: string;
}

/**
 * The PostgreSQL server when DATABASE_URL is set, the embedded database in DATA_DIR otherwise. The
 * embedded one is opened by one process at a time (writer-lock.ts): `purpose` says who, for the
 * refusal another process gets ('bot' for `npm start`, 'mkt import orders' for the CLI).
 */
export async function openDb(settings: StoreSettings, purpose = 'bot'): Promise<Db> {
  if (settings.DATABASE_URL) return openPg(settings.DATABASE_URL);
  await mkdir(settings.DATA_DIR, { recursive: true });
  const lock = await acquireWriterLock(settings.DATA_DIR, purpose);
  let db: Db;
  try {
    db = await openPglite(settings.DATA_DIR);
  } catch (error) {
    await lock.release();
    throw error;
  }
  return { ...db, close: async () => {
    await db.close();
    await lock.release();
  } };
}

/** One line for the user, naming what failed and what would work. */
export function describeOpenError(error: unknown, settings: StoreSettings): string {
  const reason = error instanceof Error ? error.message : String(error);
  if (settings.DATABASE_URL) {
    const where = safeUrl(settings.DATABASE_URL);
    return `DATABASE_URL: cannot connect to ${where} (${reason}); check that the server runs and the URL is right, or unset DATABASE_URL to use the embedded database`;
  }
  if (error instanceof WriterLockHeldError) return describeHeldLock(error);
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

/** One line: who has the folder open, and what to do instead of opening it as a second writer. */
function describeHeldLock({ dataDir, holder }: WriterLockHeldError): string {
  const who = `pid ${holder.pid}${holder.host === hostname() ? '' : ` on ${holder.host}`}, since ${holder.since}`;
  if (holder.purpose === 'bot') {
    return `DATA_DIR: the bot is running on ${dataDir} (${who}) and the embedded database takes one process at a time; ask the bot in its terminal or chat, or stop it (Ctrl-C) and run this again, or use a PostgreSQL server (DATABASE_URL) that both can share`;
  }
  return `DATA_DIR: ${dataDir} is in use by \`${holder.purpose}\` (${who}) and the embedded database takes one process at a time; run this again when it has finished, or use a PostgreSQL server (DATABASE_URL)`;
}
