import { z } from 'zod';
import type { Db } from '../../store/db.js';
import { loadConversationReference, saveConversationReference } from '../../store/queries/chat-state.js';
import type { TeamsConversationRef } from './receive.js';

const PLATFORM = 'teams' as const;

const StoredRef = z.object({
  serviceUrl: z.string().min(1),
  tenantId: z.string().optional(),
  conversationId: z.string().min(1),
  conversationType: z.string().optional(),
  botId: z.string().min(1),
});

/** Teams may move a tenant to another serviceUrl, so each inbound activity refreshes the kept reference. */
export async function saveConversationRef(db: Db, ref: TeamsConversationRef): Promise<void> {
  await saveConversationReference(db, PLATFORM, ref.conversationId, ref);
}

export async function loadConversationRef(db: Db, conversationId: string): Promise<TeamsConversationRef | undefined> {
  const reference = await loadConversationReference(db, PLATFORM, conversationId);
  if (reference === undefined) return undefined;
  const parsed = StoredRef.safeParse(reference);
  if (!parsed.success) throw new Error(`conversation_refs row for ${conversationId} is not a Teams reference`, { cause: parsed.error });
  const { tenantId, conversationType, ...rest } = parsed.data;
  return { ...rest, tenantId, conversationType };
}
