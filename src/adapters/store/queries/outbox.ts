import type { ChatPlatform } from '../../../bot/outbound.js';
import type { Reply } from '../../../bot/reply.js';
import type { Db } from '../db.js';
import { sqlParams } from '../sql-params.js';
import type { SqlParams } from '../sql-params.js';

/** An outbox row as the delivery worker sees it, with what it needs from the row it threads or edits. */
export interface OutboxRow {
  id: number;
  platform: string;
  channelId: string;
  payload: unknown;
  attempts: number;
  owner: string | null;
  threadOf: number | null;
  replaces: number | null;
  /** A thread or a message of the platform's own the row posts into or edits (in_thread, edits_message). */
  inThread: string | null;
  editsMessage: string | null;
  /** Set when an earlier attempt began and recorded no outcome: the process died mid-send. */
  attemptStartedAt: Date | null;
  /** How many times the reply was made smaller after the platform refused its size. */
  reducedSteps: number;
  /** The row this one threads under or edits (thread_of or replaces), when there is one. */
  target: { status: string; channelId: string; messageId: string | null; threadId: string | null; conversationId: string | null } | null;
}

/**
 * A post to queue. A new post names its platform and channel (a person's id for a DM), and may go
 * into a thread or edit a message the platform named (a person's thread, the card a button was
 * clicked on); a thread reply or an edit of a queued post names the outbox row it follows and goes
 * where that row went, once it is delivered.
 */
export type OutboundPost = {
  /** Same key, same post: a retried job or a replayed event enqueues nothing new. */
  dedupeKey: string;
  reply: Reply;
  /** Who is told (by DM on the same platform) if the post can never be delivered. */
  owner?: string;
} & (
  | { platform: ChatPlatform; channelId: string; inThread?: string; editsMessage?: never; threadOf?: never; replaces?: never }
  | { platform: ChatPlatform; channelId: string; editsMessage: string; inThread?: never; threadOf?: never; replaces?: never }
  | { threadOf: number; platform?: never; channelId?: never; inThread?: never; editsMessage?: never; replaces?: never }
  | { replaces: number; platform?: never; channelId?: never; inThread?: never; editsMessage?: never; threadOf?: never }
);

/**
 * The one way to queue a post: in the caller's transaction, so it exists exactly when the state
 * change that causes it commits (DESIGN.md, "Jobs and delivery"). Inserts once per dedupe key and
 * returns the row id, new or existing. Due at once ('-infinity'), so no clock is needed.
 */
export async function enqueuePost(tx: Db, post: OutboundPost): Promise<number> {
  const follows = post.threadOf ?? post.replaces ?? null;
  const address = follows === null ? { platform: post.platform!, channelId: post.channelId! } : await addressOf(tx, follows);
  const [inserted] = await tx.query<{ id: number }>(
    `INSERT INTO outbox (dedupe_key, platform, channel_id, thread_of, replaces, in_thread, edits_message, payload, owner, next_attempt_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9, '-infinity')
     ON CONFLICT (dedupe_key) DO NOTHING RETURNING id`,
    [post.dedupeKey, address.platform, address.channelId, post.threadOf ?? null, post.replaces ?? null, post.inThread ?? null, post.editsMessage ?? null,
      JSON.stringify(post.reply), post.owner ?? null],
  );
  if (inserted) return inserted.id;
  const [existing] = await tx.query<{ id: number }>('SELECT id FROM outbox WHERE dedupe_key = $1', [post.dedupeKey]);
  if (!existing) throw new Error(`outbox: dedupe key ${post.dedupeKey} conflicted but no row holds it`);
  return existing.id;
}

/** Rows are never deleted and thread_of/replaces are foreign keys, so a missing row is a bug. */
async function addressOf(tx: Db, outboxId: number): Promise<{ platform: string; channelId: string }> {
  const [row] = await tx.query<{ platform: string; channel_id: string }>('SELECT platform, channel_id FROM outbox WHERE id = $1', [outboxId]);
  if (!row) throw new Error(`outbox: row ${outboxId}, followed by a new post, does not exist`);
  return { platform: row.platform, channelId: row.channel_id };
}

