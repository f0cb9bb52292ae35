import { randomUUID } from 'node:crypto';
import { MessageFactory } from '@microsoft/agents-hosting';
import type { AgentApplication, TurnContext, TurnState } from '@microsoft/agents-hosting';
import type { BotRequest } from '../../../bot/command.js';
import type { Bot } from '../../../bot/dispatch.js';
import { describeError } from '../../../bot/dispatch.js';
import type { InFlight } from '../../../bot/in-flight.js';
import type { Logger } from '../../../log.js';
import type { Translate } from '../../../bot/messages/index.js';
import { translator } from '../../../bot/messages/index.js';
import type { Reply } from '../../../bot/reply.js';
import { reply as makeReply } from '../../../bot/reply.js';
import type { Db } from '../../store/db.js';
import { claimPlatformEvent } from '../../store/queries/chat-state.js';
import { loadHostedFile } from '../../store/queries/hosted-files.js';
import { z } from 'zod';
import type { AdaptiveCard } from './card-types.js';
import { composeMessage } from './compose.js';
import { forgetConversation, saveConversationRef } from './conversation-refs.js';
import type { OutboxKick, TeamsDelivery } from './delivery.js';
import type { FileHost } from './file-host.js';
import type { TeamsInbound } from './receive.js';
import { ButtonData, channelOf, conversationRefOf, ExecuteValue, TeamsInbound as TeamsInboundSchema, toBotRequest } from './receive.js';

/** An answer slower than this shows the bot typing; quicker ones would only flash it. */
export const TYPING_AFTER_MS = 1_000;
/** Teams shows a typing indicator for about three seconds, so a slow answer renews it this often. */
const TYPING_RENEW_MS = 3_000;
/**
 * A button click is answered within this: a quick answer (a refusal, a confirmation, the next page)
 * directly, a slow one with "Working on it…" while the work goes on and the card is updated later.
 */
export const INVOKE_ANSWER_WITHIN_MS = 1_000;

export interface TurnDependencies {
  bot: Bot;
  db: Db;
  log: Logger;
  /** Answers are queued here rather than sent inside the turn. */
  delivery: TeamsDelivery;
  outbox: OutboxKick;
  /** Counts answers still being worked on, so a stopping process can finish them. */
  inFlight?: InFlight;
  typingAfterMs: number;
  /** 0 answers every click with the note and does the work after. */
  invokeAnswerWithinMs: number;
  /** With PUBLIC_URL: the clicker's card shows its charts by the bot's own links. */
  files?: FileHost;
}

/** The server let only activities with these fields through (isServed), so a failure here is a bug. */
function inboundOf(context: TurnContext): TeamsInbound {
  return TeamsInboundSchema.parse(context.activity);
}

/**
 * What the bot does on each kind of Teams activity: remember where it was installed or asked (and
 * forget where it was removed), welcome people, answer messages and run card buttons. Every answer
 * comes from the same `bot.handle` and goes out through the delivery queue.
 */
