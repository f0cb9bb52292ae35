import type { CloudAdapter, ConnectorClient, TurnContext } from '@microsoft/agents-hosting';
import type { Logger } from '../../../log.js';
import type { Translate } from '../../../bot/messages/index.js';
import type { ChatPoster, DeliveryResult, PostedMessage, PostTarget } from '../../../bot/outbound.js';
import type { Reply } from '../../../bot/reply.js';
import type { Db } from '../../store/db.js';
import { composeMessage, toActivity } from './compose.js';
import type { FileHost } from './file-host.js';
import { loadConversationRef } from './conversation-refs.js';
import { toDeliveryProblem } from './delivery-problem.js';
import type { TeamsConversationRef } from './receive.js';
import { channelOf, rootIdOf } from './receive.js';

type ConversationReference = Parameters<CloudAdapter['continueConversation']>[1];

export interface TeamsPosterDependencies {
  adapter: CloudAdapter;
  appId: string;
  db: Db;
  translatorFor(conversationId: string): Translate;
  log: Logger;
  clock: () => Date;
  /** With PUBLIC_URL: charts and files as the bot's own signed links. */
  files?: FileHost;
}

/**
 * Proactive posts for the delivery queue: one attempt per call, problems as values.
 * In a channel a root post starts a new thread, which Teams addresses as a conversation of its own
 * (`<channel>;messageid=<root id>`, kept as `conversationId`); replies and updates name that
 * conversation as their channelId and the root id as their threadId. Chats have no threads.
 */
export function createConnectorPoster(deps: TeamsPosterDependencies): ChatPoster {
  async function post(target: PostTarget, reply: Reply): Promise<DeliveryResult<PostedMessage>> {
    const ref = await loadConversationRef(deps.db, channelOf(target.channelId));
    if (!ref) return noReference(target.channelId);
    const activity = toActivity(await composeMessage(reply, deps.translatorFor(channelOf(target.channelId)), deps.log, deps.files ? { files: deps.files, isPersonalChat: ref.conversationType === 'personal' } : {}));
    try {
      if (ref.conversationType === 'channel' && !target.threadId && !rootIdOf(target.channelId)) {
        const created = await withConnector(ref, ref.conversationId, (client) => client.createConversation({
          isGroup: true,
          channelData: { channel: { id: ref.conversationId }, ...(ref.tenantId ? { tenant: { id: ref.tenantId } } : {}) },
          ...(ref.tenantId ? { tenantId: ref.tenantId } : {}),
          activity,
        }));
        const rootId = rootIdOf(created.id) ?? created.activityId;
        if (!rootId) return { ok: false, problem: { kind: 'permanent', message: `createConversation answered without a message id: ${created.id}` } };
        return { ok: true, value: { messageId: rootId, threadId: rootId, conversationId: created.id } };
      }
      if (ref.conversationType !== 'channel') {
        // Straight to the chat: through a turn context the SDK would reply to a made-up activity id.
        const sent = await withConnector(ref, ref.conversationId, (client) => client.sendToConversation(ref.conversationId, activity));
        return { ok: true, value: { messageId: sent.id, threadId: target.threadId ?? sent.id, conversationId: ref.conversationId } };
      }
      const conversationId = threadConversation(target);
      const replyToId = rootIdOf(conversationId);
      const sent = await withContext(ref, conversationId, replyToId, (context) => context.sendActivity(activity));
      if (!sent?.id) return { ok: false, problem: { kind: 'permanent', message: 'Teams answered the post without an activity id' } };
      return { ok: true, value: { messageId: sent.id, threadId: target.threadId ?? replyToId ?? sent.id, conversationId } };
    } catch (error) {
      return { ok: false, problem: toDeliveryProblem(error, deps.clock()) };
    }
  }

  async function update(target: PostTarget & { messageId: string }, reply: Reply): Promise<DeliveryResult<void>> {
    const ref = await loadConversationRef(deps.db, channelOf(target.channelId));
    if (!ref) return noReference(target.channelId);
    const activity = toActivity(await composeMessage(reply, deps.translatorFor(channelOf(target.channelId)), deps.log, deps.files ? { files: deps.files, isPersonalChat: ref.conversationType === 'personal' } : {}));
    activity.id = target.messageId;
    const conversationId = ref.conversationType === 'channel' ? threadConversation(target) : ref.conversationId;
    try {
      await withContext(ref, conversationId, undefined, (context) => context.updateActivity(activity));
      return { ok: true, value: undefined };
    } catch (error) {
      return { ok: false, problem: toDeliveryProblem(error, deps.clock()) };
    }
  }

  /**
   * continueConversation hands a failure inside the turn to the adapter's onTurnError instead of
   * rejecting, so the outcome is caught inside the turn and rethrown here, where it becomes a value.
   */
  async function withContext<T>(ref: TeamsConversationRef, conversationId: string, replyToId: string | undefined, work: (context: TurnContext) => Promise<T>): Promise<T> {
    let outcome: { ok: true; value: T } | { ok: false; error: unknown } | undefined;
    await deps.adapter.continueConversation(deps.appId, referenceTo(ref, conversationId, replyToId), async (context) => {
      try {
        outcome = { ok: true, value: await work(context) };
      } catch (error) {
        outcome = { ok: false, error };
      }
    });
    if (!outcome) throw new Error('continueConversation returned without running the turn');
    if (!outcome.ok) throw outcome.error;
    return outcome.value;
  }

  function withConnector<T>(ref: TeamsConversationRef, conversationId: string, work: (client: ConnectorClient) => Promise<T>): Promise<T> {
    return withContext(ref, conversationId, undefined, (context) => work(connectorOf(context)));
  }

  return {
    platform: 'teams',
    post,
    update,
    // The Bot Connector takes no idempotency key, assigns every activity id itself and offers a bot
    // no way to read a conversation back, so a post cut off mid-send cannot be looked for.
    findDelivered: async () => ({ kind: 'unknown', reason: 'the Bot Connector offers no way to read a conversation back' }),
  };
}

/** The thread's own conversation: named by channelId already, or built from the channel and the root id. */
function threadConversation(target: PostTarget): string {
  if (rootIdOf(target.channelId) || !target.threadId) return target.channelId;
  return `${target.channelId};messageid=${target.threadId}`;
}

function noReference(channelId: string): { ok: false; problem: { kind: 'permanent'; message: string } } {
  return { ok: false, problem: { kind: 'permanent', message: `no Teams conversation reference for ${channelId}: install the app there or mention it once` } };
}

/** `activityId` makes the SDK post as a reply to that message (POST …/activities/{activityId}). */
function referenceTo(ref: TeamsConversationRef, conversationId: string, replyToId: string | undefined): ConversationReference {
  return {
    channelId: 'msteams',
    serviceUrl: ref.serviceUrl,
    agent: { id: ref.botId, name: '' },
    conversation: { id: conversationId, isGroup: ref.conversationType !== 'personal', conversationType: ref.conversationType ?? '', tenantId: ref.tenantId ?? '' },
    ...(replyToId ? { activityId: replyToId } : {}),
  };
}

/** continueConversation puts the turn's ConnectorClient in turnState under the adapter's key before the turn runs. */
function connectorOf(context: TurnContext): ConnectorClient {
  return context.turnState.get<ConnectorClient>(context.adapter.ConnectorClientKey);
}
