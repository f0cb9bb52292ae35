import { z } from 'zod';
import type { BotRequest } from '../../../bot/command.js';
import type { PostTarget } from '../../../bot/outbound.js';

/** The fields we read from Slack's payloads; everything else Slack sends is ignored. */
export const SlashCommandBody = z.object({
  command: z.string(),
  text: z.string(),
  channel_id: z.string().min(1),
  user_id: z.string().min(1),
  response_url: z.string().optional(),
  trigger_id: z.string().optional(),
});
export type SlashCommandBody = z.infer<typeof SlashCommandBody>;

/** `app_mention` in channels and threads, and `message` in the bot's direct messages. */
export const MessageEvent = z.object({
  type: z.enum(['app_mention', 'message']),
  text: z.string().default(''),
  user: z.string().optional(),
  channel: z.string().min(1),
  channel_type: z.string().optional(),
  ts: z.string(),
  thread_ts: z.string().optional(),
  bot_id: z.string().optional(),
  subtype: z.string().optional(),
});
export type MessageEvent = z.infer<typeof MessageEvent>;

export const BlockActionsBody = z.object({
  user: z.object({ id: z.string().min(1) }),
  channel: z.object({ id: z.string().min(1) }),
  container: z.object({ message_ts: z.string().optional() }),
  message: z.object({ ts: z.string(), thread_ts: z.string().optional() }).optional(),
  actions: z.array(z.object({ action_id: z.string(), value: z.string().optional() })).min(1),
  trigger_id: z.string().optional(),
  response_url: z.string().optional(),
});
export type BlockActionsBody = z.infer<typeof BlockActionsBody>;

/** "<@U0LAN0Z89> kpi last 7d" → "kpi last 7d": the leading mentions of the bot are not part of the command. */
export function commandText(text: string): string {
  return text.replace(/^(\s*<@[A-Z0-9]+(\|[^>]*)?>)+/, '').trim();
}

/**
 * Whose messages the bot answers: people only. Bolt drops the bot's own events; other bots
 * (and edits, joins and other subtypes of `message`) are dropped here, so two bots never talk in a loop.
 */
export function isFromPerson(event: MessageEvent): event is MessageEvent & { user: string } {
  return event.user !== undefined && event.bot_id === undefined && event.subtype === undefined;
}

export function slashRequest(body: SlashCommandBody): BotRequest {
  return { text: body.text.trim(), platform: 'slack', channelId: body.channel_id, userId: body.user_id };
}

export function eventRequest(event: MessageEvent & { user: string }): BotRequest {
  return { text: commandText(event.text), platform: 'slack', channelId: event.channel, userId: event.user };
}

/** A mention in a thread is answered in that thread; a mention in the channel, in the channel. */
export function eventTarget(event: MessageEvent): PostTarget {
  return { channelId: event.channel, ...(event.thread_ts ? { threadId: event.thread_ts } : {}) };
}
