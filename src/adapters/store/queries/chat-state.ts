import type { Db } from '../db.js';

/** What the chat adapters keep between requests: claimed event ids and conversation references. */
export type ChatPlatform = 'slack' | 'teams';

/**
 * Claims a delivery by its event id; true for exactly one claimant. Platforms re-send an event they
 * think was not received, sometimes while the first delivery is still running; the unique key makes one
 * claim win across restarts and replicas.
 */
export async function claimPlatformEvent(db: Db, platform: ChatPlatform, eventId: string): Promise<boolean> {
  const rows = await db.query(
    'INSERT INTO processed_events (platform, event_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING event_id',
    [platform, eventId],
  );
  return rows.length === 1;
}

/** Keeps the latest reference per conversation; an unchanged row is left alone to spare a write per message. */
export async function saveConversationReference(db: Db, platform: ChatPlatform, channelId: string, reference: object): Promise<void> {
  await db.query(
    `INSERT INTO conversation_refs (platform, channel_id, reference, updated_at) VALUES ($1, $2, $3::jsonb, now())
     ON CONFLICT (platform, channel_id) DO UPDATE SET reference = EXCLUDED.reference, updated_at = now()
     WHERE conversation_refs.reference IS DISTINCT FROM EXCLUDED.reference`,
    [platform, channelId, JSON.stringify(reference)],
  );
}

/** The stored reference as JSON, for the adapter to validate; undefined when none is kept. */
export async function loadConversationReference(db: Db, platform: ChatPlatform, channelId: string): Promise<unknown> {
  const [row] = await db.query<{ reference: unknown }>(
    'SELECT reference FROM conversation_refs WHERE platform = $1 AND channel_id = $2', [platform, channelId]);
  return row?.reference;
}

/**
 * The most recently refreshed reference whose JSON has `key` = `value` (a Teams channel of some team):
 * a conversation the bot was never told about can borrow its service address and bot id.
 */
export async function latestConversationReferenceWith(db: Db, platform: ChatPlatform, key: string, value: string): Promise<unknown> {
  const [row] = await db.query<{ reference: unknown }>(
    'SELECT reference FROM conversation_refs WHERE platform = $1 AND reference->>$2 = $3 ORDER BY updated_at DESC, channel_id LIMIT 1', [platform, key, value]);
  return row?.reference;
}

/** Forgets a conversation (the app was removed from it); returns how many references went. */
export async function deleteConversationReference(db: Db, platform: ChatPlatform, channelId: string): Promise<number> {
  const rows = await db.query('DELETE FROM conversation_refs WHERE platform = $1 AND channel_id = $2 RETURNING channel_id', [platform, channelId]);
  return rows.length;
}

/** Forgets every conversation whose reference has `key` = `value` (all channels of a team the app left). */
export async function deleteConversationReferencesWith(db: Db, platform: ChatPlatform, key: string, value: string): Promise<number> {
  const rows = await db.query('DELETE FROM conversation_refs WHERE platform = $1 AND reference->>$2 = $3 RETURNING channel_id', [platform, key, value]);
  return rows.length;
}
