import { mkdir } from 'node:fs/promises';
import type { Server } from 'node:http';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import express from 'express';
import type { App } from './app.js';
import { createConsolePoster } from './adapters/chat/console/poster.js';
import { createFilePoster } from './adapters/chat/file/poster.js';
import { createSlackPoster, startSlack } from './adapters/chat/slack/index.js';
import { createTeamsPoster, startTeams } from './adapters/chat/teams/index.js';
import { createHooksApp } from './adapters/sources/http-endpoints.js';
import type { ChatPoster } from './bot/outbound.js';
import type { Result } from './bot/result.js';
import { createDeliveryWorker } from './jobs/delivery-worker.js';
import { jobs } from './jobs/registry.js';
import { createScheduler } from './jobs/scheduler.js';

export interface RunningChannels {
  hasChatPlatform: boolean;
  platforms: string[];
  stop(): Promise<void>;
}

/** Webhooks (deploys, Lighthouse reports) listen beside Slack (PORT) and Teams (PORT + 1). */
export const HOOKS_PORT_OFFSET = 2;

/**
 * Starts everything that talks to the outside: the delivery queue with a poster per platform,
 * Slack and Teams when configured, the webhook endpoints when a secret is set, and the scheduler.
 * A platform that cannot start is one line of error, and whatever started is stopped again.
 */
export async function startChannels(app: App, options: { holder: string; consoleOutput: Writable }): Promise<Result<RunningChannels, string>> {
  const { config, bot, db, log } = app;
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch((error: unknown) => log.warn('stop failed', { error: String(error) }));
  };
  // The file sink appends to OUT_DIR/posts.jsonl; a missing folder would fail every delivery there.
  await mkdir(config.OUT_DIR, { recursive: true });
  const posters = new Map<string, ChatPoster>([
    ['console', createConsolePoster(options.consoleOutput)],
    ['file', createFilePoster(join(config.OUT_DIR, 'posts.jsonl'))],
  ]);
  const slackToken = config.SLACK_BOT_TOKEN;
  const slackPoster = slackToken ? createSlackPoster({ token: slackToken, apiUrl: config.SLACK_API_URL, localeFor: (channelId) => bot.localeFor({ channelId }), log }) : undefined;
  if (slackPoster) posters.set('slack', slackPoster);
  const hasTeams = Boolean(config.TEAMS_APP_ID) || config.TEAMS_ANONYMOUS_DEV;
  if (hasTeams) posters.set('teams', createTeamsPoster(config, { bot, db, log }));

  const clock = () => new Date();
  const worker = createDeliveryWorker({ db, posters, clock, log, holder: options.holder });
  worker.start();
  stops.push(() => worker.stop());
  const platforms: string[] = [];
  try {
    if (slackPoster) {
      const slack = await startSlack(config, { bot, db, log, poster: slackPoster, outbox: worker });
      stops.push(() => slack.stop());
      platforms.push(slack.port === undefined ? 'slack (socket mode)' : `slack (http :${slack.port})`);
    }
    if (hasTeams) {
      const teams = await startTeams(config, { bot, db, log });
      stops.push(() => teams.stop());
      platforms.push(`teams (:${teams.port})`);
    }
    if (config.DEPLOY_WEBHOOK_SECRET) {
      const server = await listen(createHooksApp({ db, secret: config.DEPLOY_WEBHOOK_SECRET, log }), config.PORT + HOOKS_PORT_OFFSET);
      stops.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
      log.info('webhooks listening', { port: config.PORT + HOOKS_PORT_OFFSET });
    }
  } catch (error) {
    await stopAll();
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
  if (config.SCHEDULER === 'on') {
    const scheduler = createScheduler({ jobs, context: { db, config, log, bot, delivery: worker }, holder: options.holder, clock });
    stops.push(() => scheduler.stop());
    // The catch-up runs in the background: the first answer must not wait for last week's jobs.
    scheduler.start().catch((error: unknown) => log.error('scheduler failed to start', { error: String(error) }));
  }
  return { ok: true, value: { hasChatPlatform: platforms.length > 0, platforms, stop: stopAll } };
}

function listen(handler: express.Express, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = handler.listen(port, () => resolve(server));
    server.once('error', reject);
  });
}
