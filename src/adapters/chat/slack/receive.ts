import { z } from 'zod';
import type { BotRequest } from '../../../bot/command.js';
import type { PostTarget } from '../../../bot/outbound.js';

/** The fields we read from Slack's payloads; everything else Slack sends is ignored. */
export const SlashCommandBody = z.object({
  command: z.string(),
  text: z.string(),
  channel_id: z.string().min(1),
  user_id: z.string().min(1),
  user_name: z.string().optional(),
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
  user: z.object({ id: z.string().min(1), username: z.string().optional() }),
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
  return decodeSlackEntities(text.replace(/^(\s*<@[A-Z0-9]+(\|[^>]*)?>)+/, '')).trim();
}

/**
 * Slack sends &, < and > typed by people as &amp;, &lt; and &gt; (its own markup uses the bare
 * characters); the command reads what the person typed. &amp; last, so "&amp;lt;" stays "&lt;".
 */
export function decodeSlackEntities(text: string): string {
  return text.replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&');
}

/**
 * Whose messages the bot answers: people only. Bolt drops the bot's own events; other bots
 * (and edits, joins and other subtypes of `message`) are dropped here, so two bots never talk in a loop.
 */
export function isFromPerson(event: MessageEvent): event is MessageEvent & { user: string } {
  return event.user !== undefined && event.bot_id === undefined && event.subtype === undefined;
}

export function slashRequest(body: SlashCommandBody): BotRequest {
  return { text: decodeSlackEntities(body.text).trim(), platform: 'slack', channelId: body.channel_id, userId: body.user_id, asker: { id: body.user_id, name: body.user_name ?? body.user_id } };
}

export function eventRequest(event: MessageEvent & { user: string }): BotRequest {
  return { text: commandText(event.text), platform: 'slack', channelId: event.channel, userId: event.user, asker: { id: event.user, name: event.user } };
}

/** Every workspace a request names: the one it came through and, in Slack Connect, the person's own. */
const TeamFields = z.object({
  team_id: z.string().optional(),
  team: z.object({ id: z.string().optional() }).nullish().catch(undefined),
  user: z.object({ team_id: z.string().optional() }).nullish().catch(undefined),
  user_team: z.string().optional(),
  event: z.object({ team: z.string().optional(), user_team: z.string().optional(), source_team: z.string().optional() }).nullish().catch(undefined),
});

export function requestTeams(body: unknown): string[] {
  const parsed = TeamFields.safeParse(body);
  if (!parsed.success) return [];
  const { team_id: teamId, team, user, user_team: userTeam, event } = parsed.data;
  const teams = [teamId, team?.id, user?.team_id, userTeam, event?.team, event?.user_team, event?.source_team];
  return [...new Set(teams.filter((id): id is string => typeof id === 'string' && id !== ''))];
}

/** A mention in a thread is answered in that thread; a mention in the channel, in the channel. */
export function eventTarget(event: MessageEvent): PostTarget {
  return { channelId: event.channel, ...(event.thread_ts ? { threadId: event.thread_ts } : {}) };
}
