import { renderChart as renderChartPng } from '../../charts/render-chart.js';
import type { RenderChartOptions } from '../../charts/render-chart.js';
import type { Logger } from '../../../log.js';
import { describeError } from '../../../bot/dispatch.js';
import type { Locale, Translate } from '../../../bot/messages/index.js';
import { translator } from '../../../bot/messages/index.js';
import type { ChatPoster, Delivery, DeliveryLookup, DeliveryProblem, DeliveryResult, PostTarget, PostedMessage, SendOutcome } from '../../../bot/outbound.js';
import type { ChartBlock, Reply } from '../../../bot/reply.js';
import { classifySlackError } from './classify-error.js';
import { deliveryMetadata } from './delivery-metadata.js';
import { findByDelivery, findFileShare } from './history.js';
import { escapeMrkdwn } from './mrkdwn.js';
import { respondThroughUrl, withoutChartsAndFiles } from './response-url.js';
import type { RenderedReply, SlackMessage } from './render.js';
import { renderReply } from './render.js';
import { createTokenGate, tokenRefusal } from './token.js';
import { createPosterClient } from './web-client.js';

export interface SlackPosterOptions {
  token: string;
  /** SLACK_API_URL: tests point this at a local stand-in for Slack's Web API. */
  apiUrl?: string;
  /** The language of the adapter's own notes ("continued", "top 20 rows") in a channel. */
  localeFor: (channelId: string) => Locale;
  log: Logger;
  renderChart?: (block: ChartBlock, options: RenderChartOptions) => Promise<Buffer>;
  /** The clock that spaces the probes of a refused token (tests move it). */
  nowMs?: () => number;
}

/** Charts are drawn at twice their CSS size so they stay sharp on high-density screens. */
const CHART_SCALE = 2;

/**
 * Posts and edits replies with one attempt per call (the delivery queue retries). A reply longer
 * than one message is sent one piece per queued post: the first message here, and the later
 * messages, charts and files as follow-ups the queue sends after it, each with its own retries, so a
 * 429 on a chart upload delays the chart instead of losing it and never posts the text twice.
 */