export interface ClaimOptions {
  holder: string;
  now: Date;
  claimUntil: Date;
  /** Only rows of these platforms: a process without a Slack poster leaves Slack rows to one that has it. */
  platforms: readonly string[];
  /** "platform:channel" keys still inside their pacing interval. */
  pacedChannels: readonly string[];
  limit: number;
}

/**
 * The head of each channel's queue: the oldest pending row of its channel, of a platform this worker
 * posts to, in a channel not resting after a post, not waiting on a pending thread root or edited post.
 */
function channelHeads(p: SqlParams, options: Pick<ClaimOptions, 'platforms' | 'pacedChannels'>): string {
  return `c.status = 'pending' AND c.platform = ANY(${p.add(options.platforms)}::text[])
           AND NOT (c.platform || ':' || c.channel_id = ANY(${p.add(options.pacedChannels)}::text[]))
           AND NOT EXISTS (SELECT 1 FROM outbox e WHERE e.platform = c.platform AND e.channel_id = c.channel_id
                                                    AND e.status = 'pending' AND e.id < c.id)
           AND NOT EXISTS (SELECT 1 FROM outbox t WHERE t.id IN (c.thread_of, c.replaces) AND t.status = 'pending')`;
}

/**
 * Claims the channel heads that are due. SKIP LOCKED lets two workers claim at the same moment
 * without blocking or taking the same row; the claim itself keeps later passes off it.
 */
export async function claimDueRows(db: Db, options: ClaimOptions): Promise<OutboxRow[]> {
  const p = sqlParams();
  const now = p.add(options.now.toISOString());
  const claimed = await db.query<{ id: number }>(
    `UPDATE outbox SET claimed_by = ${p.add(options.holder)}, claimed_until = ${p.add(options.claimUntil.toISOString())}
      WHERE id IN (
        SELECT c.id FROM outbox c
         WHERE ${channelHeads(p, options)}
           AND c.next_attempt_at <= ${now} AND (c.claimed_until IS NULL OR c.claimed_until <= ${now})
         ORDER BY c.id LIMIT ${p.add(options.limit)}
         FOR UPDATE SKIP LOCKED)
      RETURNING id`,
    p.values,
  );
  if (claimed.length === 0) return [];
  const rows = await db.query<{
    id: number; platform: string; channel_id: string; payload: unknown; attempts: number; owner: string | null;
    thread_of: number | null; replaces: number | null; in_thread: string | null; edits_message: string | null;
    attempt_started_at: Date | null; reduced_steps: number; t_status: string | null; t_channel_id: string | null;
    t_message_id: string | null; t_thread_id: string | null; t_conversation_id: string | null;
  }>(
    `SELECT o.id, o.platform, o.channel_id, o.payload, o.attempts, o.owner, o.thread_of, o.replaces, o.in_thread, o.edits_message,
            o.attempt_started_at, o.reduced_steps,
            t.status AS t_status, t.channel_id AS t_channel_id, t.message_id AS t_message_id,
            t.thread_id AS t_thread_id, t.conversation_id AS t_conversation_id
       FROM outbox o LEFT JOIN outbox t ON t.id = coalesce(o.replaces, o.thread_of)
      WHERE o.id = ANY($1::bigint[]) ORDER BY o.id`,
    [claimed.map((row) => row.id)],
  );
  return rows.map((row) => ({
    id: row.id, platform: row.platform, channelId: row.channel_id, payload: row.payload, attempts: row.attempts,
    owner: row.owner, threadOf: row.thread_of, replaces: row.replaces, inThread: row.in_thread, editsMessage: row.edits_message,
    attemptStartedAt: row.attempt_started_at, reducedSteps: row.reduced_steps,
    target: row.t_status === null ? null : {
      status: row.t_status, channelId: row.t_channel_id ?? '', messageId: row.t_message_id,
      threadId: row.t_thread_id, conversationId: row.t_conversation_id,
    },
  }));
}

/**
 * When the next channel head falls due (a retry's Retry-After, another worker's claim running out),
 * so the worker can wake then instead of at its next poll; undefined when nothing is waiting.
 */
export async function nextDueAt(db: Db, options: Pick<ClaimOptions, 'platforms' | 'pacedChannels'>): Promise<Date | undefined> {
  const p = sqlParams();
  const [row] = await db.query<{ due: Date | null }>(
    `SELECT min(greatest(c.next_attempt_at, coalesce(c.claimed_until, '-infinity'))) AS due FROM outbox c
      WHERE ${channelHeads(p, options)}`,
    p.values,
  );
  return row?.due ?? undefined;
}

