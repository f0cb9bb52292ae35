import type { Reply } from '../../../bot/reply.js';
import type { Db } from '../../store/db.js';
import type { OutboundPost } from '../../store/queries/outbox.js';
import { deliveredRowOf, enqueuePost } from '../../store/queries/outbox.js';
import { channelOf, rootIdOf } from './receive.js';

/** Asks the delivery worker to look at the outbox now rather than at its next poll. */
export interface OutboxKick { kick(): void }

/**
 * Answers given inside a turn go through the outbox like every other post (retries, Retry-After,
 * a 413 re-sent smaller); `dedupeKey` names the activity, so a redelivered one queues nothing new.
 */
export interface TeamsDelivery {
  /** A new message in the conversation the activity came from (a channel thread, a chat). */
  post(conversationId: string, reply: Reply, dedupeKey: string): Promise<void>;
  /** The card `messageId` of that conversation shows `reply` instead, for everyone. */
  update(conversationId: string, messageId: string, reply: Reply, dedupeKey: string): Promise<void>;
}

export function teamsOutboxDelivery(db: Db, outbox: OutboxKick): TeamsDelivery {
  const enqueue = async (post: OutboundPost) => {
    await db.transaction((tx) => enqueuePost(tx, post));
    outbox.kick();
  };
  return {
    post: (conversationId, reply, dedupeKey) => enqueue({ dedupeKey, platform: 'teams', channelId: conversationId, reply }),
    async update(conversationId, messageId, reply, dedupeKey) {
      // A card the outbox posted itself is edited through its row, so the edit waits for that row's
      // own pending posts and goes where it went; a channel's root post is kept under the channel's id.
      const original = await deliveredRowOf(db, 'teams', conversationId, messageId)
        ?? (rootIdOf(conversationId) === messageId ? await deliveredRowOf(db, 'teams', channelOf(conversationId), messageId) : undefined);
      if (original !== undefined) return enqueue({ dedupeKey, reply, replaces: original });
      return enqueue({ dedupeKey, platform: 'teams', channelId: conversationId, editsMessage: messageId, reply });
    },
  };
}
