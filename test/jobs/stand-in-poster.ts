import type { ChatPlatform, ChatPoster, DeliveryProblem, PostTarget } from '../../src/bot/outbound.js';
import type { Reply } from '../../src/bot/reply.js';

export interface PosterCall {
  kind: 'post' | 'update';
  target: PostTarget & { messageId?: string };
  title: string;
  outcome: 'ok' | DeliveryProblem['kind'];
}

/**
 * A chat platform in memory: answers each call from a per-channel script of problems
 * (then succeeds), records every call, and numbers messages m1, m2, ... in posting order.
 */
export function standInPoster(platform: ChatPlatform = 'slack'): ChatPoster & { calls: PosterCall[]; fail(channelId: string, ...problems: DeliveryProblem[]): void; delivered(): PosterCall[] } {
  const calls: PosterCall[] = [];
  const scripts = new Map<string, DeliveryProblem[]>();
  let messages = 0;
  const next = (channelId: string) => scripts.get(channelId)?.shift();
  const record = (kind: PosterCall['kind'], target: PosterCall['target'], reply: Reply, problem: DeliveryProblem | undefined) => {
    calls.push({ kind, target, title: reply.title, outcome: problem?.kind ?? 'ok' });
  };
  return {
    platform,
    calls,
    fail(channelId, ...problems) {
      scripts.set(channelId, [...(scripts.get(channelId) ?? []), ...problems]);
    },
    delivered: () => calls.filter((call) => call.outcome === 'ok'),
    async post(target, reply) {
      const problem = next(target.channelId);
      record('post', target, reply, problem);
      if (problem) return { ok: false, problem };
      messages += 1;
      const messageId = `m${messages}`;
      return { ok: true, value: { messageId, threadId: target.threadId ?? messageId } };
    },
    async update(target, reply) {
      const problem = next(target.channelId);
      record('update', target, reply, problem);
      return problem ? { ok: false, problem } : { ok: true, value: undefined };
    },
  };
}
