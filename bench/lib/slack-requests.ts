// Requests as Slack sends them (signed, built from the recorded fixtures), for the tests and the ack bench.
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';

/** Slack's request signature: HMAC-SHA256 over `v0:{timestamp}:{raw body}`, hex, prefixed "v0=". */
export function slackSignature(signingSecret: string, timestampS: number | string, rawBody: string): string {
  return `v0=${createHmac('sha256', signingSecret).update(`v0:${timestampS}:${rawBody}`).digest('hex')}`;
}

export interface SignedPost {
  url: string;
  body: string;
  contentType: 'application/json' | 'application/x-www-form-urlencoded';
  signingSecret: string;
  timestampS: number;
  /** Overrides the computed signature (forgeries). */
  signature?: string;
  headers?: Record<string, string>;
}

/** POSTs `body` the way Slack does, signed over its exact bytes. */
export async function postSigned(post: SignedPost): Promise<{ status: number; text: string }> {
  const response = await fetch(post.url, {
    method: 'POST',
    headers: {
      'content-type': post.contentType,
      'x-slack-request-timestamp': String(post.timestampS),
      'x-slack-signature': post.signature ?? slackSignature(post.signingSecret, post.timestampS, post.body),
      ...post.headers,
    },
    body: post.body,
  });
  return { status: response.status, text: await response.text() };
}

export function readSlackFixture(name: string): string {
  return readFileSync(new URL(`../../../shared/fixtures/slack/${name}`, import.meta.url), 'utf8');
}

/** The workspace the stand-in Slack's auth.test names as the bot's: requests come from it unless a test says otherwise. */
export const STAND_IN_TEAM = 'T111';

/** A slash command form body from the real (modified) fixture, with our command, text, channel and response_url. */
export function slashCommandBody(fields: { text: string; channelId: string; userId: string; responseUrl: string; command?: string; teamId?: string }): string {
  const params = new URLSearchParams(readSlackFixture('slash_command_body_real_modified.txt'));
  params.set('command', fields.command ?? '/mkt');
  params.set('team_id', fields.teamId ?? STAND_IN_TEAM);
  params.set('text', fields.text);
  params.set('channel_id', fields.channelId);
  params.set('user_id', fields.userId);
  params.set('response_url', fields.responseUrl);
  return params.toString();
}

/** An event_callback JSON body from the app_mention fixture. */
export function appMentionBody(fields: { eventId: string; text: string; channelId: string; userId: string; threadTs?: string; botId?: string; userTeam?: string }): string {
  const body = JSON.parse(readSlackFixture('events_api_app_mention_event_callback.json')) as { event_id: string; team_id: string; event: Record<string, unknown> };
  body.event_id = fields.eventId;
  body.team_id = STAND_IN_TEAM;
  body.event.team = STAND_IN_TEAM;
  // Slack Connect: a person from another organisation writes in a shared channel.
  if (fields.userTeam) Object.assign(body.event, { user_team: fields.userTeam, source_team: fields.userTeam });
  Object.assign(body.event, { text: fields.text, channel: fields.channelId, user: fields.userId });
  if (fields.threadTs) body.event.thread_ts = fields.threadTs;
  if (fields.botId) body.event.bot_id = fields.botId;
  return JSON.stringify(body);
}

/** A block_actions form body (`payload=`) from the docs example, for a button on message `messageTs`. */
export function blockActionsBody(fields: { actionId: string; value: string; channelId: string; userId: string; messageTs: string; responseUrl: string }): string {
  const payload = JSON.parse(readSlackFixture('interactivity_block_actions_docs_example.json')) as Record<string, unknown> & { actions: Record<string, unknown>[] };
  payload.user = { id: fields.userId, username: 'someone', team_id: STAND_IN_TEAM };
  payload.team = { id: STAND_IN_TEAM, domain: 'example' };
  payload.channel = { id: fields.channelId, name: 'marketing' };
  payload.container = { type: 'message', message_ts: fields.messageTs, channel_id: fields.channelId, is_ephemeral: false };
  payload.message = { type: 'message', text: 'answer', user: 'UBOT', bot_id: 'BBOT', ts: fields.messageTs };
  payload.response_url = fields.responseUrl;
  payload.actions = [{ ...payload.actions[0], action_id: fields.actionId, value: fields.value }];
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}
