import type { Reply } from './reply.js';

/**
 * The port every chat adapter implements for posting: the delivery worker (src/jobs/delivery-worker.ts)
 * calls it with retries, so `post` and `update` make one attempt each and report how it went.
 */
export type ChatPlatform = 'slack' | 'teams' | 'console' | 'file';

export interface PostTarget {
  /** Slack channel id, Teams conversation id, or a sink name. */
  channelId: string;
  /** Post as a reply in this thread (Slack thread_ts, Teams root activity id). */
  threadId?: string;
}

export interface PostedMessage {
  /** The platform's id of the new message (Slack ts, Teams activity id). */
  messageId: string;
  /** The thread later replies go to: the message's own id for a root post. */
  threadId: string;
  /** Teams starts a channel thread as a new conversation; its id is kept here. */
  conversationId?: string;
}

export type DeliveryProblem =
  | { kind: 'rate_limited'; retryAfterS: number; message: string }
  | { kind: 'transient'; message: string }
  /** Retrying cannot help: channel archived, bot removed, invalid payload. */
  | { kind: 'permanent'; message: string };

export type DeliveryResult<T> = { ok: true; value: T } | { ok: false; problem: DeliveryProblem };

export interface ChatPoster {
  readonly platform: ChatPlatform;
  post(target: PostTarget, reply: Reply): Promise<DeliveryResult<PostedMessage>>;
  update(target: PostTarget & { messageId: string }, reply: Reply): Promise<DeliveryResult<void>>;
}