export function registerTurns(app: AgentApplication<TurnState>, deps: TurnDependencies): void {
  const translatorFor = (inbound: TeamsInbound): Translate => translator(deps.bot.localeFor({ channelId: channelOf(inbound.conversation.id), ...localeOf(inbound) }));
  const track = <T>(work: () => Promise<T>): Promise<T> => (deps.inFlight ? deps.inFlight.run(work) : work());

  // Installing the app sends conversationUpdate (membersAdded, the bot among them) and, in newer
  // clients, installationUpdate too; only the first welcomes, so one install is one welcome.
  app.onConversationUpdate('membersAdded', async (context) => {
    const inbound = inboundOf(context);
    await saveConversationRef(deps.db, conversationRefOf(inbound));
    const isBotAdded = (context.activity.membersAdded ?? []).some((member) => member.id === inbound.recipient.id);
    if (!isBotAdded) return;
    const welcome = await welcomeReply(inbound, deps.bot, translatorFor(inbound));
    await deps.delivery.post(channelOf(inbound.conversation.id), welcome, `teams:welcome:${context.activity.id ?? randomUUID()}`);
  });
  app.onConversationUpdate('membersRemoved', async (context) => {
    const inbound = inboundOf(context);
    const isBotRemoved = (context.activity.membersRemoved ?? []).some((member) => member.id === inbound.recipient.id);
    if (isBotRemoved) await forget(inbound);
  });
  app.onActivity('installationUpdate', async (context) => {
    const inbound = inboundOf(context);
    const action = context.activity.action ?? '';
    if (action.startsWith('add')) await saveConversationRef(deps.db, conversationRefOf(inbound));
    if (action.startsWith('remove')) await forget(inbound);
  });

  async function forget(inbound: TeamsInbound): Promise<void> {
    const ref = conversationRefOf(inbound);
    const forgotten = await forgetConversation(deps.db, ref.conversationId, ref.teamId);
    deps.log.info('teams: app removed, conversation references forgotten', { conversation: ref.conversationId, team: ref.teamId ?? null, forgotten });
  }

  app.onActivity('message', async (context) => {
    const inbound = inboundOf(context);
    await saveConversationRef(deps.db, conversationRefOf(inbound));
    if (!(await isFirstDelivery(deps.db, context.activity.id))) return;
    const t = translatorFor(inbound);
    const conversationId = inbound.conversation.id;
    const dedupeKey = `teams:activity:${context.activity.id ?? randomUUID()}`;
    // An Action.Submit (clients without Universal Actions) arrives as a message whose value is the button's data.
    const submitted = context.activity.value === undefined ? undefined : ButtonData.safeParse(context.activity.value);
    if (submitted && !submitted.success) {
      await deps.delivery.post(conversationId, makeReply({ title: t('teams.buttonExpired'), summary: '' }), dedupeKey);
      return;
    }
    const text = submitted?.data.command ?? (context.activity.text ?? '').trim();
    const request: BotRequest = { ...toBotRequest(inbound, text), ...(submitted ? { isClick: true } : {}) };
    const answer = await track(() => withTyping(context, deps.typingAfterMs, () => deps.bot.handle(request)));
    const cardId = context.activity.replyToId;
    if (submitted && cardId && !answer.problem && !answer.isConfirmation) {
      await deps.delivery.update(conversationId, cardId, answer, dedupeKey);
      return;
    }
    if (answer.isConfirmation) deps.outbox.kick();
    await deps.delivery.post(conversationId, answer, dedupeKey);
  });

  // The default REPLACE_FOR_INTERACTOR answers the clicker with the returned card; everyone else
  // sees the card change when the queue updates the shared message (a 429 there is retried, not lost).
  // A returned string is shown to the clicker only, which is right for problems and notes.
  app.adaptiveCards.actionExecute(/.+/, async (context): Promise<AdaptiveCard | string> => {
    const inbound = inboundOf(context);
    await saveConversationRef(deps.db, conversationRefOf(inbound));
    const t = translatorFor(inbound);
    const invoked = ExecuteValue.safeParse(context.activity.value);
    if (!invoked.success) return t('teams.buttonExpired');
    // A redelivered click: its first delivery does the work.
    if (!(await isFirstDelivery(deps.db, context.activity.id))) return t('chat.workingOnIt');
    const click: Click = {
      conversationId: inbound.conversation.id,
      cardId: context.activity.replyToId,
      dedupeKey: `teams:activity:${context.activity.id ?? randomUUID()}`,
      request: { ...toBotRequest(inbound, invoked.data.action.data.command), isClick: true },
    };
    const quick = await answerWithin(deps.invokeAnswerWithinMs, () => deps.bot.handle(click.request), (late) => deliverLate(click, late), track, deps.log);
    if (!quick) return t('chat.workingOnIt');
    if (quick.problem) return quick.summary;
    if (quick.isConfirmation) {
      deps.outbox.kick();
      return quick.summary;
    }
    await share(click, quick);
    return (await composeMessage(quick, t, deps.log, { isCardOnly: true, ...(deps.files ? { files: deps.files } : {}) })).card;
  });

  // A person accepted (or declined) a file offered by a file consent card in a personal chat: the
  // file goes up to their OneDrive at the address Teams gave, then a file card shows it in the chat.
  app.addRoute(async (context) => context.activity.type === 'invoke' && context.activity.name === 'fileConsent/invoke', async (context) => {
    const consent = FileConsent.safeParse(context.activity.value);
    if (consent.success && consent.data.action === 'accept' && (await isFirstDelivery(deps.db, context.activity.id))) {
      await uploadAccepted(context, consent.data, deps);
    }
    await context.sendActivity(invokeResponse(200));
  }, true);

  /** The answer to a click, for everyone: the clicked card shows it, or a new message where there is no card. */
  async function share(click: Click, answer: Reply): Promise<void> {
    if (click.cardId) await deps.delivery.update(click.conversationId, click.cardId, answer, click.dedupeKey);
    else await deps.delivery.post(click.conversationId, answer, click.dedupeKey);
  }

  /**
   * A click answered with "Working on it…": the answer replaces the card; a confirmation's change
   * shows in the posts the change queued itself; a problem can no longer reach the clicker alone, so
   * it goes into the conversation, naming them.
   */
  async function deliverLate(click: Click, answer: Reply): Promise<void> {
    if (answer.isConfirmation) return deps.outbox.kick();
    if (answer.problem) return deps.delivery.post(click.conversationId, answer, click.dedupeKey);
    return share(click, answer);
  }
}

const FileConsent = z.object({
  action: z.enum(['accept', 'decline']),
  context: z.object({ file: z.string() }),
  uploadInfo: z.object({ uploadUrl: z.url(), contentUrl: z.string(), name: z.string(), uniqueId: z.string().optional(), fileType: z.string().optional() }).optional(),
});
type FileConsent = z.infer<typeof FileConsent>;

const UPLOAD_TIMEOUT_MS = 30_000;

