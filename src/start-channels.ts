import { mkdir } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import type { App } from './app.js';
import { createConsolePoster } from './adapters/chat/console/poster.js';
import { createFilePoster } from './adapters/chat/file/poster.js';
import { createSlackPoster, startSlack } from './adapters/chat/slack/index.js';
import { createTeamsPoster, startTeams } from './adapters/chat/teams/index.js';
import { createHooksApp } from './adapters/sources/http-endpoints.js';
import { slackTokenProbe } from './adapters/chat/slack/readiness.js';
import type { SlackIdentity } from './adapters/chat/slack/token.js';
import { teamsTokenProbe } from './adapters/chat/teams/readiness.js';
import { refuseUnread } from './adapters/http/capped-body.js';
import type { OpsRoutes, ReadinessProbe } from './adapters/http/ops-routes.js';
import { handleOps } from './adapters/http/ops-routes.js';
import { pingDatabase } from './adapters/store/queries/ops-stats.js';
import { createInFlight } from './bot/in-flight.js';
import type { ChatPoster } from './bot/outbound.js';
import type { Result } from './bot/result.js';
import { createDeliveryWorker } from './jobs/delivery-worker.js';
import { jobs } from './jobs/registry.js';
import { createScheduler } from './jobs/scheduler.js';

export interface RunningChannels {
  hasChatPlatform: boolean;
  platforms: string[];
  /** The port /healthz, /readyz and /metrics answer on (PORT), when serving. */
  opsPort?: number;
  /**
   * Stops in the order a rolling deploy needs: no new requests (HTTP servers closed, /readyz 503),
   * answers already accepted finished, one last delivery pass, scheduled runs given `graceMs` to end
   * and their leases released for another replica.
   */
  stop(): Promise<void>;
}

/** Webhooks (deploys, Lighthouse reports) listen beside Slack (PORT) and Teams (PORT + 1). */
export const HOOKS_PORT_OFFSET = 2;

/** Within the 10 s a container runtime waits after SIGTERM: answers 6 s, the last delivery pass 1.5 s, jobs 1 s. */
export const STOP_BUDGET_MS = { answers: 6_000, delivery: 1_500, jobs: 1_000 } as const;

export interface StartOptions {
  holder: string;
  consoleOutput: Writable;
  /** Serve /healthz, /readyz and /metrics on PORT (a service; not a terminal session). */
  serveOps: boolean;
  /**
   * The scheduler starts once this settles: first start's replay of the demo's monitors writes their
   * memory quarter hour by quarter hour, and the scheduler's first pass (now) must come after it.
   */
  schedulerAfter?: Promise<unknown>;
  /** Whose Slack token it is, when main already checked it with Slack. */
  slackIdentity?: SlackIdentity;
}

/**
 * Starts everything that talks to the outside: the delivery queue with a poster per platform,
 * Slack and Teams when configured, the operations endpoints on PORT, the webhook endpoints when a
 * secret is set, and the scheduler. A platform that cannot start is one line of error, and whatever
 * started is stopped again.
 */
