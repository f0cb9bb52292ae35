import { z } from 'zod';
import type { Reply } from '../bot/reply.js';
import { reply } from '../bot/reply.js';
import type { Translate } from '../bot/messages/index.js';

/**
 * A payload read back from the outbox: checked for the shape renderers rely on, since the row
 * may have been written by an older version of the bot.
 */
export const StoredReply = z.custom<Reply>((value) => {
  if (typeof value !== 'object' || value === null) return false;
  const fields = value as Record<string, unknown>;
  return typeof fields.title === 'string' && typeof fields.summary === 'string'
    && Array.isArray(fields.blocks) && Array.isArray(fields.actions) && Array.isArray(fields.attachments);
}, 'expected a Reply with title, summary, blocks, actions and attachments');

export interface UndeliveredPost {
  title: string | undefined;
  /** The bot may not post in that conversation: the person who asked can invite it or ask elsewhere. */
  isNotMember: boolean;
}

/**
 * The DM the person who asked receives when their answer is given up: what failed and what they can
 * do, in plain words. Operator detail (row, platform error) goes to the log and `mkt jobs list`.
 */
export function failureNotice(post: UndeliveredPost, t: Translate): Reply {
  const what = post.title ? `"${post.title}"` : t('chat.undelivered.untitled');
  return reply({
    title: t('chat.undelivered.title'),
    summary: t('chat.undelivered.summary', { what }),
    blocks: [{ type: 'text', text: t(post.isNotMember ? 'chat.undelivered.notMember' : 'chat.undelivered.tryAgain') }],
  });
}