/** Recorded before a post is sent, so a crash between sending and recording the outcome can be told apart later. */
export async function markAttemptStarted(db: Db, id: number, holder: string, at: Date): Promise<boolean> {
  const updated = await db.query('UPDATE outbox SET attempt_started_at = $3 WHERE id = $1 AND claimed_by = $2 RETURNING id', [id, holder, at.toISOString()]);
  return updated.length === 1;
}

/**
 * The claim guard (`claimed_by`) makes a worker whose claim expired unable to overwrite a later outcome;
 * false when the claim was lost, so the caller queues nothing more for the row.
 */
export async function markDelivered(db: Db, id: number, holder: string, at: Date, posted: { messageId: string; threadId: string; conversationId?: string }): Promise<boolean> {
  const updated = await db.query(
    `UPDATE outbox SET status = 'delivered', attempts = attempts + 1, delivered_at = $3, message_id = $4, thread_id = $5,
            conversation_id = $6, last_error = NULL, attempt_started_at = NULL, claimed_by = NULL, claimed_until = NULL
      WHERE id = $1 AND claimed_by = $2 RETURNING id`,
    [id, holder, at.toISOString(), posted.messageId, posted.threadId, posted.conversationId ?? null],
  );
  return updated.length === 1;
}

/** `isReduced`: the next attempt sends the reply one step smaller (the platform refused its size). */
export async function markRetry(db: Db, id: number, holder: string, retry: { nextAttemptAt: Date; lastError: string; isReduced?: boolean }): Promise<void> {
  await db.query(
    `UPDATE outbox SET attempts = attempts + 1, next_attempt_at = $3, last_error = $4, reduced_steps = reduced_steps + $5,
            attempt_started_at = NULL, claimed_by = NULL, claimed_until = NULL
      WHERE id = $1 AND claimed_by = $2`,
    [id, holder, retry.nextAttemptAt.toISOString(), retry.lastError, retry.isReduced ? 1 : 0],
  );
}

/** Returns false when the claim was lost, so the caller does not notify anyone for a row it no longer holds. */
export async function markFailed(tx: Db, id: number, holder: string, lastError: string): Promise<boolean> {
  const updated = await tx.query(
    `UPDATE outbox SET status = 'failed', attempts = attempts + 1, last_error = $3, attempt_started_at = NULL, claimed_by = NULL, claimed_until = NULL
      WHERE id = $1 AND claimed_by = $2 RETURNING id`,
    [id, holder, lastError],
  );
  return updated.length === 1;
}

export interface FailedDelivery {
  id: number;
  platform: string;
  channelId: string;
  attempts: number;
  lastError: string | null;
  owner: string | null;
  createdAt: Date;
}

const FAILED_DELIVERIES_SHOWN = 20;

/** The most recent posts that were given up, newest first, for `mkt jobs list`. */
export async function failedDeliveries(db: Db, limit = FAILED_DELIVERIES_SHOWN): Promise<FailedDelivery[]> {
  const rows = await db.query<{ id: number; platform: string; channel_id: string; attempts: number; last_error: string | null; owner: string | null; created_at: Date }>(
    `SELECT id, platform, channel_id, attempts, last_error, owner, created_at FROM outbox
      WHERE status = 'failed' ORDER BY id DESC LIMIT $1`,
    [limit],
  );
  return rows.map((row) => ({ id: row.id, platform: row.platform, channelId: row.channel_id, attempts: row.attempts, lastError: row.last_error, owner: row.owner, createdAt: row.created_at }));
}

/** The outbox row that first delivered message `messageId` in a channel (edits of a message keep its id). */
export async function deliveredRowOf(db: Db, platform: string, channelId: string, messageId: string): Promise<number | undefined> {
  const [row] = await db.query<{ id: number }>(
    `SELECT id FROM outbox WHERE platform = $1 AND channel_id = $2 AND message_id = $3 AND status = 'delivered' ORDER BY id LIMIT 1`,
    [platform, channelId, messageId],
  );
  return row?.id;
}
