import { renderChart as renderChartPng } from '../../charts/render-chart.js';
import type { RenderChartOptions } from '../../charts/render-chart.js';
import type { Logger } from '../../../log.js';
import { describeError } from '../../../bot/dispatch.js';
import type { Locale, Translate } from '../../../bot/messages/index.js';
import { translator } from '../../../bot/messages/index.js';
import type { ChatPoster, DeliveryResult, PostTarget, PostedMessage } from '../../../bot/outbound.js';
import type { ChartBlock, Reply } from '../../../bot/reply.js';
import { classifySlackError } from './classify-error.js';
import { escapeMrkdwn } from './mrkdwn.js';
import type { RenderedReply, SlackMessage } from './render.js';
import { renderReply } from './render.js';
import { createPosterClient } from './web-client.js';

export interface SlackPosterOptions {
  token: string;
  /** SLACK_API_URL: tests point this at a local stand-in for Slack's Web API. */
  apiUrl?: string;
  /** The language of the adapter's own notes ("continued", "top 20 rows") in a channel. */
  localeFor: (channelId: string) => Locale;
  log: Logger;
  renderChart?: (block: ChartBlock, options: RenderChartOptions) => Promise<Buffer>;
}

/** Charts are drawn at twice their CSS size so they stay sharp on high-density screens. */
const CHART_SCALE = 2;

/**
 * Posts and edits replies with one attempt per call (the delivery queue retries). The first message
 * decides the outcome: once it is in the channel, retrying would post it twice, so later parts and
 * uploads that fail are logged rather than reported.
 */
export function createSlackPoster(options: SlackPosterOptions): ChatPoster {
  const client = createPosterClient(options.token, options.apiUrl, options.log);
  const renderChart = options.renderChart ?? renderChartPng;

  async function post(target: PostTarget, reply: Reply): Promise<DeliveryResult<PostedMessage>> {
    const t = translator(options.localeFor(target.channelId));
    const rendered = renderReply(reply, t);
    const [first, ...rest] = rendered.messages;
    if (!first) return { ok: false, problem: { kind: 'permanent', message: 'nothing to post' } };
    let ts: string | undefined;
    try {
      ts = (await client.chat.postMessage(messageArgs(target, first))).ts;
    } catch (error) {
      return { ok: false, problem: classifySlackError(error) };
    }
    if (!ts) return { ok: false, problem: { kind: 'permanent', message: 'chat.postMessage answered without a ts' } };
    await postFollowUps(target, rest, rendered, t);
    return { ok: true, value: { messageId: ts, threadId: target.threadId ?? ts } };
  }

  async function update(target: PostTarget & { messageId: string }, reply: Reply): Promise<DeliveryResult<void>> {
    const t = translator(options.localeFor(target.channelId));
    const rendered = renderReply(reply, t);
    const [first, ...rest] = rendered.messages;
    if (!first) return { ok: false, problem: { kind: 'permanent', message: 'nothing to post' } };
    try {
      await client.chat.update({ channel: target.channelId, ts: target.messageId, text: first.text, blocks: first.blocks });
    } catch (error) {
      return { ok: false, problem: classifySlackError(error) };
    }
    // What does not fit in the edited message goes into its thread.
    await postFollowUps({ channelId: target.channelId, threadId: target.threadId ?? target.messageId }, rest, rendered, t);
    return { ok: true, value: undefined };
  }

  async function postFollowUps(target: PostTarget, messages: readonly SlackMessage[], rendered: RenderedReply, t: Translate): Promise<void> {
    try {
      for (const message of messages) await client.chat.postMessage(messageArgs(target, message));
      await uploadFiles(target, rendered, t);
    } catch (error) {
      options.log.warn('slack: part of a reply was not delivered', { channel: target.channelId, error: describeFollowUpError(error) });
    }
  }

  async function uploadFiles(target: PostTarget, rendered: RenderedReply, t: Translate): Promise<void> {
    const uploads: { file: Buffer; filename: string; title: string; alt_text?: string }[] = rendered.files.map((file) => ({ file: file.content, filename: file.filename, title: file.title }));
    for (const chart of rendered.charts) {
      try {
        const png = await renderChart(chart, { scale: CHART_SCALE });
        uploads.push({ file: png, filename: `${chart.title || 'chart'}.png`, title: chart.title, alt_text: chart.alt });
      } catch (error) {
        options.log.warn('slack: chart could not be drawn', { title: chart.title, error: describeError(error) });
        const text = escapeMrkdwn(t('chat.chartUnavailable', { title: chart.title, alt: chart.alt }));
        await client.chat.postMessage(messageArgs(target, { text, blocks: [] }));
      }
    }
    if (uploads.length === 0) return;
    // One upload v2 job: files.getUploadURLExternal per file, the byte POSTs, one files.completeUploadExternal.
    await client.filesUploadV2({
      channel_id: target.channelId,
      ...(target.threadId ? { thread_ts: target.threadId } : {}),
      file_uploads: uploads,
    });
  }

  return { platform: 'slack', post, update };
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

function describeFollowUpError(error: unknown): string {
  try {
    return classifySlackError(error).message;
  } catch {
    return describeError(error);
  }
}
