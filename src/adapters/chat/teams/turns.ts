import type { AgentApplication, TurnContext, TurnState } from '@microsoft/agents-hosting';
import type { Bot } from '../../../bot/dispatch.js';
import type { Logger } from '../../../log.js';
import type { Translate } from '../../../bot/messages/index.js';
import { translator } from '../../../bot/messages/index.js';
import type { Db } from '../../store/db.js';
import type { AdaptiveCard } from './card-types.js';
import { composeMessage, toActivity } from './compose.js';
import { saveConversationRef } from './conversation-refs.js';
import type { TeamsInbound } from './receive.js';
import { ButtonData, channelOf, conversationRefOf, ExecuteValue, TeamsInbound as TeamsInboundSchema, toBotRequest } from './receive.js';

export interface TurnDependencies {
  bot: Bot;
  db: Db;
  log: Logger;
}

/** The server let only activities with these fields through (isServed), so a failure here is a bug. */
function inboundOf(context: TurnContext): TeamsInbound {
  return TeamsInboundSchema.parse(context.activity);
}

/**
 * What the bot does on each kind of Teams activity: remember where it was installed or asked,
 * answer messages, and run card buttons. All answers come from the same `bot.handle`.
 */
export function registerTurns(app: AgentApplication<TurnState>, deps: TurnDependencies): void {
  const translatorFor = (inbound: TeamsInbound): Translate => translator(deps.bot.localeFor({ channelId: channelOf(inbound.conversation.id) }));

  // Installing the app sends conversationUpdate (membersAdded) and, in newer clients, installationUpdate too.
  app.onConversationUpdate('membersAdded', async (context) => {
    await saveConversationRef(deps.db, conversationRefOf(inboundOf(context)));
  });
  app.onActivity('installationUpdate', async (context) => {
    if (context.activity.action === 'add') await saveConversationRef(deps.db, conversationRefOf(inboundOf(context)));
  });

  app.onActivity('message', async (context) => {
    const inbound = inboundOf(context);
    await saveConversationRef(deps.db, conversationRefOf(inbound));
    const t = translatorFor(inbound);
    // An Action.Submit (clients without Universal Actions) arrives as a message whose value is the button's data.
    const submitted = context.activity.value === undefined ? undefined : ButtonData.safeParse(context.activity.value);
    if (submitted && !submitted.success) {
      await context.sendActivity(t('teams.buttonExpired'));
      return;
    }
    const text = submitted?.data.command ?? (context.activity.text ?? '').trim();
    const reply = await deps.bot.handle({ ...toBotRequest(inbound, text), ...(submitted ? { isClick: true } : {}) });
    const activity = toActivity(await composeMessage(reply, t, deps.log));
    if (submitted && context.activity.replyToId && !reply.problem) {
      activity.id = context.activity.replyToId;
      await context.updateActivity(activity);
      return;
    }
    await context.sendActivity(activity);
  });

  // REPLACE_FOR_ALL (set on the app) makes the SDK PUT the returned card over the shared message;
  // a returned string is shown to the clicker only, which is right for problems.
  app.adaptiveCards.actionExecute(/.+/, async (context): Promise<AdaptiveCard | string> => {
    const inbound = inboundOf(context);
    const t = translatorFor(inbound);
    const invoked = ExecuteValue.safeParse(context.activity.value);
    if (!invoked.success) return t('teams.buttonExpired');
    const reply = await deps.bot.handle({ ...toBotRequest(inbound, invoked.data.action.data.command), isClick: true });
    if (reply.problem) return reply.summary;
    return (await composeMessage(reply, t, deps.log, { isCardOnly: true })).card;
  });
}
