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

/** Which queued post an attempt belongs to: a poster may carry it along (Slack message metadata) to find the post again. */
export interface Delivery {
  /** Stable across attempts of one post, unique among posts ("outbox:42"). */
  id: string;
}

export interface PostedMessage {
  /** The platform's id of the new message (Slack ts, Teams activity id). */
  messageId: string;
  /** The thread later replies go to: the message's own id for a root post. */
  threadId: string;
  /** Teams starts a channel thread as a new conversation; its id is kept here. */
  conversationId?: string;
}

/** What a send leaves to do: the later pieces of a reply too long for one message. */
export interface SendOutcome {
  /**
   * Posts the queue makes after this one, each with its own retries, in order, where this one went
   * (later messages, charts and files; each a copy of the reply with `part` set).
   */
  followUps?: Reply[];
}

export type DeliveryProblem =
  /** `status` is the HTTP status the platform answered, when there was one (logged with every 429 and 5xx). */
  | { kind: 'rate_limited'; retryAfterS: number; message: string; status?: number }
  | { kind: 'transient'; message: string; status?: number }
  /**
   * The platform refuses the bot's credentials (a revoked token): posting is paused and the post waits
   * `retryAfterS`, however long that lasts, without counting against its attempts; one alarm is logged
   * by the poster, not one per post.
   */
  | { kind: 'paused'; retryAfterS: number; message: string; status?: number }
  /** The platform refused the message's size (Teams 413 MessageSizeTooBig, Slack msg_too_long): re-sent smaller. */
  | { kind: 'too_large'; message: string; status?: number }
  /**
   * Retrying cannot help: channel archived, bot removed, invalid payload. `isNotMember`: the bot may
   * not post in that conversation (not invited, a private channel or someone else's DM), which the
   * person who asked can fix.
   */
  | { kind: 'permanent'; message: string; status?: number; isNotMember?: boolean };

export type DeliveryResult<T> = { ok: true; value: T } | { ok: false; problem: DeliveryProblem };

/** What a platform can say about a post whose sending was cut off by a crash. */
export type DeliveryLookup =
  | { kind: 'delivered'; posted: PostedMessage & SendOutcome }
  | { kind: 'not_delivered' }
  /** The platform cannot be asked (Teams keeps no history a bot can read): the queue does not send again. */
  | { kind: 'unknown'; reason: string };

export interface ChatPoster {
  readonly platform: ChatPlatform;
  /** The queue always names the delivery; a direct call (a test) may leave it out. */
  post(target: PostTarget, reply: Reply, delivery?: Delivery): Promise<DeliveryResult<PostedMessage & SendOutcome>>;
  update(target: PostTarget & { messageId: string }, reply: Reply, delivery?: Delivery): Promise<DeliveryResult<SendOutcome | void>>;
  /**
   * Asked before re-sending a post whose earlier attempt began at `attemptStartedAt` and never
   * recorded an outcome. Without it the post counts as not delivered (a sink that cannot duplicate
   * anyone's chat). Edits are never asked about: the same edit twice leaves the same message.
   * `reply` is the reply as it would be sent, so a post found can still name its follow-ups.
   */
  findDelivered?(target: PostTarget, delivery: Delivery & { attemptStartedAt: Date }, reply: Reply): Promise<DeliveryLookup>;
}
