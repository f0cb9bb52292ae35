import type { z } from 'zod';
import type { Db } from '../store/db.js';

/**
 * A source's cursor (source_cursors, migration 013), read back through the source's own schema;
 * a row this release cannot read counts as no cursor, so the source starts over rather than guess.
 */
export async function readCursor<T>(db: Db, source: string, shape: z.ZodType<T>): Promise<T | undefined> {
  const [row] = await db.query<{ position: unknown }>('SELECT position FROM source_cursors WHERE source = $1', [source]);
  const parsed = row ? shape.safeParse(row.position) : undefined;
  return parsed?.success ? parsed.data : undefined;
}

/** Call inside the transaction that writes what was read up to the cursor. */
export async function writeCursor<T>(db: Db, source: string, position: T): Promise<void> {
  await db.query(
    `INSERT INTO source_cursors (source, position) VALUES ($1, $2::jsonb)
     ON CONFLICT (source) DO UPDATE SET position = EXCLUDED.position, updated_at = now()`,
    [source, JSON.stringify(position)],
  );
}

/** Forgets a source's cursor: its next run starts over (a backfill that failed). */
export async function clearCursor(db: Db, source: string): Promise<void> {
  await db.query('DELETE FROM source_cursors WHERE source = $1', [source]);
}
