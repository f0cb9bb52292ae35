import { open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';

/**
 * One writer per embedded database. PGlite is one process's PostgreSQL: a second process opening
 * the same DATA_DIR writes over the first and can leave the folder unopenable. Whoever opens the
 * folder first writes DATA_DIR/writer.lock (created exclusively) naming itself; others are refused
 * while that process lives. A lock left by a killed process is taken over, never waited on.
 * The rule sits at the folder, not in the Db port, so it holds wherever PGlite runs (a worker too).
 */
export const WRITER_LOCK_FILE = 'writer.lock';

export const WriterInfo = z.object({ pid: z.number().int(), host: z.string(), purpose: z.string(), since: z.string() });
export type WriterInfo = z.infer<typeof WriterInfo>;

export class WriterLockHeldError extends Error {
  constructor(readonly dataDir: string, readonly holder: WriterInfo) {
    super(`${dataDir} is open in another process (${holder.purpose}, pid ${holder.pid} on ${holder.host})`);
    this.name = 'WriterLockHeldError';
  }
}

export interface WriterLock {
  release(): Promise<void>;
}

/** A lock file that cannot be read back is a writer mid-way through writing it, unless older than this. */
const UNREADABLE_GRACE_MS = 10_000;

/** Takes the folder's writer lock for `purpose` ('bot', 'mkt import orders ...'), or throws WriterLockHeldError. */
export async function acquireWriterLock(dataDir: string, purpose: string): Promise<WriterLock> {
  const path = join(dataDir, WRITER_LOCK_FILE);
  const mine: WriterInfo = { pid: process.pid, host: hostname(), purpose, since: new Date().toISOString() };
  for (let attempt = 0; attempt < 3; attempt += 1) {
    try {
      const file = await open(path, 'wx');
      await file.writeFile(JSON.stringify(mine));
      await file.close();
      return { release: () => unlink(path).catch(() => undefined) };
    } catch (error) {
      if (!isCode(error, 'EEXIST')) throw error;
    }
    const holder = await readHolder(path);
    if (holder === 'vanished') continue;
    if (holder !== 'unreadable' && isAlive(holder)) throw new WriterLockHeldError(dataDir, holder);
    if (holder === 'unreadable' && !(await isOlderThan(path, UNREADABLE_GRACE_MS))) throw new WriterLockHeldError(dataDir, { pid: 0, host: hostname(), purpose: 'another process starting', since: mine.since });
    await takeOverStale(path, holder);
  }
  throw new Error(`${path}: could not take the writer lock (it keeps changing hands)`);
}

async function readHolder(path: string): Promise<WriterInfo | 'vanished' | 'unreadable'> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (isCode(error, 'ENOENT')) return 'vanished';
    throw error;
  }
  try {
    const parsed = WriterInfo.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : 'unreadable';
  } catch {
    return 'unreadable';
  }
}

/**
 * A process on this machine is alive while signal 0 reaches it. On another machine (a shared volume)
 * we cannot tell, so its lock counts as held: the operator removes it by hand if that host is gone.
 */
function isAlive(holder: WriterInfo): boolean {
  if (holder.host !== hostname()) return true;
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (error) {
    return isCode(error, 'EPERM');
  }
}

/**
 * Moves the stale file aside under a name of our own, so of two processes taking over at once only
 * one succeeds; if what we moved is not the stale lock we read (another just took over), it goes back.
 */
async function takeOverStale(path: string, stale: WriterInfo | 'unreadable'): Promise<void> {
  const aside = `${path}.stale-${process.pid}`;
  try {
    await rename(path, aside);
  } catch (error) {
    if (isCode(error, 'ENOENT')) return;
    throw error;
  }
  const moved = await readHolder(aside);
  const isTheStaleOne = stale === 'unreadable' ? moved === 'unreadable' : typeof moved === 'object' && moved.pid === stale.pid && moved.since === stale.since;
  if (isTheStaleOne) await unlink(aside).catch(() => undefined);
  else await rename(aside, path).catch(() => undefined);
}

async function isOlderThan(path: string, ageMs: number): Promise<boolean> {
  try {
    return Date.now() - (await stat(path)).mtimeMs > ageMs;
  } catch {
    return true;
  }
}

function isCode(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === code;
}
