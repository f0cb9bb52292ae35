import type { Db } from '../../store/db.js';

/**
 * Claims an Events API delivery by its event id. Slack re-sends an event it thinks was not received
 * (X-Slack-Retry-Num), sometimes while the first delivery is still running; the unique key makes
 * exactly one claim win, across restarts and replicas.
 */
export async function claimEvent(db: Db, eventId: string): Promise<boolean> {
  const rows = await db.query(
    `INSERT INTO processed_events (platform, event_id) VALUES ('slack', $1) ON CONFLICT DO NOTHING RETURNING event_id`,
    [eventId],
  );
  return rows.length === 1;
}
