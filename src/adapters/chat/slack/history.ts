import { webApi } from '@slack/bolt';
import { z } from 'zod';
import type { PostTarget } from '../../../bot/outbound.js';
import { DELIVERY_EVENT_TYPE } from './delivery-metadata.js';

/** What the channel's recent history says about a post whose sending was cut off. */
export type HistoryAnswer = { kind: 'found'; ts: string } | { kind: 'not_delivered' } | { kind: 'unknown'; reason: string };

/** Slack's clock and ours may differ: messages are read from a little before the attempt began. */
const CLOCK_SKEW_S = 300;
/** One page: a cut-off attempt is looked for soon after (a claim lasts a minute), among the latest messages. */
const HISTORY_LIMIT = 200;

const HistoryMessage = z.object({
  ts: z.string(),
  metadata: z.object({ event_type: z.string(), event_payload: z.record(z.string(), z.unknown()).optional() }).optional(),
  files: z.array(z.object({ name: z.string().optional(), title: z.string().optional() })).optional(),
});
const HistoryPage = z.object({ messages: z.array(z.unknown()).default([]) });

/** The message carrying `deliveryId` in its metadata (chat.postMessage `metadata`), if Slack shows one. */
export async function findByDelivery(client: webApi.WebClient, target: PostTarget, since: Date, deliveryId: string): Promise<HistoryAnswer> {
  return findIn(client, target, since, (message) =>
    message.metadata?.event_type === DELIVERY_EVENT_TYPE && message.metadata.event_payload?.delivery_id === deliveryId);
}

/** Charts and files carry no metadata: a message sharing a file of one of these names counts as the upload. */
export async function findFileShare(client: webApi.WebClient, target: PostTarget, since: Date, filenames: readonly string[]): Promise<HistoryAnswer> {
  const names = new Set(filenames);
  return findIn(client, target, since, (message) => (message.files ?? []).some((file) => file.name !== undefined && names.has(file.name)));
}

/**
 * Reads the thread (conversations.replies) or the channel (conversations.history) from shortly before
 * `since`. A conversation the bot may not read (no history scope, not a member) cannot tell: the
 * queue then does not send again, since the post could appear twice. Rate limits and outages throw,
 * so the queue asks again later.
 */
async function findIn(client: webApi.WebClient, target: PostTarget, since: Date, matches: (message: z.infer<typeof HistoryMessage>) => boolean): Promise<HistoryAnswer> {
  const window = { channel: target.channelId, oldest: String(Math.floor(since.getTime() / 1000) - CLOCK_SKEW_S), inclusive: true, include_all_metadata: true, limit: HISTORY_LIMIT };
  let page: unknown;
  try {
    page = target.threadId
      ? await client.conversations.replies({ ...window, ts: target.threadId })
      : await client.conversations.history(window);
  } catch (error) {
    if (error instanceof webApi.WebAPIPlatformError) return { kind: 'unknown', reason: `Slack refused to show the history: ${error.data.error}` };
    throw error;
  }
  const messages = HistoryPage.parse(page).messages.flatMap((raw) => {
    const message = HistoryMessage.safeParse(raw);
    return message.success ? [message.data] : [];
  });
  const found = messages.find(matches);
  return found ? { kind: 'found', ts: found.ts } : { kind: 'not_delivered' };
}
