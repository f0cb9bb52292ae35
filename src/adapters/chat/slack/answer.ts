import type { BotRequest } from '../../../bot/command.js';
import type { Bot } from '../../../bot/dispatch.js';
import type { Logger } from '../../../log.js';
import { describeError } from '../../../bot/dispatch.js';
import { translator } from '../../../bot/messages/index.js';
import type { DeliveryResult } from '../../../bot/outbound.js';
import type { Reply } from '../../../bot/reply.js';
import { escapeMrkdwn } from './mrkdwn.js';
import type { SlackMessage } from './render.js';
import { renderReply } from './render.js';

/** Answers quicker than this need no "working on it" note; it would only flash by. */
export const WORKING_NOTE_AFTER_MS = 1500;

export interface AnswerDeps {
  bot: Bot;
  log: Logger;
  workingNoteAfterMs: number;
}

export interface AnswerChannel {
  /** Shows a message to the asking person only (response_url or chat.postEphemeral). */
  ephemeral(message: SlackMessage): Promise<void>;
  /** Puts the answer where everyone in the conversation sees it (post, or edit in place after a button). */
  deliver(reply: Reply): Promise<DeliveryResult<unknown>>;
}

/**
 * Runs one request after Slack has been acknowledged: a note if the answer is slow, problems to the
 * asker alone, answers to the conversation. An answer that cannot be posted is shown to the asker instead.
 */
export async function answer(deps: AnswerDeps, request: BotRequest, channel: AnswerChannel): Promise<void> {
  const t = translator(deps.bot.localeFor(request));
  const showQuietly = (message: SlackMessage) =>
    channel.ephemeral(message).catch((error: unknown) => deps.log.warn('slack: ephemeral message failed', { channel: request.channelId, error: describeError(error) }));
  // Behind other answers, the wait is certain: the note goes at once instead of after the usual delay.
  const noteAfterMs = deps.bot.isBusy() ? 0 : deps.workingNoteAfterMs;
  const note = setTimeout(() => void showQuietly({ text: escapeMrkdwn(t('chat.workingOnIt')), blocks: [] }), noteAfterMs);
  let result: Reply;
  try {
    result = await deps.bot.handle(request);
  } finally {
    clearTimeout(note);
  }
  const showAnswerQuietly = async () => {
    const [first] = renderReply(result, t).messages;
    if (first) await showQuietly(first);
  };
  // Problems and help are for the asker alone; everyone else in the channel has no use for them.
  if (result.problem || result.isForAskerOnly) {
    await showAnswerQuietly();
    return;
  }
  const delivered = await channel.deliver(result);
  if (!delivered.ok) {
    deps.log.warn('slack: answer not delivered', { channel: request.channelId, problem: delivered.problem.kind, reason: delivered.problem.message });
    await showAnswerQuietly();
  }
}
