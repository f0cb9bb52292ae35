import type { ChatPlatform, ChatPoster, DeliveryLookup, DeliveryProblem, PostTarget } from '../../src/bot/outbound.js';
import type { Reply } from '../../src/bot/reply.js';

export interface PosterCall {
  kind: 'post' | 'update';
  target: PostTarget & { messageId?: string };
  title: string;
  outcome: 'ok' | DeliveryProblem['kind'];
  /** The reply as the poster received it (the queue may have made it smaller). */
  reply: Reply;
  deliveryId: string | undefined;
  /** The message id a successful post got. */
  messageId?: string;
}

/**
 * How the platform answers "did this post arrive?" after a cut-off attempt: it looks for the
 * delivery id among what it received (like Slack message metadata), cannot tell (like Teams), or
 * the poster has no such question at all (a terminal).
 */
export type LookupBehaviour = 'finds' | 'cannot_tell' | 'none';

export type StandInPoster = ChatPoster & {
  calls: PosterCall[];
  fail(channelId: string, ...problems: DeliveryProblem[]): void;
  delivered(): PosterCall[];
  /** Runs after the platform accepted a post and before the poster returns (where a crash is simulated). */
  afterAccepting?: () => void;
};

/**
 * A chat platform in memory: answers each call from a per-channel script of problems
 * (then succeeds), records every call, and numbers messages m1, m2, ... in posting order.
 */
export function standInPoster(platform: ChatPlatform = 'slack', lookup: LookupBehaviour = 'none'): StandInPoster {
  const calls: PosterCall[] = [];
  const scripts = new Map<string, DeliveryProblem[]>();
  let messages = 0;
  const next = (channelId: string) => scripts.get(channelId)?.shift();
  const poster: StandInPoster = {
    platform,
    calls,
    fail(channelId, ...problems) {
      scripts.set(channelId, [...(scripts.get(channelId) ?? []), ...problems]);
    },
    delivered: () => calls.filter((call) => call.outcome === 'ok'),
    async post(target, reply, delivery) {
      const problem = next(target.channelId);
      const call: PosterCall = { kind: 'post', target, title: reply.title, outcome: problem?.kind ?? 'ok', reply, deliveryId: delivery?.id };
      calls.push(call);
      if (problem) return { ok: false, problem };
      messages += 1;
      call.messageId = `m${messages}`;
      poster.afterAccepting?.();
      return { ok: true, value: { messageId: call.messageId, threadId: target.threadId ?? call.messageId } };
    },
    async update(target, reply, delivery) {
      const problem = next(target.channelId);
      calls.push({ kind: 'update', target, title: reply.title, outcome: problem?.kind ?? 'ok', reply, deliveryId: delivery?.id });
      if (problem) return { ok: false, problem };
      poster.afterAccepting?.();
      return { ok: true, value: undefined };
    },
  };
  if (lookup === 'finds') {
    poster.findDelivered = async (target, delivery): Promise<DeliveryLookup> => {
      const found = calls.find((call) => call.kind === 'post' && call.outcome === 'ok' && call.deliveryId === delivery.id);
      return found?.messageId ? { kind: 'delivered', posted: { messageId: found.messageId, threadId: target.threadId ?? found.messageId } } : { kind: 'not_delivered' };
    };
  }
  if (lookup === 'cannot_tell') poster.findDelivered = async () => ({ kind: 'unknown', reason: 'no history to read' });
  return poster;
}
