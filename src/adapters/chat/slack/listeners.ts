import { randomUUID } from 'node:crypto';
import type { App } from '@slack/bolt';
import { z } from 'zod';
import type { BotRequest } from '../../../bot/command.js';
import type { Bot } from '../../../bot/dispatch.js';
import type { InFlight } from '../../../bot/in-flight.js';
import type { Logger } from '../../../log.js';
import type { Reply } from '../../../bot/reply.js';
import type { Db } from '../../store/db.js';
import type { AnswerChannel, AnswerDeps } from './answer.js';
import { answer } from './answer.js';
import type { SlackDelivery } from './delivery.js';
import { claimEvent } from './processed-events.js';
import { ACTION_ID_PREFIX } from './render.js';
import { BlockActionsBody, MessageEvent, SlashCommandBody, eventRequest, eventTarget, isFromPerson, requestTeams, slashRequest } from './receive.js';
import { translator } from '../../../bot/messages/index.js';

/** The slash command slack-manifest.yaml registers; SLACK_SLASH_COMMAND names another. */
export const SLASH_COMMAND = '/mkt';

export interface ListenerDeps {
  bot: Bot;
  db: Db;
  log: Logger;
  delivery: SlackDelivery;
  workingNoteAfterMs: number;
  /** Counts answers from acknowledgement to delivery, so a stopping process can finish them. */
  inFlight?: InFlight;
  /** SLACK_SLASH_COMMAND: the command the Slack app registers (/mkt unless renamed). */
  slashCommand?: string;
  /** The installed workspace and SLACK_ALLOWED_TEAMS; requests naming any other workspace are refused. Unset: no check. */
  allowedTeams?: ReadonlySet<string>;
}

const EventEnvelope = z.object({ event_id: z.string().min(1) });

/**
 * Slash command, mentions, direct messages and buttons all reach `bot.handle`. Each acks first
 * (Slack gives 3 s) and answers afterwards: Bolt sends the HTTP 200 as soon as `ack()` runs.
 */
export function registerListeners(app: App, deps: ListenerDeps): void {
  const answerDeps: AnswerDeps = { bot: deps.bot, log: deps.log, workingNoteAfterMs: deps.workingNoteAfterMs };
  const answerTracked = (request: BotRequest, channel: AnswerChannel) =>
    deps.inFlight ? deps.inFlight.run(() => answer(answerDeps, request, channel)) : answer(answerDeps, request, channel);

  const allowedTeams = deps.allowedTeams;
  if (allowedTeams) app.use(async (args) => {
    const stranger = requestTeams(args.body).find((team) => !allowedTeams.has(team));
    if (stranger === undefined) return args.next();
    deps.log.warn('slack: refused a request from a workspace that is not allowed (SLACK_ALLOWED_TEAMS)', { team: stranger });
    // Commands and clicks must still be acknowledged, or Slack shows the person an error after 3 s.
    if ('ack' in args && typeof args.ack === 'function') await (args.ack as () => Promise<void>)();
    if ('respond' in args && typeof args.respond === 'function') {
      const t = translator(deps.bot.localeFor({ channelId: '' }));
      await (args.respond as (message: { response_type: 'ephemeral'; text: string }) => Promise<unknown>)({ response_type: 'ephemeral', text: t('chat.otherWorkspace') })
        .catch((error: unknown) => deps.log.warn('slack: could not tell a refused request why', { error: String(error) }));
    }
  });

  app.command(deps.slashCommand ?? SLASH_COMMAND, async ({ ack, body, respond }) => {
    await ack();
    const parsed = SlashCommandBody.safeParse(body);
    if (!parsed.success) return deps.log.warn('slack: slash command payload not understood', { issues: parsed.error.issues.length });
    const request = slashRequest(parsed.data);
    await answerTracked(request, {
      ephemeral: async ({ text, blocks }) => { await respond({ response_type: 'ephemeral', text, blocks }); },
      // The response_url reaches conversations the bot may not post in (private channels, DMs, group DMs).
      deliver: (reply) => deps.delivery.post({ channelId: request.channelId }, withResponseUrl(reply, parsed.data.response_url), { dedupeKey: `slack:command:${parsed.data.trigger_id ?? randomUUID()}`, owner: request.userId }),
    });
  });

  // Events are acked by Bolt before listeners run.
  const onMessage = async ({ body, event, client }: { body: unknown; event: unknown; client: App['client'] }) => {
    const parsed = MessageEvent.safeParse(event);
    const envelope = EventEnvelope.safeParse(body);
    if (!parsed.success || !envelope.success) return;
    const message = parsed.data;
    if (message.type === 'message' && message.channel_type !== 'im') return;
    if (!isFromPerson(message)) return;
    if (!(await claimEvent(deps.db, envelope.data.event_id))) return;
    const target = eventTarget(message);
    await answerTracked(eventRequest(message), {
      ephemeral: async ({ text, blocks }) => {
        await client.chat.postEphemeral({ channel: message.channel, user: message.user, text, blocks, ...(target.threadId ? { thread_ts: target.threadId } : {}) });
      },
      deliver: (reply) => deps.delivery.post(target, reply, { dedupeKey: `slack:event:${envelope.data.event_id}`, owner: message.user }),
    });
  };
  app.event('app_mention', onMessage);
  app.event('message', onMessage);

  // One listener for every button: acking unknown ones too keeps Bolt from answering 404 after 3 s.
  app.action(/.*/, async ({ ack, body, respond }) => {
    await ack();
    const parsed = BlockActionsBody.safeParse(body);
    if (!parsed.success) return;
    const { user, channel, container, message, actions, response_url: responseUrl } = parsed.data;
    const [action] = actions;
    if (!action?.action_id.startsWith(ACTION_ID_PREFIX) || action.value === undefined) return;
    const messageTs = container.message_ts ?? message?.ts;
    const request = { text: action.value, platform: 'slack' as const, channelId: channel.id, userId: user.id, isClick: true, asker: { id: user.id, name: user.username ?? user.id } };
    const keys = { dedupeKey: `slack:action:${parsed.data.trigger_id ?? randomUUID()}`, owner: user.id };
    await answerTracked(request, {
      ephemeral: async ({ text, blocks }) => { await respond({ response_type: 'ephemeral', replace_original: false, text, blocks }); },
      // The button's message shows the new answer in place (next page, other model, incident status).
      deliver: (reply) => messageTs
        ? deps.delivery.update({ channelId: channel.id, messageId: messageTs, ...(message?.thread_ts ? { threadId: message.thread_ts } : {}) }, withResponseUrl(reply, responseUrl), keys)
        : deps.delivery.post({ channelId: channel.id }, withResponseUrl(reply, responseUrl), keys),
    });
  });
}

function withResponseUrl(reply: Reply, responseUrl: string | undefined): Reply {
  return responseUrl ? { ...reply, responseUrl } : reply;
}
