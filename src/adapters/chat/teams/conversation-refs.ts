import { z } from 'zod';
import type { Db } from '../../store/db.js';
import {
  deleteConversationReference, deleteConversationReferencesWith, latestConversationReferenceWith, loadConversationReference, saveConversationReference,
} from '../../store/queries/chat-state.js';
import type { TeamsConversationRef } from './receive.js';

const PLATFORM = 'teams' as const;

const StoredRef = z.object({
  serviceUrl: z.string().min(1),
  tenantId: z.string().optional(),
  conversationId: z.string().min(1),
  conversationType: z.string().optional(),
  botId: z.string().min(1),
  teamId: z.string().optional(),
});

/** A team's channel id (`19:…@thread.tacv2`, older teams `@thread.skype`); group chats end in `@thread.v2`. */
const CHANNEL_ID = /^19:[^;]+@thread\.(tacv2|skype)$/;

/** Teams may move a tenant to another serviceUrl, so each inbound activity refreshes the kept reference. */
export async function saveConversationRef(db: Db, ref: TeamsConversationRef): Promise<void> {
  await saveConversationReference(db, PLATFORM, ref.conversationId, ref);
}

/**
 * The stored reference of a conversation. A team channel the bot never heard from (DEV_CHANNEL naming
 * a channel nobody mentioned the bot in) is reached through a channel reference of the tenant's
 * teams: the service address, tenant and bot id are the same for every channel of a team, and the
 * app installed in a team may post to all of its channels.
 */
export async function loadConversationRef(db: Db, conversationId: string): Promise<TeamsConversationRef | undefined> {
  const own = parseRef(conversationId, await loadConversationReference(db, PLATFORM, conversationId));
  if (own || !CHANNEL_ID.test(conversationId)) return own;
  const sibling = await latestConversationReferenceWith(db, PLATFORM, 'conversationType', 'channel');
  const borrowed = parseRef(conversationId, sibling);
  return borrowed && { ...borrowed, conversationId, teamId: undefined };
}

/** The app was removed from a chat, or from a team: each of the team's channels is forgotten. */
export async function forgetConversation(db: Db, conversationId: string, teamId: string | undefined): Promise<number> {
  const removed = await deleteConversationReference(db, PLATFORM, conversationId);
  return removed + (teamId ? await deleteConversationReferencesWith(db, PLATFORM, 'teamId', teamId) : 0);
}

function parseRef(conversationId: string, reference: unknown): TeamsConversationRef | undefined {
  if (reference === undefined) return undefined;
  const parsed = StoredRef.safeParse(reference);
  if (!parsed.success) throw new Error(`conversation_refs row for ${conversationId} is not a Teams reference`, { cause: parsed.error });
  const { tenantId, conversationType, teamId, ...rest } = parsed.data;
  return { ...rest, tenantId, conversationType, teamId };
}
