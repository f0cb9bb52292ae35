import type { Translate } from '../../../bot/messages/index.js';
import type { DeliveryResult } from '../../../bot/outbound.js';
import type { Block, Reply } from '../../../bot/reply.js';
import { SLACK_TABLE_MAX_ROWS } from './limits.js';
import type { SlackMessage } from './render.js';
import { SLACK_CALL_TIMEOUT_MS } from './web-client.js';

/** Slack lets a response_url carry 5 messages in 30 minutes; a reply has at most 4 (SLACK_MAX_MESSAGES_PER_REPLY). */
const RESPONSE_URL_MAX_MESSAGES = 5;

/**
 * Posts the messages through a slash command's or button's response_url, visible to everyone in the
 * conversation (`in_channel`), the first replacing the clicked message when `replaceOriginal`.
 * Slack answers 200 "ok"; 404 once the URL has expired or been used up.
 */
export async function respondThroughUrl(url: string, messages: readonly SlackMessage[], how: { replaceOriginal: boolean }): Promise<DeliveryResult<void>> {
  for (const [index, message] of messages.slice(0, RESPONSE_URL_MAX_MESSAGES).entries()) {
    const body = { response_type: 'in_channel', replace_original: how.replaceOriginal && index === 0, text: message.text, blocks: message.blocks };
    let response: Response;
    try {
      response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(SLACK_CALL_TIMEOUT_MS) });
    } catch (error) {
      return { ok: false, problem: { kind: 'transient', message: `response_url unreachable: ${error instanceof Error ? error.message : String(error)}` } };
    }
    const text = await response.text();
    if (response.status === 429) {
      const retryAfterS = Number(response.headers.get('retry-after'));
      return { ok: false, problem: { kind: 'rate_limited', retryAfterS: Number.isFinite(retryAfterS) && retryAfterS >= 0 ? retryAfterS : 1, message: 'response_url rate limited', status: 429 } };
    }
    if (response.status >= 500) return { ok: false, problem: { kind: 'transient', message: `response_url answered HTTP ${response.status}`, status: response.status } };
    if (!response.ok || refusedInBody(text)) return { ok: false, problem: { kind: 'permanent', message: `response_url refused the answer (HTTP ${response.status}: ${text.slice(0, 100)})`, status: response.status } };
  }
  return { ok: true, value: undefined };
}

/** Slack sometimes answers 200 with `{"ok":false,"error":"..."}`. */
function refusedInBody(text: string): boolean {
  try {
    const parsed = JSON.parse(text) as { ok?: unknown };
    return parsed.ok === false;
  } catch {
    return false;
  }
}

/**
 * A response_url carries messages only: charts become their description, and a note says that charts
 * and files come once the bot is invited (or in a direct message with it).
 */
export function withoutChartsAndFiles(reply: Reply, t: Translate): Reply {
  const hasFiles = reply.attachments.length > 0 || reply.blocks.some((block) => block.type === 'chart' || (block.type === 'table' && block.rows.length > SLACK_TABLE_MAX_ROWS));
  const blocks: Block[] = reply.blocks.map((block) => (block.type === 'chart' ? { type: 'text', text: t('chat.chartNotHere', { title: block.title, alt: block.alt }) } : block));
  if (hasFiles) blocks.push({ type: 'text', text: t('chat.filesNotHere') });
  return { ...reply, blocks, attachments: [] };
}
