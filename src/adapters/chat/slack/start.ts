import type { Server } from 'node:http';
import { App, HTTPReceiver } from '@slack/bolt';
import type { Config } from '../../../config.js';
import type { Bot } from '../../../bot/dispatch.js';
import type { Logger } from '../../../log.js';
import type { ChatPoster } from '../../../bot/outbound.js';
import type { Db } from '../../store/db.js';
import type { OpsRoutes } from '../../http/ops-routes.js';
import { handleOps } from '../../http/ops-routes.js';
import type { InFlight } from '../../../bot/in-flight.js';
import { WORKING_NOTE_AFTER_MS } from './answer.js';
import { directDelivery, outboxDelivery } from './delivery.js';
import { registerListeners } from './listeners.js';
import { createSlackPoster } from './poster.js';
import { guardRequestWindow } from './request-window.js';
import { slackLogger } from './slack-logger.js';
import type { SlackIdentity } from './token.js';
import { verifySlackToken } from './token.js';
import { SLACK_CALL_TIMEOUT_MS, normaliseSlackApiUrl } from './web-client.js';

export type SlackConfig = Pick<Config, 'SLACK_BOT_TOKEN' | 'SLACK_SIGNING_SECRET' | 'SLACK_APP_TOKEN' | 'SLACK_API_URL' | 'PORT'>
  & Partial<Pick<Config, 'SLACK_ALLOWED_TEAMS' | 'SLACK_SLASH_COMMAND'>>;

export interface SlackDeps {
  bot: Bot;
  db: Db;
  log: Logger;
  /** The request-window check reads this clock (tests and benches sign with their own time). */
  clock?: () => Date;
  workingNoteAfterMs?: number;
  /** The poster the delivery worker also uses (createSlackPoster); made here when not given. */
  poster?: ChatPoster;
  /**
   * The delivery worker (src/jobs/delivery-worker.ts) with this poster registered for 'slack':
   * answers are queued in the outbox and the worker kicked. Without it, answers are posted directly.
   */
  outbox?: { kick(): void };
  inFlight?: InFlight;
  /** /healthz, /readyz and /metrics, served on the receiver's port before Slack's own routes. */
  ops?: OpsRoutes;
  /** Whose token it is, when main already asked Slack (auth.test) before opening the database. */
  identity?: SlackIdentity;
}

export interface RunningSlack {
  stop(): Promise<void>;
  /** The HTTP port listened on; absent in Socket Mode. */
  port?: number;
}

/** Where Slack sends events, slash commands and interactivity (slack-manifest.yaml). */
export const SLACK_EVENTS_PATH = '/slack/events';

/**
 * Starts the Bolt app: Socket Mode when SLACK_APP_TOKEN is set (no public URL needed), otherwise
 * the HTTP receiver on PORT, every request checked for signature and timestamp.
 */
export async function startSlack(config: SlackConfig, deps: SlackDeps): Promise<RunningSlack> {
  const token = config.SLACK_BOT_TOKEN;
  if (!token) throw new Error('startSlack: SLACK_BOT_TOKEN is not set (the configuration schema requires it with the other Slack variables)');
  const verified = deps.identity ? { ok: true as const, value: deps.identity } : await verifySlackToken(token, config.SLACK_API_URL);
  if (!verified.ok) throw new Error(verified.error);
  const identity = verified.value;
  // Bolt would call auth.test itself in its constructor, and crash the process on a refusal; it gets the answer instead.
  const botIds = { ...(identity.botId ? { botId: identity.botId } : {}), ...(identity.botUserId ? { botUserId: identity.botUserId } : {}) };
  const allowedTeams = new Set([identity.teamId, ...(config.SLACK_ALLOWED_TEAMS ?? [])]);
  const logger = slackLogger(deps.log);
  const slackApiUrl = normaliseSlackApiUrl(config.SLACK_API_URL);
  // Bolt's own client (auth.test, ephemeral notes): bounded, unlike WebClient's 30-minute default.
  const clientOptions = { ...(slackApiUrl ? { slackApiUrl } : {}), timeout: SLACK_CALL_TIMEOUT_MS, retryConfig: { retries: 1 } };
  const poster = deps.poster ?? createSlackPoster({ token, apiUrl: config.SLACK_API_URL, localeFor: (channelId) => deps.bot.localeFor({ channelId }), log: deps.log });
  const outbox = deps.outbox;
  const delivery = outbox ? outboxDelivery(deps.db, () => outbox.kick()) : directDelivery(poster);
  const listenerDeps = {
    bot: deps.bot, db: deps.db, log: deps.log, delivery, workingNoteAfterMs: deps.workingNoteAfterMs ?? WORKING_NOTE_AFTER_MS, allowedTeams,
    ...(config.SLACK_SLASH_COMMAND ? { slashCommand: config.SLACK_SLASH_COMMAND } : {}), ...(deps.inFlight ? { inFlight: deps.inFlight } : {}),
  };

  if (config.SLACK_APP_TOKEN) {
    const app = new App({ token, ...botIds, appToken: config.SLACK_APP_TOKEN, socketMode: true, logger, clientOptions });
    registerListeners(app, listenerDeps);
    await app.start();
    deps.log.info('slack: connected in Socket Mode');
    return { stop: async () => { await app.stop(); } };
  }

  const signingSecret = config.SLACK_SIGNING_SECRET;
  if (!signingSecret) throw new Error('startSlack: SLACK_SIGNING_SECRET is not set and there is no SLACK_APP_TOKEN for Socket Mode');
  const receiver = new HTTPReceiver({ signingSecret, endpoints: [SLACK_EVENTS_PATH], logger });
  // HTTPReceiver.start() serves through this public property, so the window check runs first.
  const guarded = guardRequestWindow(receiver.requestListener, deps.clock ?? (() => new Date()));
  const ops = deps.ops;
  receiver.requestListener = ops ? (request, response) => {
    if (!handleOps(request, response, ops)) guarded(request, response);
  } : guarded;
  const app = new App({ token, ...botIds, receiver, logger, clientOptions });
  registerListeners(app, listenerDeps);
  const server: Server = await app.start(config.PORT);
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : config.PORT;
  deps.log.info('slack: listening', { port, path: SLACK_EVENTS_PATH });
  return { port, stop: async () => { await app.stop(); } };
}
