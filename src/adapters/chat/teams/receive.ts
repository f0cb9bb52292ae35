import { z } from 'zod';
import type { BotRequest } from '../../../bot/command.js';
import type { Locale } from '../../../bot/messages/index.js';
import { LOCALES } from '../../../bot/messages/index.js';

/** The fields of an inbound Teams activity this adapter relies on; the SDK has parsed the rest. */
export const TeamsInbound = z.object({
  serviceUrl: z.string().min(1),
  from: z.object({ id: z.string().min(1), name: z.string().nullish(), aadObjectId: z.string().optional() }),
  recipient: z.object({ id: z.string().min(1), name: z.string().optional() }),
  conversation: z.object({
    id: z.string().min(1),
    conversationType: z.string().optional(),
    tenantId: z.string().optional(),
  }),
  channelData: z.object({ tenant: z.object({ id: z.string() }).optional(), team: z.object({ id: z.string() }).optional() }).passthrough().optional(),
  /** The asker's client language, a BCP 47 tag like "it-IT". */
  locale: z.string().nullish(),
});
export type TeamsInbound = z.infer<typeof TeamsInbound>;

/** What an Action.Execute carries (`data`) and what its Action.Submit fallback sends (`value`). */
export const ButtonData = z.object({ command: z.string().min(1) });

/** The value of an `adaptiveCard/action` invoke. */
export const ExecuteValue = z.object({ action: z.object({ type: z.literal('Action.Execute'), verb: z.string(), data: ButtonData }) });

/** Where to reach a conversation later without being asked: kept in conversation_refs. */
export interface TeamsConversationRef {
  serviceUrl: string;
  tenantId: string | undefined;
  /** The channel or chat itself, without a thread's `;messageid=` suffix. */
  conversationId: string;
  conversationType: string | undefined;
  /** `28:<app id>`: the bot as Teams knows it. */
  botId: string;
  /** The team a channel belongs to (absent in chats): removing the app from the team forgets all its channels. */
  teamId: string | undefined;
}

const THREAD_SUFFIX = /;messageid=(\d+)$/;

/**
 * A channel thread is addressed as `<channel id>;messageid=<root id>`; settings, allow-lists and
 * stored references are per channel, so the suffix is cut.
 */
export function channelOf(conversationId: string): string {
  return conversationId.replace(THREAD_SUFFIX, '');
}

/** The root message id inside a thread's conversation id, if it is one. */
export function rootIdOf(conversationId: string): string | undefined {
  return THREAD_SUFFIX.exec(conversationId)?.[1];
}

export function tenantOf(activity: TeamsInbound): string | undefined {
  return activity.channelData?.tenant?.id ?? activity.conversation.tenantId;
}

export function toBotRequest(activity: TeamsInbound, text: string): BotRequest {
  const clientLocale = localeOf(activity.locale);
  return {
    text,
    platform: 'teams',
    channelId: channelOf(activity.conversation.id),
    // The AAD object id is stable across chats and is what an admin puts in an allow-list.
    userId: activity.from.aadObjectId ?? activity.from.id,
    // Mentions name the Teams user id (29:…), which every Teams client resolves.
    asker: { id: activity.from.id, name: activity.from.name ?? activity.from.id },
    ...(clientLocale ? { clientLocale } : {}),
  };
}

/** "it-IT" → it; a language the bot does not speak gives way to the configured one. */
function localeOf(tag: string | null | undefined): Locale | undefined {
  const language = tag?.split('-')[0]?.toLowerCase();
  return LOCALES.find((locale) => locale === language);
}

export function conversationRefOf(activity: TeamsInbound): TeamsConversationRef {
  return {
    serviceUrl: activity.serviceUrl,
    tenantId: tenantOf(activity),
    conversationId: channelOf(activity.conversation.id),
    conversationType: activity.conversation.conversationType,
    botId: activity.recipient.id,
    teamId: activity.channelData?.team?.id,
  };
}