/** PUTs the file, whole, to the upload session Teams opened (Content-Range names all of it), then shows it. */
async function uploadAccepted(context: TurnContext, consent: FileConsent, deps: TurnDependencies): Promise<void> {
  const id = /\/files\/([^/]+)\//.exec(new URL(consent.context.file, 'http://x').pathname)?.[1];
  const file = id ? await loadHostedFile(deps.db, id, new Date()) : undefined;
  if (!file || !consent.uploadInfo) {
    deps.log.warn('teams: an accepted file is no longer kept', { file: consent.context.file.slice(0, 200) });
    return;
  }
  const response = await fetch(consent.uploadInfo.uploadUrl, {
    method: 'PUT',
    headers: { 'content-type': file.mimeType, 'content-range': `bytes 0-${file.content.length - 1}/${file.content.length}` },
    body: file.content,
    signal: AbortSignal.timeout(UPLOAD_TIMEOUT_MS),
  });
  if (!response.ok) {
    deps.log.warn('teams: uploading an accepted file failed', { status: response.status });
    return;
  }
  const info = MessageFactory.text(translator(deps.bot.localeFor({ channelId: context.activity.conversation?.id ?? '' }))('teams.fileSaved', { name: consent.uploadInfo.name }));
  info.attachments = [{
    contentType: 'application/vnd.microsoft.teams.card.file.info',
    contentUrl: consent.uploadInfo.contentUrl,
    name: consent.uploadInfo.name,
    content: { uniqueId: consent.uploadInfo.uniqueId, fileType: consent.uploadInfo.fileType },
  }];
  await context.sendActivity(info);
}

/** An invoke's HTTP answer, as the SDK's own handlers send it. */
function invokeResponse(status: number): ReturnType<typeof MessageFactory.text> {
  const activity = MessageFactory.text('');
  activity.type = 'invokeResponse';
  delete activity.text;
  activity.value = { status };
  return activity;
}

interface Click { conversationId: string; cardId: string | undefined; dedupeKey: string; request: BotRequest }

function localeOf(inbound: TeamsInbound): { clientLocale?: BotRequest['clientLocale'] } {
  const { clientLocale } = toBotRequest(inbound, '');
  return clientLocale ? { clientLocale } : {};
}

/** Teams redelivers an activity it thinks was not received; the unique claim lets exactly one delivery answer it. */
async function isFirstDelivery(db: Db, activityId: string | undefined): Promise<boolean> {
  if (!activityId) return true;
  return claimPlatformEvent(db, 'teams', activityId);
}

/** Teams shows "… is typing" for an activity of type typing (the SDK's activity factory makes messages only). */
function typingActivity(): ReturnType<typeof MessageFactory.text> {
  const activity = MessageFactory.text('');
  activity.type = 'typing';
  delete activity.text;
  return activity;
}

/** Runs `work`; while it takes longer than `afterMs`, Teams shows the bot typing. */
async function withTyping<T>(context: TurnContext, afterMs: number, work: () => Promise<T>): Promise<T> {
  let sending: Promise<unknown> = Promise.resolve();
  const type = () => {
    sending = sending.then(() => context.sendActivity(typingActivity())).catch(() => undefined);
  };
  let renew: NodeJS.Timeout | undefined;
  const start = () => {
    type();
    renew = setInterval(type, TYPING_RENEW_MS);
  };
  // 0 shows it at once (tests); a timer of 0 ms could fire after a quick answer.
  const first = afterMs > 0 ? setTimeout(start, afterMs) : (start(), undefined);
  try {
    return await work();
  } finally {
    clearTimeout(first);
    clearInterval(renew);
    // The turn must not end while a typing activity is still being sent through its context.
    await sending;
  }
}

/**
 * The answer when `work` finishes within `withinMs`, else undefined, and the answer goes to `late`
 * when it comes. Whichever happens first decides, so an answer is never both returned and handed on;
 * the work and its late delivery are one tracked piece, so a stopping process waits for both.
 */
function answerWithin(withinMs: number, work: () => Promise<Reply>, late: (answer: Reply) => Promise<void>, track: <T>(work: () => Promise<T>) => Promise<T>, log: Logger): Promise<Reply | undefined> {
  return new Promise((resolve) => {
    let state: 'waiting' | 'answered' | 'late' = withinMs > 0 ? 'waiting' : 'late';
    if (state === 'late') resolve(undefined);
    const timer = state === 'waiting' ? setTimeout(() => {
      if (state !== 'waiting') return;
      state = 'late';
      resolve(undefined);
    }, withinMs) : undefined;
    void track(async () => {
      try {
        const answer = await work();
        if (state === 'waiting') {
          state = 'answered';
          resolve(answer);
          return;
        }
        await late(answer);
      } catch (error) {
        log.error('teams: a button\'s answer failed', { error: describeError(error) });
        if (state === 'waiting') {
          state = 'late';
          resolve(undefined);
        }
      } finally {
        clearTimeout(timer);
      }
    });
  });
}

/** The first message in a conversation the app was added to: what it is, and questions to try. */
async function welcomeReply(inbound: TeamsInbound, bot: Bot, t: Translate): Promise<Reply> {
  const help = await bot.handle(toBotRequest(inbound, 'help'));
  const { askedBy: _askedBy, ...rest } = help;
  return { ...rest, title: t('teams.welcome.title'), summary: t('teams.welcome.summary') };
}
