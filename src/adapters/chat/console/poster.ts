import type { Writable } from 'node:stream';
import type { ChatPoster, PostTarget } from '../../../bot/outbound.js';
import type { Reply } from '../../../bot/reply.js';
import { renderReplyText } from './render.js';

/**
 * Posts to a terminal (or any stream): the delivery queue's 'console' platform, used when no chat
 * platform is configured. Message ids count the posts of this process.
 */
export function createConsolePoster(output: Writable & { columns?: number }): ChatPoster {
  let posted = 0;
  const header = (target: PostTarget, what: string) =>
    `── ${what} ${target.channelId}${target.threadId ? ` (thread ${target.threadId})` : ''} ──`;
  const print = (text: string) => new Promise<void>((resolve, reject) => {
    output.write(text + '\n', (error) => (error ? reject(error) : resolve()));
  });
  const render = (reply: Reply) => renderReplyText(reply, { width: output.columns ?? 100 });

  return {
    platform: 'console',
    async post(target, reply) {
      posted += 1;
      const messageId = String(posted);
      await print(`${header(target, `message ${messageId} to`)}\n${render(reply)}`);
      return { ok: true, value: { messageId, threadId: target.threadId ?? messageId } };
    },
    async update(target, reply) {
      await print(`${header(target, `message ${target.messageId} edited in`)}\n${render(reply)}`);
      return { ok: true, value: undefined };
    },
  };
}
