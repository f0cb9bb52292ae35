import { z } from 'zod';
import type { Reply } from '../bot/reply.js';
import { reply } from '../bot/reply.js';

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
  id: number;
  platform: string;
  channelId: string;
  title: string | undefined;
  reason: string;
}

/** The DM an owner receives when one of their posts is given up. */
export function failureNotice(post: UndeliveredPost): Reply {
  const what = post.title ? `"${post.title}"` : `post ${post.id}`;
  return reply({
    title: 'A post could not be delivered',
    summary: `${what} to ${post.platform}:${post.channelId} was given up: ${post.reason}`,
    blocks: [{ type: 'text', text: `Outbox row ${post.id}. \`mkt jobs list\` shows every failed delivery.` }],
  });
}
