import type { ChatPoster, DeliveryResult, PostTarget } from '../../../bot/outbound.js';
import type { Reply } from '../../../bot/reply.js';
import type { Db } from '../../store/db.js';
import type { OutboundPost } from '../../store/queries/outbox.js';
import { deliveredRowOf, enqueuePost } from '../../store/queries/outbox.js';

export interface DeliveryKeys {
  /** Names the request (event id, trigger id), so a replayed request queues nothing new. */
  dedupeKey: string;
  /** The person who asked: told by DM if the answer can never be posted (e.g. /mkt where the bot may not write). */
  owner: string;
}

/** How an answer reaches the conversation: straight through the poster, or queued in the outbox. */
export interface SlackDelivery {
  post(target: PostTarget, reply: Reply, keys: DeliveryKeys): Promise<DeliveryResult<unknown>>;
  update(target: PostTarget & { messageId: string }, reply: Reply, keys: DeliveryKeys): Promise<DeliveryResult<unknown>>;
}

/** Without the queue (tests, tools): each piece posted once, in order, with no retries. */
export function directDelivery(poster: ChatPoster): SlackDelivery {
  const sendFollowUps = async (target: PostTarget, followUps: readonly Reply[] = []) => {
    for (const followUp of followUps) await poster.post(target, followUp);
  };
  return {
    async post(target, reply) {
      const posted = await poster.post(target, reply);
      if (posted.ok) await sendFollowUps(target, posted.value.followUps);
      return posted;
    },
    async update(target, reply) {
      const updated = await poster.update(target, reply);
      if (updated.ok) await sendFollowUps({ channelId: target.channelId, threadId: target.threadId ?? target.messageId }, updated.value?.followUps);
      return updated;
    },
  };
}

/**
 * Answers go through the outbox (retries, 429 Retry-After, per-channel pacing) and `kick` asks the
 * delivery worker to look now. A thread or message the outbox posted itself is followed by its row;
 * one it did not (a person's thread, an older message) by the platform's own id.
 */
export function outboxDelivery(db: Db, kick: () => void): SlackDelivery {
  const enqueue = async (post: OutboundPost): Promise<DeliveryResult<unknown>> => {
    await db.transaction((tx) => enqueuePost(tx, post));
    kick();
    return { ok: true, value: undefined };
  };
  return {
    async post(target, reply, keys) {
      if (target.threadId === undefined) return enqueue({ ...keys, platform: 'slack', channelId: target.channelId, reply });
      const root = await deliveredRowOf(db, 'slack', target.channelId, target.threadId);
      if (root === undefined) return enqueue({ ...keys, platform: 'slack', channelId: target.channelId, inThread: target.threadId, reply });
      return enqueue({ ...keys, reply, threadOf: root });
    },
    async update(target, reply, keys) {
      const original = await deliveredRowOf(db, 'slack', target.channelId, target.messageId);
      if (original === undefined) return enqueue({ ...keys, platform: 'slack', channelId: target.channelId, editsMessage: target.messageId, reply });
      return enqueue({ ...keys, reply, replaces: original });
    },
  };
}
