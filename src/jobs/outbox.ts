import type { Db } from '../adapters/store/db.js';
import type { FailedDelivery } from '../adapters/store/queries/outbox.js';
import { insertOutboxRow, selectFailedDeliveries } from '../adapters/store/queries/outbox.js';
import type { ChatPlatform } from '../bot/outbound.js';
import type { Reply } from '../bot/reply.js';

export type { FailedDelivery } from '../adapters/store/queries/outbox.js';

export interface OutboundPost {
  /** Same key, same post: a retried job or a replayed event enqueues nothing new. */
  dedupeKey: string;
  platform: ChatPlatform;
  channelId: string;
  reply: Reply;
  /** Post as a reply in the thread of this outbox row, once it is delivered. */
  threadOf?: number;
  /** Edit the message this outbox row posted, once it is delivered. */
  replaces?: number;
  /** Who is told (by DM on the same platform) if the post can never be delivered. */
  owner?: string;
}

/**
 * Queues a post in the caller's transaction, so it exists exactly when the state change that
 * causes it commits (DESIGN.md, "Jobs and delivery"). Returns the outbox row id, new or existing.
 */
export function enqueuePost(tx: Db, post: OutboundPost): Promise<number> {
  return insertOutboxRow(tx, {
    dedupeKey: post.dedupeKey,
    platform: post.platform,
    channelId: post.channelId,
    payload: post.reply,
    ...(post.threadOf !== undefined ? { threadOf: post.threadOf } : {}),
    ...(post.replaces !== undefined ? { replaces: post.replaces } : {}),
    ...(post.owner !== undefined ? { owner: post.owner } : {}),
  });
}

const FAILED_DELIVERIES_SHOWN = 20;

/** The most recent posts that were given up, newest first, for `mkt jobs list`. */
export function failedDeliveries(db: Db, limit = FAILED_DELIVERIES_SHOWN): Promise<FailedDelivery[]> {
  return selectFailedDeliveries(db, limit);
}