export async function startChannels(app: App, options: StartOptions): Promise<Result<RunningChannels, string>> {
  const { config, bot, db, log, metrics } = app;
  const servers: (() => Promise<void>)[] = [];
  const closeServers = async () => {
    for (const close of servers.reverse()) await close().catch((error: unknown) => log.warn('stop failed', { error: String(error) }));
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

  let isAccepting = true;
  const probes: ReadinessProbe[] = [{ name: 'database', check: () => pingDatabase(db) }];
  if (slackToken) probes.push(slackTokenProbe(slackToken, config.SLACK_API_URL));
  if (hasTeams) probes.push(teamsTokenProbe(config));
  const ops: OpsRoutes = { probes, registry: metrics.registry, isAccepting: () => isAccepting };
  if (options.serveOps) metrics.includeProcessMetrics();

  const clock = () => new Date();
  const inFlight = createInFlight();
  const worker = createDeliveryWorker({ db, posters, clock, log, holder: options.holder, localeFor: (channelId) => bot.localeFor({ channelId }) });
  worker.start();
  const platforms: string[] = [];
  let opsPort: number | undefined;
  try {
    if (slackPoster) {
      const isHttp = !config.SLACK_APP_TOKEN;
      const slack = await startSlack(config, { bot, db, log, poster: slackPoster, outbox: worker, inFlight, ...(options.slackIdentity ? { identity: options.slackIdentity } : {}), ...(isHttp && options.serveOps ? { ops } : {}) });
      servers.push(() => slack.stop());
      platforms.push(slack.port === undefined ? 'slack (socket mode)' : `slack (http :${slack.port})`);
      if (isHttp) opsPort = slack.port;
    }
    // Socket Mode and Teams listen elsewhere: PORT still answers the operations endpoints.
    if (options.serveOps && opsPort === undefined) {
      const server = await listen(createServer((request, response) => {
        if (!handleOps(request, response, ops)) refuseUnread(request, response, 404, { error: `no ${request.method ?? ''} ${request.url ?? ''} here` });
      }), config.PORT);
      servers.push(() => closeServer(server));
      opsPort = portOf(server);
    }
    if (hasTeams) {
      const teams = await startTeams(config, { bot, db, log, outbox: worker, inFlight });
      servers.push(() => teams.stop());
      platforms.push(`teams (:${teams.port})`);
    }
    if (config.DEPLOY_WEBHOOK_SECRET) {
      const server = await listen(createServer(createHooksApp({ db, secret: config.DEPLOY_WEBHOOK_SECRET, log })), config.PORT + HOOKS_PORT_OFFSET);
      servers.push(() => closeServer(server));
      log.info('webhooks listening', { port: config.PORT + HOOKS_PORT_OFFSET });
    }
  } catch (error) {
    await closeServers();
    await worker.stop();
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
  const scheduler = config.SCHEDULER === 'on'
    ? createScheduler({ jobs, context: { db, config, log, bot, delivery: worker }, holder: options.holder, clock, onRun: metrics.observeJobRun })
    : undefined;
  let isStopping = false;
  // The catch-up runs in the background: the first answer must not wait for last week's jobs.
  const startScheduler = () => {
    if (!isStopping) scheduler?.start().catch((error: unknown) => log.error('scheduler failed to start', { error: String(error) }));
  };
  if (options.schedulerAfter) void options.schedulerAfter.then(startScheduler, startScheduler);
  else startScheduler();

  const stop = async () => {
    isAccepting = false;
    isStopping = true;
    await closeServers();
    const inFlightAtStop = inFlight.count;
    if (!(await within(inFlight.drained(), STOP_BUDGET_MS.answers))) log.warn('stopping with answers still in flight', { count: inFlight.count });
    await within(worker.settled().then(() => worker.deliverDue()), STOP_BUDGET_MS.delivery);
    await worker.stop();
    await scheduler?.stop(STOP_BUDGET_MS.jobs);
    log.info('stopped', { answersFinished: inFlightAtStop - inFlight.count });
  };
  return { ok: true, value: { hasChatPlatform: platforms.length > 0, platforms, ...(opsPort === undefined ? {} : { opsPort }), stop } };
}

/** True when `work` settled within `timeoutMs`. */
async function within(work: Promise<unknown>, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => { timer = setTimeout(() => resolve(false), timeoutMs); });
  const settled = work.then(() => true as const, () => true as const);
  const result = await Promise.race([settled, timeout]);
  clearTimeout(timer);
  return result;
}

function listen(server: Server, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, () => resolve(server));
  });
}

/** Stops accepting connections; requests in progress finish (Node closes idle keep-alive connections itself). */
function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

function portOf(server: Server): number {
  const address = server.address();
  return typeof address === 'object' && address !== null ? address.port : 0;
}
