import type { Db } from '../store/db.js';

/** One row of `changes` (data contract). */
export interface Change {
  at: Date;
  kind: 'deploy' | 'tag_manager' | 'campaign' | 'config';
  ref: string;
  author: string | null;
  summary: string | null;
  url: string | null;
  details?: Record<string, unknown>;
}

/** Records a change once: a replayed webhook or re-polled version (same kind and ref) changes nothing. */
export async function recordChange(db: Db, change: Change): Promise<{ isNew: boolean }> {
  const inserted = await db.query(
    `INSERT INTO changes (at, kind, ref, author, summary, url, details) VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb)
     ON CONFLICT (kind, ref) DO NOTHING RETURNING id`,
    [change.at.toISOString(), change.kind, change.ref, change.author, change.summary, change.url, change.details === undefined ? null : JSON.stringify(change.details)],
  );
  return { isNew: inserted.length > 0 };
}
