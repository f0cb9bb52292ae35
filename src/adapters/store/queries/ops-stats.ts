import type { Db } from '../db.js';

export interface QueueStats {
  pending: number;
  /** Age of the oldest post still waiting, 0 when none waits. */
  oldestPendingS: number;
  /** Posts the queue gave up on (reported to their owner, listed by `mkt jobs list`). */
  failed: number;
}

/** The delivery queue as an operator watches it: how much waits, for how long, and what failed. */
export async function queueStats(db: Db, now: Date): Promise<QueueStats> {
  const [row] = await db.query<{ pending: number; oldest: Date | null; failed: number }>(
    `SELECT count(*) FILTER (WHERE status = 'pending') AS pending,
            min(created_at) FILTER (WHERE status = 'pending') AS oldest,
            count(*) FILTER (WHERE status = 'failed') AS failed
       FROM outbox`,
  );
  const oldestMs = row?.oldest ? now.getTime() - row.oldest.getTime() : 0;
  return { pending: row?.pending ?? 0, oldestPendingS: Math.max(0, oldestMs / 1000), failed: row?.failed ?? 0 };
}

/** How many targets each signal's monitor judges in breach or ok at its latest evaluation. */
export async function monitorVerdicts(db: Db): Promise<{ signal: string; verdict: 'breach' | 'ok'; targets: number }[]> {
  return db.query(
    `SELECT signal, CASE WHEN breaches_in_row > 0 THEN 'breach' ELSE 'ok' END AS verdict, count(*) AS targets
       FROM monitor_state GROUP BY 1, 2 ORDER BY 1, 2`,
  );
}

/** Readiness: the database answers a trivial query. */
export async function pingDatabase(db: Db): Promise<void> {
  await db.query('SELECT 1');
}

/** Posts still waiting, per platform: `mkt jobs run` says which ones the bot will deliver. */
export async function pendingByPlatform(db: Db): Promise<{ platform: string; posts: number }[]> {
  return db.query("SELECT platform, count(*) AS posts FROM outbox WHERE status = 'pending' GROUP BY platform ORDER BY platform");
}
