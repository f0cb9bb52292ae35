import type { Db } from '../adapters/store/db.js';
import type { OutboxRow } from '../adapters/store/queries/outbox.js';
import { enqueuePost, markAttemptStarted, markDelivered, markFailed, markRetry } from '../adapters/store/queries/outbox.js';
import type { Logger } from '../log.js';
import type { Locale } from '../bot/messages/index.js';
import { translator } from '../bot/messages/index.js';
import type { ChatPoster, Delivery, DeliveryLookup, DeliveryProblem, DeliveryResult, PostedMessage, PostTarget, SendOutcome } from '../bot/outbound.js';
import type { Reply } from '../bot/reply.js';
import { MAX_REDUCE_STEPS, reduceReply } from '../bot/reduce-reply.js';
import { failureNotice, StoredReply } from './failure-notice.js';
import type { RetrySettings } from './retry-policy.js';
import { decideRetry } from './retry-policy.js';

export type RowOutcome = 'delivered' | 'retried' | 'failed';

export interface DeliverRowContext {
  db: Db;
  posters: ReadonlyMap<string, ChatPoster>;
  holder: string;
  now: Date;
  random: () => number;
  retry: RetrySettings;
  log: Logger;
  /** The language of notes the queue adds itself (a reply made smaller), where the reply does not say. */
  localeFor: (channelId: string) => Locale;
}

/** What a claimed row asks of its poster: a new post (perhaps into a thread) or an edit. */
type Send =
  | { kind: 'post'; target: PostTarget }
  | { kind: 'update'; target: PostTarget & { messageId: string }; posted: PostedMessage };

/**
 * Makes one delivery attempt for a claimed row and records what happened. A row whose earlier
 * attempt was cut off (the process died between sending and recording) is first looked for on the
 * platform; the attempt is recorded before the send, so the next crash leaves the same trace.
 */
export async function deliverRow(row: OutboxRow, context: DeliverRowContext): Promise<RowOutcome> {
  const poster = posterFor(row, context.posters);
  const parsed = StoredReply.safeParse(row.payload);
  if (!parsed.success) return finish(row, { ok: false, problem: { kind: 'permanent', message: 'the stored payload is not a reply' } }, context);
  const send = sendOf(row);
  if (!send.ok) return finish(row, send, context);
  const delivery: Delivery = { id: `outbox:${row.id}` };
  const reply = row.reducedSteps > 0 ? reduceReply(parsed.data, row.reducedSteps, translator(parsed.data.locale ?? context.localeFor(row.channelId))) : parsed.data;
  const followUpThread = send.value.kind === 'post' ? send.value.target.threadId : send.value.posted.threadId;
  if (row.attemptStartedAt && send.value.kind === 'post') {
    const lookup = await findDelivered(poster, send.value.target, { ...delivery, attemptStartedAt: row.attemptStartedAt }, reply);
    if (!lookup.ok) return finish(row, lookup, context);
    context.log.warn('delivery: an attempt was cut off mid-send; asked the platform whether it arrived', { outboxId: row.id, platform: row.platform, channelId: row.channelId, answer: lookup.value.kind });
    if (lookup.value.kind === 'delivered') return finish(row, { ok: true, value: lookup.value.posted }, context, followUpThread);
    if (lookup.value.kind === 'unknown') {
      return finish(row, { ok: false, problem: { kind: 'permanent', message: `sending was cut off and ${row.platform} cannot be asked whether it arrived, so it is not sent again (it could appear twice): ${lookup.value.reason}` } }, context);
    }
  }
  // The claim ran out and another worker holds the row now: its outcome is that worker's to record.
  if (!(await markAttemptStarted(context.db, row.id, context.holder, context.now))) return 'retried';
  return finish(row, await sendWith(poster, send.value, reply, delivery), context, followUpThread);
}

/** A poster that cannot look a post up has nothing in the platform to duplicate (a terminal, a file). */
function findDelivered(poster: ChatPoster, target: PostTarget, delivery: Delivery & { attemptStartedAt: Date }, reply: Reply): Promise<DeliveryResult<DeliveryLookup>> {
  const { findDelivered: lookUp } = poster;
  if (!lookUp) return Promise.resolve({ ok: true, value: { kind: 'not_delivered' } });
  return guard(async () => ({ ok: true, value: await lookUp.call(poster, target, delivery, reply) }));
}

async function sendWith(poster: ChatPoster, send: Send, reply: Reply, delivery: Delivery): Promise<DeliveryResult<PostedMessage & SendOutcome>> {
  if (send.kind === 'post') return guard(() => poster.post(send.target, reply, delivery));
  const updated = await guard(() => poster.update(send.target, reply, delivery));
  return updated.ok ? { ok: true, value: { ...send.posted, ...(updated.value ?? {}) } } : updated;
}

