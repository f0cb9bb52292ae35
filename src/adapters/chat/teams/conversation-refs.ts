import { z } from 'zod';
import type { Db } from '../../store/db.js';
import type { TeamsConversationRef } from './receive.js';

const PLATFORM = 'teams';

const StoredRef = z.object({
  serviceUrl: z.string().min(1),
  tenantId: z.string().optional(),
  conversationId: z.string().min(1),
  conversationType: z.string().optional(),
  botId: z.string().min(1),
});

/**
 * Keeps the latest reference per conversation. Teams may move a tenant to another serviceUrl, so
 * each inbound activity refreshes it; an unchanged row is left alone to spare a write per message.
 */
export async function saveConversationRef(db: Db, ref: TeamsConversationRef): Promise<void> {
  await db.query(
    `INSERT INTO conversation_refs (platform, channel_id, reference, updated_at) VALUES ($1, $2, $3::jsonb, now())
     ON CONFLICT (platform, channel_id) DO UPDATE SET reference = EXCLUDED.reference, updated_at = now()
     WHERE conversation_refs.reference IS DISTINCT FROM EXCLUDED.reference`,
    [PLATFORM, ref.conversationId, JSON.stringify(ref)],
  );
}

export async function loadConversationRef(db: Db, conversationId: string): Promise<TeamsConversationRef | undefined> {
  const [row] = await db.query<{ reference: unknown }>(
    'SELECT reference FROM conversation_refs WHERE platform = $1 AND channel_id = $2', [PLATFORM, conversationId]);
  if (!row) return undefined;
  const parsed = StoredRef.safeParse(row.reference);
  if (!parsed.success) throw new Error(`conversation_refs row for ${conversationId} is not a Teams reference`, { cause: parsed.error });
  const { tenantId, conversationType, ...rest } = parsed.data;
  return { ...rest, tenantId, conversationType };
}