export function createSlackPoster(options: SlackPosterOptions): ChatPoster {
  const client = createPosterClient(options.token, options.apiUrl, options.log);
  const renderChart = options.renderChart ?? renderChartPng;
  const gate = createTokenGate(client, options.log, options.nowMs ?? Date.now);
  /** A refused token pauses posting (one alarm) instead of failing each post; anything else is classified. */
  const problemOf = (error: unknown): DeliveryProblem => {
    const refused = tokenRefusal(error);
    return refused ? gate.refused(refused) : classifySlackError(error);
  };
  const translate = (target: PostTarget, reply: Reply) => translator(reply.locale ?? options.localeFor(target.channelId));

  async function post(target: PostTarget, reply: Reply, delivery?: Delivery): Promise<DeliveryResult<PostedMessage & SendOutcome>> {
    const paused = await gate.check();
    if (paused) return { ok: false, problem: paused };
    const t = translate(target, reply);
    const rendered = renderReply(reply, t);
    if (reply.part?.kind === 'files') return uploadFiles(target, rendered, t, delivery);
    const index = reply.part?.kind === 'message' ? reply.part.index : 0;
    const message = rendered.messages[index];
    if (!message) return { ok: false, problem: { kind: 'permanent', message: `the reply has no message ${index + 1}` } };
    let ts: string | undefined;
    try {
      ts = (await client.chat.postMessage({ ...messageArgs(target, message), ...metadataOf(delivery) })).ts;
    } catch (error) {
      const problem = problemOf(error);
      if (problem.kind === 'permanent' && problem.isNotMember && reply.responseUrl && index === 0) {
        return respondInstead(reply.responseUrl, reply, t, delivery, { replaceOriginal: false });
      }
      return { ok: false, problem };
    }
    if (!ts) return { ok: false, problem: { kind: 'permanent', message: 'chat.postMessage answered without a ts' } };
    return { ok: true, value: { messageId: ts, threadId: target.threadId ?? ts, ...(reply.part ? {} : { followUps: followUpsOf(reply, rendered) }) } };
  }

  async function update(target: PostTarget & { messageId: string }, reply: Reply): Promise<DeliveryResult<SendOutcome>> {
    const paused = await gate.check();
    if (paused) return { ok: false, problem: paused };
    const t = translate(target, reply);
    const rendered = renderReply(reply, t);
    const [first] = rendered.messages;
    if (!first) return { ok: false, problem: { kind: 'permanent', message: 'nothing to post' } };
    try {
      await client.chat.update({ channel: target.channelId, ts: target.messageId, text: first.text, blocks: first.blocks });
    } catch (error) {
      const problem = problemOf(error);
      // A message the bot showed through a response_url (where it is not a member) is edited through the click's.
      if (problem.kind === 'permanent' && problem.isNotMember && reply.responseUrl) {
        const responded = await respondInstead(reply.responseUrl, reply, t, undefined, { replaceOriginal: true });
        return responded.ok ? { ok: true, value: {} } : responded;
      }
      return { ok: false, problem };
    }
    // What does not fit in the edited message goes into its thread, queued after the edit.
    return { ok: true, value: { followUps: followUpsOf(reply, rendered) } };
  }

  /** Where the bot may not post (a private channel, a DM or group DM it is not in), the command's response_url can. */
  async function respondInstead(url: string, reply: Reply, t: Translate, delivery: Delivery | undefined, how: { replaceOriginal: boolean }): Promise<DeliveryResult<PostedMessage>> {
    const { messages } = renderReply(withoutChartsAndFiles(reply, t), t);
    const result = await respondThroughUrl(url, messages, how);
    // Expired or used up: the asker still learns that inviting the bot is the fix.
    if (!result.ok) return result.problem.kind === 'permanent' ? { ok: false, problem: { ...result.problem, isNotMember: true } } : result;
    options.log.info('slack: answered through the response_url, since the bot may not post in that conversation', { parts: messages.length });
    const messageId = `response_url:${delivery?.id ?? 'direct'}`;
    return { ok: true, value: { messageId, threadId: messageId } };
  }

  /** One upload v2 job for every chart and file of the reply: nothing is shared until its last call succeeds. */
  async function uploadFiles(target: PostTarget, rendered: RenderedReply, t: Translate, delivery?: Delivery): Promise<DeliveryResult<PostedMessage>> {
    const uploads: { file: Buffer; filename: string; title: string; alt_text?: string }[] = rendered.files.map((file) => ({ file: file.content, filename: file.filename, title: file.title }));
    try {
      for (const chart of rendered.charts) {
        try {
          const png = await renderChart(chart, { scale: CHART_SCALE });
          uploads.push({ file: png, filename: chartFilename(chart), title: chart.title, alt_text: chart.alt });
        } catch (error) {
          options.log.warn('slack: chart could not be drawn', { title: chart.title, error: describeError(error) });
          const text = escapeMrkdwn(t('chat.chartUnavailable', { title: chart.title, alt: chart.alt }));
          await client.chat.postMessage(messageArgs(target, { text, blocks: [] }));
        }
      }
      if (uploads.length > 0) {
        // files.getUploadURLExternal per file, the byte POSTs, one files.completeUploadExternal.
        await client.filesUploadV2({ channel_id: target.channelId, ...(target.threadId ? { thread_ts: target.threadId } : {}), file_uploads: uploads });
      }
    } catch (error) {
      return { ok: false, problem: tokenRefusal(error) ? problemOf(error) : describeUploadError(error) };
    }
    const messageId = `files:${delivery?.id ?? 'direct'}`;
    return { ok: true, value: { messageId, threadId: target.threadId ?? messageId } };
  }

  /**
   * A post whose sending was cut off is looked for among the channel's (or thread's) messages since the
   * attempt began: by the delivery id in its metadata, or, for charts and files, by their file names.
   */
  async function findDelivered(target: PostTarget, delivery: Delivery & { attemptStartedAt: Date }, reply: Reply): Promise<DeliveryLookup> {
    const t = translate(target, reply);
    const rendered = renderReply(reply, t);
    const since = delivery.attemptStartedAt;
    const found = reply.part?.kind === 'files'
      ? await findFileShare(client, target, since, [...rendered.files.map((file) => file.filename), ...rendered.charts.map(chartFilename)])
      : await findByDelivery(client, target, since, delivery.id);
    if (found.kind !== 'found') return found;
    return { kind: 'delivered', posted: { messageId: found.ts, threadId: target.threadId ?? found.ts, ...(reply.part ? {} : { followUps: followUpsOf(reply, rendered) }) } };
  }

  return { platform: 'slack', post, update, findDelivered };
}

/**
 * The later pieces of a reply, as copies of it naming their piece. A later message carries no charts
 * or attachments (they do not change how the messages are laid out), so the queue stores less.
 */
function followUpsOf(reply: Reply, rendered: RenderedReply): Reply[] {
  const followUps: Reply[] = [];
  const textOnly: Reply = { ...reply, blocks: reply.blocks.filter((block) => block.type !== 'chart'), attachments: [] };
  for (let index = 1; index < rendered.messages.length; index += 1) followUps.push({ ...textOnly, part: { kind: 'message', index } });
  if (rendered.files.length > 0 || rendered.charts.length > 0) followUps.push({ ...reply, part: { kind: 'files' } });
  return followUps;
}

function chartFilename(chart: ChartBlock): string {
  return `${chart.title || 'chart'}.png`;
}

function metadataOf(delivery: Delivery | undefined) {
  return delivery ? deliveryMetadata(delivery.id) : {};
}

function messageArgs(target: PostTarget, message: SlackMessage) {
  return {
    channel: target.channelId,
    ...(target.threadId ? { thread_ts: target.threadId } : {}),
    text: message.text,
    ...(message.blocks.length > 0 ? { blocks: message.blocks } : {}),
    unfurl_links: false,
    unfurl_media: false,
  };
}

/** The byte POST of upload v2 fails outside the Web API's error types: a failed attempt, tried again. */
function describeUploadError(error: unknown) {
  try {
    return classifySlackError(error);
  } catch {
    return { kind: 'transient' as const, message: `upload failed: ${describeError(error)}` };
  }
}