/** Where the row goes: its channel, a thread or message the platform named, or where the row it follows went. */
function sendOf(row: OutboxRow): DeliveryResult<Send> {
  const { target } = row;
  if (row.replaces !== null) {
    if (target?.status !== 'delivered' || target.messageId === null) return permanent(`the post it edits (row ${row.replaces}) was never delivered`);
    const messageId = target.messageId;
    return { ok: true, value: { kind: 'update', target: { channelId: target.conversationId ?? target.channelId, messageId }, posted: { messageId, threadId: target.threadId ?? messageId } } };
  }
  if (row.threadOf !== null) {
    if (target?.status !== 'delivered' || target.threadId === null) return permanent(`its thread root (row ${row.threadOf}) was never delivered`);
    return { ok: true, value: { kind: 'post', target: { channelId: target.conversationId ?? row.channelId, threadId: target.threadId } } };
  }
  if (row.editsMessage !== null) {
    const messageId = row.editsMessage;
    return { ok: true, value: { kind: 'update', target: { channelId: row.channelId, messageId }, posted: { messageId, threadId: messageId } } };
  }
  return { ok: true, value: { kind: 'post', target: { channelId: row.channelId, ...(row.inThread !== null ? { threadId: row.inThread } : {}) } } };
}

/**
 * Records the outcome: delivered, retried (at Retry-After, after a backoff, or smaller), or given up.
 * A delivered post's follow-ups (later parts, charts, files) are queued in the same transaction, each
 * with its own retries, where the post went (`followUpThread`: the thread it went into, if any).
 */
async function finish(row: OutboxRow, result: DeliveryResult<PostedMessage & SendOutcome>, context: DeliverRowContext, followUpThread?: string): Promise<RowOutcome> {
  if (result.ok) {
    const { followUps = [], ...posted } = result.value;
    await context.db.transaction(async (tx) => {
      if (!(await markDelivered(tx, row.id, context.holder, context.now, posted))) return;
      for (const [index, followUp] of followUps.entries()) {
        await enqueuePost(tx, {
          dedupeKey: `follow-up:${row.id}:${index}`, platform: posterFor(row, context.posters).platform, channelId: row.channelId, reply: followUp,
          ...(followUpThread !== undefined ? { inThread: followUpThread } : {}), ...(row.owner !== null ? { owner: row.owner } : {}),
        });
      }
    });
    return 'delivered';
  }
  const { problem } = result;
  if (problem.kind === 'too_large' && row.reducedSteps < MAX_REDUCE_STEPS) {
    context.log.warn('delivery: the platform refused the size; sending it smaller', { outboxId: row.id, platform: row.platform, channelId: row.channelId, status: problem.status ?? null, step: row.reducedSteps + 1 });
    await markRetry(context.db, row.id, context.holder, { nextAttemptAt: context.now, lastError: problem.message, isReduced: true });
    return 'retried';
  }
  const decision = decideRetry({ problem, attempts: row.attempts + 1, now: context.now, random: context.random }, context.retry);
  logRefusal(row, problem, decision.kind === 'retry' ? decision.nextAttemptAt : undefined, context.log);
  if (decision.kind === 'retry') {
    await markRetry(context.db, row.id, context.holder, { nextAttemptAt: decision.nextAttemptAt, lastError: problem.message });
    return 'retried';
  }
  await giveUp(row, decision.reason, problem.kind === 'permanent' && problem.isNotMember === true, context);
  return 'failed';
}

/** Each 429 and 5xx is one line: which platform and channel pushed back, how, and when the post goes again. */
function logRefusal(row: OutboxRow, problem: DeliveryProblem, nextAttemptAt: Date | undefined, log: Logger): void {
  const status = problem.status ?? (problem.kind === 'rate_limited' ? 429 : undefined);
  if (status === undefined || (status !== 429 && status < 500)) return;
  log.warn('delivery: the platform answered with an error', {
    outboxId: row.id, platform: row.platform, channelId: row.channelId, status,
    retryAfterS: problem.kind === 'rate_limited' ? problem.retryAfterS : null, nextAttemptAt: nextAttemptAt?.toISOString() ?? null,
  });
}

function permanent(message: string): { ok: false; problem: DeliveryProblem } {
  return { ok: false, problem: { kind: 'permanent', message } };
}

/** Rows are claimed only for platforms with a poster, so a missing one is a bug. */
function posterFor(row: OutboxRow, posters: ReadonlyMap<string, ChatPoster>): ChatPoster {
  const poster = posters.get(row.platform);
  if (!poster) throw new Error(`outbox row ${row.id} claimed for ${row.platform}, which has no poster`);
  return poster;
}

/** A poster that throws broke its contract; its row is retried like any transient problem rather than lost. */
async function guard<T>(call: () => Promise<DeliveryResult<T>>): Promise<DeliveryResult<T>> {
  try {
    return await call();
  } catch (error) {
    const problem: DeliveryProblem = { kind: 'transient', message: `poster threw: ${error instanceof Error ? error.message : String(error)}` };
    return { ok: false, problem };
  }
}

/** Marks the row failed and, in the same transaction, queues one notice to its owner, in the reply's language. */
async function giveUp(row: OutboxRow, reason: string, isNotMember: boolean, context: DeliverRowContext): Promise<void> {
  const stored = StoredReply.safeParse(row.payload).data;
  const t = translator(stored?.locale ?? context.localeFor(row.channelId));
  const notified = await context.db.transaction(async (tx) => {
    if (!(await markFailed(tx, row.id, context.holder, reason))) return false;
    if (row.owner === null) return false;
    await enqueuePost(tx, {
      dedupeKey: `delivery-failed:${row.id}`,
      platform: posterFor(row, context.posters).platform,
      channelId: row.owner,
      reply: failureNotice({ title: stored?.title, isNotMember }, t),
    });
    return true;
  });
  context.log.error('delivery given up', { outboxId: row.id, platform: row.platform, channelId: row.channelId, reason, ownerNotified: notified });
}
