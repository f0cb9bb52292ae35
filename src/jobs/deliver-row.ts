import type { Db } from '../adapters/store/db.js';
import type { OutboxRow } from '../adapters/store/queries/outbox.js';
import { enqueuePost, markDelivered, markFailed, markRetry } from '../adapters/store/queries/outbox.js';
import type { Logger } from '../log.js';
import type { ChatPoster, DeliveryProblem, DeliveryResult, PostedMessage } from '../bot/outbound.js';
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
}

/** Makes one delivery attempt for a claimed row and records what happened. */
export async function deliverRow(row: OutboxRow, context: DeliverRowContext): Promise<RowOutcome> {
  const result = await attempt(row, context.posters);
  if (result.ok) {
    await markDelivered(context.db, row.id, context.holder, context.now, result.value);
    return 'delivered';
  }
  const decision = decideRetry({ problem: result.problem, attempts: row.attempts + 1, now: context.now, random: context.random }, context.retry);
  if (decision.kind === 'retry') {
    await markRetry(context.db, row.id, context.holder, decision.nextAttemptAt, result.problem.message);
    return 'retried';
  }
  await giveUp(row, decision.reason, context);
  return 'failed';
}

const permanent = (message: string): DeliveryResult<never> => ({ ok: false, problem: { kind: 'permanent', message } });

async function attempt(row: OutboxRow, posters: ReadonlyMap<string, ChatPoster>): Promise<DeliveryResult<PostedMessage>> {
  const poster = posterFor(row, posters);
  const parsed = StoredReply.safeParse(row.payload);
  if (!parsed.success) return permanent('the stored payload is not a reply');
  const target = row.target;
  if (row.replaces !== null) {
    if (target?.status !== 'delivered' || target.messageId === null) return permanent(`the post it edits (row ${row.replaces}) was never delivered`);
    const channelId = target.conversationId ?? target.channelId;
    const updated = await guard(() => poster.update({ channelId, messageId: target.messageId ?? '' }, parsed.data));
    if (!updated.ok) return updated;
    return { ok: true, value: { messageId: target.messageId, threadId: target.threadId ?? target.messageId } };
  }
  if (row.threadOf !== null) {
    if (target?.status !== 'delivered' || target.threadId === null) return permanent(`its thread root (row ${row.threadOf}) was never delivered`);
    return guard(() => poster.post({ channelId: target.conversationId ?? row.channelId, threadId: target.threadId ?? '' }, parsed.data));
  }
  return guard(() => poster.post({ channelId: row.channelId }, parsed.data));
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

/** Marks the row failed and, in the same transaction, queues one notice to its owner. */
async function giveUp(row: OutboxRow, reason: string, context: DeliverRowContext): Promise<void> {
  const title = StoredReply.safeParse(row.payload).data?.title;
  const notified = await context.db.transaction(async (tx) => {
    if (!(await markFailed(tx, row.id, context.holder, reason))) return false;
    if (row.owner === null) return false;
    await enqueuePost(tx, {
      dedupeKey: `delivery-failed:${row.id}`,
      platform: posterFor(row, context.posters).platform,
      channelId: row.owner,
      reply: failureNotice({ id: row.id, platform: row.platform, channelId: row.channelId, title, reason }),
    });
    return true;
  });
  context.log.error('delivery given up', { outboxId: row.id, platform: row.platform, channelId: row.channelId, reason, ownerNotified: notified });
}
